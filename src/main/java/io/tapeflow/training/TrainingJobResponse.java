package io.tapeflow.training;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A training job as the API shows it: the status resource of the asynchronous request–reply exchange. It keeps the
 * outcome, failures included, and links to the model once there is one.
 *
 * @param request       the request as accepted, every default filled in (the seed that was drawn, for instance)
 * @param latest        the most recent metrics (loss, accuracy where it applies, val_ ones with a validation split)
 * @param etaSeconds    estimated seconds left while running, 0 once finished, null before it starts
 * @param attempts      claims so far; a worker that vanished costs one, a graceful shutdown none
 * @param name          the request's name, null for none (its model inherits it, and its tags)
 * @param stopRequestedAt when {@code POST /stop} asked the job to end at its next epoch boundary
 * @param stoppedEarly  true when a stop request ended it SUCCEEDED before its last epoch, with the model of the last
 *                      epoch boundary
 */
public record TrainingJobResponse(UUID id, JobState state, UUID datasetId, TrainingSpec request,
        ProgressView progress, Map<String, Double> latest, Instant createdAt,
        Instant startedAt, Instant finishedAt, Double etaSeconds, int attempts, int maxAttempts,
        Instant cancelRequestedAt, ErrorView error, UUID modelId, String name, List<String> tags,
        UUID initialModelId, Instant stopRequestedAt, boolean stoppedEarly) {

    /** {@code step} counts mini-batches over the whole run; {@code fraction} is step / steps. */
    public record ProgressView(int epoch, int epochs, long step, long steps, double fraction,
            Double stepsPerSecond) {
    }

    /**
     * @param code  {@code DIVERGED}, {@code TIMED_OUT}, {@code WORKER_LOST}, {@code DATASET_GONE},
     *              {@code INITIAL_MODEL_GONE} or {@code INTERNAL_ERROR}
     * @param epoch the epoch where it happened, if it applies
     */
    public record ErrorView(String code, String message, Integer epoch) {
    }
}
