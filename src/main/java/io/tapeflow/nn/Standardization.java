package io.tapeflow.nn;

import io.tapeflow.engine.Module;
import io.tapeflow.engine.Ops;
import io.tapeflow.engine.Tensor;
import io.tapeflow.engine.Variable;
import java.util.Arrays;

/**
 * Z-scores of the inputs, {@code (x − mean) / std} per input column, as the first stage of a {@link Sequential}
 * (scikit-learn's {@code StandardScaler}, Keras' {@code Normalization} layer). Its values are the non-trainable
 * variables {@code standardize/mean} and {@code standardize/std}: they travel with the model's parameters
 * (checkpoints, export) and no optimizer ever updates them.
 *
 * <p>The one formula, in eager and graph mode alike, is a subtraction then a division ({@code div(sub(x, mean),
 * std)}), so both modes compute the same bits.
 */
public final class Standardization extends Module {

    static final String NAME = "standardize";

    private final Variable mean;
    private final Variable std;

    /** A standardization with these per-column values (copied); each std must be positive and finite. */
    public Standardization(float[] mean, float[] std) {
        super(NAME);
        if (mean.length == 0 || mean.length != std.length) {
            throw new IllegalArgumentException("Standardization: " + mean.length + " means and " + std.length
                    + " standard deviations; expected the same positive number");
        }
        for (int i = 0; i < std.length; i++) {
            if (!(std[i] > 0f && std[i] < Float.POSITIVE_INFINITY) || !Float.isFinite(mean[i])) {
                throw new IllegalArgumentException("Standardization: column " + i + " has mean " + mean[i]
                        + " and std " + std[i] + "; expected a finite mean and a positive finite std");
            }
        }
        this.mean = new Variable(NAME + "/mean", Tensor.of(mean.clone(), mean.length), false);
        this.std = new Variable(NAME + "/std", Tensor.of(std.clone(), std.length), false);
    }

    /** Mean 0 and std 1: the identity, a placeholder that {@link Sequential#setParameters} fills in. */
    public static Standardization identity(int width) {
        float[] ones = new float[width];
        Arrays.fill(ones, 1f);
        return new Standardization(new float[width], ones);
    }

    /**
     * Fits the per-column mean and population standard deviation (divisor n, as {@code StandardScaler}) on the first
     * {@code fitRows} of {@code rows} row-major rows of {@code width} values: the training rows, since validation
     * holds out the last ones. Sums run in double, in two passes (mean, then squared deviations). A constant column
     * (or a std that rounds to 0 in float) gets std 1, so it maps to 0 instead of dividing by zero.
     */
    public static Standardization fit(float[] features, int rows, int width, int fitRows) {
        if (width <= 0 || rows < 0 || (long) rows * width != features.length) {
            throw new IllegalArgumentException("Standardization.fit: " + features.length + " values do not make "
                    + rows + " rows of width " + width);
        }
        if (fitRows <= 0 || fitRows > rows) {
            throw new IllegalArgumentException("Standardization.fit: fitRows " + fitRows + " must be in 1.." + rows);
        }
        double[] sum = new double[width];
        float[] min = new float[width];
        float[] max = new float[width];
        System.arraycopy(features, 0, min, 0, width);
        System.arraycopy(features, 0, max, 0, width);
        for (int r = 0; r < fitRows; r++) {
            for (int c = 0, at = r * width; c < width; c++, at++) {
                float v = features[at];
                sum[c] += v;
                min[c] = Math.min(min[c], v);
                max[c] = Math.max(max[c], v);
            }
        }
        double[] mean = new double[width];
        for (int c = 0; c < width; c++) {
            mean[c] = sum[c] / fitRows;
        }
        double[] squares = new double[width];
        for (int r = 0; r < fitRows; r++) {
            for (int c = 0, at = r * width; c < width; c++, at++) {
                double d = features[at] - mean[c];
                squares[c] += d * d;
            }
        }
        float[] m = new float[width];
        float[] s = new float[width];
        for (int c = 0; c < width; c++) {
            if (!Double.isFinite(mean[c]) || !Double.isFinite(squares[c])) {
                throw new IllegalArgumentException("Standardization.fit: column " + c
                        + " has non-finite values or overflows in its training rows");
            }
            m[c] = (float) mean[c];
            float sd = (float) Math.sqrt(squares[c] / fitRows);
            s[c] = min[c] == max[c] || !(sd > 0f) ? 1f : sd;
        }
        return new Standardization(m, s);
    }

    /** {@code (x − mean) / std}, broadcast over the rows of x. */
    public Tensor call(Tensor x) {
        return Ops.div(Ops.sub(x, mean.value()), std.value());
    }

    public Variable mean() {
        return mean;
    }

    public Variable std() {
        return std;
    }

    public int width() {
        return mean.size();
    }
}
