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

    /** Exactly 0.5 is class 0 for binary accuracy as for predictions and reports ({@link Metric#binaryClass}). */
    @Test
    void binaryAccuracyCutsWhereBinaryClassDoes() {
        float[] p = {0.5f, Math.nextUp(0.5f), Math.nextDown(0.5f), Float.NaN, 0.9f};
        float[] labels = new float[p.length];
        for (int i = 0; i < p.length; i++) {
            labels[i] = Metric.binaryClass(p[i]);
        }
        assertThat(labels).containsExactly(0f, 1f, 0f, 0f, 1f);
        assertThat(Metric.BINARY_ACCURACY.compute(labels, p, p.length, 1, false)).isEqualTo(1.0);
    }
}
