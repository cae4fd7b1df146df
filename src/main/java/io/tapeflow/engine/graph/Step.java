package io.tapeflow.engine.graph;

import io.tapeflow.engine.Binary;
import io.tapeflow.engine.Clip;
import io.tapeflow.engine.Kernels;
import io.tapeflow.engine.BoundKernel;
import io.tapeflow.engine.Op;
import io.tapeflow.engine.Reduce;
import io.tapeflow.engine.ReducedCount;
import io.tapeflow.engine.Unary;
import java.util.Arrays;

/**
 * One instruction of a plan: a kernel bound once to its buffers, run for a batch of {@code n} rows. One virtual call
 * per step; the loops inside run over primitive arrays without allocation (but for {@link KernelStep}'s, which are
 * eager mode's own).
 */
abstract class Step {

    abstract void run(int n);

    /** The number of values per row a loop covers: the batch for batched buffers, all values otherwise. */
    static int length(Buffer b, int n) {
        return b.batched ? n : b.width;
    }

    static int features(Buffer b) {
        return b.batched ? b.width : 1;
    }

    /**
     * An elementwise step: computes one feature row at a time, so that a {@link FusedStep} can run a chain of them
     * row by row with its intermediates in row-sized registers.
     */
    abstract static class RowStep extends Step {
        final Buffer out;

        RowStep(Buffer out) {
            this.out = out;
        }

        /** Writes output feature row c, {@code len} values, into {@code dst}. */
        abstract void row(int c, float[] dst, int len);

        @Override
        void run(int n) {
            int len = length(out, n);
            for (int c = 0, features = features(out); c < features; c++) {
                row(c, out.rows[c], len);
            }
        }
    }

    /** A binary op on feature rows: the kind's own loops ({@link Binary#vv} and its siblings), as eager runs them. */
    static final class BinaryStep extends RowStep {
        private final Binary kind;
        private final Operand a;
        private final Operand b;

        BinaryStep(Binary kind, Buffer out, Operand a, Operand b) {
            super(out);
            this.kind = kind;
            this.a = a;
            this.b = b;
        }

        @Override
        void row(int c, float[] dst, int len) {
            if (a.vector() && b.vector()) {
                kind.vv(a.row(c), 0, b.row(c), 0, dst, 0, len);
            } else if (a.vector()) {
                kind.vs(a.row(c), 0, b.value(c), dst, 0, len);
            } else if (b.vector()) {
                kind.sv(a.value(c), b.row(c), 0, dst, 0, len);
            } else {
                Arrays.fill(dst, 0, len, kind.apply(a.value(c), b.value(c)));
            }
        }
    }

    /** A unary op on feature rows: {@link Unary#apply}, eager mode's loop. */
    static final class UnaryStep extends RowStep {
        private final Unary kind;
        private final Operand in;

        UnaryStep(Unary kind, Buffer out, Operand in) {
            super(out);
            this.kind = kind;
            this.in = in;
        }

        @Override
        void row(int c, float[] o, int len) {
            kind.apply(in.row(c), o, len);
        }
    }

    static final class ClipStep extends RowStep {
        private final Clip clip;
        private final Operand in;

        ClipStep(Clip clip, Buffer out, Operand in) {
            super(out);
            this.clip = clip;
            this.in = in;
        }

        @Override
        void row(int c, float[] o, int len) {
            clip.apply(in.row(c), o, len);
        }
    }

    /** A broadcast that some consumer needs materialised (elementwise consumers read the operand directly). */
    static final class CopyStep extends RowStep {
        private final Operand a;

        CopyStep(Buffer out, Operand a) {
            super(out);
            this.a = a;
        }

        @Override
        void row(int c, float[] dst, int len) {
            if (a.vector()) {
                System.arraycopy(a.row(c), 0, dst, 0, len);
            } else {
                Arrays.fill(dst, 0, len, a.value(c));
            }
        }
    }

    static final class WhereStep extends RowStep {
        private final Operand cond;
        private final Operand a;
        private final Operand b;

        WhereStep(Buffer out, Operand cond, Operand a, Operand b) {
            super(out);
            this.cond = cond;
            this.a = a;
            this.b = b;
        }

        @Override
        void row(int c, float[] o, int len) {
            float[] cr = cond.vector() ? cond.row(c) : null;
            float[] ar = a.vector() ? a.row(c) : null;
            float[] br = b.vector() ? b.row(c) : null;
            float cv = cr == null ? cond.value(c) : 0f;
            float av = ar == null ? a.value(c) : 0f;
            float bv = br == null ? b.value(c) : 0f;
            for (int i = 0; i < len; i++) {
                boolean pick = (cr == null ? cv : cr[i]) != 0f;
                o[i] = pick ? (ar == null ? av : ar[i]) : (br == null ? bv : br[i]);
            }
        }
    }

