package io.tapeflow.engine;

import static io.tapeflow.engine.Ops.matmul;

/**
 * Matrix product of the last two axes, {@code op(a)·op(b)} where {@code op} transposes when its flag is set; leading
 * (batch) axes must be equal. Gradients use the transposed variants, so no operand is ever copied.
 */
public record MatMul(boolean transposeA, boolean transposeB) implements Op {

    @Override
    public String type() {
        return "MatMul";
    }

    @Override
    public int[] outputShape(int[][] in) {
        int[] a = in[0];
        int[] b = in[1];
        if (a.length < 2 || a.length != b.length) {
            throw new IllegalArgumentException("MatMul: shapes " + Shapes.toString(a) + " and " + Shapes.toString(b)
                    + " must both have the same rank of at least 2");
        }
        int r = a.length;
        int m = transposeA ? a[r - 1] : a[r - 2];
        int ka = transposeA ? a[r - 2] : a[r - 1];
        int kb = transposeB ? b[r - 1] : b[r - 2];
        int n = transposeB ? b[r - 2] : b[r - 1];
        boolean batchesDiffer = false;
        for (int d = 0; d < r - 2; d++) {
            batchesDiffer |= a[d] != b[d] && a[d] != Shapes.UNKNOWN && b[d] != Shapes.UNKNOWN;
        }
        if ((ka != kb && ka != Shapes.UNKNOWN && kb != Shapes.UNKNOWN) || batchesDiffer) {
            throw new IllegalArgumentException("MatMul: shapes " + Shapes.toString(a) + (transposeA ? "ᵀ" : "")
                    + " and " + Shapes.toString(b) + (transposeB ? "ᵀ" : "") + " do not fit (inner dimensions "
                    + ka + " and " + kb + (batchesDiffer ? ", or batch dimensions differ)" : ")"));
        }
        int[] out = a.clone();
        out[r - 2] = m;
        out[r - 1] = n;
        return out;
    }

    @Override
    public void forward(Tensor[] in, int[] shape, float[] out) {
        int[] a = in[0].shape;
        int r = a.length;
        int m = shape[r - 2];
        int n = shape[r - 1];
        int k = transposeA ? a[r - 2] : a[r - 1];
        int batches = out.length / Math.max(1, m * n);
        if (m * n == 0) {
            return;
        }
        for (int bt = 0; bt < batches; bt++) {
            Kernels.matmul(in[0].data, bt * m * k, in[1].data, bt * k * n, out, bt * m * n, m, k, n,
                    transposeA, transposeB);
        }
    }

    @Override
    public Tensor[] gradient(Tensor[] in, Tensor out, Tensor g, boolean[] needed) {
        Tensor a = in[0];
        Tensor b = in[1];
        Tensor da;
        Tensor db;
        if (!transposeA && !transposeB) {
            da = needed[0] ? matmul(g, b, false, true) : null;
            db = needed[1] ? matmul(a, g, true, false) : null;
        } else if (!transposeA) {
            da = needed[0] ? matmul(g, b, false, false) : null;
            db = needed[1] ? matmul(g, a, true, false) : null;
        } else if (!transposeB) {
            da = needed[0] ? matmul(b, g, false, true) : null;
            db = needed[1] ? matmul(a, g, false, false) : null;
        } else {
            da = needed[0] ? matmul(b, g, true, true) : null;
            db = needed[1] ? matmul(g, a, true, true) : null;
        }
        return new Tensor[] {da, db};
    }
}
