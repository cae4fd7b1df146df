package io.tapeflow.training;

/**
 * The answer to a fenced write: the lease is still ours (perhaps with a cancel, or a stop-and-keep, pending), or it
 * was lost. A pending cancel outranks a pending stop.
 */
public enum LeaseStatus {
    HELD, CANCEL_REQUESTED, STOP_REQUESTED, LOST
}
