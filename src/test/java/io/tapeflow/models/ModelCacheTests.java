package io.tapeflow.models;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import io.tapeflow.engine.Rng;
import io.tapeflow.nn.Activation;
import io.tapeflow.nn.Initializer;
import io.tapeflow.nn.Sequential;
import org.junit.jupiter.api.Test;

/** Issue #14: a cached model weighs about its float32 parameters, so the cache's bound is one in bytes. */
class ModelCacheTests {

    @Test
    void aCachedModelWeighsFourBytesAParameterPlusALittle() {
        Sequential model = Sequential.mlp(1000, new int[] {2000, 2000}, Activation.RELU, 10, Activation.LINEAR,
                Initializer.ZEROS, new Rng(0));
        int parameters = model.parameterCount();
        assertThat(parameters).isGreaterThan(6_000_000);
        int weight = new ModelService.Loaded(null, null, model, List.of()).weight();
        assertThat(weight).isBetween(4 * parameters, 4 * parameters + 1_000_000);
    }
}
