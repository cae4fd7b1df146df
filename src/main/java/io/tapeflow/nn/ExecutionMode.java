package io.tapeflow.nn;

/** How a train step runs: op by op on the tape ({@code EAGER}) or as a traced graph ({@code GRAPH}). */
public enum ExecutionMode {
    EAGER, GRAPH;

    /** Graph mode: the same numbers as eager within float rounding, far less time per step. */
    public static final ExecutionMode DEFAULT = GRAPH;

    public static ExecutionMode byName(String name) {
        return Names.parse(ExecutionMode.class, name, "execution mode");
    }

    public String apiName() {
        return Names.of(this);
    }
}