    /**
     * A chain of elementwise steps fused into one pass over the output's feature rows: for each row, every part
     * runs its loop over the batch in turn, the intermediates living in row-sized registers (one-feature buffers) that
     * stay in the L1 cache, instead of whole buffers written by one step and read back by the next. As in numexpr's
     * blocked evaluation, the dispatch is per part and row, never per element.
     */
    static final class FusedStep extends Step {
        private final Buffer out;
        private final RowStep[] parts;
        private final Buffer[] registers;

        /** {@code registers[k]} receives part k; the last part writes the output. */
        FusedStep(Buffer out, RowStep[] parts, Buffer[] registers) {
            this.out = out;
            this.parts = parts;
            this.registers = registers;
        }

        @Override
        void run(int n) {
            int last = parts.length - 1;
            for (int c = 0, features = out.width; c < features; c++) {
                for (int k = 0; k < last; k++) {
                    parts[k].row(c, registers[k].rows[0], n);
                }
                parts[last].row(c, out.rows[c], n);
            }
        }
    }

    /**
     * Products at least this large (multiply-adds) go to the engine's blocked matmul kernel on packed copies of the
     * feature rows; smaller ones, where per-call overhead dominates, run the plain loops below.
     */
    static final long KERNEL_THRESHOLD = 1 << 15;

    /** Copies {@code rows} feature rows of {@code b} ({@code n} values each) into one row-major array. */
    static float[] pack(Buffer b, int rows, int n, float[] scratch) {
        for (int p = 0; p < rows; p++) {
            System.arraycopy(b.rows[p], 0, scratch, p * n, n);
        }
        return scratch;
    }

    static float[] room(float[] scratch, int size) {
        return scratch.length >= size ? scratch : new float[size]; // grows with the batch capacity, once
    }

    /**
     * {@code (None, K)·(K, N)} (or the second operand transposed): each output feature row accumulates the input
     * feature rows scaled by one weight, {@code out[j][i] = fma(w, x[p][i], out[j][i])} over the batch i, with p in
     * order from 0 — the eager kernel's single FMA chain per element, so results are bit-identical. Large products
     * run as {@code op(W)ᵀ·Xᵀ} in the engine's kernel, which computes the same chain.
     */
    static final class MatMulRowsStep extends Step {
        private final Buffer out;
        private final Buffer x;
        private final Buffer w;
        private final boolean transposeW;
        private float[] packedX = new float[0];
        private float[] packedOut = new float[0];

        MatMulRowsStep(Buffer out, Buffer x, Buffer w, boolean transposeW) {
            this.out = out;
            this.x = x;
            this.w = w;
            this.transposeW = transposeW;
        }

        @Override
        void run(int n) {
            int units = out.width;
            int k = x.width;
            float[] wv = w.rows[0];
            if ((long) units * k * n >= KERNEL_THRESHOLD) {
                packedX = room(packedX, k * n);
                packedOut = room(packedOut, units * n);
                Kernels.matmul(wv, 0, pack(x, k, n, packedX), 0, packedOut, 0, units, k, n, !transposeW, false);
                for (int j = 0; j < units; j++) {
                    System.arraycopy(packedOut, j * n, out.rows[j], 0, n);
                }
                return;
            }
            for (int j = 0; j < units; j++) {
                float[] o = out.rows[j];
                Arrays.fill(o, 0, n, 0f);
                int p = 0;
                // Four terms per pass over the row, still in p order: a quarter of the loads and stores of o.
                for (; p + 4 <= k; p += 4) {
                    float w0 = weight(wv, p, j, k, units);
                    float w1 = weight(wv, p + 1, j, k, units);
                    float w2 = weight(wv, p + 2, j, k, units);
                    float w3 = weight(wv, p + 3, j, k, units);
                    float[] x0 = x.rows[p];
                    float[] x1 = x.rows[p + 1];
                    float[] x2 = x.rows[p + 2];
                    float[] x3 = x.rows[p + 3];
                    for (int i = 0; i < n; i++) {
                        o[i] = Math.fma(w3, x3[i], Math.fma(w2, x2[i], Math.fma(w1, x1[i], Math.fma(w0, x0[i], o[i]))));
                    }
                }
                for (; p < k; p++) {
                    float wpj = weight(wv, p, j, k, units);
                    float[] xp = x.rows[p];
                    for (int i = 0; i < n; i++) {
                        o[i] = Math.fma(wpj, xp[i], o[i]);
                    }
                }
            }
        }

