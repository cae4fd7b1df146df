package io.tapeflow.nn;

/** Metrics computed on plain arrays of labels and model outputs, reported under {@link #key()}. */
public enum Metric {
    /** The reference's {@code mean(1 − |y − (ŷ > threshold)|)}; the threshold is 0.5, or 0 on logits. */
    BINARY_ACCURACY("accuracy"),
    /** Fraction of rows whose largest output is the largest label (one-hot labels). */
    CATEGORICAL_ACCURACY("accuracy"),
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
            case SOFTMAX_CROSSENTROPY -> CATEGORICAL_ACCURACY;
            case HALF_MSE, MSE -> MEAN_ABSOLUTE_ERROR;
        };
    }

    /**
     * The metric over {@code rows} rows of width {@code width}, where predictions are logits when
     * {@code fromLogits}.
     */
    public double compute(float[] yTrue, float[] yPred, int rows, int width, boolean fromLogits) {
        int n = rows * width;
        if (n == 0) {
            return Double.NaN;
        }
        switch (this) {
            case BINARY_ACCURACY -> {
                float threshold = fromLogits ? 0f : 0.5f;
                double s = 0;
                for (int i = 0; i < n; i++) {
                    s += 1.0 - Math.abs(yTrue[i] - (yPred[i] > threshold ? 1f : 0f));
                }
                return s / n;
            }
            case CATEGORICAL_ACCURACY -> {
                int hits = 0;
                for (int r = 0; r < rows; r++) {
                    hits += argmax(yTrue, r * width, width) == argmax(yPred, r * width, width) ? 1 : 0;
                }
                return (double) hits / rows;
            }
            case MEAN_ABSOLUTE_ERROR -> {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    s += Math.abs(yTrue[i] - yPred[i]);
                }
                return s / n;
            }
            default -> throw new IllegalStateException("unreachable: " + this);
        }
    }

    private static int argmax(float[] v, int from, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (v[from + i] > v[from + best]) {
                best = i;
            }
        }
        return best;
    }
}
