package io.tapeflow.training;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.tapeflow.datasets.Column;
import io.tapeflow.datasets.ColumnEncoding;

import io.tapeflow.datasets.DatasetData;
import io.tapeflow.datasets.DatasetStore;
import io.tapeflow.engine.Rng;
import io.tapeflow.models.Evaluation;
import io.tapeflow.models.EvaluationBody;
import io.tapeflow.models.EvaluationKind;

import io.tapeflow.models.ModelCodec;
import io.tapeflow.models.ModelDocument;
import io.tapeflow.models.StoredModel;
import io.tapeflow.nn.Activation;
import io.tapeflow.nn.EarlyStopping;
import io.tapeflow.nn.EpochResult;
import io.tapeflow.nn.ExecutionMode;
import io.tapeflow.nn.FitConfig;
import io.tapeflow.nn.FitListener;
import io.tapeflow.nn.FitResult;
import io.tapeflow.nn.Initializer;
import io.tapeflow.nn.Loss;
import io.tapeflow.nn.Metric;
import io.tapeflow.nn.OptimizerConfig;
import io.tapeflow.nn.Sequential;
import io.tapeflow.nn.Standardization;

import io.tapeflow.nn.Trainer;
import io.tapeflow.nn.TrainingState;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs a training job on the engine: builds the model from the seed, fits it to the dataset's rows with progress,
 * cancellation and checkpoints going through the {@link JobContext}, and turns the fit's end into a job result.
 */
class TrainingJobRunner implements JobRunner {

    private final DatasetStore datasets;
    private final JsonMapper json;
    private final InitialModels initialModels;

    TrainingJobRunner(DatasetStore datasets, JsonMapper json, InitialModels initialModels) {
        this.datasets = datasets;
        this.json = json;
        this.initialModels = initialModels;
    }

    @Override
    public JobResult run(ClaimedJob job, JobContext context) {
        TrainingSpec spec = json.readValue(job.request(), TrainingSpec.class);
        Optional<DatasetData> loaded = datasets.load(job.datasetId());
        if (loaded.isEmpty()) {
            return new JobResult.Failed("DATASET_GONE", "Dataset " + job.datasetId()
                    + " was deleted before the job could train on it", null);
        }
        DatasetData data = loaded.get();
        FitConfig config = fitConfig(spec);
        TrainingState resume = context.resumeFrom();
        Sequential model;
        if (spec.initialModelId() == null) {
            model = model(spec, data);
        } else {
            Optional<InitialModels.Initial> initial = initialModels.find(spec.initialModelId());
            if (initial.isEmpty()) {
                return new JobResult.Failed("INITIAL_MODEL_GONE", "Model " + spec.initialModelId()
                        + " was deleted before the job could start from it", null);
            }
            model = InitialModels.model(initial.get().document());
            if (resume == null) {
                resume = initialModels.continuation(initial.get(), spec).orElse(null);
            }
        }

        int stepsPerEpoch = Trainer.stepsPerEpoch(Trainer.trainingRows(data.rows(), config.validationSplit()),
                spec.batchSize());
        int startEpoch = resume == null ? 0 : resume.nextEpoch();
        context.start(startEpoch, spec.epochs(), (long) startEpoch * stepsPerEpoch,
                (long) spec.epochs() * stepsPerEpoch);

        FitResult result = Trainer.fit(model, data.features(), data.labels(), config, new FitListener() {
            /** True between an epoch's end and the next step: where a stop-and-keep may end the fit. */
            private boolean atBoundary;

            @Override
            public void onStep(int epoch, int step, int steps, float loss) {
                atBoundary = false;
                context.step((long) (epoch - 1) * steps + step);
            }

            @Override
            public void onEpoch(EpochResult epoch) {
                atBoundary = true;
                context.epochEnd(new EpochMetrics(epoch.epoch(), epoch.metrics(), epoch.seconds()));
                if (context.checkpointDue() && epoch.epoch() < epoch.epochs()) {
                    context.checkpoint(epoch.checkpoint(), epoch.epoch());
                }
            }

            @Override
            public boolean stopRequested() {
                StopReason reason = context.stopReason();
                return reason != null && (reason != StopReason.STOPPED || atBoundary);
            }
        }, resume);

        return switch (result.status()) {
            case COMPLETED, EARLY_STOPPED -> succeeded(job, spec, data, model, config, result, false);
            case DIVERGED -> new JobResult.Failed("DIVERGED", result.message(), result.failedEpoch());
            case CANCELLED -> context.stopReason() == StopReason.STOPPED && !result.history().isEmpty()
                    ? succeeded(job, spec, data, model, config, result, true)
                    : new JobResult.Stopped(result.checkpoint(), result.checkpoint().nextEpoch());
        };
    }

