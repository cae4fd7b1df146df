package io.tapeflow.nn;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The one class rule that accuracy, predictions, reports and plots share. */
class ArgmaxTests {

    @Test
    void theFirstLargestValueWinsAndANaNNever() {
        assertThat(Metric.argmax(new float[] {0.2f, 0.5f, 0.5f}, 0, 3)).isEqualTo(1);
        assertThat(Metric.argmax(new float[] {Float.NaN, 0.1f, 0.3f}, 0, 3)).isEqualTo(2);
        assertThat(Metric.argmax(new float[] {9f, 0.7f, Float.NaN, 0.2f}, 1, 3)).isEqualTo(0);
        assertThat(Metric.argmax(new float[] {Float.NaN, Float.NaN}, 0, 2)).isZero();
    }

    @Test
    void accuracyTakesTheSameClassAsPredictionsDo() {
        float[] outputs = {Float.NaN, 0.1f, 0.9f, 0.2f}; // classes 1 and 0
        assertThat(Metric.CATEGORICAL_ACCURACY.compute(new float[] {0, 1, 1, 0}, outputs, 2, 2, false))
                .isEqualTo(1.0);
        assertThat(Metric.SPARSE_CATEGORICAL_ACCURACY.compute(new float[] {1f, 0f}, outputs, 2, 2, false))
                .isEqualTo(1.0);
    }
}
