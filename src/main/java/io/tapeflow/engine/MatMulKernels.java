package io.tapeflow.engine;

import java.time.Duration;
import java.util.Arrays;

/**
 * The float32 matrix product {@code C[m×n] = op(A)·op(B)}, where {@code op} transposes when asked; C is overwritten.
 * The transposed layouts are read where they lie (no transposed copies), so backward passes cost no extra tensors.
 *
 * <h2>One arithmetic, every path</h2>
 * Each output element is computed the same way whatever path runs it: starting from +0, one fused multiply-add per
 * term, {@code c = fma(a[i][p], b[p][j], c)} for p = 0, 1, …, k−1 in that order. FMA rounds once per term, so the
 * result does not depend on how many elements a vector holds, how the product is blocked over k (a partial sum is
 * stored and picked up again unchanged), or which thread owns the element. The paths are therefore interchangeable bit
 * for bit:
 * <ul>
 *   <li>small or thin products (W1, W2: a few thousand multiply-adds; one output column) run plain loops with no
 *       packing and no threads;</li>
 *   <li>larger ones run a cache-blocked product over packed panels of A and B with a register-blocked micro-kernel:
 *       {@code jdk.incubator.vector} when the JVM was started with {@code --add-modules jdk.incubator.vector} and
 *       its vectors hold at least 8 floats, otherwise a portable loop that the JIT vectorises;</li>
 *   <li>large ones split the rows (or columns) of C into one contiguous band per core; each band is computed by one
 *       thread, so the result is the same with one core or many.</li>
 * </ul>
 * The price of this guarantee is that {@link Math#fma} must be fast: it is an intrinsic on every x86-64 with FMA3
 * (2013 on) and on AArch64.
 */
public final class MatMulKernels {

    /** Below this many multiply-adds, packing costs more than it saves. */
    static final long PACKED_MIN_WORK = 16_384;

    /**
     * Products thinner than this in any dimension also run the plain loops: a micro-tile (up to 12×32) would mostly
     * compute padding (a model with one output predicting 10 000 rows is 10 000×k·k×1).
     */
    static final int PACKED_MIN_SIDE = 4;

    /** Below this many multiply-adds, handing work to another thread costs more than it saves. */
    static final long PARALLEL_MIN_WORK = 1L << 20;

    private static final boolean VECTOR = vectorUsable();

    /**
     * Bands are cut at multiples of the vector micro-kernel's tile (5 or 12 rows, up to 32 columns) to avoid edge
     * tiles; the portable kernel has no row tile, so any row will do there.
     */
    private static final int SPLIT_ROWS = VECTOR ? VectorMatMul.MR : 1;
    private static final int SPLIT_COLUMNS = 32;

    /**
     * Threads per product: the cores, unless the system property {@code tapeflow.matmul.threads} says fewer (a
     * service running one training job per core gains nothing from splitting each product again).
     */
    private static final int THREADS = Math.max(1, Integer.getInteger("tapeflow.matmul.threads",
            Runtime.getRuntime().availableProcessors()));

    private static final BandHelpers HELPERS = THREADS > 1 ? new BandHelpers(THREADS - 1) : null;

    private MatMulKernels() {
    }

    /** Whether the {@code jdk.incubator.vector} micro-kernel is in use (else the portable one, with equal results). */
    public static boolean vectorized() {
        return VECTOR;
    }

    /**
     * The packed product's micro-tile and cache blocks on this CPU, e.g. {@code "5×16 tile; kc 1024, mc 40, nc 1024
     * (L1d 32 KiB, L2 512 KiB, L3 32 MiB shared by 2 CPUs)"}, for the start-up log and {@code /actuator/info}.
     */
    public static String blocking() {
        return VECTOR ? VectorMatMul.MR + "×" + VectorMatMul.NR + " tile; " + VectorMatMul.BLOCKING
                : "portable: " + PORTABLE_COLUMNS + " columns per block";
    }

    /**
     * Whether the short vector loops ({@link FastMath}'s array forms, {@link Kernels#productOverBatch}) may run on the Vector API:
     * it is present and a background thread has run them long enough for C2 to compile them. Until then the Vector
     * API runs as allocating Java code, many times slower than the portable loops, which they take meanwhile (equal
     * results): without this, a fresh JVM's first W2 fit took 0.9 s instead of 0.3 s. The matmul kernel does not
     * wait: its long loops get it compiled within the first products, and the portable product is slower still.
     */
    static boolean vectorReady() {
        return VECTOR && VectorMatMul.warm();
    }

