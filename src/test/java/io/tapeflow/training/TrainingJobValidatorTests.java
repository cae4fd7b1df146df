package io.tapeflow.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import io.tapeflow.datasets.Column;

import io.tapeflow.datasets.DatasetData;
import io.tapeflow.nn.FitListener;
import io.tapeflow.nn.FitResult;
import io.tapeflow.nn.Sequential;
import io.tapeflow.nn.Trainer;
import io.tapeflow.nn.TrainingState;

import io.tapeflow.training.TrainingJobRequest.ModelSpec;
import io.tapeflow.training.TrainingJobRequest.OptimizerSpec;
import io.tapeflow.web.ApiException;
import io.tapeflow.web.FieldProblem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The validator's defaults, its split arithmetic (which must match the fit loop's) and its estimate. */
class TrainingJobValidatorTests {

    static final UUID DATASET = UUID.randomUUID();
    final TrainingJobValidator validator = new TrainingJobValidator(QueueFixture.settings(2, Duration.ofSeconds(30)));

    static TrainingJobRequest request(ModelSpec model, String loss, Integer epochs, Double split) {
        return new TrainingJobRequest(DATASET.toString(), model, loss, null, epochs, null, null, null, split, null,
                null, null, null, null, null);
    }

    @Test
    void defaultsAreFilledInAndASeedIsDrawn() {
        DataShape data = new DataShape(400, 2, 1, new float[400]);
        TrainingSpec spec = validator.validate(request(new ModelSpec("mlp", List.of(4), null, "sigmoid", null, null), null,
                null, null), DATASET, data);
        assertThat(spec.loss()).isEqualTo("binary_crossentropy");
        assertThat(spec.model().activation()).isEqualTo("relu");
        assertThat(spec.model().initializer()).isEqualTo("glorot_uniform");
        // scikit-learn's MLP defaults
        assertThat(spec.optimizer()).isEqualTo(new OptimizerSpec("adam", 0.001, null, null, 0.9, 0.999, null, 1e-7));
        assertThat(spec.epochs()).isEqualTo(200);
        assertThat(spec.batchSize()).isEqualTo(200);
        assertThat(spec.model().standardize()).isTrue();
        TrainingSpec noHidden = validator.validate(request(new ModelSpec("mlp", null, null, null, null, null), null,
                null, null), DATASET, data);
        assertThat(noHidden.model().hiddenLayers()).containsExactly(100);
        assertThat(noHidden.model().output()).as("numeric labels: a regression").isEqualTo("linear");
        assertThat(noHidden.loss()).isEqualTo("mse");
        TrainingSpec linear = validator.validate(request(new ModelSpec("linear", null, null, null, null, null), null,
                null, null), DATASET, data);
        assertThat(linear.model().standardize()).as("a linear model keeps the features' raw units").isFalse();
        assertThat(linear.model().hiddenLayers()).isEmpty();
        assertThat(spec.shuffle()).isTrue();
        assertThat(spec.execution()).isEqualTo("graph");
        assertThat(spec.maxRuntimeSeconds()).isEqualTo(3600);
        assertThat(spec.seed()).isNotNegative();
    }

    @ParameterizedTest
    @CsvSource({"400, 0.2", "4000, 0.1", "10, 0.3", "7, 0.5", "1000, 0.33", "999, 0.7"})
    void theValidationRowsAreTheFitLoopsOwn(int rows, double split) {
        int train = Trainer.trainingRows(rows, (float) split);
        assertThat(TrainingJobValidator.validationRows(rows, split)).isEqualTo(rows - train);
        assertThat(train).isEqualTo((int) Math.floor(rows * (1.0 - (float) split)));
    }