    /**
     * The model and its validation report. After a stop-and-keep the fit ended at an epoch boundary, so the model
     * holds that boundary's parameters; they are set from its checkpoint all the same, which is the state the
     * stop is defined by.
     */
    private JobResult succeeded(ClaimedJob job, TrainingSpec spec, DatasetData data, Sequential model,
            FitConfig config, FitResult result, boolean stopRequest) {
        boolean stoppedEarly = stopRequest && result.epochsCompleted() < spec.epochs();
        if (stopRequest) {
            model.setParameters(result.checkpoint().parameters());
        }
        StoredModel stored = storedModel(job, spec, data, model, result, stoppedEarly);
        return new JobResult.Succeeded(stored, validationReport(spec, data, model, config), stoppedEarly,
                stoppedEarly ? result.checkpoint() : null);
    }

    /**
     * The model as the seed draws it: the same request and seed give the same initial values. A standardized
     * model's statistics come from the training rows only (never the validation rows it is measured on).
     */
    static Sequential model(TrainingSpec spec, DatasetData data) {
        int[] widths = TrainingJobValidator.widths(spec.model(), data.featureCount(),
                TrainingJobValidator.outputWidth(spec, DataShape.of(data)));
        Sequential model = Sequential.mlp(widths[0], Arrays.copyOfRange(widths, 1, widths.length - 1),
                Activation.byName(spec.model().activation()), widths[widths.length - 1],
                Activation.byName(spec.model().output()), Initializer.byName(spec.model().initializer()),
                new Rng(spec.seed()));
        if (!Boolean.TRUE.equals(spec.model().standardize())) {
            return model;
        }
        int fitRows = Trainer.trainingRows(data.rows(), (float) spec.validationSplit());
        return model.withStandardization(Standardization.fit(data.features(), data.rows(), data.featureCount(),
                fitRows));
    }

    static FitConfig fitConfig(TrainingSpec spec) {
        Loss loss = Loss.byName(spec.loss());
        EarlyStopping stopping = spec.earlyStopping() == null ? null
                : new EarlyStopping(spec.earlyStopping().monitor(), spec.earlyStopping().patience(),
                        spec.earlyStopping().minDelta().floatValue());
        return new FitConfig(loss, spec.optimizer().config(), List.of(Metric.forLoss(loss)), spec.epochs(),
                spec.batchSize(), spec.shuffle(), spec.seed(), (float) spec.validationSplit(), stopping,
                ExecutionMode.byName(spec.execution()));
    }

