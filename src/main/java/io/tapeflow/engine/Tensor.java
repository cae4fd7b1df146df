package io.tapeflow.engine;

import java.util.Arrays;

/**
 * A float32 tensor: a flat row-major {@code float[]} plus a shape, of any rank (rank 0 is a scalar).
 *
 * <p>Immutable from the outside: factories copy the caller's arrays and accessors return copies, so a tensor recorded
 * on a {@link GradientTape} can never change under it. Results of {@link Ops} own their fresh arrays.
 */
public final class Tensor {

    private static final int SUMMARY_THRESHOLD = 1000;
    private static final int EDGE_ITEMS = 3;
    /** The data of every symbolic tensor: identity marks a placeholder, which has a shape but no values. */
    private static final float[] NO_VALUES = new float[0];

    final float[] data;
    final int[] shape;
    /** The variable this tensor is the current value of, so tapes can watch variable reads; {@code null} otherwise. */
    final Variable variable;

    Tensor(float[] data, int[] shape, Variable variable) {
        this.data = data;
        this.shape = shape;
        this.variable = variable;
    }

    /** Wraps an array this package owns (no copy). */
    static Tensor owning(float[] data, int[] shape) {
        return new Tensor(data, shape, null);
    }

    public static Tensor of(float[] values, int... shape) {
        Shapes.checkValid(shape, "Tensor.of");
        int size = Shapes.size(shape);
        if (values.length != size) {
            throw new IllegalArgumentException("Tensor.of: " + values.length + " values do not fit shape "
                    + Shapes.toString(shape) + " (which holds " + size + ")");
        }
        return new Tensor(values.clone(), shape.clone(), null);
    }

    /** A 1-D tensor. */
    public static Tensor of(float... values) {
        return of(values, values.length);
    }