    @Test
    void theEstimateCountsParametersStepsAndWork() {
        DataShape data = new DataShape(4000, 2, 1, new float[4000]);
        TrainingSpec spec = validator.validate(new TrainingJobRequest(DATASET.toString(),
                new ModelSpec("mlp", List.of(4, 8), "relu", "sigmoid", "truncated_normal", null), null,
                new OptimizerSpec("adam", 0.01, null, null, null, null, null, null), 100, 100, true, 1L, 0.25, "eager",
                null, null, null, null, null), DATASET, data);
        Estimate e = validator.estimate(spec, data);
        assertThat(e.parameters()).isEqualTo(61);
        assertThat(e.trainingRows()).isEqualTo(3000);
        assertThat(e.validationRows()).isEqualTo(1000);
        assertThat(e.stepsPerEpoch()).isEqualTo(30);
        assertThat(e.steps()).isEqualTo(3000);
        assertThat(e.work()).isEqualTo(4000L * 100 * 61);
        assertThat(validator.overBudget(e)).isEmpty();
    }

    @Test
    void theCheckpointEstimateIsTheSizeOfARealCheckpoint() {
        for (String optimizer : List.of("sgd", "adam", "rmsprop")) {
            DataShape data = new DataShape(50, 3, 2, new float[100]);
            TrainingSpec spec = validator.validate(new TrainingJobRequest(DATASET.toString(),
                    new ModelSpec("mlp", List.of(16, 8), "relu", "linear", null, null), "mse",
                    new OptimizerSpec(optimizer, null, null, null, null, null, null, null), 3, 10, true, 5L, null,
                    null, null, null, null, null, null), DATASET, data);
            Estimate e = validator.estimate(spec, data);
            long real = Checkpoints.size(realCheckpoint(spec, data));
            assertThat(e.checkpointBytes()).as(optimizer).isBetween(real, real + 512L);
            assertThat(e.memoryBytes()).isGreaterThan(3 * e.checkpointBytes());
        }
    }

    @Test
    void aJobWhoseCheckpointWouldOverwhelmTheDatabaseIsOverBudget() {
        // The adversarial job of issue #14: within the memory budget, but a 200 MB checkpoint every few seconds
        // ran the embedded database out of memory and corrupted its file.
        DataShape data = new DataShape(1, 1, 1, new float[] {0});
        TrainingSpec spec = validator.validate(new TrainingJobRequest(DATASET.toString(),
                new ModelSpec("mlp", List.of(4096, 4096), null, "linear", null, null), null,
                new OptimizerSpec("adam", null, null, null, null, null, null, null), 10, 1, true, 1L, null, null,
                null, 30, null, null, null), DATASET, data);
        Estimate e = validator.estimate(spec, data);
        assertThat(e.checkpointBytes()).isGreaterThan(200_000_000L);
        assertThat(validator.overBudget(e)).extracting(FieldProblem::field).contains("estimate.checkpointBytes");
    }

    private static TrainingState realCheckpoint(TrainingSpec spec, DataShape data) {
        Sequential model = TrainingJobRunner.model(spec, new DatasetData(DATASET,
                "d", "inline", data.rows(), List.of("a", "b", "c"), List.of("y1", "y2"), new float[data.rows() * 3],
                new float[data.rows() * 2], List.of(Column.numeric("a", Column.FEATURE), Column.numeric("b",
                Column.FEATURE), Column.numeric("c", Column.FEATURE), Column.numeric("y1", Column.LABEL),
                Column.numeric("y2", Column.LABEL))));
        float[] x = new float[data.rows() * 3];
        float[] y = new float[data.rows() * 2];
        FitResult result = Trainer.fit(model, x, y, TrainingJobRunner.fitConfig(spec),
                new FitListener() {
                });
        return result.checkpoint();
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        DataShape data = new DataShape(10, 2, 1, new float[] {0, 1, 2, 0, 1, 0, 1, 0, 1, 0});
        assertThatThrownBy(() -> validator.validate(request(new ModelSpec("linear", null, null, "sigmoid", "nope", null),
                "binary_crossentropy", 0, 0.95), DATASET, data))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.errors())
                        .extracting(p -> p.field())
                        .contains("model.initializer", "epochs", "validationSplit"));
        assertThatThrownBy(() -> validator.validate(request(new ModelSpec("mlp", List.of(3), null, "sigmoid", null, null),
                "binary_crossentropy", 5, null), DATASET, data))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getMessage())
                        .contains("labels 0 or 1").contains("row 2"));
    }
}
