package io.tapeflow.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;

import io.tapeflow.nn.OptimizerState;
import io.tapeflow.nn.TrainingState;
import org.junit.jupiter.api.Test;

class CheckpointsTests {

    @Test
    void aCheckpointReadsBackBitForBitIncludingNaNPayloadsAndNegativeZero() {
        Map<String, float[]> parameters = new LinkedHashMap<>();
        parameters.put("dense_1/bias", new float[] {-0.0f, Float.MIN_VALUE, Float.intBitsToFloat(0x7fc00001)});
        parameters.put("dense_1/kernel", new float[] {1.5f, -2.25f, Float.MAX_VALUE, 1e-30f});
        TrainingState state = new TrainingState(parameters,
                new OptimizerState(1234L, new float[][] {{0.1f, 0.2f}, {}, {3f}}), 17, 0x9E3779B97F4A7C15L, 0.125,
                4);

        TrainingState back = Checkpoints.read(Checkpoints.write(state));

        assertThat(back.parameters().keySet()).containsExactly("dense_1/bias", "dense_1/kernel");
        for (String name : parameters.keySet()) {
            float[] a = parameters.get(name);
            float[] b = back.parameters().get(name);
            assertThat(b).hasSameSizeAs(a);
            for (int i = 0; i < a.length; i++) {
                assertThat(Float.floatToRawIntBits(b[i])).isEqualTo(Float.floatToRawIntBits(a[i]));
            }
        }
        assertThat(back.optimizer().iterations()).isEqualTo(1234L);
        assertThat(back.optimizer().slots()).isDeepEqualTo(state.optimizer().slots());
        assertThat(back.nextEpoch()).isEqualTo(17);
        assertThat(back.rngState()).isEqualTo(0x9E3779B97F4A7C15L);
        assertThat(back.bestMonitored()).isEqualTo(0.125);
        assertThat(back.epochsWithoutImprovement()).isEqualTo(4);
    }

    @Test
    void somethingElseIsRefused() {
        assertThatThrownBy(() -> Checkpoints.read(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}))
                .isInstanceOf(IllegalStateException.class);
    }
}