    /** A 2-D tensor from rows of equal length. */
    public static Tensor of(float[][] rows) {
        int cols = rows.length == 0 ? 0 : rows[0].length;
        float[] data = new float[rows.length * cols];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != cols) {
                throw new IllegalArgumentException("Tensor.of: row " + i + " has " + rows[i].length
                        + " values but row 0 has " + cols);
            }
            System.arraycopy(rows[i], 0, data, i * cols, cols);
        }
        return new Tensor(data, new int[] {rows.length, cols}, null);
    }

    /** A 3-D tensor from nested arrays of equal lengths. */
    public static Tensor of(float[][][] blocks) {
        int rows = blocks.length == 0 ? 0 : blocks[0].length;
        int cols = rows == 0 ? 0 : blocks[0][0].length;
        float[] data = new float[blocks.length * rows * cols];
        int at = 0;
        for (int b = 0; b < blocks.length; b++) {
            if (blocks[b].length != rows) {
                throw new IllegalArgumentException("Tensor.of: block " + b + " has " + blocks[b].length
                        + " rows but block 0 has " + rows);
            }
            for (int i = 0; i < rows; i++) {
                if (blocks[b][i].length != cols) {
                    throw new IllegalArgumentException("Tensor.of: block " + b + " row " + i + " has "
                            + blocks[b][i].length + " values but block 0 row 0 has " + cols);
                }
                System.arraycopy(blocks[b][i], 0, data, at, cols);
                at += cols;
            }
        }
        return new Tensor(data, new int[] {blocks.length, rows, cols}, null);
    }

    /**
     * A placeholder with a shape and no values, standing for a value in a traced graph; its shape may hold
     * {@link Shapes#UNKNOWN} dimensions (the dynamic batch). Only a {@link Tracer} hands such tensors to ops.
     */
    public static Tensor symbolic(int... shape) {
        for (int d : shape) {
            if (d < 0 && d != Shapes.UNKNOWN) {
                throw new IllegalArgumentException("Tensor.symbolic: negative dimension in shape "
                        + Arrays.toString(shape));
            }
        }
        return new Tensor(NO_VALUES, shape.clone(), null);
    }

    /** True for a placeholder of a traced graph ({@link #symbolic}), which has a shape but no values. */
    public boolean isSymbolic() {
        return data == NO_VALUES;
    }

    /**
     * Refuses to read values (or count them) of a symbolic tensor: its data is empty and an unknown batch dimension
     * has no size, so any number read from it would be silently wrong. Gradient rules use static shapes instead.
     */
    private void checkValues(String what) {
        if (data == NO_VALUES) {
            throw new IllegalStateException(what + ": a symbolic tensor of shape " + Shapes.toString(shape)
                    + " has no values; a traced op must use its static shape");
        }
    }

    public static Tensor scalar(float value) {
        return new Tensor(new float[] {value}, new int[0], null);
    }

    public static Tensor zeros(int... shape) {
        return fill(0f, shape);
    }

    public static Tensor ones(int... shape) {
        return fill(1f, shape);
    }

    public static Tensor fill(float value, int... shape) {
        Shapes.checkValid(shape, "Tensor.fill");
        float[] data = new float[Shapes.size(shape)];
        if (value != 0f) {
            Arrays.fill(data, value);
        }
        return new Tensor(data, shape.clone(), null);
    }

    public static Tensor zerosLike(Tensor t) {
        return zeros(t.shape);
    }

    public static Tensor onesLike(Tensor t) {
        return ones(t.shape);
    }

    /** Uniform in [low, high), drawn in row-major order. */
    public static Tensor uniform(Rng rng, float low, float high, int... shape) {
        Shapes.checkValid(shape, "Tensor.uniform");
        float[] data = new float[Shapes.size(shape)];
        for (int i = 0; i < data.length; i++) {
            data[i] = rng.uniform(low, high);
        }
        return new Tensor(data, shape.clone(), null);
    }

    public static Tensor normal(Rng rng, float mean, float stddev, int... shape) {
        Shapes.checkValid(shape, "Tensor.normal");
        float[] data = new float[Shapes.size(shape)];
        for (int i = 0; i < data.length; i++) {
            data[i] = rng.normal(mean, stddev);
        }
        return new Tensor(data, shape.clone(), null);
    }

    /** Normal resampled beyond two standard deviations, as {@code tf.random.truncated_normal}. */
    public static Tensor truncatedNormal(Rng rng, float mean, float stddev, int... shape) {
        Shapes.checkValid(shape, "Tensor.truncatedNormal");
        float[] data = new float[Shapes.size(shape)];
        for (int i = 0; i < data.length; i++) {
            data[i] = rng.truncatedNormal(mean, stddev);
        }
        return new Tensor(data, shape.clone(), null);
    }

    public int[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    /** The length of one dimension; negative axes count from the end. */
    public int dim(int axis) {
        return shape[Shapes.axis(axis, shape.length, "dim")];
    }

    /** The number of values; throws for a symbolic tensor, whose batch dimension may be unknown. */
    public int size() {
        checkValues("size");
        return data.length;
    }

    /** A copy of the values in row-major order. */
    public float[] toArray() {
        checkValues("toArray");
        return data.clone();
    }

    /** Copies the values into {@code out} at {@code offset}, without allocating. */
    public void copyTo(float[] out, int offset) {
        checkValues("copyTo");
        System.arraycopy(data, 0, out, offset, data.length);
    }

    /** The value at a flat row-major index. */
    public float getFlat(int index) {
        checkValues("getFlat");
        return data[index];
    }

    public float get(int... index) {
        checkValues("get");
        if (index.length != shape.length) {
            throw new IllegalArgumentException("get: " + index.length + " indices for a tensor of shape "
                    + Shapes.toString(shape));
        }
        int flat = 0;
        for (int d = 0; d < shape.length; d++) {
            if (index[d] < 0 || index[d] >= shape[d]) {
                throw new IndexOutOfBoundsException("get: index " + Arrays.toString(index) + " is outside shape "
                        + Shapes.toString(shape));
            }
            flat = flat * shape[d] + index[d];
        }
        return data[flat];
    }

    /** The single value of a scalar or one-element tensor. */
    public float item() {
        checkValues("item");
        if (data.length != 1) {
            throw new IllegalStateException("item: tensor of shape " + Shapes.toString(shape) + " has "
                    + data.length + " values, not one");
        }
        return data[0];
    }

    /** The variable this tensor is the value of, or {@code null}. */
    public Variable variable() {
        return variable;
    }

    /**
     * Prints like TensorFlow: {@code tf.Tensor(\n[[1. 2.]\n [3. 4.]], shape=(2, 2), dtype=float32)}. Tensors of more
     * than 1000 values are summarised as NumPy does: the first and last three entries of each long axis.
     */
    @Override
    public String toString() {
        if (isSymbolic()) {
            return "Tensor(\"symbolic\", shape=" + Shapes.toString(shape) + ", dtype=float32)";
        }
        StringBuilder sb = new StringBuilder("tf.Tensor(");
        if (shape.length == 0) {
            sb.append(format(data[0]));
        } else {
            if (shape.length > 1) {
                sb.append('\n');
            }
            int[] strides = new int[shape.length];
            int stride = 1;
            for (int d = shape.length - 1; d >= 0; d--) {
                strides[d] = stride;
                stride *= shape[d];
            }
            appendValues(sb, 0, 0, strides, data.length > SUMMARY_THRESHOLD);
        }
        return sb.append(", shape=").append(Shapes.toString(shape)).append(", dtype=float32)").toString();
    }

    private void appendValues(StringBuilder sb, int dim, int offset, int[] strides, boolean summarize) {
        sb.append('[');
        int n = shape[dim];
        boolean cut = summarize && n > 2 * EDGE_ITEMS;
        for (int i = 0; i < n; i++) {
            if (cut && i == EDGE_ITEMS) {
                sb.append(dim == shape.length - 1 ? " ..." : "\n" + " ".repeat(dim + 1) + "...");
                i = n - EDGE_ITEMS;
            }
            if (dim == shape.length - 1) {
                if (i > 0) {
                    sb.append(' ');
                }
                sb.append(format(data[offset + i]));
            } else {
                if (i > 0) {
                    sb.append("\n".repeat(shape.length - 1 - dim)).append(" ".repeat(dim + 1));
                }
                appendValues(sb, dim + 1, offset + i * strides[dim], strides, summarize);
            }
        }
        sb.append(']');
    }

    private static String format(float v) {
        if (v == Math.rint(v) && !Float.isInfinite(v) && Math.abs(v) < 1e7f) {
            return (int) v + ".";
        }
        return Float.toString(v);
    }
}