    /** The outputs' names: the label columns', or for sparse classes one per class ({@code species_setosa}). */
    private static List<String> outputNames(TrainingSpec spec, DatasetData data, int outputs, List<String> classes) {
        if (outputs == data.labelCount()) {
            return data.labelNames();
        }
        String label = data.labelNames().get(0);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < outputs; i++) {
            names.add(label + "_" + (classes == null ? String.valueOf(i) : classes.get(i)));
        }
        return names;
    }

    /**
     * The report of the validation rows, computed as {@code POST /models/{id}/evaluations} computes one; null
     * without a validation split.
     */
    private static EvaluationBody validationReport(TrainingSpec spec, DatasetData data, Sequential model,
            FitConfig config) {
        int from = Trainer.trainingRows(data.rows(), config.validationSplit());
        int rows = data.rows() - from;
        boolean multiLabel = Activation.byName(spec.model().output()) == Activation.SIGMOID
                && model.outputWidth() != 1;
        if (rows == 0 || multiLabel) {
            return null; // several independent sigmoid outputs have no one report (the evaluations refuse them too)
        }
        int k = data.featureCount();
        int m = data.labelCount();
        float[] outputs = model.predict(Arrays.copyOfRange(data.features(), from * k, data.rows() * k), rows);
        EvaluationKind kind = EvaluationKind.forOutput(spec.model().output(), model.outputWidth());
        return Evaluation.report(kind, spec.loss(), Arrays.copyOfRange(data.labels(), from * m, data.rows() * m),
                outputs, rows, m, model.outputWidth(), classNames(spec, data, model.outputWidth()));
    }

    /**
     * A classifier's classes by index, as predictions and reports name them: the label column's categories
     * (a softmax's sparse classes, or a sigmoid's [negative, positive]), the label columns of one-hot labels, or
     * null when the classes are only their indices.
     */
    static List<String> classNames(TrainingSpec spec, DatasetData data, int outputs) {
        return switch (Activation.byName(spec.model().output())) {
            case SOFTMAX -> Loss.byName(spec.loss()) == Loss.CATEGORICAL_CROSSENTROPY ? data.labelNames()
                    : data.classNames();
            case SIGMOID -> outputs == 1 ? data.classNames() : null;
            case LINEAR, RELU, TANH -> null;
        };
    }

    private StoredModel storedModel(ClaimedJob job, TrainingSpec spec, DatasetData data, Sequential model,
            FitResult result, boolean stoppedEarly) {
        Activation output = Activation.byName(spec.model().output());
        boolean classifier = output == Activation.SIGMOID || output == Activation.SOFTMAX;
        int k = data.featureCount();
        List<List<Float>> ranges = new ArrayList<>();
        for (int j = 0; j < k; j++) {
            float min = Float.POSITIVE_INFINITY;
            float max = Float.NEGATIVE_INFINITY;
            for (int r = 0; r < data.rows(); r++) {
                float v = data.features()[r * k + j];
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            ranges.add(List.of(min, max));
        }
        List<String> classes = classNames(spec, data, model.outputWidth());
        ModelDocument.Signature signature = new ModelDocument.Signature(k, model.outputWidth(), data.featureNames(),
                outputNames(spec, data, model.outputWidth(), classes), classifier ? "classifier" : "regressor",
                output == Activation.SIGMOID ? (double) Metric.BINARY_CUT_OFF : null, ranges, classes,
                ColumnEncoding.withRole(data.columns(), Column.FEATURE));
        EpochResult last = result.lastEpoch();
        ModelDocument.Training training = new ModelDocument.Training(job.id(), job.datasetId(), spec.loss(),
                spec.optimizer().type(), result.epochsCompleted(),
                stopped(result, stoppedEarly), last == null ? null : last.metrics(), stoppedEarly);
        ModelDocument doc = new ModelDocument(ModelDocument.FORMAT, ModelDocument.VERSION,
                ModelCodec.architecture(spec.model().type(), model), signature, ModelCodec.parameters(model),
                training);
        return new StoredModel(UUID.randomUUID(), job.id(), job.datasetId(), signature.kind(), "TRAINED", null,
                json.writeValueAsString(doc), spec.name(), spec.tags());
    }

    private static String stopped(FitResult result, boolean stoppedEarly) {
        return switch (result.status()) {
            case EARLY_STOPPED -> "early_stopping";
            case CANCELLED -> stoppedEarly ? "stop_request" : "completed";
            case COMPLETED, DIVERGED -> "completed";
        };
    }
}
