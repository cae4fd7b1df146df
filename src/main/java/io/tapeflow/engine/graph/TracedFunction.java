package io.tapeflow.engine.graph;

import io.tapeflow.engine.Dispatch;
import io.tapeflow.engine.Shapes;
import io.tapeflow.engine.Tensor;
import io.tapeflow.engine.Variable;
import java.util.Arrays;
import java.util.List;

/**
 * The analogue of {@code tf.function}: a Java function traced once on symbolic inputs whose first dimension is the
 * dynamic batch, recorded as a {@link Graph} (with its gradients and optimizer updates derived at trace time) and run
 * as a compiled {@link Plan}. A run binds row-major input arrays, executes the plan without allocating and leaves the
 * outputs in the plan's buffers; variables are updated in place inside the plan and written back to the
 * {@link Variable}s by {@link #storeVariables()} (a variable assigned from outside is reloaded on the next run).
 *
 * <p>Any batch size runs on the same plan (a larger one grows the batch buffers once); inputs of another rank or
 * width are refused with both signatures. Not thread-safe: one caller at a time, like a model being fitted.
 */
public final class TracedFunction {

    /** The traced body: ops on {@code inputs}, gradients and updates through {@code graph}; returns the outputs. */
    @FunctionalInterface
    public interface Body {
        Tensor[] call(Graph graph, Tensor[] inputs);
    }

    private final String name;
    private final int[][] signature;
    private final int[] widths;
    private final Graph graph;
    private final Node[] outputs;
    private final Plan plan;
    private int lastRows;

    private TracedFunction(String name, int[][] signature, Graph graph, Node[] outputs) {
        this.name = name;
        this.signature = signature;
        this.graph = graph;
        this.outputs = outputs;
        this.widths = new int[signature.length];
        for (int i = 0; i < signature.length; i++) {
            widths[i] = Layout.width(signature[i]);
        }
        this.plan = Plan.compile(graph, outputs, signature.length, 1);
    }

    /**
     * Traces {@code body} once on symbolic inputs of the given shapes, each of which starts with the batch dimension
     * {@link Shapes#UNKNOWN} (-1), e.g. {@code new int[] {-1, 2}}.
     */
    public static TracedFunction trace(String name, Body body, int[]... signature) {
        int[][] sig = new int[signature.length][];
        for (int i = 0; i < signature.length; i++) {
            sig[i] = signature[i].clone();
            boolean batchFirst = sig[i].length > 0 && sig[i][0] == Shapes.UNKNOWN;
            for (int d = 1; d < sig[i].length; d++) {
                batchFirst &= sig[i][d] >= 0;
            }
            if (!batchFirst) {
                throw new IllegalArgumentException(name + ": input " + i + " has shape " + Shapes.toString(sig[i])
                        + "; a traced input needs the batch dimension (-1) first and known sizes after it");
            }
        }
        Graph graph = new Graph();
        Tensor[] symbols = new Tensor[sig.length];
        Tensor[] results;
        try (Dispatch.Scope ignored = Dispatch.trace(graph)) {
            for (int i = 0; i < sig.length; i++) {
                symbols[i] = graph.input(i, sig[i]);
            }
            results = body.call(graph, symbols);
        }
        Node[] outputs = new Node[results.length];
        for (int i = 0; i < results.length; i++) {
            outputs[i] = graph.nodeOfOutput(results[i]);
        }
        return new TracedFunction(name, sig, graph, outputs);
    }

