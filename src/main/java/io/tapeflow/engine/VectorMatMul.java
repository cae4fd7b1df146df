package io.tapeflow.engine;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The cache-blocked product on {@code jdk.incubator.vector} (loaded only when that module is present; see
 * {@link MatMulKernels}). GotoBLAS/BLIS structure: for each block of NC columns and KC terms, op(B) is packed into
 * KC×NR panels (L3), for each block of MC rows op(A) into KC×MR panels (L2), block sizes from this CPU's caches
 * ({@link CacheBlocking}), and a 6×NR micro-kernel keeps its
 * tile of C in twelve vector registers while it streams one A panel and one B panel (L1). Panels are zero-padded, so
 * edge tiles run the same kernel into a scratch tile. Packing reads either layout of A and B, so transposed operands
 * cost nothing extra.
 */
final class VectorMatMul {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int L = SPECIES.length();

    /** Micro-tile: 6 rows × 2 vectors, twelve accumulators (of 16 or 32 vector registers). */
    static final int MR = 6;
    static final int NR = 2 * L;

    /** Block sizes for this CPU's caches (the same bits with any: see {@link CacheBlocking}). */
    static final CacheBlocking BLOCKING = CacheBlocking.forTile(CacheBlocking.Caches.detect(), MR, NR);

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
        float[] pa = new float[kc * MR];
        float[] pb = new float[kc * NR];
        float[] c = new float[MR * NR];
        for (int i = 0; i < 30_000; i++) {
            kernel(pa, 0, pb, 0, kc, c, 0, NR, (i & 1) == 0);
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
        float[] pa = grown(scratch, 0, blockK * Math.min(blockM, (i1 - i0 + MR - 1) / MR * MR));
        float[] pb = grown(scratch, 1, blockK * Math.min(blockN, (j1 - j0 + NR - 1) / NR * NR));
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
                            int pao = ir * kc;
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

    private static float[] grown(float[][] scratch, int slot, int length) {
        if (scratch[slot].length < length) {
            scratch[slot] = new float[length];
        }
        return scratch[slot];
    }

    /**
     * op(A)[ic.., pc..] into row panels: panel r holds rows ic+r·MR…, term-major ({@code p·MR + row}). The source is
     * read along its rows in both layouts; the writes land in the small packed block.
     */
    private static void packA(float[] a, int ao, int m, int k, boolean transposeA, int ic, int mc, int pc, int kc,
            float[] pa) {
        if (transposeA) {
            packTransposedA(a, ao, m, ic, mc, pc, kc, pa);
            return;
        }
        for (int ir = 0; ir < mc; ir += MR) {
            int mr = Math.min(MR, mc - ir);
            int base = ir * kc;
            if (mr == MR) {
                // The six rows side by side, so every write is sequential (row by row, each wrote every sixth slot).
                int r0 = ao + (ic + ir) * k + pc;
                for (int p = 0, dst = base; p < kc; p++, dst += MR) {
                    pa[dst] = a[r0 + p];
                    pa[dst + 1] = a[r0 + k + p];
                    pa[dst + 2] = a[r0 + 2 * k + p];
                    pa[dst + 3] = a[r0 + 3 * k + p];
                    pa[dst + 4] = a[r0 + 4 * k + p];
                    pa[dst + 5] = a[r0 + 5 * k + p];
                }
            } else {
                java.util.Arrays.fill(pa, base, base + kc * MR, 0f);
                for (int r = 0; r < mr; r++) {
                    for (int p = 0, src = ao + (ic + ir + r) * k + pc, dst = base + r; p < kc;
                            p++, src++, dst += MR) {
                        pa[dst] = a[src];
                    }
                }
            }
        }
    }

    /**
     * A transposed A (a weight matrix in the forward pass) holds each term's mc values side by side: read them as one
     * run per term and deal them out to the panels. Panel by panel, each term's six values cost a cache line read
     * from L2 (a System.arraycopy call per six floats cost as much as the product's arithmetic).
     */
    private static void packTransposedA(float[] a, int ao, int m, int ic, int mc, int pc, int kc, float[] pa) {
        int full = mc / MR * MR;
        if (full < mc) {
            java.util.Arrays.fill(pa, full * kc, full * kc + kc * MR, 0f);
        }
        for (int p = 0; p < kc; p++) {
            int src = ao + (pc + p) * m + ic;
            int ir = 0;
            for (int dst = p * MR; ir < full; ir += MR, src += MR, dst += MR * kc) {
                pa[dst] = a[src];
                pa[dst + 1] = a[src + 1];
                pa[dst + 2] = a[src + 2];
                pa[dst + 3] = a[src + 3];
                pa[dst + 4] = a[src + 4];
                pa[dst + 5] = a[src + 5];
            }
            for (int r = 0, dst = full * kc + p * MR; ir + r < mc; r++) {
                pa[dst + r] = a[src + r];
            }
        }
    }

    /** op(B)[pc.., jc..] into column panels: panel t holds columns jc+t·NR…, term-major ({@code p·NR + col}). */
    private static void packB(float[] b, int bo, int k, int n, boolean transposeB, int pc, int kc, int jc, int nc,
            float[] pb) {
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            int base = jr * kc;
            if (nr < NR) {
                java.util.Arrays.fill(pb, base, base + kc * NR, 0f);
            }
            if (transposeB) {
                // Column by column, each read along its row of the stored B (term by term, every read was a new row).
                for (int t = 0; t < nr; t++) {
                    for (int p = 0, src = bo + (jc + jr + t) * k + pc, dst = base + t; p < kc;
                            p++, src++, dst += NR) {
                        pb[dst] = b[src];
                    }
                }
            } else {
                for (int p = 0; p < kc; p++) {
                    System.arraycopy(b, bo + (pc + p) * n + jc + jr, pb, base + p * NR, nr);
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

    /** The 6×NR tile at {@code c[co]} (row stride ldc) = its old value (or +0) + kc terms, one FMA per term. */
    private static void kernel(float[] pa, int pao, float[] pb, int pbo, int kc, float[] c, int co, int ldc,
            boolean accumulate) {
        FloatVector c00;
        FloatVector c01;
        FloatVector c10;
        FloatVector c11;
        FloatVector c20;
        FloatVector c21;
        FloatVector c30;
        FloatVector c31;
        FloatVector c40;
        FloatVector c41;
        FloatVector c50;
        FloatVector c51;
        if (accumulate) {
            c00 = FloatVector.fromArray(SPECIES, c, co);
            c01 = FloatVector.fromArray(SPECIES, c, co + L);
            c10 = FloatVector.fromArray(SPECIES, c, co + ldc);
            c11 = FloatVector.fromArray(SPECIES, c, co + ldc + L);
            c20 = FloatVector.fromArray(SPECIES, c, co + 2 * ldc);
            c21 = FloatVector.fromArray(SPECIES, c, co + 2 * ldc + L);
            c30 = FloatVector.fromArray(SPECIES, c, co + 3 * ldc);
            c31 = FloatVector.fromArray(SPECIES, c, co + 3 * ldc + L);
            c40 = FloatVector.fromArray(SPECIES, c, co + 4 * ldc);
            c41 = FloatVector.fromArray(SPECIES, c, co + 4 * ldc + L);
            c50 = FloatVector.fromArray(SPECIES, c, co + 5 * ldc);
            c51 = FloatVector.fromArray(SPECIES, c, co + 5 * ldc + L);
        } else {
            FloatVector zero = FloatVector.zero(SPECIES);
            c00 = zero;
            c01 = zero;
            c10 = zero;
            c11 = zero;
            c20 = zero;
            c21 = zero;
            c30 = zero;
            c31 = zero;
            c40 = zero;
            c41 = zero;
            c50 = zero;
            c51 = zero;
        }
        for (int p = 0; p < kc; p++) {
            int bp = pbo + p * NR;
            int ap = pao + p * MR;
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
    }
}
