package io.tapeflow.models;

import io.swagger.v3.oas.annotations.media.Schema;

/** The body of {@code POST /models/{id}/evaluations}. */
@Schema(description = "What to score the model on")
record EvaluationRequest(
        @Schema(description = "A dataset with the model's feature names, in order, and labels the model can be "
                + "scored on", example = "1c9a2f3e-0000-4000-8000-000000000001", requiredMode =
                Schema.RequiredMode.REQUIRED) String datasetId) {
}
