package io.tapeflow.engine;

import java.util.Arrays;

/**
 * Repeats a tensor along its size-1 (or missing leading) axes up to {@code shape}. A gradient rule traced on a batched
 * value broadcasts to its symbolic shape, with the batch unknown (-1): there the output keeps the input's dimension,
 * or stays unknown where the input has 1; a plan then runs the op with the node's concrete shape for each batch.
 */
public record BroadcastTo(int[] shape) implements Op {

    @Override
    public String type() {
        return "BroadcastTo";
    }

    @Override
    public int[] outputShape(int[][] in) {
        int[] out = Shapes.broadcast(in[0], shape, type());
        boolean fits = out.length == shape.length;
        for (int d = 0; fits && d < out.length; d++) {
            fits = shape[d] == Shapes.UNKNOWN || out[d] == shape[d];
        }
        if (!fits) {
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
