package io.tapeflow.engine;

import java.util.Arrays;

/**
 * Stateless numeric kernels on flat row-major {@code float[]} arrays. Shapes are checked once by the op's shape
 * inference; the loops below run over local variables with no allocation, boxing or calls per element. Every output
 * element is produced in a fixed order, so results are bit-identical from run to run.
 *
 * <p>Broadcast kernels walk the output one innermost row at a time with an odometer over the outer dimensions, each
 * operand carrying its own strides (0 where it broadcasts); same-shape operands and scalar or row-vector operands
 * become a single call of the row loop.
 */
public final class Kernels {

    private Kernels() {
    }

    // ---------------------------------------------------------------- binary elementwise with broadcasting

    /** {@code out = a (kind) b} with NumPy broadcasting, one output row at a time through {@link Binary#row}. */
    public static void binary(Binary kind, float[] a, int[] aShape, float[] b, int[] bShape, float[] out,
            int[] outShape) {
        int size = out.length;
        if (size == 0) {
            return;
        }
        if ((a.length == size || a.length == 1) && (b.length == size || b.length == 1)) {
            kind.row(a, 0, a.length == size ? 1 : 0, b, 0, b.length == size ? 1 : 0, out, 0, size); // one row
            return;
        }
        int rank = outShape.length;
        int n = outShape[rank - 1];
        int[] sa = Shapes.broadcastStrides(aShape, outShape);
        int[] sb = Shapes.broadcastStrides(bShape, outShape);
        int[] idx = new int[rank];
        int ao = 0;
        int bo = 0;
        for (int off = 0; off < size; off += n) {
            kind.row(a, ao, sa[rank - 1], b, bo, sb[rank - 1], out, off, n);
            for (int d = rank - 2; d >= 0; d--) {
                ao += sa[d];
                bo += sb[d];
                if (++idx[d] < outShape[d]) {
                    break;
                }
                ao -= sa[d] * outShape[d];
                bo -= sb[d] * outShape[d];
                idx[d] = 0;
            }
        }
    }

    // ---------------------------------------------------------------- matmul

    /** {@code C[m×n] = op(A)·op(B)} for one matrix; see {@link MatMulKernels#matmul}, which this delegates to. */
    public static void matmul(float[] a, int ao, float[] b, int bo, float[] c, int co, int m, int k, int n,
            boolean transposeA, boolean transposeB) {
        MatMulKernels.matmul(a, ao, b, bo, c, co, m, k, n, transposeA, transposeB);
    }

    // ---------------------------------------------------------------- product over the batch

    /**
     * {@code Aᵀ·B} for two matrices stored as feature rows ({@code a[p]} holds feature p over a batch of n rows):
     * {@code out[p·units + j]} = the FMA chain over i = 0, 1, …, n−1 of {@code a[p][i]·b[j][i]} from +0 — the eager
     * matmul's order, so a traced step's weight gradients equal eager's bit for bit. {@code scratch} holds at least
     * {@link #productOverBatchScratch} values.
     */
    public static void productOverBatch(float[][] a, int m, float[][] b, int units, int n, float[] out,
            float[] scratch) {
        if (MatMulKernels.vectorReady() && Math.max(m, units) >= 4) {
            VectorMath.productOverBatch(a, m, b, units, n, out, scratch);
        } else {
            portableProductOverBatch(a, m, b, units, n, out);
        }
    }

