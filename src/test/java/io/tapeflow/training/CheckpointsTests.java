package io.tapeflow.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import io.tapeflow.nn.OptimizerState;
import io.tapeflow.nn.TrainingState;
import org.junit.jupiter.api.Test;

class CheckpointsTests {

    @Test
    void aCheckpointReadsBackBitForBitIncludingNaNPayloadsAndNegativeZero() throws IOException {
        Map<String, float[]> parameters = new LinkedHashMap<>();
        parameters.put("dense_1/bias", new float[] {-0.0f, Float.MIN_VALUE, Float.intBitsToFloat(0x7fc00001)});
        parameters.put("dense_1/kernel", new float[] {1.5f, -2.25f, Float.MAX_VALUE, 1e-30f});
        TrainingState state = new TrainingState(parameters,
                new OptimizerState(1234L, new float[][] {{0.1f, 0.2f}, {}, {3f}}), 17, 0x9E3779B97F4A7C15L, 0.125,
                4);

        byte[] bytes = Checkpoints.stream(state).readAllBytes();
        assertThat((long) bytes.length).isEqualTo(Checkpoints.size(state));
        TrainingState back = Checkpoints.read(new ByteArrayInputStream(bytes));

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
        assertThatThrownBy(() -> Checkpoints.read(new ByteArrayInputStream(new byte[] {1, 2, 3, 4, 5, 6, 7, 8})))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aLargeStateStreamsInChunksAndReadsBackWhole() throws IOException {
        // Arrays longer than a chunk and a header longer than one (a long name) cross the chunk boundaries.
        Map<String, float[]> parameters = new LinkedHashMap<>();
        float[] kernel = new float[100_003];
        for (int i = 0; i < kernel.length; i++) {
            kernel[i] = i * 0.5f - 7f;
        }
        parameters.put("dense_1/kernel", kernel);
        parameters.put("x".repeat(40_000) + "é", new float[] {1f});
        parameters.put("dense_1/bias", new float[0]);
        TrainingState state = new TrainingState(parameters,
                new OptimizerState(9L, new float[][] {kernel.clone(), new float[0], {2f}}), 3, 42L, 1.5, 0);
        byte[] bytes = Checkpoints.stream(state).readAllBytes();
        assertThat((long) bytes.length).isEqualTo(Checkpoints.size(state));

        TrainingState back = Checkpoints.read(new ByteArrayInputStream(bytes));
        assertThat(back.parameters().keySet()).containsExactlyElementsOf(parameters.keySet());
        assertThat(back.parameters().get("dense_1/kernel")).containsExactly(kernel);
        assertThat(back.optimizer().slots()).isDeepEqualTo(state.optimizer().slots());
        assertThatThrownBy(() -> Checkpoints.read(new ByteArrayInputStream(bytes, 0, bytes.length - 3)))
                .isInstanceOf(java.io.UncheckedIOException.class);
    }
}
