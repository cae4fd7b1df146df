package io.tapeflow.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The matmul kernels against a double-accumulating reference, in every layout, at sizes that straddle the micro-tile
 * (5 × 16 or 12 × 32), the term block (64–1024) and the row and column blocks ({@link CacheBlocking}: 20–768 rows,
 * 128–1024 columns, from the caches); and the claim that every path
 * (plain loops, portable blocked, vector blocked, one band or one per core) gives the same bits.
 */
class MatMulKernelsTests {

    static Stream<Arguments> sizes() {
        int[][] mkn = {
            {1, 1, 1}, {3, 5, 2}, {7, 3, 5}, {1, 700, 1}, {1, 300, 1000}, {1000, 300, 1},
            {6, 256, 32}, {5, 255, 31}, {7, 257, 33}, {12, 512, 64}, {13, 513, 65}, {25, 300, 70},
            {96, 256, 512}, {97, 100, 513}, {95, 31, 511}, {200, 300, 200}, {130, 600, 70}, {11, 1100, 40},
        };
        Stream.Builder<Arguments> all = Stream.builder();
        for (int[] s : mkn) {
            for (int layout = 0; layout < 4; layout++) {
                all.add(Arguments.of(s[0], s[1], s[2], (layout & 2) != 0, (layout & 1) != 0));
            }
        }
        return all.build();
    }

    @ParameterizedTest(name = "{0}x{1}x{2} transposeA={3} transposeB={4}")
    @MethodSource("sizes")
    void everyPathMatchesTheReferenceAndEveryOtherPathBitForBit(int m, int k, int n, boolean transposeA,
            boolean transposeB) {
        Rng rng = new Rng(m * 1_000_003L + k * 1009L + n);
        int ao = 3;
        int bo = 5;
        int co = 7;
        float[] a = withOffset(Tensor.uniform(rng, -1, 1, m * k).toArray(), ao);
        float[] b = withOffset(Tensor.uniform(rng, -1, 1, k * n).toArray(), bo);

        float[] plain = product(a, ao, b, bo, co, m, k, n, transposeA, transposeB, Path.PLAIN, 1);
        assertCloseToReference(plain, a, ao, b, bo, co, m, k, n, transposeA, transposeB);
        for (Path path : new Path[] {Path.PORTABLE, Path.VECTOR}) {
            for (int threads : new int[] {1, 2, 3}) {
                float[] c = product(a, ao, b, bo, co, m, k, n, transposeA, transposeB, path, threads);
                assertThat(bits(c)).as("%s with %d threads", path, threads).isEqualTo(bits(plain));
            }
        }
        float[] published = new float[co + m * n];
        Arrays.fill(published, Float.NaN);
        MatMulKernels.matmul(a, ao, b, bo, published, co, m, k, n, transposeA, transposeB);
        assertThat(bits(Arrays.copyOfRange(published, co, co + m * n))).isEqualTo(bits(plain));
        assertThat(Arrays.copyOfRange(published, 0, co)).containsOnly(Float.NaN);
    }