    /**
     * Waits, at most {@code timeout}, until the short vector loops are in use (at once when the Vector API is
     * absent): a warm-up that trains before then compiles the portable loops, which jobs stop taking the moment
     * the vector warm-up is done, and leaves the loops jobs do take for the first job to compile.
     */
    public static void awaitVectorReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (VECTOR && !vectorReady() && System.nanoTime() - deadline < 0) {
            Thread.sleep(10);
        }
    }

    /**
     * {@code C = op(A)·op(B)} for one matrix: A is m×k (k×m when {@code transposeA}) at offset {@code ao}, B is k×n
     * (n×k when {@code transposeB}) at {@code bo}, C is m×n at {@code co}, all row-major.
     */
    public static void matmul(float[] a, int ao, float[] b, int bo, float[] c, int co, int m, int k, int n,
            boolean transposeA, boolean transposeB) {
        long work = (long) m * n * k;
        if (work < PACKED_MIN_WORK || m < PACKED_MIN_SIDE || k < PACKED_MIN_SIDE || n < PACKED_MIN_SIDE) {
            small(a, ao, b, bo, c, co, m, k, n, transposeA, transposeB);
        } else {
            int bands = (int) Math.min(THREADS, work / PARALLEL_MIN_WORK);
            blocked(a, ao, b, bo, c, co, m, k, n, transposeA, transposeB, VECTOR, bands);
        }
    }

    /**
     * The blocked product on the chosen micro-kernel, its rows (or columns, when there are more of those) cut into at
     * most {@code bands} contiguous bands, one per thread; the caller's thread computes the first.
     */
    static void blocked(float[] a, int ao, float[] b, int bo, float[] c, int co, int m, int k, int n,
            boolean transposeA, boolean transposeB, boolean vector, int bands) {
        if (m == 0 || n == 0) {
            return;
        }
        Band whole = new Band(a, ao, b, bo, c, co, m, k, n, transposeA, transposeB, vector, 0, m, 0, n);
        boolean byRows = m >= n;
        int extent = byRows ? m : n;
        int unit = byRows ? SPLIT_ROWS : SPLIT_COLUMNS;
        int per = ((extent + Math.max(bands, 1) - 1) / Math.max(bands, 1) + unit - 1) / unit * unit;
        if (HELPERS == null || per >= extent) {
            whole.run();
            return;
        }
        Runnable[] parts = new Runnable[(extent + per - 1) / per];
        for (int t = 0; t < parts.length; t++) {
            parts[t] = whole.part(byRows, t * per, Math.min(extent, (t + 1) * per));
        }
        HELPERS.runAll(parts);
    }

    /** Rows [i0, i1) × columns [j0, j1) of one product, computed by one thread. */
    private record Band(float[] a, int ao, float[] b, int bo, float[] c, int co, int m, int k, int n,
            boolean transposeA, boolean transposeB, boolean vector, int i0, int i1, int j0, int j1)
            implements Runnable {

        Band part(boolean byRows, int from, int to) {
            return byRows
                    ? new Band(a, ao, b, bo, c, co, m, k, n, transposeA, transposeB, vector, from, to, j0, j1)
                    : new Band(a, ao, b, bo, c, co, m, k, n, transposeA, transposeB, vector, i0, i1, from, to);
        }

        @Override
        public void run() {
            if (k == 0) {
                for (int i = i0; i < i1; i++) {
                    Arrays.fill(c, co + i * n + j0, co + i * n + j1, 0f);
                }
            } else if (vector) {
                VectorMatMul.multiply(a, ao, b, bo, c, co, m, k, n, transposeA, transposeB, i0, i1, j0, j1);
            } else {
                portable(a, ao, b, bo, c, co, m, k, n, transposeA, transposeB, i0, i1, j0, j1);
            }
        }
    }

    /** Plain loops, row of C by row, with the term index p outside j so the n chains of a row run side by side. */
    static void small(float[] a, int ao, float[] b, int bo, float[] c, int co, int m, int k, int n,
            boolean transposeA, boolean transposeB) {
        int as = transposeA ? m : 1;
        int bs = transposeB ? 1 : n;
        int bj = transposeB ? k : 1;
        for (int i = 0; i < m; i++) {
            int ci = co + i * n;
            Arrays.fill(c, ci, ci + n, 0f);
            int ai = ao + (transposeA ? i : i * k);
            for (int p = 0; p < k; p++) {
                float aip = a[ai + p * as];
                int bp = bo + p * bs;
                for (int j = 0; j < n; j++) {
                    c[ci + j] = Math.fma(aip, b[bp + j * bj], c[ci + j]);
                }
            }
        }
    }

    /** Columns per block of the portable path: its copied rows of op(B), k × this, stay in the L2 cache. */
    private static final int PORTABLE_COLUMNS = 256;

    /**
     * The portable path: rows of op(B) copied, a block of columns at a time, into arrays of their own, then one
     * accumulator row per row of C. The JDK 17 compiler vectorises {@code acc[j] = fma(a, row[j], acc[j])} only when
     * both arrays share the index, hence the copies (k·n values, small beside the m·k·n multiply-adds).
     */
    static void portable(float[] a, int ao, float[] b, int bo, float[] c, int co, int m, int k, int n,
            boolean transposeA, boolean transposeB, int i0, int i1, int j0, int j1) {
        int width = Math.min(PORTABLE_COLUMNS, j1 - j0);
        float[][] rows = new float[k][width];
        float[] acc = new float[width];
        for (int jc = j0; jc < j1; jc += width) {
            int w = Math.min(width, j1 - jc);
            for (int p = 0; p < k; p++) {
                float[] row = rows[p];
                if (transposeB) {
                    for (int j = 0; j < w; j++) {
                        row[j] = b[bo + (jc + j) * k + p];
                    }
                } else {
                    System.arraycopy(b, bo + p * n + jc, row, 0, w);
                }
            }
            for (int i = i0; i < i1; i++) {
                Arrays.fill(acc, 0f);
                for (int p = 0; p < k; p++) {
                    float aip = transposeA ? a[ao + p * m + i] : a[ao + i * k + p];
                    float[] row = rows[p];
                    for (int j = 0; j < width; j++) {
                        acc[j] = Math.fma(aip, row[j], acc[j]);
                    }
                }
                System.arraycopy(acc, 0, c, co + i * n + jc, w);
            }
        }
    }

    private static boolean vectorUsable() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return false;
        }
        try {
            return VectorMatMul.usable();
        } catch (LinkageError e) {
            return false;
        }
    }
}
