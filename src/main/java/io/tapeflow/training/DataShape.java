package io.tapeflow.training;

/** What validation needs to know about a job's dataset: its size, and its labels to check them against the loss. */
record DataShape(int rows, int features, int outputs, float[] labels) {
}