    static void portableProductOverBatch(float[][] a, int m, float[][] b, int units, int n, float[] out) {
        Arrays.fill(out, 0, m * units, 0f);
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < m; p++) {
                float x = a[p][i];
                for (int j = 0, o = p * units; j < units; j++, o++) {
                    out[o] = Math.fma(x, b[j][i], out[o]);
                }
            }
        }
    }

    /** The scratch values {@link #productOverBatch} needs. */
    public static int productOverBatchScratch(int m, int units, int n) {
        int lanes = 16; // the widest vector: a batch-major copy of the wider side, padded to whole vectors
        return n * ((Math.max(m, units) + lanes - 1) / lanes * lanes) + lanes;
    }

    // ---------------------------------------------------------------- reductions

    /** Sum, mean or max of {@code x} over the sorted axes into {@code out} (the reduced size); sums in double. */
    public static void reduce(Reduce.Kind kind, float[] x, int[] shape, int[] sortedAxes, float[] out) {
        int rank = shape.length;
        if (x.length == 0) {
            Arrays.fill(out, kind == Reduce.Kind.MAX ? Float.NEGATIVE_INFINITY
                    : kind == Reduce.Kind.MEAN ? Float.NaN : 0f);
            return;
        }
        int count = x.length / Math.max(out.length, 1);
        if (out.length == 1 || rank == 0) {
            out[0] = reduceRow(kind, x, 0, x.length, count);
            return;
        }
        boolean lastReduced = sortedAxes.length > 0 && sortedAxes[sortedAxes.length - 1] == rank - 1;
        int n = shape[rank - 1];
        if (lastReduced && sortedAxes.length == 1) {
            for (int r = 0; r < out.length; r++) {
                out[r] = reduceRow(kind, x, r * n, n, count);
            }
            return;
        }
        int[] keep = Shapes.reduced(shape, sortedAxes, true);
        int[] so = Shapes.broadcastStrides(keep, shape);
        double[] acc = new double[out.length];
        if (kind == Reduce.Kind.MAX) {
            Arrays.fill(acc, Double.NEGATIVE_INFINITY);
        }
        int[] idx = new int[rank];
        int oo = 0;
        int inner = so[rank - 1];
        for (int off = 0; off < x.length; off += n) {
            if (kind == Reduce.Kind.MAX) {
                for (int j = 0, o = oo; j < n; j++, o += inner) {
                    float v = x[off + j];
                    if (v > acc[o] || Float.isNaN(v)) {
                        acc[o] = v;
                    }
                }
            } else {
                for (int j = 0, o = oo; j < n; j++, o += inner) {
                    acc[o] += x[off + j];
                }
            }
            for (int d = rank - 2; d >= 0; d--) {
                oo += so[d];
                if (++idx[d] < shape[d]) {
                    break;
                }
                oo -= so[d] * shape[d];
                idx[d] = 0;
            }
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (kind == Reduce.Kind.MEAN ? acc[i] / count : acc[i]);
        }
    }

    /** The largest of {@code x[from…from+n)}, NaN if any is NaN, -∞ for none: eager's and the plans' row max. */
    public static float max(float[] x, int from, int n) {
        float m = Float.NEGATIVE_INFINITY;
        for (int i = from; i < from + n; i++) {
            float v = x[i];
            if (v > m || Float.isNaN(v)) {
                m = v;
            }
        }
        return m;
    }

    private static float reduceRow(Reduce.Kind kind, float[] x, int from, int n, int count) {
        if (kind == Reduce.Kind.MAX) {
            return max(x, from, n);
        }
        double s = 0;
        for (int i = from; i < from + n; i++) {
            s += x[i];
        }
        return (float) (kind == Reduce.Kind.MEAN ? s / count : s);
    }

    // ---------------------------------------------------------------- data movement

    /** Copies {@code x} (shape {@code inShape}) into the larger {@code out} shape, repeating broadcast dimensions. */
    public static void broadcastTo(float[] x, int[] inShape, float[] out, int[] outShape) {
        int size = out.length;
        if (size == 0) {
            return;
        }
        if (x.length == 1) {
            Arrays.fill(out, x[0]);
            return;
        }
        int rank = outShape.length;
        int n = outShape[rank - 1];
        int[] sx = Shapes.broadcastStrides(inShape, outShape);
        int[] idx = new int[rank];
        int xo = 0;
        int s = sx[rank - 1];
        for (int off = 0; off < size; off += n) {
            for (int j = 0, i = xo; j < n; j++, i += s) {
                out[off + j] = x[i];
            }
            for (int d = rank - 2; d >= 0; d--) {
                xo += sx[d];
                if (++idx[d] < outShape[d]) {
                    break;
                }
                xo -= sx[d] * outShape[d];
                idx[d] = 0;
            }
        }
    }

    /** {@code out} (shape {@code outShape}) = {@code x} with its axes permuted: out axis d is input axis perm[d]. */
    public static void transpose(float[] x, int[] inShape, int[] perm, float[] out, int[] outShape) {
        int size = out.length;
        int rank = outShape.length;
        if (size == 0) {
            return;
        }
        if (rank == 0) {
            out[0] = x[0];
            return;
        }
        int[] inStrides = new int[rank];
        int stride = 1;
        for (int d = rank - 1; d >= 0; d--) {
            inStrides[d] = stride;
            stride *= inShape[d];
        }
        int[] st = new int[rank];
        for (int d = 0; d < rank; d++) {
            st[d] = inStrides[perm[d]];
        }
        int n = outShape[rank - 1];
        int s = st[rank - 1];
        int[] idx = new int[rank];
        int xo = 0;
        for (int off = 0; off < size; off += n) {
            for (int j = 0, i = xo; j < n; j++, i += s) {
                out[off + j] = x[i];
            }
            for (int d = rank - 2; d >= 0; d--) {
                xo += st[d];
                if (++idx[d] < outShape[d]) {
                    break;
                }
                xo -= st[d] * outShape[d];
                idx[d] = 0;
            }
        }
    }

    /**
     * Copies the box of {@code small} (shape {@code smallShape}) to or from {@code big} (shape {@code bigShape}) at
     * {@code begin}: slicing reads the box out of the big tensor, padding writes it into a zeroed big one.
     */
    static void copyBox(float[] big, int[] bigShape, int[] begin, float[] small, int[] smallShape,
            boolean intoSmall) {
        int rank = bigShape.length;
        int size = small.length;
        if (size == 0) {
            return;
        }
        if (rank == 0) {
            if (intoSmall) {
                small[0] = big[0];
            } else {
                big[0] = small[0];
            }
            return;
        }
        int[] strides = new int[rank];
        int stride = 1;
        for (int d = rank - 1; d >= 0; d--) {
            strides[d] = stride;
            stride *= bigShape[d];
        }
        int bo = 0;
        for (int d = 0; d < rank; d++) {
            bo += begin[d] * strides[d];
        }
        int n = smallShape[rank - 1];
        int[] idx = new int[rank];
        for (int off = 0; off < size; off += n) {
            if (intoSmall) {
                System.arraycopy(big, bo, small, off, n);
            } else {
                System.arraycopy(small, off, big, bo, n);
            }
            for (int d = rank - 2; d >= 0; d--) {
                bo += strides[d];
                if (++idx[d] < smallShape[d]) {
                    break;
                }
                bo -= strides[d] * smallShape[d];
                idx[d] = 0;
            }
        }
    }

    /** {@code out = where(cond != 0, a, b)} with broadcasting of all three. */
    static void where(float[] c, int[] cShape, float[] a, int[] aShape, float[] b, int[] bShape, float[] out,
            int[] outShape) {
        int size = out.length;
        if (size == 0) {
            return;
        }
        int rank = outShape.length;
        if (rank == 0) {
            out[0] = c[0] != 0f ? a[0] : b[0];
            return;
        }
        int[] sc = Shapes.broadcastStrides(cShape, outShape);
        int[] sa = Shapes.broadcastStrides(aShape, outShape);
        int[] sb = Shapes.broadcastStrides(bShape, outShape);
        int n = outShape[rank - 1];
        int[] idx = new int[rank];
        int co = 0;
        int ao = 0;
        int bo = 0;
        int cs = sc[rank - 1];
        int as = sa[rank - 1];
        int bs = sb[rank - 1];
        for (int off = 0; off < size; off += n) {
            for (int j = 0, ic = co, ia = ao, ib = bo; j < n; j++, ic += cs, ia += as, ib += bs) {
                out[off + j] = c[ic] != 0f ? a[ia] : b[ib];
            }
            for (int d = rank - 2; d >= 0; d--) {
                co += sc[d];
                ao += sa[d];
                bo += sb[d];
                if (++idx[d] < outShape[d]) {
                    break;
                }
                co -= sc[d] * outShape[d];
                ao -= sa[d] * outShape[d];
                bo -= sb[d] * outShape[d];
                idx[d] = 0;
            }
        }
    }
}
