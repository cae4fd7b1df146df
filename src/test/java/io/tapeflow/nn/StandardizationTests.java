package io.tapeflow.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.tapeflow.engine.Rng;
import io.tapeflow.engine.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** Standardization as a model's first stage: fitted statistics, parameters, gradients, checkpoints, fits. */
class StandardizationTests {

    private static final ReferenceData RAW = ReferenceData.blobs(6, 600, true);

    private static Sequential standardized(long seed, ReferenceData data, float validationSplit) {
        int fitRows = Trainer.trainingRows(data.rows(), validationSplit);
        return Sequential.mlp(2, new int[] {8}, Activation.TANH, 3, Activation.SOFTMAX, Initializer.GLOROT_UNIFORM,
                new Rng(seed)).withStandardization(Standardization.fit(data.features(), data.rows(), 2, fitRows));
    }

    @Test
    void fitsOnTheFirstRowsOnlyAndMapsConstantColumnsToZero() {
        float[] x = {1f, 5f, 3f, 5f, 5f, 5f, 100f, -7f}; // rows (1, 5), (3, 5), (5, 5) train; (100, −7) validates
        Standardization s = Standardization.fit(x, 4, 2, 3);
        assertThat(s.mean().value().toArray()).containsExactly(3f, 5f);
        assertThat(s.std().value().toArray()).containsExactly((float) Math.sqrt(8.0 / 3), 1f);
        assertThat(s.call(Tensor.of(x, 4, 2)).toArray()[3]).isEqualTo(0f);
        assertThatThrownBy(() -> Standardization.fit(x, 4, 2, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Standardization.fit(x, 3, 2, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Standardization(new float[] {0f}, new float[] {0f}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("std");
    }

    @Test
    void itsValuesAreNonTrainableParameters() {
        Sequential model = standardized(1, RAW, 0f);
        assertThat(model.parameters().keySet()).containsExactly("dense_1/bias", "dense_1/kernel", "dense_2/bias",
                "dense_2/kernel", "standardize/mean", "standardize/std");
        assertThat(model.trainableVariables()).hasSize(4);
        assertThat(model.parameterCount()).isEqualTo(2 * 8 + 8 + 8 * 3 + 3 + 2 * 2);
        assertThat(Sequential.parameterCount(new int[] {2, 8, 3}, true)).isEqualTo(model.parameterCount());
        assertThat(Sequential.parameterCount(new int[] {2, 8, 3})).isEqualTo(2 * 8 + 8 + 8 * 3 + 3);
        assertThat(Sequential.parameterCount(new int[] {784, 256, 256, 10})).isEqualTo(269_322L);
        assertThatThrownBy(() -> Sequential.mlp(3, new int[0], Activation.RELU, 1, Activation.LINEAR,
                Initializer.ZEROS, new Rng(1)).withStandardization(Standardization.identity(2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 columns");

        float[] mean = model.parameters().get("standardize/mean").toArray();
        float[] std = model.parameters().get("standardize/std").toArray();
        for (ExecutionMode mode : ExecutionMode.values()) {
            Trainer.fit(model, RAW.features(), RAW.labels(), FitConfig.of(Loss.SPARSE_CATEGORICAL_CROSSENTROPY,
                    OptimizerConfig.adam(0.05f), 2, 32, 1).withExecution(mode), FitListener.NONE);
            assertThat(model.parameters().get("standardize/mean").toArray()).containsExactly(mean);
            assertThat(model.parameters().get("standardize/std").toArray()).containsExactly(std);
        }
    }

    @Test
    void predictionsAndInputGradientsAreInRawUnits() {
        Sequential model = standardized(2, RAW, 0f);
        Sequential inner = new Sequential(model.layers()); // the same layers, fed standardized inputs
        float[] mean = model.standardization().mean().value().toArray();
        float[] std = model.standardization().std().value().toArray();
        float[] raw = java.util.Arrays.copyOf(RAW.features(), 8);
        float[] z = new float[8];
        for (int i = 0; i < 8; i++) {
            z[i] = (raw[i] - mean[i % 2]) / std[i % 2];
        }
        assertThat(model.predict(raw, 4)).containsExactly(inner.predict(z, 4));
        // Chain rule: ∂p/∂raw_i = ∂p/∂z_i / std_i.
        float[] g = model.inputGradients(raw, 4);
        float[] gz = inner.inputGradients(z, 4);
        for (int e = 0; e < g.length; e++) {
            double expected = gz[e] / std[e % 2];
            assertThat((double) g[e]).as("entry %d", e).isCloseTo(expected,
                    within(1e-6 * Math.max(1e-3, Math.abs(expected))));
        }
    }

    @Test
    void aStandardizedModelFitsBadlyScaledColumnsThatARawOneCannot() {
        FitConfig config = FitConfig.of(Loss.SPARSE_CATEGORICAL_CROSSENTROPY, OptimizerConfig.adam(0.01f), 20, 32, 3)
                .withValidationSplit(0.2f);
        Sequential model = standardized(3, RAW, 0.2f);
        FitResult result = Trainer.fit(model, RAW.features(), RAW.labels(), config, FitListener.NONE);
        Sequential raw = Sequential.mlp(2, new int[] {8}, Activation.TANH, 3, Activation.SOFTMAX,
                Initializer.GLOROT_UNIFORM, new Rng(3));
        FitResult rawResult = Trainer.fit(raw, RAW.features(), RAW.labels(), config, FitListener.NONE);
        double accuracy = result.history().get(19).metrics().get("val_accuracy");
        assertThat(accuracy).isGreaterThan(0.95);
        assertThat(rawResult.history().get(19).metrics().get("val_accuracy")).isLessThan(accuracy - 0.1);
    }

    @ParameterizedTest
    @EnumSource(ExecutionMode.class)
    void resumingAStandardizedFitIsBitIdenticalToAnUninterruptedOne(ExecutionMode mode) {
        FitConfig config = FitConfig.of(Loss.SPARSE_CATEGORICAL_CROSSENTROPY, OptimizerConfig.adam(0.01f), 5, 64, 7)
                .withValidationSplit(0.2f).withExecution(mode);
        Sequential uninterrupted = standardized(7, RAW, 0.2f);
        FitResult whole = Trainer.fit(uninterrupted, RAW.features(), RAW.labels(), config, FitListener.NONE);

        List<TrainingState> checkpoints = new ArrayList<>();
        Trainer.fit(standardized(7, RAW, 0.2f), RAW.features(), RAW.labels(), config, new FitListener() {
            @Override
            public void onEpoch(EpochResult result) {
                checkpoints.add(result.checkpoint());
            }

            @Override
            public boolean stopRequested() {
                return checkpoints.size() == 2;
            }
        });
        TrainingState checkpoint = checkpoints.get(1);
        assertThat(checkpoint.parameters()).containsKeys("standardize/mean", "standardize/std");
        // Everything must come from the checkpoint, the standardization included.
        Sequential resumed = Sequential.mlp(2, new int[] {8}, Activation.TANH, 3, Activation.SOFTMAX,
                Initializer.GLOROT_UNIFORM, new Rng(99)).withStandardization(Standardization.identity(2));
        FitResult rest = Trainer.fit(resumed, RAW.features(), RAW.labels(), config, FitListener.NONE, checkpoint);
        Map<String, float[]> expected = new LinkedHashMap<>();
        uninterrupted.parameters().forEach((name, value) -> expected.put(name, value.toArray()));
        resumed.parameters().forEach((name, value) -> assertThat(value.toArray()).as(name)
                .containsExactly(expected.get(name)));
        assertThat(rest.history().get(rest.history().size() - 1).metrics())
                .isEqualTo(whole.history().get(4).metrics());
    }

    @Test
    void fitArithmeticIsKerasRule() {
        assertThat(Trainer.trainingRows(400, 0f)).isEqualTo(400);
        assertThat(Trainer.trainingRows(1500, 0.2f)).isEqualTo(1199);
        assertThat(Trainer.trainingRows(10, 0.5f)).isEqualTo(5);
        assertThat(Trainer.stepsPerEpoch(4000, 100)).isEqualTo(40);
        assertThat(Trainer.stepsPerEpoch(4001, 100)).isEqualTo(41);
        assertThat(Trainer.stepsPerEpoch(60_000, 256)).isEqualTo(235);
        assertThat(Trainer.stepsPerEpoch(5, 100)).isEqualTo(1);
        assertThat(Trainer.stepsPerEpoch(0, 100)).isEqualTo(0);
        assertThatThrownBy(() -> Trainer.stepsPerEpoch(10, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
