package io.tapeflow.training;

import io.tapeflow.models.EvaluationBody;

import io.tapeflow.models.StoredModel;
import io.tapeflow.nn.TrainingState;

/** How a run ended, as its {@link JobRunner} saw it. */
public sealed interface JobResult {

    /**
     * Trained to the end (or stopped early by early stopping, or by a stop request at an epoch boundary:
     * {@code stoppedEarly}): the model to store with the job, and the report of its validation rows (null without a
     * validation split). {@code carried}: after a stop request, the fit's state at that boundary (optimizer, shuffle
     * generator, epoch), kept with the job so a job starting from the model can continue the run exactly.
     */
    record Succeeded(StoredModel model, EvaluationBody validation, boolean stoppedEarly, TrainingState carried)
            implements JobResult {

        Succeeded(StoredModel model, EvaluationBody validation) {
            this(model, validation, false, null);
        }
    }

    /** An error no retry can fix, such as {@code DIVERGED}; {@code epoch} where it happened, if it applies. */
    record Failed(String code, String message, Integer epoch) implements JobResult {
    }

    /**
     * Stopped because {@link JobContext#stopReason()} asked it to, with the state to resume from (null if none):
     * the pool decides from the reason whether that means cancelled, timed out, released or discarded.
     */
    record Stopped(TrainingState checkpoint, Integer checkpointEpoch) implements JobResult {
    }
}
