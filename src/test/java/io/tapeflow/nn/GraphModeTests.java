package io.tapeflow.nn;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapeflow.engine.Rng;
import io.tapeflow.engine.Tensor;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Graph mode against eager mode on whole fits: same parameters, same losses, bit-identical from run to run. */
class GraphModeTests {

    static Stream<Arguments> configurations() {
        return Stream.of(
                Arguments.of("relu", "sigmoid", Loss.BINARY_CROSSENTROPY, OptimizerConfig.sgd(0.01f)),
                Arguments.of("tanh", "linear", Loss.BINARY_CROSSENTROPY_FROM_LOGITS, OptimizerConfig.adam(0.01f)),
                Arguments.of("sigmoid", "linear", Loss.MSE, OptimizerConfig.sgd(0.001f, 0.9f, false)),
                Arguments.of("relu", "linear", Loss.HALF_MSE, OptimizerConfig.sgd(0.001f, 0.9f, true)),
                Arguments.of("relu", "sigmoid", Loss.BINARY_CROSSENTROPY, OptimizerConfig.rmsprop(0.001f)),
                Arguments.of("relu", "linear", Loss.SOFTMAX_CROSSENTROPY, OptimizerConfig.adam(0.01f)),
                Arguments.of("tanh", "softmax", Loss.MSE, OptimizerConfig.sgd(0.05f)),
                Arguments.of("relu", "softmax", Loss.CATEGORICAL_CROSSENTROPY, OptimizerConfig.adam(0.01f)),
                Arguments.of("tanh", "softmax", Loss.SPARSE_CATEGORICAL_CROSSENTROPY,
                        OptimizerConfig.sgd(0.01f, 0.9f, true)));
    }

    @ParameterizedTest
    @MethodSource("configurations")
    void graphAndEagerFitTheSameParameters(String hidden, String output, Loss loss, OptimizerConfig optimizer) {
        ReferenceData data = ReferenceData.rings(3);
        int classes = loss == Loss.SOFTMAX_CROSSENTROPY || "softmax".equals(output) ? 2 : 1;
        boolean indices = classes == 1 || loss == Loss.SPARSE_CATEGORICAL_CROSSENTROPY;
        float[] labels = indices ? data.labels() : oneHot(data.labels());
        FitConfig config = FitConfig.of(loss, optimizer, 3, 64, 5).withValidationSplit(0.1f);

        Sequential eager = model(hidden, output, classes);
        FitResult eagerResult = Trainer.fit(eager, data.features(), labels,
                config.withExecution(ExecutionMode.EAGER), FitListener.NONE);
        Sequential graph = model(hidden, output, classes);
        FitResult graphResult = Trainer.fit(graph, data.features(), labels,
                config.withExecution(ExecutionMode.GRAPH), FitListener.NONE);

        assertClose(eager.parameters(), graph.parameters(), 1e-5);
        for (int e = 0; e < eagerResult.history().size(); e++) {
            Map<String, Double> ev = eagerResult.history().get(e).metrics();
            Map<String, Double> gv = graphResult.history().get(e).metrics();
            assertThat(gv.keySet()).isEqualTo(ev.keySet());
            for (String key : ev.keySet()) {
                assertThat(gv.get(key)).as(key).isCloseTo(ev.get(key),
                        org.assertj.core.api.Assertions.within(1e-5 * Math.max(1, Math.abs(ev.get(key)))));
            }
        }
        assertOptimizerStatesClose(eagerResult.checkpoint(), graphResult.checkpoint());
    }

    private static Sequential model(String hidden, String output, int classes) {
        return Sequential.mlp(2, new int[] {4, 8}, Activation.byName(hidden), classes, Activation.byName(output),
                Initializer.GLOROT_UNIFORM, new Rng(11));
    }

    private static float[] oneHot(float[] labels) {
        float[] out = new float[labels.length * 2];
        for (int i = 0; i < labels.length; i++) {
            out[2 * i + (int) labels[i]] = 1f;
        }
        return out;
    }

    static void assertClose(Map<String, Tensor> expected, Map<String, Tensor> actual, double relative) {
        assertThat(actual.keySet()).isEqualTo(expected.keySet());
        for (String name : expected.keySet()) {
            float[] e = expected.get(name).toArray();
            float[] a = actual.get(name).toArray();
            for (int i = 0; i < e.length; i++) {
                double tolerance = relative * Math.max(1.0, Math.abs(e[i]));
                assertThat((double) a[i]).as(name + "[" + i + "]").isCloseTo(e[i],
                        org.assertj.core.api.Assertions.within(tolerance));
            }
        }
    }

