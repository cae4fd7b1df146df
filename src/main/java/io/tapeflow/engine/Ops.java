package io.tapeflow.engine;

import java.util.Arrays;

/**
 * The public ops, named after TensorFlow's. Every primitive goes through {@link Dispatch#apply}; the few composite
 * ones ({@link #booleanMask}, {@link #softmax}, {@link #sumToShape}...) are built from primitives and so need no
 * gradient rule of their own. Binary ops broadcast like NumPy.
 */
public final class Ops {

    private Ops() {
    }

    public static Tensor constant(float value) {
        return Tensor.scalar(value);
    }

    // ---------------------------------------------------------------- elementwise binary

    public static Tensor add(Tensor a, Tensor b) {
        return Dispatch.apply(Binary.ADD, a, b);
    }

    public static Tensor sub(Tensor a, Tensor b) {
        return Dispatch.apply(Binary.SUB, a, b);
    }

    public static Tensor mul(Tensor a, Tensor b) {
        return Dispatch.apply(Binary.MUL, a, b);
    }

    public static Tensor div(Tensor a, Tensor b) {
        return Dispatch.apply(Binary.DIV, a, b);
    }

    public static Tensor pow(Tensor a, Tensor b) {
        return Dispatch.apply(Binary.POW, a, b);
    }

    public static Tensor add(Tensor a, float b) {
        return add(a, Tensor.scalar(b));
    }

    public static Tensor sub(Tensor a, float b) {
        return sub(a, Tensor.scalar(b));
    }

    public static Tensor sub(float a, Tensor b) {
        return sub(Tensor.scalar(a), b);
    }

    public static Tensor mul(Tensor a, float b) {
        return mul(a, Tensor.scalar(b));
    }

    public static Tensor div(Tensor a, float b) {
        return div(a, Tensor.scalar(b));
    }

    public static Tensor pow(Tensor a, float b) {
        return pow(a, Tensor.scalar(b));
    }

    public static Tensor greater(Tensor a, Tensor b) {
        return Dispatch.apply(Binary.GREATER, a, b);
    }

    public static Tensor greaterEqual(Tensor a, Tensor b) {
        return Dispatch.apply(Binary.GREATER_EQUAL, a, b);
    }

    public static Tensor less(Tensor a, Tensor b) {
        return Dispatch.apply(Binary.LESS, a, b);
    }

    public static Tensor lessEqual(Tensor a, Tensor b) {
        return Dispatch.apply(Binary.LESS_EQUAL, a, b);
    }

    public static Tensor equal(Tensor a, Tensor b) {
        return Dispatch.apply(Binary.EQUAL, a, b);
    }

    public static Tensor notEqual(Tensor a, Tensor b) {
        return Dispatch.apply(Binary.NOT_EQUAL, a, b);
    }

    // ---------------------------------------------------------------- elementwise unary

    public static Tensor neg(Tensor x) {
        return Dispatch.apply(Unary.NEG, x);
    }

    public static Tensor square(Tensor x) {
        return Dispatch.apply(Unary.SQUARE, x);
    }

    public static Tensor sqrt(Tensor x) {
        return Dispatch.apply(Unary.SQRT, x);
    }

    public static Tensor exp(Tensor x) {
        return Dispatch.apply(Unary.EXP, x);
    }

    public static Tensor log(Tensor x) {
        return Dispatch.apply(Unary.LOG, x);
    }

    public static Tensor abs(Tensor x) {
        return Dispatch.apply(Unary.ABS, x);
    }

    public static Tensor sign(Tensor x) {
        return Dispatch.apply(Unary.SIGN, x);
    }

    public static Tensor relu(Tensor x) {
        return Dispatch.apply(Unary.RELU, x);
    }

    public static Tensor sigmoid(Tensor x) {
        return Dispatch.apply(Unary.SIGMOID, x);
    }

    public static Tensor tanh(Tensor x) {
        return Dispatch.apply(Unary.TANH, x);
    }

    public static Tensor softplus(Tensor x) {
        return Dispatch.apply(Unary.SOFTPLUS, x);
    }

    public static Tensor sin(Tensor x) {
        return Dispatch.apply(Unary.SIN, x);
    }

    public static Tensor cos(Tensor x) {
        return Dispatch.apply(Unary.COS, x);
    }

    public static Tensor clip(Tensor x, float min, float max) {
        return Dispatch.apply(new Clip(min, max), x);
    }

    /** Picks {@code a} where {@code condition} is non-zero and {@code b} elsewhere (all three broadcast). */
    public static Tensor where(Tensor condition, Tensor a, Tensor b) {
        return Dispatch.apply(Where.INSTANCE, condition, a, b);
    }

    public static Tensor stopGradient(Tensor x) {
        return Dispatch.apply(StopGradient.INSTANCE, x);
    }

    // ---------------------------------------------------------------- linear algebra and shapes

    public static Tensor matmul(Tensor a, Tensor b) {
        return matmul(a, b, false, false);
    }

    /** {@code op(a)·op(b)} over the last two axes, where op transposes when asked (the operands are not copied). */
    public static Tensor matmul(Tensor a, Tensor b, boolean transposeA, boolean transposeB) {
        return Dispatch.apply(new MatMul(transposeA, transposeB), a, b);
    }

    /** Reverses the axes. */
    public static Tensor transpose(Tensor x) {
        int[] perm = new int[x.rank()];
        for (int d = 0; d < perm.length; d++) {
            perm[d] = perm.length - 1 - d;
        }
        return transpose(x, perm);
    }

