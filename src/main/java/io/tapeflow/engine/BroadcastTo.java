package io.tapeflow.engine;

import java.util.Arrays;

/**
 * Repeats a tensor along its size-1 (or missing leading) axes up to {@code shape}. An unknown dimension in
 * {@code shape} (-1) keeps the input's, as in PyTorch's {@code expand}: gradient rules traced on a batched value
 * broadcast to its symbolic shape, and a plan then runs the op for each concrete batch.
 */
public record BroadcastTo(int[] shape) implements Op {

    @Override
    public String type() {
        return "BroadcastTo";
    }

    @Override
    public int[] outputShape(int[][] in) {
        int[] target = shape.clone();
        for (int d = target.length - in[0].length; d < target.length; d++) {
            if (d >= 0 && target[d] == Shapes.UNKNOWN) {
                target[d] = in[0][d - (target.length - in[0].length)];
            }
        }
        int[] out = Shapes.broadcast(in[0], target, type());
        if (!Arrays.equals(out, target)) {
            throw new IllegalArgumentException("BroadcastTo: shape " + Shapes.toString(in[0])
                    + " cannot be broadcast to " + Shapes.toString(shape));
        }
        return out;
    }

    @Override
    public void forward(Tensor[] in, int[] outShape, float[] out) {
        Kernels.broadcastTo(in[0].data, in[0].shape, out, outShape);
    }

    @Override
    public Tensor[] gradient(Tensor[] in, Tensor out, Tensor g, boolean[] needed) {
        return new Tensor[] {Ops.sumToShape(g, in[0].shape)};
    }

    /** The arrays' contents, not their identities: refusals and graph dumps print this. */
    @Override
    public String toString() {
        return type() + "(shape=" + Arrays.toString(shape) + ")";
    }
}
