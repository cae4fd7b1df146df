package io.tapeflow.training;

/** Where a training job is in its life: {@code QUEUED → RUNNING → SUCCEEDED | FAILED | CANCELLED}. */
public enum JobState {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

    public boolean isFinished() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