    private static void assertOptimizerStatesClose(TrainingState eager, TrainingState graph) {
        assertThat(graph.optimizer().iterations()).isEqualTo(eager.optimizer().iterations());
        float[][] e = eager.optimizer().slots();
        float[][] g = graph.optimizer().slots();
        assertThat(g.length).isEqualTo(e.length);
        for (int s = 0; s < e.length; s++) {
            for (int i = 0; i < e[s].length; i++) {
                assertThat((double) g[s][i]).isCloseTo(e[s][i],
                        org.assertj.core.api.Assertions.within(1e-5 * Math.max(1, Math.abs(e[s][i]))));
            }
        }
    }

    /** The reference's linear regression (SGD 0.001, batch 10, 200 epochs): bit-identical parameters. */
    @Test
    void linearRegressionIsBitIdenticalToEagerAfterTheReferenceFit() {
        ReferenceData data = ReferenceData.linear(42);
        FitConfig config = FitConfig.of(Loss.HALF_MSE, OptimizerConfig.sgd(0.001f), 200, 10, 42);
        Sequential eager = Sequential.linear(2, 1, Initializer.NORMAL, new Rng(42));
        Trainer.fit(eager, data.features(), data.labels(), config.withExecution(ExecutionMode.EAGER),
                FitListener.NONE);
        Sequential graph = Sequential.linear(2, 1, Initializer.NORMAL, new Rng(42));
        Trainer.fit(graph, data.features(), data.labels(), config.withExecution(ExecutionMode.GRAPH),
                FitListener.NONE);
        assertBitIdentical(eager.parameters(), graph.parameters());
    }

    private static void assertBitIdentical(Map<String, Tensor> expected, Map<String, Tensor> actual) {
        assertThat(actual.keySet()).isEqualTo(expected.keySet());
        for (Map.Entry<String, Tensor> e : expected.entrySet()) {
            assertThat(actual.get(e.getKey()).toArray()).as(e.getKey()).containsExactly(e.getValue().toArray());
        }
    }

