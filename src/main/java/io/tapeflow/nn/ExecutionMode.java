package io.tapeflow.nn;

/** How a train step runs: op by op on the tape ({@code EAGER}) or as a traced graph ({@code GRAPH}). */
public enum ExecutionMode {
    EAGER, GRAPH;

    public static ExecutionMode byName(String name) {
        return Names.parse(ExecutionMode.class, name, "execution mode");
    }
}
