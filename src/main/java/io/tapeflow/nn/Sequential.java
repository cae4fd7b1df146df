package io.tapeflow.nn;

import io.tapeflow.engine.GradientTape;
import io.tapeflow.engine.Module;
import io.tapeflow.engine.Ops;
import io.tapeflow.engine.Rng;
import io.tapeflow.engine.Tensor;
import io.tapeflow.engine.Variable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A stack of {@link Dense} layers named {@code dense_1}, {@code dense_2}, ..., optionally preceded by a
 * {@link Standardization} of the inputs. Variables are listed layer by layer ({@code dense_1/bias},
 * {@code dense_1/kernel}, {@code dense_2/bias}, ...), then {@code standardize/mean} and {@code standardize/std} when
 * the model standardizes: an order checkpoints rely on.
 */
public final class Sequential extends Module {

    private final List<Dense> layers;
    /** Null when the model takes its inputs as they are. */
    private final Standardization standardization;

    public Sequential(List<Dense> layers) {
        this(null, layers);
    }

    /** A model that standardizes its inputs with {@code standardization} (null for none) before the layers. */
    public Sequential(Standardization standardization, List<Dense> layers) {
        super("sequential");
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("Sequential: needs at least one layer");
        }
        for (int i = 1; i < layers.size(); i++) {
            if (layers.get(i).inputWidth() != layers.get(i - 1).units()) {
                throw new IllegalArgumentException("Sequential: layer " + layers.get(i).name() + " takes "
                        + layers.get(i).inputWidth() + " inputs but " + layers.get(i - 1).name() + " gives "
                        + layers.get(i - 1).units());
            }
        }
        if (standardization != null && standardization.width() != layers.get(0).inputWidth()) {
            throw new IllegalArgumentException("Sequential: the standardization has " + standardization.width()
                    + " columns but " + layers.get(0).name() + " takes " + layers.get(0).inputWidth() + " inputs");
        }
        this.layers = List.copyOf(layers);
        this.standardization = standardization;
    }

    /**
     * This model's layers (the same layer objects and variables, not copies) behind {@code standardization}, which
     * replaces any standardization this model had; use the result in place of this model.
     */
    public Sequential withStandardization(Standardization standardization) {
        return new Sequential(Objects.requireNonNull(standardization, "standardization"), layers);
    }

    /** The reference's linear model {@code y = x·w + b}: one Dense layer {@code dense_1} with no activation. */
    public static Sequential linear(int inputWidth, int outputWidth, Initializer initializer, Rng rng) {
        return new Sequential(List.of(
                new Dense("dense_1", inputWidth, outputWidth, Activation.LINEAR, initializer, rng)));
    }

    /** A multi-layer perceptron; kernels are drawn layer by layer from {@code rng}, biases start at zero. */
    public static Sequential mlp(int inputWidth, int[] hiddenWidths, Activation activation, int outputWidth,
            Activation outputActivation, Initializer initializer, Rng rng) {
        List<Dense> layers = new ArrayList<>();
        int width = inputWidth;
        for (int h : hiddenWidths) {
            layers.add(new Dense("dense_" + (layers.size() + 1), width, h, activation, initializer, rng));
            width = h;
        }
        layers.add(new Dense("dense_" + (layers.size() + 1), width, outputWidth, outputActivation, initializer, rng));
        return new Sequential(layers);
    }

    public Tensor call(Tensor x) {
        Tensor h = standardization == null ? x : standardization.call(x);
        for (Dense layer : layers) {
            h = layer.call(h);
        }
        return h;
    }

    /**
     * The last layer's input to its activation, {@code x·kernel + bias}: what training feeds to a fused
     * softmax cross-entropy, so that no probability is ever logged. {@code call(x)} is its activation.
     */
    public Tensor logits(Tensor x) {
        Tensor h = standardization == null ? x : standardization.call(x);
        int last = layers.size() - 1;
        for (int i = 0; i < last; i++) {
            h = layers.get(i).call(h);
        }
        return layers.get(last).preActivation(h);
    }

    public List<Dense> layers() {
        return layers;
    }

    public int inputWidth() {
        return layers.get(0).inputWidth();
    }

    public int outputWidth() {
        return layers.get(layers.size() - 1).units();
    }

    public Activation outputActivation() {
        return layers.get(layers.size() - 1).activation();
    }

    /** The standardization of the inputs, or null when the model takes them as they are. */
    public Standardization standardization() {
        return standardization;
    }

    /** Every parameter value, trainable or not (the standardization's 2 × inputWidth included). */
    public int parameterCount() {
        int count = 0;
        for (Variable v : variables()) {
            count += v.size();
        }
        return count;
    }

    /**
     * The parameters of a stack of Dense layers of these widths, {@code [inputs, hidden..., outputs]}: a kernel and
     * a bias per layer, {@code Σ w[i−1]·w[i] + w[i]}. In long, so that a request can be priced before anything is
     * allocated.
     */
    public static long parameterCount(int[] widths) {
        return parameterCount(widths, false);
    }

    /** {@link #parameterCount(int[])} plus, when {@code standardized}, the 2 × inputs of mean and std. */
    public static long parameterCount(int[] widths, boolean standardized) {
        if (widths.length < 2) {
            throw new IllegalArgumentException("parameterCount: need at least the input and output widths, got "
                    + Arrays.toString(widths));
        }
        long count = standardized ? 2L * widths[0] : 0L;
        for (int i = 1; i < widths.length; i++) {
            count += (long) widths[i - 1] * widths[i] + widths[i];
        }
        return count;
    }

    /** Parameter values by variable name, in {@link #variables()} order. */
    public Map<String, Tensor> parameters() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Variable v : variables()) {
            out.put(v.name(), v.value());
        }
        return out;
    }

    /** Sets every parameter from values by name (each array the variable's size); unknown or missing names fail. */
    public void setParameters(Map<String, float[]> values) {
        List<Variable> variables = variables();
        if (values.size() != variables.size()) {
            throw new IllegalArgumentException("setParameters: expected " + variables.size() + " parameters "
                    + names(variables) + " but got " + values.keySet());
        }
        for (Variable v : variables) {
            float[] value = values.get(v.name());
            if (value == null) {
                throw new IllegalArgumentException("setParameters: missing parameter " + v.name());
            }
            v.assign(value);
        }
    }

    private static List<String> names(List<Variable> variables) {
        List<String> names = new ArrayList<>();
        for (Variable v : variables) {
            names.add(v.name());
        }
        return names;
    }

    /**
     * Outputs for {@code rows} raw input rows ({@code features} is rows × inputWidth; the model standardizes them
     * itself), row-major rows × outputWidth: probabilities for a softmax output.
     */
    public float[] predict(float[] features, int rows) {
        checkFeatures(features, rows, "predict");
        return call(Tensor.of(features, rows, inputWidth())).toArray();
    }

    /**
     * The gradient of each output with respect to each input, per row, computed with the tape: a row-major array
     * rows × outputWidth × inputWidth, where entry [r][j][i] is ∂output_j/∂input_i at row r: with respect to the raw
     * inputs (through the standardization), of the outputs as {@link #predict} gives them (probabilities for softmax).
     */
    public float[] inputGradients(float[] features, int rows) {
        checkFeatures(features, rows, "inputGradients");
        int k = inputWidth();
        int m = outputWidth();
        Tensor x = Tensor.of(features, rows, k);
        Tensor y;
        try (GradientTape tape = new GradientTape(true)) {
            tape.watch(x);
            y = call(x);
            float[] out = new float[rows * m * k];
            for (int j = 0; j < m; j++) {
                // Rows are independent, so the gradient of the column's sum is each row's own gradient.
                Tensor column = Ops.sum(Ops.slice(y, new int[] {0, j}, new int[] {rows, 1}));
                Tensor g = tape.gradient(column, x);
                float[] gv = g == null ? new float[rows * k] : g.toArray();
                for (int r = 0; r < rows; r++) {
                    System.arraycopy(gv, r * k, out, (r * m + j) * k, k);
                }
            }
            return out;
        }
    }

    private void checkFeatures(float[] features, int rows, String op) {
        if (rows < 0 || features.length != rows * inputWidth()) {
            throw new IllegalArgumentException(op + ": " + features.length + " feature values do not make " + rows
                    + " rows of width " + inputWidth());
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Sequential[");
        if (standardization != null) {
            sb.append(Standardization.NAME).append(" [").append(standardization.width()).append("]; ");
        }
        for (Dense d : layers) {
            sb.append(d.name()).append(' ').append(Arrays.toString(d.kernel().shape())).append(' ')
                    .append(d.activation().apiName()).append("; ");
        }
        return sb.append(']').toString();
    }
}
