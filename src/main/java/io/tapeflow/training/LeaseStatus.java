package io.tapeflow.training;

/** The answer to a fenced write: the lease is still ours (perhaps with a cancel pending), or it was lost. */
public enum LeaseStatus {
    HELD, CANCEL_REQUESTED, LOST
}
