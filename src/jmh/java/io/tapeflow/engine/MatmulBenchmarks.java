package io.tapeflow.engine;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The matmul kernel on n×n matrices: GFLOP/s = 2n³ / (ms per op · 1e6). {@code matmul} is the published entry point
 * (vector kernel when available, one band per core for large products); {@code blocked} pins the micro-kernel
 * ({@code vector}) and the number of threads, to compare the paths; {@code termBlocks} runs the vector kernel on one
 * thread with this CPU's blocks or with at most {@code kc} terms per block, in either layout of A and B.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class MatmulBenchmarks {

    @Param({"256", "512", "1024"})
    public int n;

    @Param({"false"})
    public boolean transposeB;

    @Param({"true"})
    public boolean vector;

    @Param({"1"})
    public int threads;

    @Param({"false"})
    public boolean transposeA;

    /** For {@code termBlocks}: 0 for this CPU's blocks, else at most this many terms per block. */
    @Param({"0"})
    public int kc;

    private CacheBlocking blocks;

    private float[] a;
    private float[] b;
    private float[] c;

    @Setup
    public void data() {
        Rng rng = new Rng(1);
        a = Tensor.uniform(rng, -1, 1, n, n).toArray();
        b = Tensor.uniform(rng, -1, 1, n, n).toArray();
        c = new float[n * n];
        if (MatMulKernels.vectorized()) {
            CacheBlocking chosen = VectorMatMul.BLOCKING;
            blocks = kc == 0 ? chosen : CacheBlocking.forTile(chosen.caches(), VectorMatMul.MR, VectorMatMul.A_STRIDE,
                    VectorMatMul.NR, kc);
        }
    }

    @Benchmark
    public float[] matmul() {
        MatMulKernels.matmul(a, 0, b, 0, c, 0, n, n, n, transposeA, transposeB);
        return c;
    }

    @Benchmark
    public float[] termBlocks() {
        if (blocks == null) {
            throw new IllegalStateException("termBlocks needs the vector kernel: --add-modules jdk.incubator.vector");
        }
        VectorMatMul.multiply(blocks, a, 0, b, 0, c, 0, n, n, n, transposeA, transposeB, 0, n, 0, n);
        return c;
    }

    @Benchmark
    public float[] blocked() {
        MatMulKernels.blocked(a, 0, b, 0, c, 0, n, n, n, transposeA, transposeB, vector, threads);
        return c;
    }
}
