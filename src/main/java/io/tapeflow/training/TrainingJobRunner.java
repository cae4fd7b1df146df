package io.tapeflow.training;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.tapeflow.datasets.DatasetData;
import io.tapeflow.datasets.DatasetStore;
import io.tapeflow.engine.Rng;
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
import io.tapeflow.nn.Trainer;
import io.tapeflow.nn.TrainingState;
import io.tapeflow.training.TrainingJobRequest.OptimizerSpec;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs a training job on the engine: builds the model from the seed, fits it to the dataset's rows with progress,
 * cancellation and checkpoints going through the {@link JobContext}, and turns the fit's end into a job result.
 */
class TrainingJobRunner implements JobRunner {

    private final DatasetStore datasets;
    private final JsonMapper json;

    TrainingJobRunner(DatasetStore datasets, JsonMapper json) {
        this.datasets = datasets;
        this.json = json;
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
        Sequential model = model(spec, data);
        FitConfig config = fitConfig(spec);
        TrainingState resume = context.resumeFrom();

        int stepsPerEpoch = stepsPerEpoch(trainingRows(data.rows(), config.validationSplit()), spec.batchSize());
        int startEpoch = resume == null ? 0 : resume.nextEpoch();
        context.start(startEpoch, spec.epochs(), (long) startEpoch * stepsPerEpoch,
                (long) spec.epochs() * stepsPerEpoch);

        FitResult result = Trainer.fit(model, data.features(), data.labels(), config, new FitListener() {
            @Override
            public void onStep(int epoch, int step, int steps, float loss) {
                context.step((long) (epoch - 1) * steps + step);
            }

            @Override
            public void onEpoch(EpochResult epoch) {
                context.epochEnd(new EpochMetrics(epoch.epoch(), epoch.metrics(), epoch.seconds()));
                if (context.checkpointDue() && epoch.epoch() < epoch.epochs()) {
                    context.checkpoint(epoch.checkpoint(), epoch.epoch());
                }
            }

            @Override
            public boolean stopRequested() {
                return context.stopReason() != null;
            }
        }, resume);

        return switch (result.status()) {
            case COMPLETED, EARLY_STOPPED -> new JobResult.Succeeded(storedModel(job, spec, data, model, result));
            case DIVERGED -> new JobResult.Failed("DIVERGED", result.message(), result.failedEpoch());
            case CANCELLED -> new JobResult.Stopped(result.checkpoint(), result.checkpoint().nextEpoch());
        };
    }

    /** The model as the seed draws it: the same request and seed give the same initial values. */
    static Sequential model(TrainingSpec spec, DatasetData data) {
        List<Integer> hidden = spec.model().hiddenLayers();
        int[] widths = new int[hidden.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = hidden.get(i);
        }
        return Sequential.mlp(data.featureCount(), widths, Activation.byName(spec.model().activation()),
                data.labelCount(), Activation.byName(spec.model().output()),
                Initializer.byName(spec.model().initializer()), new Rng(spec.seed()));
    }

    static FitConfig fitConfig(TrainingSpec spec) {
        Loss loss = Loss.byName(spec.loss());
        EarlyStopping stopping = spec.earlyStopping() == null ? null
                : new EarlyStopping(spec.earlyStopping().monitor(), spec.earlyStopping().patience(),
                        spec.earlyStopping().minDelta().floatValue());
        return new FitConfig(loss, optimizer(spec.optimizer()), List.of(Metric.forLoss(loss)), spec.epochs(),
                spec.batchSize(), spec.shuffle(), spec.seed(), (float) spec.validationSplit(), stopping,
                ExecutionMode.byName(spec.execution()));
    }

    /** As the fit loop splits: the first rows train, the last fraction validates. */
    static int trainingRows(int rows, float validationSplit) {
        return (int) Math.floor(rows * (1.0 - validationSplit));
    }

    /** Mini-batches per epoch, the last one partial; a batch larger than the data is the whole data. */
    static int stepsPerEpoch(int trainingRows, int batchSize) {
        int batch = Math.min(batchSize, trainingRows);
        return (trainingRows + batch - 1) / batch;
    }

    private static OptimizerConfig optimizer(OptimizerSpec o) {
        float lr = o.learningRate().floatValue();
        return switch (o.type()) {
            case "adam" -> OptimizerConfig.adam(lr, o.beta1().floatValue(), o.beta2().floatValue(),
                    o.epsilon().floatValue());
            case "rmsprop" -> OptimizerConfig.rmsprop(lr, o.rho().floatValue(), o.epsilon().floatValue());
            default -> OptimizerConfig.sgd(lr, o.momentum().floatValue(), o.nesterov());
        };
    }

    private StoredModel storedModel(ClaimedJob job, TrainingSpec spec, DatasetData data, Sequential model,
            FitResult result) {
        boolean classifier = "sigmoid".equals(spec.model().output());
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
        ModelDocument.Signature signature = new ModelDocument.Signature(k, data.labelCount(), data.featureNames(),
                data.labelNames(), classifier ? "classifier" : "regressor", classifier ? 0.5 : null, ranges);
        EpochResult last = result.lastEpoch();
        ModelDocument.Training training = new ModelDocument.Training(job.id(), job.datasetId(), spec.loss(),
                spec.optimizer().type(), result.epochsCompleted(),
                result.status() == FitResult.Status.EARLY_STOPPED ? "early_stopping" : "completed",
                last == null ? null : last.metrics());
        ModelDocument doc = new ModelDocument(ModelDocument.FORMAT, ModelDocument.VERSION,
                ModelCodec.architecture(spec.model().type(), model), signature, ModelCodec.parameters(model),
                training);
        return new StoredModel(UUID.randomUUID(), job.id(), job.datasetId(), signature.kind(), "TRAINED", null,
                json.writeValueAsString(doc));
    }
}
