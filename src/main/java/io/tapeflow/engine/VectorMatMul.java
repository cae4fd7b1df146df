package io.tapeflow.engine;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The cache-blocked product on {@code jdk.incubator.vector} (loaded only when that module is present; see
 * {@link MatMulKernels}). GotoBLAS/BLIS structure: for each block of NC columns and KC terms, op(B) is packed into
 * KC×NR panels (L3), for each block of MC rows op(A) into KC×A_STRIDE panels (L2), block sizes from this CPU's caches
 * ({@link CacheBlocking}), and an MR×NR micro-kernel keeps its tile of C in vector registers while it streams one A
 * panel and one B panel (from L2 and L1). Panels are zero-padded, so edge tiles run the same kernel into a scratch
 * tile. Packing reads either layout of A and B, so transposed operands cost nothing extra.
 */
final class VectorMatMul {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int L = SPECIES.length();

    /**
     * Micro-tile: MR rows × 2 vectors. AVX-512 has 32 vector registers: 12×2 accumulators, which on Zen 4 took one
     * thread from 59–74 to 77–83 GFLOP/s at n = 512–1024 (JMH MatmulBenchmarks; OpenBLAS 83–94 beside it). AVX2 has
     * 16: 5×2 accumulators, two of B and up to four broadcasts of A, because C2 (JDK 17) schedules a row's broadcast
     * ahead of its use; with 6×2 that leaves no register free, and where the loop carried no bounds check to hold the
     * order it spilled an accumulator and ran at half speed (docs/benchmarks.md, 2026-12-03, Zen 3).
     */
    static final int MR = L >= 16 ? 12 : 5;
    static final int NR = 2 * L;

    /**
     * Floats per term in a packed A panel (the slots after MR are never read). A power of two makes
     * {@code p · A_STRIDE} a shift, which C2's range-check elimination reads as linear in p, so the AVX2 loop carries
     * no bounds check; C2 rewrites p · 5 as a shift and an add (p · 6 as two shifts and an add), and then checks
     * A's loads in the loop. 12 stays 12, the stride measured on Zen 4 (16 is untried there).
     */
    static final int A_STRIDE = MR == 5 ? 8 : MR;

    /** Block sizes for this CPU's caches (the same bits with any: see {@link CacheBlocking}). */
    static final CacheBlocking BLOCKING = CacheBlocking.forTile(CacheBlocking.Caches.detect(), MR, A_STRIDE, NR);

    /**
     * Per thread: the packed blocks of A and B, each grown to the largest this thread has needed (so a request
     * thread that predicts a few rows never holds MC×KC + KC×NC), and an edge tile.
     */
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(
            () -> new float[][] {new float[0], new float[0], new float[MR * NR]});

    static {
        // Until C2 has compiled kernel(), the Vector API runs as allocating Java code, tens of times slower: the
        // first large products of a fresh JVM took seconds (W3's first epoch: 15 s instead of 1.5 s). Tiny products
        // on a daemon thread get it compiled within a second or so of the first matmul, off the caller's path; then
        // VectorMath's loops, which callers take only once this thread is done (MatMulKernels.vectorReady()).
        Thread warmUp = new Thread(VectorMatMul::warmUp, "tapeflow-matmul-warm-up");
        warmUp.setDaemon(true);
        warmUp.start();
    }

    private static volatile boolean warm;

    private VectorMatMul() {
    }

    /** Whether the warm-up thread is done: the vector code has run often enough for C2 to compile it. */
    static boolean warm() {
        return warm;
    }

    private static void warmUp() {
        int kc = 16;
        float[] pa = new float[kc * A_STRIDE];
        float[] pb = new float[kc * NR];
        float[] c = new float[MR * NR];
        for (int i = 0; i < 30_000; i++) {
            kernel(pa, 0, pb, 0, kc, c, 0, NR, (i & 1) == 0);
        }
        // The packing's vector copies too (row-major B, transposed A), for the same reason.
        int m = 2 * MR;
        int n = 2 * NR;
        float[] a = new float[m * kc];
        float[] b = new float[kc * n];
        float[] product = new float[m * n];
        for (int i = 0; i < 3_000; i++) {
            multiply(a, 0, b, 0, product, 0, m, kc, n, (i & 1) == 0, false, 0, m, 0, n);
        }
        VectorMath.warmUp();
        warm = true;
    }