    /**
     * Runs the function on {@code rows} rows: {@code inputs[i]} holds rows × width values of input i, row-major.
     * The first run compiles the plan.
     */
    public void run(int rows, float[]... inputs) {
        if (rows <= 0 || inputs.length != widths.length) {
            throw mismatch(rows, inputs);
        }
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i].length != rows * widths[i]) {
                throw mismatch(rows, inputs);
            }
        }
        plan.ensureCapacity(rows);
        for (int i = 0; i < inputs.length; i++) {
            plan.load(i, inputs[i], rows);
        }
        plan.execute(rows);
        lastRows = rows;
    }

    /** Runs on tensors and returns copies of the outputs; checks ranks and widths against the traced signature. */
    public Tensor[] call(Tensor... inputs) {
        boolean fits = inputs.length == signature.length;
        int rows = fits && inputs[0].rank() > 0 ? inputs[0].dim(0) : -1;
        for (int i = 0; fits && i < inputs.length; i++) {
            int[] s = inputs[i].shape();
            fits = s.length == signature[i].length && s[0] == rows;
            for (int d = 1; fits && d < s.length; d++) {
                fits = s[d] == signature[i][d];
            }
        }
        if (!fits || rows <= 0) {
            throw new IllegalArgumentException(name + ": called with " + describe(inputs) + " but traced for "
                    + signature());
        }
        float[][] values = new float[inputs.length][];
        for (int i = 0; i < inputs.length; i++) {
            values[i] = inputs[i].toArray();
        }
        run(rows, values);
        Tensor[] out = new Tensor[outputs.length];
        for (int o = 0; o < outputs.length; o++) {
            int[] shape = outputs[o].shape.clone();
            if (outputs[o].batched()) {
                shape[0] = rows;
            }
            float[] v = new float[Shapes.size(shape)];
            plan.copyOutput(o, v, rows);
            out[o] = Tensor.of(v, shape);
        }
        return out;
    }

    private IllegalArgumentException mismatch(int rows, float[][] inputs) {
        StringBuilder got = new StringBuilder();
        for (int i = 0; i < inputs.length; i++) {
            got.append(i == 0 ? "" : ", ").append(inputs[i].length).append(" values");
        }
        return new IllegalArgumentException(name + ": called with " + rows + " rows and " + got
                + " but traced for " + signature() + " (rows × width values per input)");
    }

    private static String describe(Tensor[] inputs) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < inputs.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(Shapes.toString(inputs[i].shape()));
        }
        return sb.toString();
    }

    /** The traced input signature, as TensorFlow prints it: {@code (None, 2), (None, 1)}. */
    public String signature() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < signature.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(Shapes.toString(signature[i]));
        }
        return sb.toString();
    }

    public String name() {
        return name;
    }

    /** The scalar value of output {@code index} after the last run. */
    public float outputScalar(int index) {
        requireRun();
        return plan.scalar(index);
    }

    /** Copies output {@code index} of the last run into {@code out} (row-major; rows × width for a batched one). */
    public void copyOutput(int index, float[] out) {
        requireRun();
        plan.copyOutput(index, out, lastRows);
    }

    /** Writes the plan's variable values back into the {@link Variable}s. */
    public void storeVariables() {
        plan.storeVariables();
    }

    /** The variables this function updates, in the order of their {@link Graph#applyUpdate} calls. */
    public List<Variable> updatedVariables() {
        Variable[] out = new Variable[graph.updates.size()];
        for (int u = 0; u < out.length; u++) {
            out[u] = graph.updates.get(u).variable;
        }
        return Arrays.asList(out);
    }

    /** Runs that applied the updates so far (the optimizer's step counter). */
    public long iterations() {
        return plan.iterations();
    }

    /** Copies of the update rule's slot arrays, {@code rule.slots()} per updated variable, in update order. */
    public float[][] slots() {
        return plan.slots();
    }

    /** Sets the step counter and slots (as {@link #slots()} returns them; empty means zeros), e.g. on resume. */
    public void restoreSlots(long iterations, float[][] slots) {
        plan.restore(iterations, slots);
    }

    /** The recorded graph, one node per line. */
    public String graphDump() {
        return graph.toString();
    }

    /** The number of steps of the compiled plan. */
    public int planSteps() {
        return plan.stepCount();
    }

    /** The number of elementwise ops that run fused inside other steps. */
    public int fusedOps() {
        return plan.fusedOps();
    }

    private void requireRun() {
        if (lastRows == 0) {
            throw new IllegalStateException(name + ": has not run yet");
        }
    }
}
