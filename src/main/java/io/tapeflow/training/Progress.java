package io.tapeflow.training;

/**
 * How far a job has come. {@code step} counts mini-batches over the whole run, so {@code step / steps} is the
 * fraction done; {@code stepsPerSecond} is the worker's recent speed, from which any replica derives an ETA.
 */
public record Progress(int epoch, int epochs, long step, long steps, Double stepsPerSecond) {

    public double fraction() {
        return steps == 0 ? 0.0 : Math.min(1.0, (double) step / steps);
    }
}