        /** W[p][j], or W[j][p] when W is read transposed. */
        private float weight(float[] wv, int p, int j, int k, int units) {
            return transposeW ? wv[j * k + p] : wv[p * units + j];
        }
    }

    /**
     * {@code (None, M)ᵀ·(None, N)}, the weight gradient: per output one FMA chain over the batch in order, as eager's
     * matmul computes it, so graph and eager weight gradients are equal bit for bit. Small products run
     * {@link Kernels#productOverBatch} on the feature rows; large ones the engine's blocked kernel on packed rows.
     */
    static final class MatMulOverBatchStep extends Step {
        private final Buffer out;
        private final Buffer a;
        private final Buffer b;
        private float[] packedA = new float[0];
        private float[] packedB = new float[0];

        MatMulOverBatchStep(Buffer out, Buffer a, Buffer b) {
            this.out = out;
            this.a = a;
            this.b = b;
        }

        @Override
        void run(int n) {
            int m = a.width;
            int units = b.width;
            float[] o = out.rows[0];
            if ((long) m * units * n >= KERNEL_THRESHOLD) {
                packedA = room(packedA, m * n);
                packedB = room(packedB, units * n);
                Kernels.matmul(pack(a, m, n, packedA), 0, pack(b, units, n, packedB), 0, o, 0, m, n, units, false,
                        true);
                return;
            }
            packedB = room(packedB, Kernels.productOverBatchScratch(m, units, n));
            Kernels.productOverBatch(a.rows, m, b.rows, units, n, o, packedB);
        }
    }

