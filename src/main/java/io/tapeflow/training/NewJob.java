package io.tapeflow.training;

import java.util.UUID;

/**
 * What {@link TrainingJobRepository#insert} stores for an accepted job; it starts {@code QUEUED}, due now.
 *
 * @param tags the stored form, {@link io.tapeflow.models.Labels#column}
 */
record NewJob(UUID id, UUID datasetId, String request, int maxAttempts,
        int maxRuntimeSeconds, int epochs, long steps, String idempotencyKey, String requestHash, String name,
        String tags, UUID initialModelId) {
}
