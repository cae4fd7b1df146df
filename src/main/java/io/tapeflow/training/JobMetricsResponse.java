package io.tapeflow.training;

import java.util.List;
import java.util.UUID;

/** {@code GET /training-jobs/{id}/metrics}: one entry per finished epoch, in order. */
record JobMetricsResponse(UUID jobId, JobState state, List<EpochMetrics> epochs) {
}
