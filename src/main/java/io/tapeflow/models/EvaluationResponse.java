package io.tapeflow.models;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A stored evaluation report as the API shows it: where it came from, then the {@link EvaluationBody}'s parts
 * (those that do not apply to the model's kind are left out).
 *
 * @param datasetId the dataset scored; for a {@code validation} report the job's dataset. May name a deleted one.
 * @param source    {@code dataset} (POST /models/{id}/evaluations) or {@code validation} (a job's validation rows)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "An evaluation report", example = EvaluationResponse.EXAMPLE)
public record EvaluationResponse(UUID id, UUID modelId, UUID datasetId, String source, Instant createdAt, int rows,
        String kind, EvaluationBody.Loss loss, Map<String, Double> metrics, List<EvaluationBody.ClassMetrics> classes,
        EvaluationBody.Averages averages, EvaluationBody.ConfusionMatrix confusionMatrix, EvaluationBody.Roc roc) {

    static final String EXAMPLE = """
            {"id": "5f0c0c39-8c1e-4a43-9a57-2b8a4b7c7d10", "modelId": "0b6c3f0e-0000-4000-8000-000000000000",
             "datasetId": "1c9a2f3e-0000-4000-8000-000000000001", "source": "dataset",
             "createdAt": "2026-12-01T20:30:00Z", "rows": 4, "kind": "binary",
             "loss": {"name": "binary_crossentropy", "value": 0.3081},
             "metrics": {"accuracy": 0.75, "log_loss": 0.3081, "roc_auc": 1.0},
             "classes": [{"name": "0", "precision": 0.6667, "recall": 1.0, "f1": 0.8, "support": 2},
                         {"name": "1", "precision": 1.0, "recall": 0.5, "f1": 0.6667, "support": 2}],
             "averages": {"macro": {"precision": 0.8333, "recall": 0.75, "f1": 0.7333, "support": 4},
                          "weighted": {"precision": 0.8333, "recall": 0.75, "f1": 0.7333, "support": 4}},
             "confusionMatrix": {"labels": ["0", "1"], "matrix": [[2, 0], [1, 1]]},
             "roc": {"fpr": [0.0, 0.0, 0.0, 1.0], "tpr": [0.0, 0.5, 1.0, 1.0],
                     "thresholds": [1.9, 0.9, 0.45, 0.1]}}""";

    static EvaluationResponse of(UUID id, UUID modelId, UUID datasetId, String source, Instant createdAt,
            EvaluationBody b) {
        return new EvaluationResponse(id, modelId, datasetId, source, createdAt, b.rows(), b.kind(), b.loss(),
                b.metrics(), b.classes(), b.averages(), b.confusionMatrix(), b.roc());
    }
}
