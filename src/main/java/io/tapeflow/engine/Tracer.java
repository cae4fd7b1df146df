package io.tapeflow.engine;

/**
 * Receives every op call on a thread while installed with {@link Dispatch#trace(Tracer)}, instead of the op being
 * computed: graph mode records a symbolic node and returns a tensor that stands for its output.
 */
public interface Tracer {

    Tensor record(Op op, Tensor[] inputs);
}