    /**
     * A graph's weight gradient over the batch, {@code Aᵀ·B} on feature rows, gives eager's matmul bits on the vector
     * path and the portable one: lanes over units or over inputs, widths off any vector size, a short or empty batch.
     */
    @ParameterizedTest(name = "{0} inputs x {1} units over {2} rows")
    @org.junit.jupiter.params.provider.CsvSource({"2, 4, 100", "4, 8, 100", "8, 1, 100", "1, 1, 7", "3, 5, 33",
        "17, 3, 64", "5, 40, 129", "33, 17, 10", "6, 9, 0"})
    void productOverBatchGivesEagersMatmulBits(int m, int units, int n) {
        Rng rng = new Rng(m * 31L + units * 7L + n);
        float[][] a = new float[m][n + 3]; // rows longer than the batch, as a plan's buffers are
        float[][] b = new float[units][n + 3];
        float[] aRowMajor = new float[n * m];
        float[] bRowMajor = new float[n * units];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < m; p++) {
                a[p][i] = rng.uniform(-2f, 2f);
                aRowMajor[i * m + p] = a[p][i];
            }
            for (int j = 0; j < units; j++) {
                b[j][i] = rng.uniform(-2f, 2f);
                bRowMajor[i * units + j] = b[j][i];
            }
        }
        float[] eager = new float[m * units];
        MatMulKernels.matmul(aRowMajor, 0, bRowMajor, 0, eager, 0, m, n, units, true, false);
        float[] scratch = new float[Kernels.productOverBatchScratch(m, units, n)];
        float[] portable = new float[m * units];
        Kernels.portableProductOverBatch(a, m, b, units, n, portable);
        assertThat(bits(portable)).isEqualTo(bits(eager));
        float[] published = new float[m * units];
        Kernels.productOverBatch(a, m, b, units, n, published, scratch);
        assertThat(bits(published)).isEqualTo(bits(eager));
        if (MatMulKernels.vectorized()) {
            float[] vector = new float[m * units];
            Arrays.fill(scratch, Float.NaN); // a stale scratch must not matter
            VectorMath.productOverBatch(a, m, b, units, n, vector, scratch);
            assertThat(bits(vector)).isEqualTo(bits(eager));
        }
    }

    /** Training jobs on several workers share the band helpers: a busy helper means the caller computes the band. */
    @Test
    void concurrentCallersShareTheHelpersAndGetTheSingleThreadedBits() throws Exception {
        int m = 200;
        int k = 300;
        int n = 180;
        Rng rng = new Rng(11);
        float[] a = Tensor.uniform(rng, -1, 1, m * k).toArray();
        float[] b = Tensor.uniform(rng, -1, 1, k * n).toArray();
        float[] expected = new float[m * n];
        MatMulKernels.blocked(a, 0, b, 0, expected, 0, m, k, n, false, true, MatMulKernels.vectorized(), 1);
        ExecutorService callers = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int caller = 0; caller < 4; caller++) {
                results.add(callers.submit(() -> {
                    boolean same = true;
                    for (int i = 0; i < 50; i++) {
                        float[] c = new float[m * n];
                        MatMulKernels.matmul(a, 0, b, 0, c, 0, m, k, n, false, true);
                        same &= Arrays.equals(bits(c), bits(expected));
                    }
                    return same;
                }));
            }
            for (Future<Boolean> result : results) {
                assertThat(result.get(60, TimeUnit.SECONDS)).isTrue();
            }
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void theVectorKernelIsInUseUnderTheBuild() {
        assertThat(MatMulKernels.vectorized())
                .as("surefire runs with --add-modules jdk.incubator.vector, so the SIMD kernel must be active")
                .isTrue();
    }

    @Test
    void anEmptySumIsZeroAndEmptyProductsTouchNothing() {
        for (Path path : Path.values()) {
            assertThat(product(new float[0], 0, new float[0], 0, 0, 300, 0, 200, false, false, path, 2))
                    .containsOnly(0f).hasSize(300 * 200);
            assertThat(product(new float[0], 0, new float[5], 0, 0, 0, 5, 1, false, false, path, 2)).isEmpty();
        }
    }

    @Test
    void aNonFiniteValueSpoilsOnlyItsOwnRowOrColumn() {
        int m = 100;
        int k = 300;
        int n = 70;
        Rng rng = new Rng(9);
        float[] a = Tensor.uniform(rng, -1, 1, m * k).toArray();
        float[] b = Tensor.uniform(rng, -1, 1, k * n).toArray();
        a[97 * k + 11] = Float.NaN;
        b[12 * n + 69] = Float.POSITIVE_INFINITY;
        for (Path path : Path.values()) {
            float[] c = product(a, 0, b, 0, 0, m, k, n, false, false, path, 2);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    assertThat(Float.isFinite(c[i * n + j])).as("%s c[%d][%d]", path, i, j)
                            .isEqualTo(i != 97 && j != 69);
                }
            }
        }
    }

    @Test
    void batchedMatmulMultipliesEachMatrixOfTheBatch() {
        Rng rng = new Rng(4);
        Tensor x = Tensor.uniform(rng, -1, 1, 3, 40, 70);
        Tensor y = Tensor.uniform(rng, -1, 1, 3, 50, 70);
        Tensor z = Ops.matmul(x, y, false, true);
        assertThat(z.shape()).containsExactly(3, 40, 50);
        for (int bt = 0; bt < 3; bt++) {
            float[] xs = Ops.slice(x, new int[] {bt, 0, 0}, new int[] {1, 40, 70}).toArray();
            float[] ys = Ops.slice(y, new int[] {bt, 0, 0}, new int[] {1, 50, 70}).toArray();
            float[] expected = product(xs, 0, ys, 0, 0, 40, 70, 50, false, true, Path.PLAIN, 1);
            float[] actual = Ops.slice(z, new int[] {bt, 0, 0}, new int[] {1, 40, 50}).toArray();
            assertThat(bits(actual)).isEqualTo(bits(expected));
        }
    }

    @Test
    void repeatedRunsGiveTheSameBits() {
        Rng rng = new Rng(11);
        int m = 256;
        int k = 784;
        int n = 256;
        float[] a = Tensor.normal(rng, 0, 1, m * k).toArray();
        float[] b = Tensor.normal(rng, 0, 1, k * n).toArray();
        float[] first = new float[m * n];
        MatMulKernels.matmul(a, 0, b, 0, first, 0, m, k, n, true, false);
        for (int run = 0; run < 5; run++) {
            float[] again = new float[m * n];
            MatMulKernels.matmul(a, 0, b, 0, again, 0, m, k, n, true, false);
            assertThat(bits(again)).isEqualTo(bits(first));
        }
    }

    enum Path { PLAIN, PORTABLE, VECTOR }

    private static float[] product(float[] a, int ao, float[] b, int bo, int co, int m, int k, int n,
            boolean transposeA, boolean transposeB, Path path, int threads) {
        float[] c = new float[co + m * n];
        Arrays.fill(c, Float.NaN);
        if (path == Path.PLAIN) {
            MatMulKernels.small(a, ao, b, bo, c, co, m, k, n, transposeA, transposeB);
        } else {
            MatMulKernels.blocked(a, ao, b, bo, c, co, m, k, n, transposeA, transposeB, path == Path.VECTOR,
                    threads);
        }
        return Arrays.copyOfRange(c, co, co + m * n);
    }

    private static void assertCloseToReference(float[] c, float[] a, int ao, float[] b, int bo, int co, int m, int k,
            int n, boolean transposeA, boolean transposeB) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                double magnitude = 0;
                for (int p = 0; p < k; p++) {
                    double x = a[ao + (transposeA ? p * m + i : i * k + p)];
                    double y = b[bo + (transposeB ? j * k + p : p * n + j)];
                    sum += x * y;
                    magnitude += Math.abs(x * y);
                }
                // k roundings of at most half an ulp each, relative to the sum of the terms' magnitudes
                double bound = k * 0x1p-24 * magnitude + Float.MIN_NORMAL;
                assertThat((double) c[i * n + j]).as("c[%d][%d]", i, j).isCloseTo(sum,
                        org.assertj.core.api.Assertions.within(bound));
            }
        }
    }

    private static float[] withOffset(float[] values, int offset) {
        float[] out = new float[offset + values.length];
        Arrays.fill(out, 0, offset, Float.NaN);
        System.arraycopy(values, 0, out, offset, values.length);
        return out;
    }

    static int[] bits(float[] values) {
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Float.floatToRawIntBits(values[i]);
        }
        return out;
    }
}
