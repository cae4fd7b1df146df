package io.tapeflow.training;

/**
 * What a worker does with a job it claimed: train, reporting through the context, and say how it ended. The pool
 * turns the result into the job's fenced final write; a runner never writes the job row itself.
 */
@FunctionalInterface
public interface JobRunner {

    JobResult run(ClaimedJob job, JobContext context) throws Exception;
}