    /** {@code Σ x[i]} over i < n in double, in eight interleaved partial sums added pairwise at the end. */
    static double sum(float[] x, int n) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        double s4 = 0;
        double s5 = 0;
        double s6 = 0;
        double s7 = 0;
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            s0 += x[i];
            s1 += x[i + 1];
            s2 += x[i + 2];
            s3 += x[i + 3];
            s4 += x[i + 4];
            s5 += x[i + 5];
            s6 += x[i + 6];
            s7 += x[i + 7];
        }
        for (; i < n; i++) {
            s0 += x[i];
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }

    /** A sum, mean or max of a batched value, summing in double; each subclass reduces over one set of axes. */
    abstract static class ReduceStep extends Step {
        final Reduce.Kind kind;
        final Buffer out;
        final Buffer in;

        ReduceStep(Reduce.Kind kind, Buffer out, Buffer in) {
            this.kind = kind;
            this.out = out;
            this.in = in;
        }

        float finish(double sum, long count) {
            return (float) (kind == Reduce.Kind.MEAN ? sum / count : sum);
        }
    }

    /** Over every value: one result. */
    static final class ReduceAllStep extends ReduceStep {
        ReduceAllStep(Reduce.Kind kind, Buffer out, Buffer in) {
            super(kind, out, in);
        }

        @Override
        void run(int n) {
            int w = in.width;
            if (kind == Reduce.Kind.MAX) {
                float m = Float.NEGATIVE_INFINITY;
                for (int c = 0; c < w; c++) {
                    m = Math.max(m, Kernels.max(in.rows[c], 0, n));
                }
                out.rows[0][0] = m;
            } else {
                double s = 0;
                for (int c = 0; c < w; c++) {
                    s += sum(in.rows[c], n);
                }
                out.rows[0][0] = finish(s, (long) n * w);
            }
        }
    }

    /** Over the batch: one result per feature, with partial sums along the batch. */
    static final class ReduceBatchStep extends ReduceStep {
        ReduceBatchStep(Reduce.Kind kind, Buffer out, Buffer in) {
            super(kind, out, in);
        }

        @Override
        void run(int n) {
            float[] o = out.rows[0];
            boolean max = kind == Reduce.Kind.MAX;
            for (int c = 0, w = in.width; c < w; c++) {
                o[c] = max ? Kernels.max(in.rows[c], 0, n) : finish(sum(in.rows[c], n), n);
            }
        }
    }

    /** Over the features: one result per row, in feature order like the eager kernel. */
    static final class ReduceFeaturesStep extends ReduceStep {
        private double[] acc = new double[0];

        ReduceFeaturesStep(Reduce.Kind kind, Buffer out, Buffer in) {
            super(kind, out, in);
        }

        @Override
        void run(int n) {
            int w = in.width;
            boolean max = kind == Reduce.Kind.MAX;
            if (acc.length < n) {
                acc = new double[n]; // grows with the plan's capacity, once
            }
            double[] a = acc;
            Arrays.fill(a, 0, n, max ? Double.NEGATIVE_INFINITY : 0.0);
            for (int c = 0; c < w; c++) {
                float[] x = in.rows[c];
                if (max) {
                    for (int i = 0; i < n; i++) {
                        float v = x[i];
                        if (v > a[i] || Float.isNaN(v)) {
                            a[i] = v;
                        }
                    }
                } else {
                    for (int i = 0; i < n; i++) {
                        a[i] += x[i];
                    }
                }
            }
            float[] o = out.rows[0];
            for (int i = 0; i < n; i++) {
                o[i] = max ? (float) a[i] : finish(a[i], w);
            }
        }
    }

    /**
     * An op with no feature-major step for its shapes (a slice, a concat, a transpose, a rank-3 product, a broadcast
     * the layout cannot express, most ops on values without a batch...): its own eager kernel, so it computes what
     * eager mode computes. Batched operands are copied into row-major arrays of the run's batch, and the output back.
     * The kernel is bound per batch size, the last two kept (a fit's full and last batches): it allocates on the
     * first run at each of those, and on every change when three sizes or more take turns; the kernel itself may
     * allocate scratch, as in eager mode.
     */
    static final class KernelStep extends Step {
        private final Op op;
        private final Buffer[] in;
        private final int[][] shapes;
        private final Buffer out;
        private final int[] outShape;
        private final boolean batched;
        private Binding current;
        private Binding previous;

        /** The op bound to row-major arrays for one batch size. */
        private record Binding(int rows, float[][] arrays, float[] result, BoundKernel kernel) {
        }

        KernelStep(Op op, Buffer[] in, int[][] shapes, Buffer out, int[] outShape) {
            this.op = op;
            this.in = in;
            this.shapes = shapes;
            this.out = out;
            this.outShape = outShape;
            boolean any = out.batched;
            for (Buffer b : in) {
                any |= b.batched;
            }
            this.batched = any;
            this.current = batched ? null : bind(0);
        }

        @Override
        void run(int n) {
            Binding b = binding(n);
            for (int k = 0; k < in.length; k++) {
                if (in[k].batched) {
                    in[k].toRowMajor(b.arrays[k], n);
                }
            }
            b.kernel.run();
            if (out.batched) {
                out.fromRowMajor(b.result, n);
            }
        }

        private Binding binding(int n) {
            if (current != null && (!batched || current.rows == n)) {
                return current;
            }
            Binding b = previous != null && previous.rows == n ? previous : bind(n);
            previous = current;
            current = b;
            return b;
        }

        private Binding bind(int n) {
            float[][] arrays = new float[in.length][];
            int[][] concrete = new int[in.length][];
            for (int k = 0; k < in.length; k++) {
                concrete[k] = Layout.withBatch(shapes[k], n);
                arrays[k] = in[k].batched ? new float[n * in[k].width] : in[k].rows[0];
            }
            float[] result = out.batched ? new float[n * out.width] : out.rows[0];
            return new Binding(n, arrays, result,
                    new BoundKernel(op, arrays, concrete, Layout.withBatch(outShape, n), result));
        }
    }

    /** The number of values a mean over a batched value averages, for this batch. */
    static final class CountStep extends Step {
        private final Buffer out;
        private final int fixed;
        private final boolean perRow;

        CountStep(Buffer out, int[] shape, int[] axes) {
            this.out = out;
            this.fixed = ReducedCount.count(shape, axes, 1);
            this.perRow = ReducedCount.count(shape, axes, 2) != fixed;
        }

        @Override
        void run(int n) {
            out.rows[0][0] = perRow ? (float) ((long) fixed * n) : fixed;
        }
    }

    /** An optimizer update of a variable's buffer in place; the step size is the plan's for this run. */
    static final class UpdateStep extends Step {
        private final UpdateRule rule;
        private final Buffer variable;
        private final Buffer gradient;
        final float[][] slots;
        private final float[] stepSize;

        UpdateStep(UpdateRule rule, Buffer variable, Buffer gradient, float[] stepSize) {
            this.rule = rule;
            this.variable = variable;
            this.gradient = gradient;
            this.stepSize = stepSize;
            this.slots = new float[rule.slots()][variable.width];
        }

        @Override
        void run(int n) {
            float[] s0 = slots.length > 0 ? slots[0] : null;
            float[] s1 = slots.length > 1 ? slots[1] : null;
            rule.applyInPlace(variable.rows[0], gradient.rows[0], s0, s1, stepSize[0], variable.width);
        }
    }
}
