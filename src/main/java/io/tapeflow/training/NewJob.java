package io.tapeflow.training;

import java.util.UUID;

/** What {@link TrainingJobRepository#insert} stores for an accepted job; it starts {@code QUEUED}, due now. */
record NewJob(UUID id, UUID datasetId, String request, int maxAttempts,
        int maxRuntimeSeconds, int epochs, long steps, String idempotencyKey, String requestHash) {
}