    /** Worth using only where a vector holds at least 8 floats (AVX2 or wider). */
    static boolean usable() {
        return L >= 8;
    }

    static void multiply(float[] a, int ao, float[] b, int bo, float[] c, int co, int m, int k, int n,
            boolean transposeA, boolean transposeB, int i0, int i1, int j0, int j1) {
        multiply(BLOCKING, a, ao, b, bo, c, co, m, k, n, transposeA, transposeB, i0, i1, j0, j1);
    }

    /** With the given blocks (tests show that any blocks give the same bits). */
    static void multiply(CacheBlocking blocks, float[] a, int ao, float[] b, int bo, float[] c, int co, int m, int k,
            int n, boolean transposeA, boolean transposeB, int i0, int i1, int j0, int j1) {
        int blockK = blocks.kc();
        int blockM = blocks.mc();
        int blockN = blocks.nc();
        float[][] scratch = SCRATCH.get();
        int terms = Math.min(blockK, k);
        float[] pa = grown(scratch, 0, terms * tiles(Math.min(blockM, i1 - i0), MR) * A_STRIDE);
        float[] pb = grown(scratch, 1, terms * tiles(Math.min(blockN, j1 - j0), NR) * NR);
        float[] tile = scratch[2];
        for (int jc = j0; jc < j1; jc += blockN) {
            int nc = Math.min(blockN, j1 - jc);
            for (int pc = 0; pc < k; pc += blockK) {
                int kc = Math.min(blockK, k - pc);
                boolean accumulate = pc > 0;
                packB(b, bo, k, n, transposeB, pc, kc, jc, nc, pb);
                for (int ic = i0; ic < i1; ic += blockM) {
                    int mc = Math.min(blockM, i1 - ic);
                    packA(a, ao, m, k, transposeA, ic, mc, pc, kc, pa);
                    for (int jr = 0; jr < nc; jr += NR) {
                        int nr = Math.min(NR, nc - jr);
                        int pbo = jr * kc;
                        for (int ir = 0; ir < mc; ir += MR) {
                            int mr = Math.min(MR, mc - ir);
                            int pao = ir / MR * kc * A_STRIDE;
                            int cij = co + (ic + ir) * n + jc + jr;
                            if (mr == MR && nr == NR) {
                                kernel(pa, pao, pb, pbo, kc, c, cij, n, accumulate);
                            } else {
                                edge(pa, pao, pb, pbo, kc, c, cij, n, mr, nr, accumulate, tile);
                            }
                        }
                    }
                }
            }
        }
    }

    /** Tiles of {@code size} that cover {@code extent}. */
    private static int tiles(int extent, int size) {
        return (extent + size - 1) / size;
    }

    private static float[] grown(float[][] scratch, int slot, int length) {
        if (scratch[slot].length < length) {
            scratch[slot] = new float[length];
        }
        return scratch[slot];
    }

