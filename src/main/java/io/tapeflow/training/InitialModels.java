package io.tapeflow.training;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.tapeflow.models.ModelCodec;
import io.tapeflow.models.ModelDocument;
import io.tapeflow.models.ModelRepository;
import io.tapeflow.models.StoredModel;
import io.tapeflow.nn.Sequential;
import io.tapeflow.web.ApiException;
import io.tapeflow.web.FieldProblem;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The trained models a job can start from ({@code initialModelId}): checked against the job's model before the job
 * is queued, and loaded with their exact float32 parameters when it runs. The job copies the parameters
 * (standardization statistics included) and trains them with a new optimizer: fine-tuning, not a resume.
 */
final class InitialModels {

    static final String FIELD = "initialModelId";

    private final ModelRepository models;
    private final JsonMapper exactJson;

    InitialModels(ModelRepository models, JsonMapper json) {
        this.models = models;
        // As ModelService reads documents: each decimal rounds to float32 once, so the parameters are the model's.
        this.exactJson = json.rebuild().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
    }

    /** The model's document; a 404 problem when there is no such model. */
    ModelDocument require(UUID id) {
        return find(id).orElseThrow(() -> ApiException.notFound("Model", id));
    }

    Optional<ModelDocument> find(UUID id) {
        return models.find(id).map(StoredModel::document).map(d -> exactJson.readValue(d, ModelDocument.class));
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