    /**
     * The reference's rings fit (SGD 0.001, batch 100, 600 epochs): graph mode computes every product in eager's FMA
     * order, sigmoid with the same function, and batch sums in double, so the parameters are bit-identical to eager's.
     * (This is a strong check: the clipped cross-entropy's gradient jumps when a saturated prediction crosses its clip
     * bound by one ulp, so any rounding difference grows over 24 000 steps — with weight gradients summed in partial
     * sums the two runs drifted apart to 1e-6..3e-5 depending on the seed.) So is every epoch's loss.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {1, 2, 5})
    void ringsIsBitIdenticalToEagerAfterTheReferenceFit(int seed) {
        ReferenceData data = ReferenceData.rings(seed);
        FitConfig config = FitConfig.of(Loss.BINARY_CROSSENTROPY, OptimizerConfig.sgd(0.001f), 600, 100, seed);
        Sequential eager = Sequential.mlp(2, new int[] {4, 8}, Activation.RELU, 1, Activation.SIGMOID,
                Initializer.TRUNCATED_NORMAL, new Rng(seed));
        FitResult eagerResult = Trainer.fit(eager, data.features(), data.labels(),
                config.withExecution(ExecutionMode.EAGER), FitListener.NONE);
        Sequential graph = Sequential.mlp(2, new int[] {4, 8}, Activation.RELU, 1, Activation.SIGMOID,
                Initializer.TRUNCATED_NORMAL, new Rng(seed));
        FitResult graphResult = Trainer.fit(graph, data.features(), data.labels(),
                config.withExecution(ExecutionMode.GRAPH), FitListener.NONE);
        assertBitIdentical(eager.parameters(), graph.parameters());
        for (int epoch = 0; epoch < 600; epoch++) {
            assertThat(graphResult.history().get(epoch).loss()).as("loss of epoch %d", epoch + 1)
                    .isEqualTo(eagerResult.history().get(epoch).loss());
        }
    }

    /**
     * Multi-class with every new piece at once: standardized, badly scaled inputs, a softmax output trained with the
     * fused sparse cross-entropy, validation, Adam, a partial last batch. Graph mode is eager bit for bit: the
     * parameters, the optimizer's slots and every epoch's metrics (loss, accuracy, val_loss, val_accuracy).
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(value = Loss.class,
            names = {"SPARSE_CATEGORICAL_CROSSENTROPY", "CATEGORICAL_CROSSENTROPY"})
    void standardizedSoftmaxIsBitIdenticalToEager(Loss loss) {
        ReferenceData data = ReferenceData.blobs(4, 1000, true);
        float[] labels = loss == Loss.SPARSE_CATEGORICAL_CROSSENTROPY ? data.labels()
                : ReferenceData.oneHot(data.labels(), 3);
        FitConfig config = FitConfig.of(loss, OptimizerConfig.adam(0.01f), 8, 64, 9).withValidationSplit(0.15f);
        FitResult[] results = new FitResult[2];
        Sequential[] models = new Sequential[2];
        for (ExecutionMode mode : new ExecutionMode[] {ExecutionMode.EAGER, ExecutionMode.GRAPH}) {
            Standardization s = Standardization.fit(data.features(), data.rows(), 2,
                    Trainer.trainingRows(data.rows(), 0.15f));
            Sequential model = Sequential.mlp(2, new int[] {16, 8}, Activation.RELU, 3, Activation.SOFTMAX,
                    Initializer.GLOROT_UNIFORM, new Rng(21)).withStandardization(s);
            models[mode.ordinal()] = model;
            results[mode.ordinal()] = Trainer.fit(model, data.features(), labels, config.withExecution(mode),
                    FitListener.NONE);
        }
        assertBitIdentical(models[0].parameters(), models[1].parameters());
        for (int e = 0; e < 8; e++) {
            assertThat(results[1].history().get(e).metrics()).as("epoch %d", e + 1)
                    .isEqualTo(results[0].history().get(e).metrics());
        }
        float[][] eagerSlots = results[0].checkpoint().optimizer().slots();
        float[][] graphSlots = results[1].checkpoint().optimizer().slots();
        for (int i = 0; i < eagerSlots.length; i++) {
            assertThat(graphSlots[i]).containsExactly(eagerSlots[i]);
        }
        assertThat(results[1].history().get(7).metrics().get("val_accuracy")).isGreaterThan(0.95);
    }

    @Test
    void theSameSeedGivesBitIdenticalGraphResults() {
        ReferenceData data = ReferenceData.rings(2);
        FitConfig config = FitConfig.of(Loss.BINARY_CROSSENTROPY, OptimizerConfig.adam(0.01f), 20, 100, 2)
                .withExecution(ExecutionMode.GRAPH);
        Sequential first = ringsModel();
        Trainer.fit(first, data.features(), data.labels(), config, FitListener.NONE);
        Sequential second = ringsModel();
        Trainer.fit(second, data.features(), data.labels(), config, FitListener.NONE);
        assertClose(first.parameters(), second.parameters(), 0.0);
    }

    private static Sequential ringsModel() {
        return Sequential.mlp(2, new int[] {4, 8}, Activation.RELU, 1, Activation.SIGMOID,
                Initializer.TRUNCATED_NORMAL, new Rng(1));
    }

    @Test
    void theFitLoopAllocatesNothingPerStep() {
        ReferenceData data = ReferenceData.rings(4);
        assertAllocatesNothingPerStep(ringsModel(), data.features(), data.labels(),
                FitConfig.of(Loss.BINARY_CROSSENTROPY, OptimizerConfig.adam(0.01f), 30, 100, 4));
    }

    /** The same with a standardized softmax model and sparse labels (one-hot in the graph, sparse accuracy). */
    @Test
    void theSoftmaxFitLoopAllocatesNothingPerStep() {
        ReferenceData data = ReferenceData.blobs(4, 4000, true);
        Sequential model = Sequential.mlp(2, new int[] {4, 8}, Activation.RELU, 3, Activation.SOFTMAX,
                Initializer.GLOROT_UNIFORM, new Rng(1))
                .withStandardization(Standardization.fit(data.features(), data.rows(), 2, data.rows()));
        assertAllocatesNothingPerStep(model, data.features(), data.labels(),
                FitConfig.of(Loss.SPARSE_CATEGORICAL_CROSSENTROPY, OptimizerConfig.adam(0.01f), 30, 100, 4));
    }

    /**
     * Measures the bytes the fitting thread allocates from one step to the next (gathering, the plan, metrics, the
     * listener) over epochs 21 to 30 of 4 000 rows in batches of 100. A JIT deoptimisation may rematerialise an
     * object now and then, so the bound is on the total: one allocation of even 16 bytes per step would exceed it.
     * Until C2 has compiled the Vector API loops they allocate (C1 code boxes every vector), and in a JVM busy
     * compiling other tests C2 gets there seconds later, so the fit is measured again for up to 20 s: code that
     * allocates per step does so in every one of them.
     */
    private static void assertAllocatesNothingPerStep(Sequential model, float[] features, float[] labels,
            FitConfig config) {
        long fewest = Long.MAX_VALUE;
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (fewest >= 16 * 390 / 2 && System.nanoTime() - deadline < 0) {
            fewest = Math.min(fewest, bytesAllocatedPerFit(model, features, labels, config));
        }
        assertThat(fewest).as("bytes allocated by 390 steps of the fit loop").isLessThan(16 * 390 / 2);
    }

    private static long bytesAllocatedPerFit(Sequential model, float[] features, float[] labels, FitConfig config) {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long[] measured = new long[2];
        FitListener probe = new FitListener() {
            private long last;

            @Override
            public void onStep(int epoch, int step, int steps, float loss) {
                long now = threads.getCurrentThreadAllocatedBytes();
                if (epoch > 20 && step > 1) {
                    measured[0] += now - last;
                    measured[1]++;
                }
                last = now;
            }
        };
        Trainer.fit(model, features, labels, config, probe);
        assertThat(measured[1]).isEqualTo(10 * 39);
        return measured[0];
    }
}
