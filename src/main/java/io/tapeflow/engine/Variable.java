package io.tapeflow.engine;

import java.util.Arrays;

/**
 * A named, mutable holder of a tensor value, like {@code tf.Variable}. Every assignment installs a fresh value tensor,
 * so tensors already recorded on a tape keep the values they were computed with. Assignments are not recorded.
 *
 * <p>Open tapes watch the reads of trainable variables automatically: an op that receives {@link #value()} records
 * on the tape, and {@link GradientTape#gradient(Tensor, Variable...)} returns the gradient summed over every read.
 */
public final class Variable {

    private final String name;
    private final boolean trainable;
    private Tensor value;

    public Variable(String name, Tensor initial, boolean trainable) {
        this.name = name;
        this.trainable = trainable;
        this.value = new Tensor(initial.data.clone(), initial.shape.clone(), this);
    }

    public Variable(String name, Tensor initial) {
        this(name, initial, true);
    }

    public String name() {
        return name;
    }

    public boolean trainable() {
        return trainable;
    }

    /** The current value; it never changes, later assignments install new ones. */
    public Tensor value() {
        return value;
    }

    public int[] shape() {
        return value.shape();
    }

    public int size() {
        return value.data.length;
    }

    public void assign(Tensor newValue) {
        checkShape(newValue, "assign");
        value = new Tensor(newValue.data.clone(), value.shape, this);
    }

    /** Replaces the value with a copy of {@code values} (same size), without going through a tensor. */
    public void assign(float[] values) {
        if (values.length != value.data.length) {
            throw new IllegalArgumentException("assign: " + values.length + " values for variable " + name
                    + " of shape " + Shapes.toString(value.shape));
        }
        value = new Tensor(values.clone(), value.shape, this);
    }

    public void assignAdd(Tensor delta) {
        update(delta, 1f, "assignAdd");
    }

    public void assignSub(Tensor delta) {
        update(delta, -1f, "assignSub");
    }

    private void update(Tensor delta, float sign, String op) {
        checkShape(delta, op);
        float[] current = value.data;
        float[] d = delta.data;
        float[] next = new float[current.length];
        for (int i = 0; i < next.length; i++) {
            next[i] = current[i] + sign * d[i];
        }
        value = new Tensor(next, value.shape, this);
    }

    private void checkShape(Tensor t, String op) {
        if (!Arrays.equals(t.shape, value.shape)) {
            throw new IllegalArgumentException(op + ": shape " + Shapes.toString(t.shape) + " does not match variable "
                    + name + " of shape " + Shapes.toString(value.shape));
        }
    }

    @Override
    public String toString() {
        return "<tf.Variable '" + name + "' shape=" + Shapes.toString(value.shape) + " dtype=float32, numpy=\n"
                + value + ">";
    }
}
