package io.tapeflow.engine;

/** Joins tensors along an axis; every other dimension must agree. */
public record Concat(int axis) implements Op {

    @Override
    public String type() {
        return "ConcatV2";
    }

    @Override
    public int[] outputShape(int[][] in) {
        if (in.length == 0) {
            throw new IllegalArgumentException("ConcatV2: needs at least one tensor");
        }
        int rank = in[0].length;
        int a = Shapes.axis(axis, rank, type());
        int[] out = in[0].clone();
        for (int t = 1; t < in.length; t++) {
            boolean fits = in[t].length == rank;
            for (int d = 0; fits && d < rank; d++) {
                fits = d == a || in[t][d] == out[d] || in[t][d] == Shapes.UNKNOWN || out[d] == Shapes.UNKNOWN;
            }
            if (!fits) {
                throw new IllegalArgumentException("ConcatV2: shape " + Shapes.toString(in[t]) + " of tensor " + t
                        + " does not fit shape " + Shapes.toString(in[0]) + " along axis " + axis);
            }
            out[a] = out[a] == Shapes.UNKNOWN || in[t][a] == Shapes.UNKNOWN ? Shapes.UNKNOWN : out[a] + in[t][a];
        }
        return out;
    }

    @Override
    public void forward(Tensor[] in, int[] shape, float[] out) {
        int a = Shapes.axis(axis, shape.length, type());
        int inner = 1;
        for (int d = a + 1; d < shape.length; d++) {
            inner *= shape[d];
        }
        int outer = 1;
        for (int d = 0; d < a; d++) {
            outer *= shape[d];
        }
        int rowOut = shape[a] * inner;
        int start = 0;
        for (Tensor t : in) {
            int chunk = t.shape[a] * inner;
            for (int o = 0; o < outer; o++) {
                System.arraycopy(t.data, o * chunk, out, o * rowOut + start, chunk);
            }
            start += chunk;
        }
    }

    @Override
    public Tensor[] gradient(Tensor[] in, Tensor out, Tensor g, boolean[] needed) {
        int a = Shapes.axis(axis, out.shape.length, type());
        Tensor[] grads = new Tensor[in.length];
        int at = 0;
        for (int t = 0; t < in.length; t++) {
            if (needed[t]) {
                int[] begin = new int[out.shape.length];
                begin[a] = at;
                grads[t] = Ops.slice(g, begin, in[t].shape);
            }
            at += in[t].shape[a];
        }
        return grads;
    }
}
