package io.tapeflow.nn;

import io.tapeflow.engine.Rng;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * W3: one epoch of an MLP 784-256-256-10 (relu) with softmax cross-entropy on 60 000 random rows, batch 256 (235
 * steps), SGD 0.01, data already in memory, from fresh parameters. samples/s = 60 000 / seconds; nominal GFLOP/s =
 * 96.6 / seconds (the reference counts 3 × the forward matmul FLOPs: 3 · 2 · 60 000 · (784·256 + 256·256 + 256·10)).
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g", "-Xms4g"})
@State(Scope.Thread)
public class MlpBenchmarks {

    static final int ROWS = 60_000;
    static final int FEATURES = 784;
    static final int CLASSES = 10;

    @Param({"EAGER", "GRAPH"})
    public ExecutionMode execution;

    private float[] features;
    private float[] labels;
    private Sequential model;

    @Setup(Level.Trial)
    public void data() {
        Rng rng = new Rng(3);
        features = new float[ROWS * FEATURES];
        for (int i = 0; i < features.length; i++) {
            features[i] = rng.uniform(0f, 1f);
        }
        labels = new float[ROWS * CLASSES];
        for (int r = 0; r < ROWS; r++) {
            labels[r * CLASSES + (int) (rng.uniform(0f, 1f) * CLASSES) % CLASSES] = 1f;
        }
    }

    @Setup(Level.Invocation)
    public void model() {
        model = Sequential.mlp(FEATURES, new int[] {256, 256}, Activation.RELU, CLASSES, Activation.LINEAR,
                Initializer.GLOROT_UNIFORM, new Rng(1));
    }

    /** W3: a whole epoch (235 steps). */
    @Benchmark
    public FitResult w3Mlp() {
        FitConfig config = FitConfig.of(Loss.SOFTMAX_CROSSENTROPY, OptimizerConfig.sgd(0.01f), 1, 256, 1)
                .withExecution(execution);
        return Trainer.fit(model, features, labels, config, FitListener.NONE);
    }

    /**
     * W3 as a multi-class model is served: the same data and layers with a softmax output, trained with the fused
     * sparse categorical cross-entropy on one class-index column (the same classes as W3's one-hot labels), graph
     * mode only. Against {@link #w3Mlp} GRAPH it prices the in-graph one-hot of the indices, the label validation and
     * the sparse accuracy. (JMH reads the benchmark annotations of the class that declares the method, so they are
     * repeated here.)
     */
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 3)
    @Measurement(iterations = 5)
    @Fork(value = 1, jvmArgsAppend = {"-Xmx4g", "-Xms4g"})
    @State(Scope.Thread)
    public static class Softmax {

        private float[] features;
        private float[] labels;
        private Sequential model;

        @Setup(Level.Trial)
        public void data() {
            MlpBenchmarks oneHot = new MlpBenchmarks();
            oneHot.data();
            features = oneHot.features;
            labels = new float[ROWS];
            for (int r = 0; r < ROWS; r++) {
                for (int c = 0; c < CLASSES; c++) {
                    labels[r] += c * oneHot.labels[r * CLASSES + c];
                }
            }
        }

        @Setup(Level.Invocation)
        public void model() {
            model = Sequential.mlp(FEATURES, new int[] {256, 256}, Activation.RELU, CLASSES, Activation.SOFTMAX,
                    Initializer.GLOROT_UNIFORM, new Rng(1));
        }

        /** W3 softmax: a whole epoch (235 steps), sparse labels, graph mode. */
        @Benchmark
        public FitResult w3SoftmaxSparse() {
            FitConfig config = FitConfig.of(Loss.SPARSE_CATEGORICAL_CROSSENTROPY, OptimizerConfig.sgd(0.01f), 1, 256,
                    1).withExecution(ExecutionMode.GRAPH);
            return Trainer.fit(model, features, labels, config, FitListener.NONE);
        }
    }
}
