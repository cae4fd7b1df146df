package io.tapeflow.nn;

import java.util.List;

/**
 * How a fit ended. {@code epochsCompleted} counts finished epochs; {@code failedEpoch} is the 1-based epoch where the
 * loss became NaN or infinite (0 unless {@code DIVERGED}); {@code checkpoint} is the state at the last epoch
 * boundary reached (the starting state if none was), from which a fit can be resumed. After a stop in the middle of
 * an epoch (cancelled, diverged) the model itself holds that epoch's partial updates; the checkpoint does not.
 */
public record FitResult(Status status, int epochsCompleted, int failedEpoch, String message, List<EpochResult> history,
        TrainingState checkpoint) {

    public enum Status { COMPLETED, EARLY_STOPPED, CANCELLED, DIVERGED }

    public EpochResult lastEpoch() {
        return history.isEmpty() ? null : history.get(history.size() - 1);
    }
}
