package io.tapeflow.engine;

import java.util.Arrays;

/**
 * The adjoint of {@link Gather}: a tensor of {@code rows} rows where row {@code indices[i]} receives the sum of the
 * input rows i that point at it (TensorFlow's unsorted segment sum).
 */
public record ScatterRows(int[] indices, int rows) implements Op {

    @Override
    public String type() {
        return "UnsortedSegmentSum";
    }

    @Override
    public int[] outputShape(int[][] in) {
        int[] s = in[0];
        if (s.length == 0 || (s[0] != Shapes.UNKNOWN && s[0] != indices.length)) {
            throw new IllegalArgumentException("UnsortedSegmentSum: shape " + Shapes.toString(s) + " needs "
                    + indices.length + " rows, one per index");
        }
        for (int i : indices) {
            if (i < 0 || i >= rows) {
                throw new IllegalArgumentException("UnsortedSegmentSum: index " + i + " is outside [0, " + rows + ")");
            }
        }
        int[] out = s.clone();
        out[0] = rows;
        return out;
    }

    @Override
    public void forward(Tensor[] in, int[] shape, float[] out) {
        float[] g = in[0].data;
        int row = indices.length == 0 ? 0 : g.length / indices.length;
        for (int i = 0; i < indices.length; i++) {
            int src = i * row;
            int dst = indices[i] * row;
            for (int j = 0; j < row; j++) {
                out[dst + j] += g[src + j];
            }
        }
    }

    @Override
    public Tensor[] gradient(Tensor[] in, Tensor out, Tensor g, boolean[] needed) {
        return new Tensor[] {Ops.gather(g, indices)};
    }

    /** The arrays' contents, not their identities: refusals and graph dumps print this. */
    @Override
    public String toString() {
        return type() + "(indices=" + Arrays.toString(indices) + ", rows=" + rows + ")";
    }
}
