package io.tapeflow.nn;

/** Metrics computed on plain arrays of labels and model outputs, reported under {@link #key()}. */
public enum Metric {
    /** The reference's {@code mean(1 − |y − (ŷ > threshold)|)}; the threshold is 0.5, or 0 on logits. */
    BINARY_ACCURACY("accuracy"),
    /** Fraction of rows whose largest output is the largest label (one-hot labels); the first of equal values wins. */
    CATEGORICAL_ACCURACY("accuracy"),
    /** Fraction of rows whose largest output is at the label's class index (one label value per row). */
    SPARSE_CATEGORICAL_ACCURACY("accuracy"),
    MEAN_ABSOLUTE_ERROR("mae");

    private final String key;

    Metric(String key) {
        this.key = key;
    }

    public static Metric byName(String name) {
        return Names.parse(Metric.class, name, "metric");
    }

    /** The name under which the value is reported ({@code accuracy}, {@code mae}; {@code val_} prefixed on validation). */
    public String key() {
        return key;
    }

    /** The usual metric for a loss: accuracy for classifiers, mean absolute error for regression. */
    public static Metric forLoss(Loss loss) {
        return switch (loss) {
            case BINARY_CROSSENTROPY, BINARY_CROSSENTROPY_FROM_LOGITS -> BINARY_ACCURACY;
            case SOFTMAX_CROSSENTROPY, CATEGORICAL_CROSSENTROPY -> CATEGORICAL_ACCURACY;
            case SPARSE_CATEGORICAL_CROSSENTROPY -> SPARSE_CATEGORICAL_ACCURACY;
            case HALF_MSE, MSE -> MEAN_ABSOLUTE_ERROR;
        };
    }

    /**
     * The metric over {@code rows} rows of {@code width} predictions, where predictions are logits when
     * {@code fromLogits}; {@code yTrue} holds rows × width values, or one class index per row for
     * {@link #SPARSE_CATEGORICAL_ACCURACY}. Accuracy by argmax is the same on logits and on their softmax.
     */
    public double compute(float[] yTrue, float[] yPred, int rows, int width, boolean fromLogits) {
        if (rows * width == 0) {
            return Double.NaN;
        }
        return switch (this) {
            case BINARY_ACCURACY -> binaryAccuracy(yTrue, yPred, rows * width, fromLogits ? 0f : BINARY_CUT_OFF);
            case CATEGORICAL_ACCURACY -> {
                int hits = 0;
                for (int r = 0; r < rows; r++) {
                    hits += argmax(yTrue, r * width, width) == argmax(yPred, r * width, width) ? 1 : 0;
                }
                yield (double) hits / rows;
            }
            case SPARSE_CATEGORICAL_ACCURACY -> {
                int hits = 0;
                for (int r = 0; r < rows; r++) {
                    hits += argmax(yPred, r * width, width) == yTrue[r] ? 1 : 0;
                }
                yield (double) hits / rows;
            }
            case MEAN_ABSOLUTE_ERROR -> {
                int n = rows * width;
                double s = 0;
                for (int i = 0; i < n; i++) {
                    s += Math.abs(yTrue[i] - yPred[i]);
                }
                yield s / n;
            }
        };
    }

    /**
     * Branch-free (the sign bit of threshold − p is 1 exactly when p > threshold; NaN gives 0), in float (for 0/1
     * labels every term is 0 or 1, so the sum is exact) and in four partial sums: it ran every step, and early in
     * training a branch per prediction mispredicted every other row.
     */
    private static double binaryAccuracy(float[] yTrue, float[] yPred, int n, float threshold) {
        float s0 = 0f;
        float s1 = 0f;
        float s2 = 0f;
        float s3 = 0f;
        int i = 0;
        for (; i + 4 <= n; i += 4) {
            s0 += 1f - Math.abs(yTrue[i] - (Float.floatToRawIntBits(threshold - yPred[i]) >>> 31));
            s1 += 1f - Math.abs(yTrue[i + 1] - (Float.floatToRawIntBits(threshold - yPred[i + 1]) >>> 31));
            s2 += 1f - Math.abs(yTrue[i + 2] - (Float.floatToRawIntBits(threshold - yPred[i + 2]) >>> 31));
            s3 += 1f - Math.abs(yTrue[i + 3] - (Float.floatToRawIntBits(threshold - yPred[i + 3]) >>> 31));
        }
        for (; i < n; i++) {
            s0 += 1f - Math.abs(yTrue[i] - (Float.floatToRawIntBits(threshold - yPred[i]) >>> 31));
        }
        return ((double) s0 + s1 + s2 + s3) / n;
    }

    /**
     * A binary classifier's class is 1 exactly when its probability is above this (the reference's accuracy,
     * {@code ŷ > 0.5}): accuracy, predictions' {@code classes} (the model document's threshold), evaluation reports.
     */
    public static final float BINARY_CUT_OFF = 0.5f;

    /** The class of one sigmoid output: 1 when {@code p > 0.5}, so exactly 0.5 (and NaN) is class 0. */
    public static int binaryClass(float p) {
        return p > BINARY_CUT_OFF ? 1 : 0;
    }

    /**
     * The class of one row of {@code width} outputs (or one-hot labels) from {@code from}: the index of the first
     * largest value, a NaN never winning. The one rule for accuracy, predictions' {@code classes}, evaluation
     * reports and plots.
     */
    public static int argmax(float[] values, int from, int width) {
        int best = 0;
        float max = values[from];
        for (int j = 1; j < width; j++) {
            float v = values[from + j];
            if (v > max || (Float.isNaN(max) && !Float.isNaN(v))) {
                max = v;
                best = j;
            }
        }
        return best;
    }
}
