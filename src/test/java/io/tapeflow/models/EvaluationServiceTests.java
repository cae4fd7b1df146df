package io.tapeflow.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.tapeflow.engine.Rng;
import io.tapeflow.nn.Initializer;
import io.tapeflow.nn.Sequential;
import org.junit.jupiter.api.Test;

/** The service's own arithmetic; everything else of it runs over HTTP in EvaluationsApiTests. */
class EvaluationServiceTests {

    @Test
    void predictionsInChunksAreThePredictionsOfEveryRow() {
        Sequential model = Sequential.linear(3, 2, Initializer.NORMAL, new Rng(4));
        int rows = 20_000;
        float[] x = new float[rows * 3];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i % 97) / 10f - 4f;
        }
        float[] chunked = EvaluationService.predict(model, x, rows, 3, 2);
        float[] whole = model.predict(x, rows);
        assertThat(chunked).hasSize(whole.length);
        for (int i = 0; i < whole.length; i++) {
            assertThat(chunked[i]).as("output %d", i).isCloseTo(whole[i], within(1e-5f * (1 + Math.abs(whole[i]))));
        }
    }
}
