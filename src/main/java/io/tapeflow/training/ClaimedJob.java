package io.tapeflow.training;

import java.util.UUID;

/**
 * A job a worker has claimed: what to run, and the lease token that every later write of this worker must present.
 *
 * @param attempt    this claim's number, 1 for the first run
 * @param checkpointEpoch the epochs an earlier attempt's checkpoint saved (read it with
 *                        {@link JobContext#resumeFrom()}), or null to start from scratch
 */
public record ClaimedJob(UUID id, UUID leaseToken, int attempt, UUID datasetId, String request,
        int maxRuntimeSeconds, Integer checkpointEpoch) {
}
