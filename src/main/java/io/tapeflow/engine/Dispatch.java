package io.tapeflow.engine;

/**
 * The one point every op call goes through. Eagerly it infers the output shape, runs the kernel and lets the open
 * tapes record the call; with a {@link Tracer} installed on the thread it hands the call to the tracer instead.
 */
public final class Dispatch {

    private static final ThreadLocal<Tracer> TRACER = new ThreadLocal<>();

    private Dispatch() {
    }

    public static Tensor apply(Op op, Tensor... inputs) {
        Tracer tracer = TRACER.get();
        if (tracer != null) {
            return tracer.record(op, inputs);
        }
        int[][] shapes = new int[inputs.length][];
        for (int i = 0; i < inputs.length; i++) {
            shapes[i] = inputs[i].shape;
        }
        int[] shape = op.outputShape(shapes);
        for (int d : shape) {
            if (d < 0) { // only a traced value has an unknown (batch) dimension
                throw new IllegalArgumentException(op + ": output shape " + Shapes.toString(shape)
                        + " has an unknown dimension for inputs of known shapes");
            }
        }
        float[] out = new float[Shapes.size(shape)];
        op.forward(inputs, shape, out);
        Tensor result = Tensor.owning(out, shape);
        GradientTape.recordOnOpenTapes(op, inputs, result);
        return result;
    }

    /** Installs a tracer on this thread until the returned scope is closed. */
    public static Scope trace(Tracer tracer) {
        Tracer previous = TRACER.get();
        TRACER.set(tracer);
        return () -> {
            if (previous == null) {
                TRACER.remove();
            } else {
                TRACER.set(previous);
            }
        };
    }

    /** The tracer installed on this thread, or {@code null} when ops run eagerly. */
    public static Tracer currentTracer() {
        return TRACER.get();
    }

    /** A closeable installation that cannot fail on close. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
