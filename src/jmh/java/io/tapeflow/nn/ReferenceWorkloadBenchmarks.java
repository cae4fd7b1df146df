package io.tapeflow.nn;

import io.tapeflow.engine.Rng;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The reference's two training loops, whole fits from fresh parameters, data already in memory (as the reference
 * figures are measured). One invocation is one complete fit: W1 = 8 000 steps, W2 = 24 000 steps; divide the
 * reported seconds by the step count for µs per step.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Thread)
public class ReferenceWorkloadBenchmarks {

    @Param({"EAGER", "GRAPH"})
    public ExecutionMode execution;

    private ReferenceData linear;
    private ReferenceData rings;
    private Sequential linearModel;
    private Sequential ringsModel;

    @Setup(Level.Trial)
    public void data() {
        linear = ReferenceData.linear(1);
        rings = ReferenceData.rings(1);
    }

    @Setup(Level.Invocation)
    public void models() {
        linearModel = Sequential.linear(2, 1, Initializer.NORMAL, new Rng(1));
        ringsModel = Sequential.mlp(2, new int[] {4, 8}, Activation.RELU, 1, Activation.SIGMOID,
                Initializer.TRUNCATED_NORMAL, new Rng(1));
    }

    /** W1: linear regression, 400 rows, batch 10, 200 epochs of SGD 0.001 (8 000 steps). */
    @Benchmark
    public FitResult w1LinearRegression() {
        FitConfig config = FitConfig.of(Loss.HALF_MSE, OptimizerConfig.sgd(0.001f), 200, 10, 1)
                .withExecution(execution);
        return Trainer.fit(linearModel, linear.features(), linear.labels(), config, FitListener.NONE);
    }

    /** W2: rings DNN 2-4-8-1, 4 000 rows, batch 100, 600 epochs of SGD 0.001 (24 000 steps). */
    @Benchmark
    public FitResult w2RingsDnn() {
        FitConfig config = FitConfig.of(Loss.BINARY_CROSSENTROPY, OptimizerConfig.sgd(0.001f), 600, 100, 1)
                .withExecution(execution);
        return Trainer.fit(ringsModel, rings.features(), rings.labels(), config, FitListener.NONE);
    }
}
