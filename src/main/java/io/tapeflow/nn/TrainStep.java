package io.tapeflow.nn;

import java.util.List;

/**
 * One optimisation step on one batch: the seam through which {@link Trainer} runs training, so that graph mode can
 * replace the eager tape without touching the fit loop.
 */
public interface TrainStep {

    /**
     * Updates the model on {@code rows} rows ({@code features} rows × inputWidth, {@code labels} rows × outputWidth,
     * both exactly that long), writes the batch's metrics into {@code metricsOut} (one per configured metric) and
     * returns the batch loss computed before the update.
     */
    float run(float[] features, float[] labels, int rows, float[] metricsOut);

    /** The step for an execution mode. Graph mode runs eagerly until the traced implementation is installed. */
    static TrainStep create(ExecutionMode mode, Sequential model, Loss loss, Optimizer optimizer,
            List<Metric> metrics) {
        return switch (mode) {
            case EAGER, GRAPH -> new EagerTrainStep(model, loss, optimizer, metrics);
        };
    }
}
