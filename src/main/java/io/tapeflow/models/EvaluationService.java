package io.tapeflow.models;

import java.util.List;
import java.util.UUID;

import io.tapeflow.datasets.DatasetData;
import io.tapeflow.datasets.DatasetStore;
import io.tapeflow.nn.Sequential;
import io.tapeflow.web.ApiException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/** Scores models on datasets, stores the reports, reads them back and draws them. */
@Service
class EvaluationService {

    private static final int CHUNK = 8192;

    private final ModelService models;
    private final DatasetStore datasets;
    private final EvaluationRepository evaluations;

    EvaluationService(ModelService models, DatasetStore datasets, EvaluationRepository evaluations) {
        this.models = models;
        this.datasets = datasets;
        this.evaluations = evaluations;
    }

    /** Scores the model on every row of the dataset and stores the report. */
    EvaluationResponse evaluate(UUID modelId, EvaluationRequest request) {
        ModelService.Loaded m = models.load(modelId);
        UUID datasetId = datasetId(request);
        DatasetData data = datasets.load(datasetId).orElseThrow(() -> ApiException.notFound("Dataset", datasetId));
        ModelDocument doc = m.document();
        EvaluationKind kind = kind(doc);
        ModelDocument.Signature s = doc.signature();
        if (!data.featureNames().equals(s.featureNames())) {
            throw ApiException.badRequest("datasetId", "the dataset's features " + data.featureNames()
                    + " are not the model's " + s.featureNames() + " (same names, same order)");
        }
        int rows = data.rows();
        float[] labels = labelsInModelOrder(data, s);
        String problem = Evaluation.labelProblem(kind, labels, rows, data.labelCount(), s.outputs());
        if (problem != null) {
            throw ApiException.badRequest("datasetId", "the dataset " + problem);
        }
        float[] outputs = predict(m.model(), data.features(), rows, s.inputs(), s.outputs());
        EvaluationBody body = Evaluation.report(kind, loss(doc, kind), labels, outputs, rows,
                data.labelCount(), s.outputs(), classNames(doc, kind));
        return evaluations.insert(UUID.randomUUID(), modelId, datasetId, EvaluationRepository.DATASET, body);
    }

    /**
     * The dataset's class indices as the model numbers its classes. Both number them in sorted name order, but a
     * test table uploaded on its own may lack a class, and then its indices are shifted: they are matched by name.
     */
    static float[] labelsInModelOrder(DatasetData data, ModelDocument.Signature s) {
        List<String> theirs = data.classNames();
        List<String> ours = s.classNames();
        if (theirs == null || ours == null || theirs.equals(ours)) {
            return data.labels();
        }
        float[] index = new float[theirs.size()];
        for (int i = 0; i < index.length; i++) {
            index[i] = ours.indexOf(theirs.get(i));
            if (index[i] < 0) {
                throw ApiException.badRequest("datasetId", "the dataset's class '" + theirs.get(i)
                        + "' is not one of the model's classes " + ours);
            }
        }
        float[] labels = data.labels();
        float[] mapped = new float[labels.length];
        for (int r = 0; r < labels.length; r++) {
            mapped[r] = index[(int) labels[r]];
        }
        return mapped;
    }

    EvaluationPage list(UUID modelId, int page, int size) {
        models.load(modelId);
        return new EvaluationPage(evaluations.list(modelId, page * size, size), page, size,
                evaluations.count(modelId));
    }

    EvaluationResponse get(UUID modelId, UUID evaluationId) {
        models.load(modelId);
        return evaluations.find(modelId, evaluationId)
                .orElseThrow(() -> ApiException.notFound("Evaluation", evaluationId));
    }

    String confusionMatrixSvg(UUID modelId, UUID evaluationId) {
        EvaluationResponse e = get(modelId, evaluationId);
        if (e.confusionMatrix() == null) {
            throw new ApiException(HttpStatus.NOT_FOUND, "Confusion matrix not found", "Evaluation " + evaluationId
                    + " is of a " + e.kind() + " model; confusion matrices are drawn for classifiers", List.of());
        }
        return EvaluationPlot.confusionMatrix(e);
    }

    String rocSvg(UUID modelId, UUID evaluationId) {
        EvaluationResponse e = get(modelId, evaluationId);
        if (e.roc() == null) {
            String why = EvaluationKind.BINARY.apiName().equals(e.kind())
                    ? " scored rows of one class only, so it has no ROC curve"
                    : " is of a " + e.kind() + " model; ROC curves are drawn for binary classifiers";
            throw new ApiException(HttpStatus.NOT_FOUND, "ROC curve not found", "Evaluation " + evaluationId + why,
                    List.of());
        }
        return EvaluationPlot.roc(e);
    }

    /** Predictions {@value #CHUNK} rows at a time, so a large dataset never holds every row's activations at once. */
    static float[] predict(Sequential model, float[] features, int rows, int inputs, int outputs) {
        if (rows <= CHUNK) {
            return model.predict(features, rows);
        }
        float[] out = new float[Math.multiplyExact(rows, outputs)];
        float[] chunk = new float[CHUNK * inputs];
        for (int from = 0; from < rows; from += CHUNK) {
            int n = Math.min(CHUNK, rows - from);
            float[] x = n == CHUNK ? chunk : new float[n * inputs];
            System.arraycopy(features, from * inputs, x, 0, n * inputs);
            System.arraycopy(model.predict(x, n), 0, out, from * outputs, n * outputs);
        }
        return out;
    }

    private static UUID datasetId(EvaluationRequest request) {
        return ApiException.requireId("datasetId", request == null ? null : request.datasetId(), "a dataset id");
    }

    /** What the model's output layer makes it; a multi-label model cannot be scored (a 422, nothing to fix in the body). */
    static EvaluationKind kind(ModelDocument doc) {
        try {
            return EvaluationKind.forOutput(doc.architecture().output(), doc.signature().outputs());
        } catch (IllegalArgumentException e) {
            throw ApiException.unprocessable("id", e.getMessage());
        }
    }

    /** The model's training loss when it is one a report computes for this kind, else the kind's usual one. */
    static String loss(ModelDocument doc, EvaluationKind kind) {
        String loss = doc.training() == null ? null : doc.training().loss();
        if (loss == null || !Evaluation.LOSSES.contains(loss)) {
            return null;
        }
        boolean categorical = loss.equals("categorical_crossentropy") || loss.equals("sparse_categorical_crossentropy");
        return categorical && kind != EvaluationKind.MULTICLASS ? null : loss;
    }

    /**
     * The class names of a classifier's report, or null for a regressor: the model's own, or the indices
     * "0".."K−1" for a model whose classes have no names.
     */
    static List<String> classNames(ModelDocument doc, EvaluationKind kind) {
        if (kind != EvaluationKind.REGRESSION && doc.signature().classNames() != null) {
            return doc.signature().classNames();
        }
        return switch (kind) {
            case BINARY -> Evaluation.indexNames(2);
            case MULTICLASS -> Evaluation.indexNames(doc.signature().outputs());
            case REGRESSION -> null;
        };
    }
}
