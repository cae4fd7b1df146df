package io.tapeflow.engine;

import static io.tapeflow.engine.Ops.matmul;
import static io.tapeflow.engine.Ops.sumToShape;

import java.util.Arrays;

/**
 * Matrix product of the last two axes, {@code op(a)·op(b)} where {@code op} transposes when its flag is set. The
 * leading (batch) axes broadcast as in NumPy and TensorFlow, and the ranks may differ ({@code (2,3,4) @ (4,5)},
 * {@code (2,3,4) @ (1,4,5)}); both operands need rank 2 at least. Gradients use the transposed variants, so no operand
 * is ever copied, and are summed back over the batch axes an operand was broadcast along.
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
        if (a.length < 2 || b.length < 2) {
            throw new IllegalArgumentException("MatMul: shapes " + Shapes.toString(a) + " and " + Shapes.toString(b)
                    + " must both have rank 2 at least");
        }
        int ra = a.length;
        int rb = b.length;
        int m = transposeA ? a[ra - 1] : a[ra - 2];
        int ka = transposeA ? a[ra - 2] : a[ra - 1];
        int kb = transposeB ? b[rb - 1] : b[rb - 2];
        int n = transposeB ? b[rb - 2] : b[rb - 1];
        if (ka != kb && ka != Shapes.UNKNOWN && kb != Shapes.UNKNOWN) {
            throw new IllegalArgumentException("MatMul: shapes " + Shapes.toString(a) + (transposeA ? "ᵀ" : "")
                    + " and " + Shapes.toString(b) + (transposeB ? "ᵀ" : "") + " do not fit (inner dimensions "
                    + ka + " and " + kb + ")");
        }
        int[] batch = Shapes.broadcast(Arrays.copyOf(a, ra - 2), Arrays.copyOf(b, rb - 2), "MatMul (batch dimensions of "
                + Shapes.toString(a) + " and " + Shapes.toString(b) + ")");
        int[] out = Arrays.copyOf(batch, batch.length + 2);
        out[batch.length] = m;
        out[batch.length + 1] = n;
        return out;
    }

    @Override
    public void forward(Tensor[] in, int[] shape, float[] out) {
        int[] a = in[0].shape;
        int[] b = in[1].shape;
        int r = shape.length;
        int m = shape[r - 2];
        int n = shape[r - 1];
        int k = transposeA ? a[a.length - 2] : a[a.length - 1];
        if (m * n == 0) {
            return;
        }
        if (r == 2) { // the common product, without the batch bookkeeping below
            Kernels.matmul(in[0].data, 0, in[1].data, 0, out, 0, m, k, n, transposeA, transposeB);
            return;
        }
        int[] batch = Arrays.copyOf(shape, r - 2);
        int batches = Shapes.size(batch);
        int[] aBatch = Arrays.copyOf(a, a.length - 2);
        int[] bBatch = Arrays.copyOf(b, b.length - 2);
        if (Arrays.equals(aBatch, batch) && Arrays.equals(bBatch, batch)) {
            for (int bt = 0; bt < batches; bt++) {
                Kernels.matmul(in[0].data, bt * m * k, in[1].data, bt * k * n, out, bt * m * n, m, k, n,
                        transposeA, transposeB);
            }
            return;
        }
        // Broadcast batch axes: walk the output's batch index, with stride 0 along an operand's broadcast axes.
        int[] sa = Shapes.broadcastStrides(aBatch, batch);
        int[] sb = Shapes.broadcastStrides(bBatch, batch);
        int[] index = new int[batch.length];
        int at = 0;
        int bt = 0;
        for (int o = 0; o < batches; o++) {
            Kernels.matmul(in[0].data, at * m * k, in[1].data, bt * k * n, out, o * m * n, m, k, n,
                    transposeA, transposeB);
            for (int d = batch.length - 1; d >= 0; d--) {
                at += sa[d];
                bt += sb[d];
                if (++index[d] < batch[d]) {
                    break;
                }
                at -= sa[d] * batch[d];
                bt -= sb[d] * batch[d];
                index[d] = 0;
            }
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
        // A broadcast operand's gradient sums back to its own shape (a no-op when the batch axes already match).
        return new Tensor[] {da == null ? null : sumToShape(da, a.shape), db == null ? null : sumToShape(db, b.shape)};
    }
}