    public static Tensor transpose(Tensor x, int... perm) {
        return Dispatch.apply(new Transpose(perm.clone()), x);
    }

    public static Tensor reshape(Tensor x, int... shape) {
        return Dispatch.apply(new Reshape(shape.clone()), x);
    }

    public static Tensor broadcastTo(Tensor x, int... shape) {
        return Dispatch.apply(new BroadcastTo(shape.clone()), x);
    }

    public static Tensor concat(int axis, Tensor... tensors) {
        return Dispatch.apply(new Concat(axis), tensors);
    }

    /** The box of {@code size} at {@code begin}; a size of -1 runs to the end of that axis. */
    public static Tensor slice(Tensor x, int[] begin, int[] size) {
        return Dispatch.apply(new Slice(begin.clone(), size.clone()), x);
    }

    public static Tensor pad(Tensor x, int[] before, int[] after) {
        return Dispatch.apply(new Pad(before.clone(), after.clone()), x);
    }

    /** Rows of {@code x} (along axis 0) in the order of {@code indices}. */
    public static Tensor gather(Tensor x, int[] indices) {
        return Dispatch.apply(new Gather(indices.clone()), x);
    }

    /** A tensor of {@code rows} rows where row {@code indices[i]} sums the rows i of {@code x} that point at it. */
    public static Tensor scatterRows(Tensor x, int[] indices, int rows) {
        return Dispatch.apply(new ScatterRows(indices.clone(), rows), x);
    }

    /** Running sums along {@code axis} ({@code tf.math.cumsum}); {@code reverse} sums from the end. */
    public static Tensor cumsum(Tensor x, int axis, boolean reverse) {
        return Dispatch.apply(new Cumsum(axis, reverse), x);
    }

    /** The rows of {@code x} whose entry in the 1-D {@code mask} is non-zero (axis 0, like tf.boolean_mask). */
    public static Tensor booleanMask(Tensor x, Tensor mask) {
        if (mask.rank() != 1 || x.rank() == 0 || mask.size() != x.shape[0]) {
            throw new IllegalArgumentException("BooleanMask: mask of shape " + Shapes.toString(mask.shape)
                    + " does not match the first axis of shape " + Shapes.toString(x.shape));
        }
        int count = 0;
        for (float m : mask.data) {
            count += m != 0f ? 1 : 0;
        }
        int[] indices = new int[count];
        for (int i = 0, j = 0; i < mask.data.length; i++) {
            if (mask.data[i] != 0f) {
                indices[j++] = i;
            }
        }
        return gather(x, indices);
    }

    // ---------------------------------------------------------------- reductions

    public static Tensor sum(Tensor x) {
        return sum(x, null, false);
    }

    /**
     * Sum over {@code axes}: every axis when null, none when empty (a copy, as {@code np.sum(x, axis=())} and
     * {@code tf.reduce_sum(x, axis=[])}); {@link #sum(Tensor)} reduces everything.
     */
    public static Tensor sum(Tensor x, int[] axes, boolean keepDims) {
        return Dispatch.apply(new Reduce(Reduce.Kind.SUM, axes == null ? null : axes.clone(), keepDims), x);
    }

    public static Tensor mean(Tensor x) {
        return mean(x, null, false);
    }

    /** Mean over {@code axes}: every axis when null, none when empty (as {@link #sum(Tensor, int[], boolean)}). */
    public static Tensor mean(Tensor x, int[] axes, boolean keepDims) {
        return Dispatch.apply(new Reduce(Reduce.Kind.MEAN, axes == null ? null : axes.clone(), keepDims), x);
    }

    public static Tensor max(Tensor x) {
        return max(x, null, false);
    }

    /** Max over {@code axes}: every axis when null, none when empty (as {@link #sum(Tensor, int[], boolean)}). */
    public static Tensor max(Tensor x, int[] axes, boolean keepDims) {
        return Dispatch.apply(new Reduce(Reduce.Kind.MAX, axes == null ? null : axes.clone(), keepDims), x);
    }

    /**
     * Sums {@code g} down to {@code shape}, the shape of an operand that was broadcast to g's shape: how a broadcast
     * operand's gradient returns to its own shape.
     */
    public static Tensor sumToShape(Tensor g, int[] shape) {
        int[] gs = g.shape;
        if (Arrays.equals(gs, shape)) {
            return g;
        }
        int lead = gs.length - shape.length;
        int[] axes = new int[gs.length];
        int count = 0;
        for (int d = 0; d < gs.length; d++) {
            if (d < lead || (shape[d - lead] == 1 && gs[d] != 1)) {
                axes[count++] = d;
            }
        }
        Tensor summed = count == 0 ? g : sum(g, Arrays.copyOf(axes, count), true);
        return reshape(summed, shape);
    }

    // ---------------------------------------------------------------- composites

    /** Softmax over the last axis, shifted by the (constant) row maximum so exp cannot overflow. */
    public static Tensor softmax(Tensor logits) {
        int[] last = {-1};
        Tensor shifted = sub(logits, stopGradient(max(logits, last, true)));
        Tensor e = exp(shifted);
        return div(e, sum(e, last, true));
    }

    /** {@code log(sum(exp(x)))} over the last axis, keeping it as size 1, computed without overflow. */
    public static Tensor logSumExp(Tensor logits) {
        int[] last = {-1};
        Tensor m = stopGradient(max(logits, last, true));
        return add(log(sum(exp(sub(logits, m)), last, true)), m);
    }
}
