package io.tapeflow.nn;

/** Callbacks from a running fit, on the fitting thread. */
public interface FitListener {

    FitListener NONE = new FitListener() {
    };

    /** After each step: 1-based epoch and step, steps per epoch, the batch loss. Keep it cheap. */
    default void onStep(int epoch, int step, int steps, float loss) {
    }

    /** After each epoch, with its metrics and a checkpoint of the state after it. */
    default void onEpoch(EpochResult result) {
    }

    /** Polled after every step: true ends the fit as {@link FitResult.Status#CANCELLED}. */
    default boolean stopRequested() {
        return false;
    }
}
