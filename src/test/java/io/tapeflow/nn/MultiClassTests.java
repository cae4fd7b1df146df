package io.tapeflow.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.tapeflow.engine.GradientTape;
import io.tapeflow.engine.Rng;
import io.tapeflow.engine.Tensor;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Softmax outputs with the categorical cross-entropies: the fused loss, its gradients, fits, metrics, refusals. */
class MultiClassTests {

    private static final int CLASSES = 3;

    private static Sequential softmaxModel(long seed) {
        return Sequential.mlp(2, new int[] {16}, Activation.RELU, CLASSES, Activation.SOFTMAX,
                Initializer.GLOROT_UNIFORM, new Rng(seed));
    }

    private static float[] labelsFor(Loss loss, ReferenceData data) {
        return loss == Loss.SPARSE_CATEGORICAL_CROSSENTROPY ? data.labels()
                : ReferenceData.oneHot(data.labels(), CLASSES);
    }

    /** Central differences in double of the float32 loss, against the tape's gradient, for every element. */
    private static void checkGradient(String what, Function<float[], Float> f, float[] at, float[] analytic) {
        float eps = 1e-3f;
        for (int i = 0; i < at.length; i++) {
            float[] up = at.clone();
            float[] down = at.clone();
            up[i] += eps;
            down[i] -= eps;
            double numeric = ((double) f.apply(up) - f.apply(down)) / ((double) up[i] - down[i]);
            assertThat((double) analytic[i]).as(what + "[" + i + "]").isCloseTo(numeric,
                    within(2e-3 * Math.max(1, Math.abs(numeric))));
        }
    }

    @ParameterizedTest
    @EnumSource(value = Loss.class, names = {"CATEGORICAL_CROSSENTROPY", "SPARSE_CATEGORICAL_CROSSENTROPY"})
    void theFusedLossHasTheGradientOfFiniteDifferences(Loss loss) {
        ReferenceData data = ReferenceData.blobs(5, 6, false);
        Tensor y = Tensor.of(labelsFor(loss, data), 6, loss.labelWidth(CLASSES));
        Rng rng = new Rng(9);
        float[] z = new float[6 * CLASSES];
        for (int i = 0; i < z.length; i++) {
            z[i] = rng.normal(0f, 2f);
        }
        Tensor logits = Tensor.of(z, 6, CLASSES);
        Tensor gradient;
        try (GradientTape tape = new GradientTape()) {
            tape.watch(logits);
            Tensor value = loss.computeOnLogits(y, logits);
            tape.close();
            gradient = tape.gradient(value, logits);
        }
        checkGradient("d/d logits", v -> loss.computeOnLogits(y, Tensor.of(v, 6, CLASSES)).item(), z,
                gradient.toArray());

        Sequential model = softmaxModel(3);
        Dense last = model.layers().get(1);
        Tensor x = Tensor.of(data.features(), 6, 2);
        Tensor kernelGradient;
        try (GradientTape tape = new GradientTape()) {
            Tensor value = loss.computeOnLogits(y, model.logits(x));
            tape.close();
            kernelGradient = tape.gradient(value, last.kernel());
        }
        float[] kernel = last.kernel().value().toArray();
        checkGradient("d/d dense_2/kernel", v -> {
            last.kernel().assign(v);
            float value = loss.computeOnLogits(y, model.logits(x)).item();
            last.kernel().assign(kernel);
            return value;
        }, kernel, kernelGradient.toArray());
    }

    @Test
    void theFusedLossIsStableWhereTheProbabilityFormClips() {
        Tensor y = Tensor.of(new float[] {1f, 0f}, 2, 1);
        Tensor z = Tensor.of(new float[][] {{0f, 200f, -200f}, {-300f, 100f, 0f}});
        // Row 0: −log softmax(z)[1] = log(e^0 + e^200 + e^−200) − 200 ≈ 0; row 1: 100 − (−300) = 400.
        assertThat((double) Loss.SPARSE_CATEGORICAL_CROSSENTROPY.computeOnLogits(y, z).item())
                .isCloseTo(200.0, within(1e-3));
        // On probabilities row 1's p = 0 is clipped to 1e-7: it costs −log(1e-7) ≈ 16.1 instead of 400.
        Tensor p = Activation.SOFTMAX.apply(z);
        assertThat((double) Loss.SPARSE_CATEGORICAL_CROSSENTROPY.compute(y, p).item())
                .isCloseTo(-Math.log(1e-7) / 2, within(1e-3));
    }