    /**
     * op(A)[ic.., pc..] into row panels: panel r holds rows ic+r·MR…, term-major ({@code p·A_STRIDE + row}). The
     * source is read along its rows in both layouts; the writes land in the small packed block.
     */
    private static void packA(float[] a, int ao, int m, int k, boolean transposeA, int ic, int mc, int pc, int kc,
            float[] pa) {
        if (transposeA) {
            packTransposedA(a, ao, m, ic, mc, pc, kc, pa);
            return;
        }
        for (int ir = 0; ir < mc; ir += MR) {
            int mr = Math.min(MR, mc - ir);
            int base = ir / MR * kc * A_STRIDE;
            if (mr == MR) {
                // The MR rows side by side, so the writes run in order (row by row, each wrote every A_STRIDE-th slot).
                int r0 = ao + (ic + ir) * k + pc;
                for (int p = 0, dst = base; p < kc; p++, dst += A_STRIDE) {
                    for (int r = 0, src = r0 + p; r < MR; r++, src += k) {
                        pa[dst + r] = a[src];
                    }
                }
            } else {
                java.util.Arrays.fill(pa, base, base + kc * A_STRIDE, 0f);
                for (int r = 0; r < mr; r++) {
                    for (int p = 0, src = ao + (ic + ir + r) * k + pc, dst = base + r; p < kc;
                            p++, src++, dst += A_STRIDE) {
                        pa[dst] = a[src];
                    }
                }
            }
        }
    }

    /**
     * A transposed A (a weight matrix in the forward pass) holds each term's mc values side by side: read them as one
     * run per term and deal them out to the panels. Panel by panel, each term's MR values cost a cache line read
     * from L2 (a System.arraycopy call per panel's floats cost as much as the product's arithmetic).
     */
    private static void packTransposedA(float[] a, int ao, int m, int ic, int mc, int pc, int kc, float[] pa) {
        int fullPanels = mc / MR;
        int panel = kc * A_STRIDE;
        if (fullPanels * MR < mc) {
            java.util.Arrays.fill(pa, fullPanels * panel, fullPanels * panel + panel, 0f);
        }
        for (int p = 0; p < kc; p++) {
            int src = ao + (pc + p) * m + ic;
            int ir = 0;
            for (int dst = p * A_STRIDE; ir < fullPanels * MR; ir += MR, src += MR, dst += panel) {
                if (A_STRIDE == L && src + L <= a.length) {
                    // One vector per term: the rows after MR land in slots the kernel never reads.
                    FloatVector.fromArray(SPECIES, a, src).intoArray(pa, dst);
                } else {
                    for (int r = 0; r < MR; r++) {
                        pa[dst + r] = a[src + r];
                    }
                }
            }
            for (int r = 0, dst = fullPanels * panel + p * A_STRIDE; ir + r < mc; r++) {
                pa[dst + r] = a[src + r];
            }
        }
    }

    /** op(B)[pc.., jc..] into column panels: panel t holds columns jc+t·NR…, term-major ({@code p·NR + col}). */
    private static void packB(float[] b, int bo, int k, int n, boolean transposeB, int pc, int kc, int jc, int nc,
            float[] pb) {
        int full = nc / NR * NR;
        if (full < nc) {
            java.util.Arrays.fill(pb, full * kc, full * kc + kc * NR, 0f);
        }
        if (transposeB) {
            packTransposedB(b, bo, k, pc, kc, jc, nc, pb);
            return;
        }
        // Row by row across the panels, so each row of B is read as one run: panel by panel, every term's NR floats
        // came from another row, and on Zen 3 the work outside the micro-kernel took 18 % of a 512 × 512 product
        // instead of 10 %.
        for (int p = 0; p < kc; p++) {
            int src = bo + (pc + p) * n + jc;
            for (int jr = 0, dst = p * NR; jr < full; jr += NR, dst += kc * NR) {
                FloatVector.fromArray(SPECIES, b, src + jr).intoArray(pb, dst);
                FloatVector.fromArray(SPECIES, b, src + jr + L).intoArray(pb, dst + L);
            }
            if (full < nc) {
                System.arraycopy(b, src + full, pb, full * kc + p * NR, nc - full);
            }
        }
    }

