package io.tapeflow.nn;

/** An optimizer's whole state as plain values: the step counter and its slot arrays (empty before the first step). */
public record OptimizerState(long iterations, float[][] slots) {
}
