package io.tapeflow.engine;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** The single-threaded matmul kernel on n×n matrices: GFLOP/s = 2n³ / (ms per op · 1e6). */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@State(Scope.Thread)
public class MatmulBenchmarks {

    @Param({"256"})
    public int n;

    @Param({"false"})
    public boolean transposeB;

    private float[] a;
    private float[] b;
    private float[] c;

    @Setup
    public void data() {
        Rng rng = new Rng(1);
        a = Tensor.uniform(rng, -1, 1, n, n).toArray();
        b = Tensor.uniform(rng, -1, 1, n, n).toArray();
        c = new float[n * n];
    }

    @Benchmark
    public float[] matmul() {
        Kernels.matmul(a, 0, b, 0, c, 0, n, n, n, false, transposeB);
        return c;
    }
}
