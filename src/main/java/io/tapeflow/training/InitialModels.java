package io.tapeflow.training;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.tapeflow.models.ModelCodec;
import io.tapeflow.models.ModelDocument;
import io.tapeflow.models.ModelRepository;
import io.tapeflow.nn.TrainingState;
import io.tapeflow.nn.Sequential;
import io.tapeflow.web.ApiException;
import io.tapeflow.web.FieldProblem;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The trained models a job can start from ({@code initialModelId}): checked against the job's model before the job
 * is queued, and loaded with their exact float32 parameters when it runs. The job copies the parameters
 * (standardization statistics included) and trains them with a new optimizer: fine-tuning.
 *
 * <p>Continuing: a model from a job that a stop request ended keeps that job's state at the boundary (optimizer
 * moments, shuffle generator, early-stopping counters, epoch). A job that starts from it with the same request
 * (dataset, model, loss, optimizer, batch size, shuffle, seed, validation split, early stopping; name, tags,
 * execution, runtime limit and a larger {@code epochs} may differ) resumes that state instead: its epochs run on
 * from the stopped one, bit-identical to a run that was never stopped. The state goes when the stopped job is
 * deleted; from then on such a job fine-tunes.
 */
final class InitialModels {

    static final String FIELD = "initialModelId";

    private final ModelRepository models;
    private final TrainingJobRepository jobs;
    private final JsonMapper exactJson;

    /** A model to start from: its document, and the job that trained it (null for an import or a deleted job). */
    record Initial(ModelDocument document, UUID jobId) {
    }

    InitialModels(ModelRepository models, TrainingJobRepository jobs, JsonMapper json) {
        this.models = models;
        this.jobs = jobs;
        // As ModelService reads documents: each decimal rounds to float32 once, so the parameters are the model's.
        this.exactJson = json.rebuild().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
    }

    /** The model's document; a 404 problem when there is no such model. */
    ModelDocument require(UUID id) {
        return find(id).orElseThrow(() -> ApiException.notFound("Model", id)).document();
    }

    Optional<Initial> find(UUID id) {
        return models.find(id).map(m -> new Initial(exactJson.readValue(m.document(), ModelDocument.class),
                m.jobId()));
    }

    /** The state to continue from, when the model's stopped job kept one and {@code spec} continues its run. */
    Optional<TrainingState> continuation(Initial initial, TrainingSpec spec) {
        if (initial.jobId() == null) {
            return Optional.empty();
        }
        return jobs.carriedState(initial.jobId())
                .filter(c -> continues(c.spec(), spec) && spec.epochs() > c.state().nextEpoch())
                .map(TrainingJobRepository.Carried::state);
    }

    /** Whether {@code spec} asks for the same run as {@code origin}, apart from what does not change the numbers. */
    static boolean continues(TrainingSpec origin, TrainingSpec spec) {
        return origin.datasetId().equals(spec.datasetId()) && origin.model().equals(spec.model())
                && origin.loss().equals(spec.loss()) && origin.optimizer().equals(spec.optimizer())
                && origin.batchSize() == spec.batchSize() && origin.shuffle() == spec.shuffle()
                && origin.seed() == spec.seed() && origin.validationSplit() == spec.validationSplit()
                && java.util.Objects.equals(origin.earlyStopping(), spec.earlyStopping());
    }

    /** The engine model with the document's parameters, ready to train further. */
    static Sequential model(ModelDocument doc) {
        return ModelCodec.model(doc);
    }

    /**
     * A 400 on {@code initialModelId} naming every difference between the model and the one the job would train:
     * layer widths, activations, standardization and the feature names.
     */
    static void checkCompatible(ModelDocument doc, TrainingSpec spec, DataShape shape, List<String> featureNames) {
        ModelDocument.Architecture a = doc.architecture();
        int[] widths = TrainingJobValidator.widths(spec.model(), shape.features(),
                TrainingJobValidator.outputWidth(spec, shape));
        List<Integer> want = new ArrayList<>();
        for (int w : widths) {
            want.add(w);
        }
        List<Integer> have = new ArrayList<>();
        have.add(a.inputs());
        have.addAll(a.hiddenLayers());
        have.add(a.outputs());
        List<String> differences = new ArrayList<>();
        if (!want.equals(have)) {
            differences.add("layer widths " + have + " (the job's model: " + want + ")");
        }
        String activation = widths.length > 2 ? spec.model().activation() : "linear";
        if (!activation.equals(a.activation())) {
            differences.add("hidden activation " + a.activation() + " (the job's: " + activation + ")");
        }
        if (!spec.model().output().equals(a.output())) {
            differences.add("output " + a.output() + " (the job's: " + spec.model().output() + ")");
        }
        boolean standardized = Boolean.TRUE.equals(spec.model().standardize());
        if (standardized != a.isStandardized()) {
            differences.add((a.isStandardized() ? "standardized" : "not standardized") + " (the job's model "
                    + (standardized ? "is" : "is not") + ")");
        }
        if (!featureNames.equals(doc.signature().featureNames())) {
            differences.add("feature names " + doc.signature().featureNames() + " (the dataset's: " + featureNames
                    + ")");
        }
        if (!differences.isEmpty()) {
            throw ApiException.badRequest(List.of(new FieldProblem(FIELD, "the model differs from the job's: "
                    + String.join("; ", differences))));
        }
    }
}
