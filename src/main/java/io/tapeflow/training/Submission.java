package io.tapeflow.training;

/**
 * What {@code POST /training-jobs} answers: the job, whether this request created it (an idempotent replay did not),
 * and the estimate that priced it.
 */
record Submission(TrainingJobResponse job, boolean created, Estimate estimate) {
}
