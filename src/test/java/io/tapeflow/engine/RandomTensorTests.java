package io.tapeflow.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Golden values: the same seed must give these exact numbers on every machine and JVM (the generator's floating-point
 * transforms use StrictMath), because checkpoints, datasets and tests all rely on them.
 */
class RandomTensorTests {

    @Test
    void theSameSeedGivesTheSameNumbersEverywhere() {
        assertThat(Tensor.uniform(new Rng(42), -10f, 10f, 3).toArray())
                .containsExactly(4.831297f, -6.801792f, -4.4279776f);
        assertThat(Tensor.normal(new Rng(42), 0f, 2f, 3).toArray())
                .containsExactly(1.7644978f, -0.9016997f, 0.37670526f);
        assertThat(Tensor.truncatedNormal(new Rng(42), 0f, 1f, 3).toArray())
                .containsExactly(0.8822489f, -0.45084986f, 0.18835263f);
        int[] permutation = new int[6];
        new Rng(42).permutation(permutation);
        assertThat(permutation).containsExactly(2, 5, 3, 1, 0, 4);
    }
}