    @ParameterizedTest
    @EnumSource(value = ExecutionMode.class)
    void threeClassesTrainToHighAccuracyWithValidationMetrics(ExecutionMode mode) {
        ReferenceData data = ReferenceData.blobs(1, 1500, false);
        for (Loss loss : new Loss[] {Loss.CATEGORICAL_CROSSENTROPY, Loss.SPARSE_CATEGORICAL_CROSSENTROPY}) {
            FitConfig config = FitConfig.of(loss, OptimizerConfig.adam(0.01f), 15, 32, 4).withValidationSplit(0.2f)
                    .withExecution(mode);
            Sequential model = softmaxModel(2);
            FitResult result = Trainer.fit(model, data.features(), labelsFor(loss, data), config, FitListener.NONE);
            Map<String, Double> last = result.history().get(result.history().size() - 1).metrics();
            assertThat(last.keySet()).as(loss.apiName()).containsExactly("loss", "accuracy", "val_loss",
                    "val_accuracy");
            assertThat(last.get("accuracy")).as(loss.apiName()).isGreaterThan(0.95);
            assertThat(last.get("val_accuracy")).as(loss.apiName()).isGreaterThan(0.95);
            assertThat(last.get("val_loss")).as(loss.apiName()).isLessThan(0.2);

            // val_loss is the training loss's formula (on the logits) over the last rows: 301, as 0.2f widens to
            // 0.2000000030 and floor(1500 · 0.7999999970) = 1199 (Keras' rule on the float split).
            int from = Trainer.trainingRows(1500, 0.2f);
            assertThat(from).isEqualTo(1199);
            float[] x = java.util.Arrays.copyOfRange(data.features(), from * 2, 1500 * 2);
            float[] labels = labelsFor(loss, data);
            int m = loss.labelWidth(CLASSES);
            Tensor y = Tensor.of(java.util.Arrays.copyOfRange(labels, from * m, 1500 * m), 1500 - from, m);
            assertThat(last.get("val_loss")).isEqualTo(
                    (double) loss.computeOnLogits(y, model.logits(Tensor.of(x, 1500 - from, 2))).item());
        }
    }

    @ParameterizedTest
    @EnumSource(value = ExecutionMode.class)
    void sparseAndOneHotLabelsFitTheSameBits(ExecutionMode mode) {
        ReferenceData data = ReferenceData.blobs(3, 300, false);
        FitConfig sparse = FitConfig.of(Loss.SPARSE_CATEGORICAL_CROSSENTROPY, OptimizerConfig.adam(0.01f), 3, 50, 1)
                .withValidationSplit(0.1f).withExecution(mode);
        FitConfig oneHot = FitConfig.of(Loss.CATEGORICAL_CROSSENTROPY, OptimizerConfig.adam(0.01f), 3, 50, 1)
                .withValidationSplit(0.1f).withExecution(mode);
        Sequential a = softmaxModel(8);
        FitResult ra = Trainer.fit(a, data.features(), data.labels(), sparse, FitListener.NONE);
        Sequential b = softmaxModel(8);
        FitResult rb = Trainer.fit(b, data.features(), ReferenceData.oneHot(data.labels(), CLASSES), oneHot,
                FitListener.NONE);
        a.parameters().forEach((name, value) -> assertThat(value.toArray()).as(name)
                .containsExactly(b.parameters().get(name).toArray()));
        for (int e = 0; e < 3; e++) {
            assertThat(ra.history().get(e).metrics()).isEqualTo(rb.history().get(e).metrics());
        }
    }