    /**
     * A transposed B (a weight matrix in eager's backward pass, a gradient in a plan's weight update) holds each
     * column's terms side by side: panel by panel, term by term, so the writes run in order while the reads follow NR
     * rows of the stored B (column by column, the writes were NR floats apart, and a panel of 1024 terms overflowed
     * L1d).
     */
    private static void packTransposedB(float[] b, int bo, int k, int pc, int kc, int jc, int nc, float[] pb) {
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            int src = bo + (jc + jr) * k + pc;
            for (int p = 0, dst = jr * kc; p < kc; p++, dst += NR) {
                for (int t = 0; t < nr; t++) {
                    pb[dst + t] = b[src + t * k + p];
                }
            }
        }
    }

    /** A partial tile: copied into a zero-padded scratch tile, multiplied there, copied back. */
    private static void edge(float[] pa, int pao, float[] pb, int pbo, int kc, float[] c, int cij, int n, int mr,
            int nr, boolean accumulate, float[] tile) {
        java.util.Arrays.fill(tile, 0f);
        if (accumulate) {
            for (int r = 0; r < mr; r++) {
                System.arraycopy(c, cij + r * n, tile, r * NR, nr);
            }
        }
        kernel(pa, pao, pb, pbo, kc, tile, 0, NR, accumulate);
        for (int r = 0; r < mr; r++) {
            System.arraycopy(tile, r * NR, c, cij + r * n, nr);
        }
    }

    /**
     * The MR×NR tile at {@code c[co]} (row stride ldc) = its old value (or +0) + kc terms, one FMA per term. MR is a
     * constant, so C2 keeps one of the two bodies; they are written out because the accumulators must be locals to
     * live in registers.
     */
    private static void kernel(float[] pa, int pao, float[] pb, int pbo, int kc, float[] c, int co, int ldc,
            boolean accumulate) {
        if (MR == 12) {
            kernel12(pa, pao, pb, pbo, kc, c, co, ldc, accumulate);
        } else {
            kernel5(pa, pao, pb, pbo, kc, c, co, ldc, accumulate);
        }
    }

    private static void kernel5(float[] pa, int pao, float[] pb, int pbo, int kc, float[] c, int co, int ldc,
            boolean accumulate) {
        FloatVector zero = FloatVector.zero(SPECIES);
        FloatVector c00 = accumulate ? FloatVector.fromArray(SPECIES, c, co) : zero;
        FloatVector c01 = accumulate ? FloatVector.fromArray(SPECIES, c, co + L) : zero;
        FloatVector c10 = accumulate ? FloatVector.fromArray(SPECIES, c, co + ldc) : zero;
        FloatVector c11 = accumulate ? FloatVector.fromArray(SPECIES, c, co + ldc + L) : zero;
        FloatVector c20 = accumulate ? FloatVector.fromArray(SPECIES, c, co + 2 * ldc) : zero;
        FloatVector c21 = accumulate ? FloatVector.fromArray(SPECIES, c, co + 2 * ldc + L) : zero;
        FloatVector c30 = accumulate ? FloatVector.fromArray(SPECIES, c, co + 3 * ldc) : zero;
        FloatVector c31 = accumulate ? FloatVector.fromArray(SPECIES, c, co + 3 * ldc + L) : zero;
        FloatVector c40 = accumulate ? FloatVector.fromArray(SPECIES, c, co + 4 * ldc) : zero;
        FloatVector c41 = accumulate ? FloatVector.fromArray(SPECIES, c, co + 4 * ldc + L) : zero;
        for (int p = 0; p < kc; p++) {
            int bp = pbo + p * NR;
            int ap = pao + p * A_STRIDE;
            FloatVector b0 = FloatVector.fromArray(SPECIES, pb, bp);
            FloatVector b1 = FloatVector.fromArray(SPECIES, pb, bp + L);
            FloatVector ai = FloatVector.broadcast(SPECIES, pa[ap]);
            c00 = ai.fma(b0, c00);
            c01 = ai.fma(b1, c01);
            ai = FloatVector.broadcast(SPECIES, pa[ap + 1]);
            c10 = ai.fma(b0, c10);
            c11 = ai.fma(b1, c11);
            ai = FloatVector.broadcast(SPECIES, pa[ap + 2]);
            c20 = ai.fma(b0, c20);
            c21 = ai.fma(b1, c21);
            ai = FloatVector.broadcast(SPECIES, pa[ap + 3]);
            c30 = ai.fma(b0, c30);
            c31 = ai.fma(b1, c31);
            ai = FloatVector.broadcast(SPECIES, pa[ap + 4]);
            c40 = ai.fma(b0, c40);
            c41 = ai.fma(b1, c41);
        }
        c00.intoArray(c, co);
        c01.intoArray(c, co + L);
        c10.intoArray(c, co + ldc);
        c11.intoArray(c, co + ldc + L);
        c20.intoArray(c, co + 2 * ldc);
        c21.intoArray(c, co + 2 * ldc + L);
        c30.intoArray(c, co + 3 * ldc);
        c31.intoArray(c, co + 3 * ldc + L);
        c40.intoArray(c, co + 4 * ldc);
        c41.intoArray(c, co + 4 * ldc + L);
    }

    private static void kernel12(float[] pa, int pao, float[] pb, int pbo, int kc, float[] c, int co, int ldc,
            boolean accumulate) {
        FloatVector zero = FloatVector.zero(SPECIES);
        FloatVector c00 = accumulate ? FloatVector.fromArray(SPECIES, c, co) : zero;
        FloatVector c01 = accumulate ? FloatVector.fromArray(SPECIES, c, co + L) : zero;
        FloatVector c10 = accumulate ? FloatVector.fromArray(SPECIES, c, co + ldc) : zero;
        FloatVector c11 = accumulate ? FloatVector.fromArray(SPECIES, c, co + ldc + L) : zero;
        FloatVector c20 = accumulate ? FloatVector.fromArray(SPECIES, c, co + 2 * ldc) : zero;
        FloatVector c21 = accumulate ? FloatVector.fromArray(SPECIES, c, co + 2 * ldc + L) : zero;
        FloatVector c30 = accumulate ? FloatVector.fromArray(SPECIES, c, co + 3 * ldc) : zero;
        FloatVector c31 = accumulate ? FloatVector.fromArray(SPECIES, c, co + 3 * ldc + L) : zero;
        FloatVector c40 = accumulate ? FloatVector.fromArray(SPECIES, c, co + 4 * ldc) : zero;
        FloatVector c41 = accumulate ? FloatVector.fromArray(SPECIES, c, co + 4 * ldc + L) : zero;
        FloatVector c50 = accumulate ? FloatVector.fromArray(SPECIES, c, co + 5 * ldc) : zero;
        FloatVector c51 = accumulate ? FloatVector.fromArray(SPECIES, c, co + 5 * ldc + L) : zero;
        FloatVector c60 = accumulate ? FloatVector.fromArray(SPECIES, c, co + 6 * ldc) : zero;
        FloatVector c61 = accumulate ? FloatVector.fromArray(SPECIES, c, co + 6 * ldc + L) : zero;
        FloatVector c70 = accumulate ? FloatVector.fromArray(SPECIES, c, co + 7 * ldc) : zero;
        FloatVector c71 = accumulate ? FloatVector.fromArray(SPECIES, c, co + 7 * ldc + L) : zero;
        FloatVector c80 = accumulate ? FloatVector.fromArray(SPECIES, c, co + 8 * ldc) : zero;
        FloatVector c81 = accumulate ? FloatVector.fromArray(SPECIES, c, co + 8 * ldc + L) : zero;
        FloatVector c90 = accumulate ? FloatVector.fromArray(SPECIES, c, co + 9 * ldc) : zero;
        FloatVector c91 = accumulate ? FloatVector.fromArray(SPECIES, c, co + 9 * ldc + L) : zero;
        FloatVector c100 = accumulate ? FloatVector.fromArray(SPECIES, c, co + 10 * ldc) : zero;
        FloatVector c101 = accumulate ? FloatVector.fromArray(SPECIES, c, co + 10 * ldc + L) : zero;
        FloatVector c110 = accumulate ? FloatVector.fromArray(SPECIES, c, co + 11 * ldc) : zero;
        FloatVector c111 = accumulate ? FloatVector.fromArray(SPECIES, c, co + 11 * ldc + L) : zero;
        for (int p = 0; p < kc; p++) {
            int bp = pbo + p * NR;
            int ap = pao + p * A_STRIDE;
            FloatVector b0 = FloatVector.fromArray(SPECIES, pb, bp);
            FloatVector b1 = FloatVector.fromArray(SPECIES, pb, bp + L);
            FloatVector ai = FloatVector.broadcast(SPECIES, pa[ap]);
            c00 = ai.fma(b0, c00);
            c01 = ai.fma(b1, c01);
            ai = FloatVector.broadcast(SPECIES, pa[ap + 1]);
            c10 = ai.fma(b0, c10);
            c11 = ai.fma(b1, c11);
            ai = FloatVector.broadcast(SPECIES, pa[ap + 2]);
            c20 = ai.fma(b0, c20);
            c21 = ai.fma(b1, c21);
            ai = FloatVector.broadcast(SPECIES, pa[ap + 3]);
            c30 = ai.fma(b0, c30);
            c31 = ai.fma(b1, c31);
            ai = FloatVector.broadcast(SPECIES, pa[ap + 4]);
            c40 = ai.fma(b0, c40);
            c41 = ai.fma(b1, c41);
            ai = FloatVector.broadcast(SPECIES, pa[ap + 5]);
            c50 = ai.fma(b0, c50);
            c51 = ai.fma(b1, c51);
            ai = FloatVector.broadcast(SPECIES, pa[ap + 6]);
            c60 = ai.fma(b0, c60);
            c61 = ai.fma(b1, c61);
            ai = FloatVector.broadcast(SPECIES, pa[ap + 7]);
            c70 = ai.fma(b0, c70);
            c71 = ai.fma(b1, c71);
            ai = FloatVector.broadcast(SPECIES, pa[ap + 8]);
            c80 = ai.fma(b0, c80);
            c81 = ai.fma(b1, c81);
            ai = FloatVector.broadcast(SPECIES, pa[ap + 9]);
            c90 = ai.fma(b0, c90);
            c91 = ai.fma(b1, c91);
            ai = FloatVector.broadcast(SPECIES, pa[ap + 10]);
            c100 = ai.fma(b0, c100);
            c101 = ai.fma(b1, c101);
            ai = FloatVector.broadcast(SPECIES, pa[ap + 11]);
            c110 = ai.fma(b0, c110);
            c111 = ai.fma(b1, c111);
        }
        c00.intoArray(c, co);
        c01.intoArray(c, co + L);
        c10.intoArray(c, co + ldc);
        c11.intoArray(c, co + ldc + L);
        c20.intoArray(c, co + 2 * ldc);
        c21.intoArray(c, co + 2 * ldc + L);
        c30.intoArray(c, co + 3 * ldc);
        c31.intoArray(c, co + 3 * ldc + L);
        c40.intoArray(c, co + 4 * ldc);
        c41.intoArray(c, co + 4 * ldc + L);
        c50.intoArray(c, co + 5 * ldc);
        c51.intoArray(c, co + 5 * ldc + L);
        c60.intoArray(c, co + 6 * ldc);
        c61.intoArray(c, co + 6 * ldc + L);
        c70.intoArray(c, co + 7 * ldc);
        c71.intoArray(c, co + 7 * ldc + L);
        c80.intoArray(c, co + 8 * ldc);
        c81.intoArray(c, co + 8 * ldc + L);
        c90.intoArray(c, co + 9 * ldc);
        c91.intoArray(c, co + 9 * ldc + L);
        c100.intoArray(c, co + 10 * ldc);
        c101.intoArray(c, co + 10 * ldc + L);
        c110.intoArray(c, co + 11 * ldc);
        c111.intoArray(c, co + 11 * ldc + L);
    }
}
