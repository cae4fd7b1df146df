package io.tapeflow.engine;

import java.util.Arrays;

/** Rows (entries along axis 0) of a tensor, picked by index, in the given order and with repeats allowed. */
public record Gather(int[] indices) implements Op {

    @Override
    public String type() {
        return "GatherV2";
    }

    @Override
    public int[] outputShape(int[][] in) {
        int[] s = in[0];
        if (s.length == 0) {
            throw new IllegalArgumentException("GatherV2: cannot gather rows of a scalar");
        }
        for (int i : indices) {
            if (i < 0 || (s[0] != Shapes.UNKNOWN && i >= s[0])) {
                throw new IllegalArgumentException("GatherV2: index " + i + " is outside [0, " + s[0]
                        + ") for shape " + Shapes.toString(s));
            }
        }
        int[] out = s.clone();
        out[0] = indices.length;
        return out;
    }

    @Override
    public void forward(Tensor[] in, int[] shape, float[] out) {
        int row = in[0].shape[0] == 0 ? 0 : in[0].data.length / in[0].shape[0];
        float[] x = in[0].data;
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(x, indices[i] * row, out, i * row, row);
        }
    }

    @Override
    public Tensor[] gradient(Tensor[] in, Tensor out, Tensor g, boolean[] needed) {
        return new Tensor[] {Ops.scatterRows(g, indices, in[0].shape[0])};
    }

    /** The arrays' contents, not their identities: refusals and graph dumps print this. */
    @Override
    public String toString() {
        return type() + "(indices=" + Arrays.toString(indices) + ")";
    }
}
