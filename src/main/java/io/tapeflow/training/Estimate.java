package io.tapeflow.training;

/**
 * The pre-flight estimate of a job, checked against the budget before it is queued.
 *
 * @param parameters       trainable values of the model
 * @param trainingRows     rows the model is fitted on; the rest ({@code validationRows}) only measure it
 * @param steps            mini-batches in the whole run (without early stopping)
 * @param work             rows × epochs × parameters, the budget's unit of cost
 * @param memoryBytes      parameters, gradients, optimizer state, activations of one batch, the data and the
 *                         buffers a checkpoint passes through on its way to the database
 * @param checkpointBytes  one checkpoint: parameters and optimizer slots as float32, plus names and counters
 * @param expectedSeconds  a rough running time at the configured throughput
 */
public record Estimate(int parameters, int trainingRows, int validationRows, int stepsPerEpoch, long steps,
        long work, long memoryBytes, long checkpointBytes, double expectedSeconds) {
}
