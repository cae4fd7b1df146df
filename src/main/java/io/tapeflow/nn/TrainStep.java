package io.tapeflow.nn;

import java.util.List;

/**
 * One optimisation step on one batch: the seam through which {@link Trainer} runs training, so that graph mode can
 * replace the eager tape without touching the fit loop.
 */
public interface TrainStep {

    /**
     * Updates the model on {@code rows} rows ({@code features} rows × inputWidth, {@code labels} rows ×
     * {@link Loss#labelWidth}, both exactly that long), writes the batch's metrics into {@code metricsOut} (one per configured metric) and
     * returns the batch loss computed before the update.
     */
    float run(float[] features, float[] labels, int rows, float[] metricsOut);

    /**
     * Brings the model's variables and the optimizer up to date with the step's own state; the fit loop calls it
     * before it reads either (checkpoints, validation, the end of the fit). Graph mode keeps both inside its plan.
     */
    default void sync() {
    }

    /** The step for an execution mode: the tape op by op, or the step traced once and run as a compiled plan. */
    static TrainStep create(ExecutionMode mode, Sequential model, Loss loss, Optimizer optimizer,
            List<Metric> metrics) {
        return switch (mode) {
            case EAGER -> new EagerTrainStep(model, loss, optimizer, metrics);
            case GRAPH -> new GraphTrainStep(model, loss, optimizer, metrics);
        };
    }
}