    @Test
    void predictionsAreProbabilitiesAndInputGradientsAreTheirGradients() {
        Sequential model = softmaxModel(4);
        float[] x = {0.5f, -1f, 2f, 0.25f};
        float[] p = model.predict(x, 2);
        for (int r = 0; r < 2; r++) {
            assertThat((double) p[3 * r] + p[3 * r + 1] + p[3 * r + 2]).isCloseTo(1.0, within(1e-6));
        }
        float[] g = model.inputGradients(x, 2);
        assertThat(g).hasSize(2 * 3 * 2);
        float eps = 1e-3f;
        for (int r = 0; r < 2; r++) {
            for (int i = 0; i < 2; i++) {
                float[] up = x.clone();
                float[] down = x.clone();
                up[2 * r + i] += eps;
                down[2 * r + i] -= eps;
                float[] pu = model.predict(up, 2);
                float[] pd = model.predict(down, 2);
                for (int j = 0; j < 3; j++) {
                    double numeric = ((double) pu[3 * r + j] - pd[3 * r + j]) / (2.0 * eps);
                    assertThat((double) g[(r * 3 + j) * 2 + i]).isCloseTo(numeric, within(2e-3));
                }
            }
        }
    }

    @Test
    void refusesLabelsThatAreNotClassIndices() {
        ReferenceData data = ReferenceData.blobs(2, 30, false);
        FitConfig config = FitConfig.of(Loss.SPARSE_CATEGORICAL_CROSSENTROPY, OptimizerConfig.sgd(0.1f), 1, 10, 1);
        for (float bad : new float[] {1.5f, -1f, 3f, Float.NaN}) {
            float[] labels = data.labels().clone();
            labels[7] = bad;
            assertThatThrownBy(() -> Trainer.fit(softmaxModel(1), data.features(), labels, config, FitListener.NONE))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("row 7")
                    .hasMessageContaining("0..2");
        }
        Sequential linearOutput = Sequential.mlp(2, new int[] {4}, Activation.RELU, CLASSES, Activation.LINEAR,
                Initializer.GLOROT_UNIFORM, new Rng(1));
        assertThatThrownBy(() -> Trainer.fit(linearOutput, data.features(), data.labels(), config, FitListener.NONE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("softmax");
        assertThatThrownBy(() -> Trainer.fit(softmaxModel(1), data.features(),
                ReferenceData.oneHot(data.labels(), CLASSES), config, FitListener.NONE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("label values");
    }

    @Test
    void metricsAndLabelWidths() {
        float[] probabilities = {0.1f, 0.7f, 0.2f, 0.5f, 0.25f, 0.25f, 0.3f, 0.3f, 0.4f};
        assertThat(Metric.SPARSE_CATEGORICAL_ACCURACY.compute(new float[] {1f, 0f, 0f}, probabilities, 3, 3, false))
                .isEqualTo(2.0 / 3);
        assertThat(Metric.CATEGORICAL_ACCURACY.compute(ReferenceData.oneHot(new float[] {1f, 0f, 0f}, 3),
                probabilities, 3, 3, false)).isEqualTo(2.0 / 3);
        assertThat(Metric.forLoss(Loss.SPARSE_CATEGORICAL_CROSSENTROPY)).isEqualTo(Metric.SPARSE_CATEGORICAL_ACCURACY);
        assertThat(Metric.forLoss(Loss.CATEGORICAL_CROSSENTROPY)).isEqualTo(Metric.CATEGORICAL_ACCURACY);
        assertThat(Loss.SPARSE_CATEGORICAL_CROSSENTROPY.labelWidth(10)).isEqualTo(1);
        assertThat(Loss.CATEGORICAL_CROSSENTROPY.labelWidth(10)).isEqualTo(10);
        assertThat(Loss.byName("sparse_categorical_crossentropy").fusesSoftmax()).isTrue();
        assertThat(Loss.CATEGORICAL_CROSSENTROPY.isClassification()).isTrue();
        assertThat(Loss.CATEGORICAL_CROSSENTROPY.fromLogits()).isFalse();
        assertThatThrownBy(() -> Loss.MSE.computeOnLogits(Tensor.scalar(1f), Tensor.scalar(1f)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
