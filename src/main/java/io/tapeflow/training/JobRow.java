package io.tapeflow.training;

import java.time.Instant;
import java.util.UUID;

/** A {@code training_jobs} row as the service reads it (never the API's shape: see {@link TrainingJobResponse}). */
record JobRow(UUID id, UUID datasetId, JobState state, String request, Instant createdAt,
        Instant runAt, Instant startedAt, Instant finishedAt, int attempts, int maxAttempts, Progress progress,
        String latestMetrics, String errorCode, String errorMessage, Integer errorEpoch, UUID modelId,
        Instant cancelRequestedAt, String leaseOwner, String requestHash, Integer checkpointEpoch,
        Instant stopRequestedAt, boolean stoppedEarly) {
}
