package io.tapeflow.training;

/** Why a running job must stop before it finishes. */
public enum StopReason {
    /** A client cancelled it: it ends {@code CANCELLED}. */
    CANCELLED,
    /** It ran longer than its {@code maxRuntimeSeconds}: it ends {@code FAILED/TIMED_OUT}. */
    TIMED_OUT,
    /** This replica is shutting down: the job goes back to the queue with a checkpoint. */
    SHUTDOWN,
    /** Another worker holds the job now: nothing this worker computed may be written. */
    LEASE_LOST,
    /**
     * A client asked to stop and keep ({@code POST /stop}): the run ends at its next epoch boundary, {@code SUCCEEDED}
     * with that boundary's model. The weakest reason: any other replaces it (the request stays in the database, so
     * a worker that claims the job again honours it).
     */
    STOPPED
}
