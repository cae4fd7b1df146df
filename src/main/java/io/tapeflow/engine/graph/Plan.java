package io.tapeflow.engine.graph;

import io.tapeflow.engine.Tensor;
import io.tapeflow.engine.Variable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A traced graph compiled for execution (by {@link PlanCompiler}): the live nodes in topological order as
 * {@link Step}s bound to buffers allocated once, and the variables read from buffers of the plan and updated there in
 * place.
 *
 * <p>The batch dimension is dynamic: buffers hold up to {@code capacity} rows and every run says how many it uses;
 * a larger batch grows the batched buffers once.
 */
final class Plan {

    private final Step[] steps;
    private final List<Buffer> batchedBuffers;
    private final Buffer[] inputs;
    private final Buffer[] outputs;
    private final Binding[] variables;
    private final Step.UpdateStep[] updates;
    private final Variable[] updated;
    private final UpdateRule rule;
    private final float[] stepSize;
    private final int stepCount;
    private final int fusedOps;
    private int capacity;
    private long iterations;

    Plan(Parts parts) {
        this.steps = parts.steps.toArray(new Step[0]);
        this.stepCount = steps.length;
        this.batchedBuffers = parts.batched;
        this.inputs = parts.inputs;
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i] == null) {
                inputs[i] = new Buffer(true, 0, 1); // an input the function does not read
            }
        }
        this.outputs = parts.outputs;
        this.variables = parts.bindings.toArray(new Binding[0]);
        this.updates = parts.updates.toArray(new Step.UpdateStep[0]);
        this.updated = parts.updated.toArray(new Variable[0]);
        this.rule = parts.rule;
        this.stepSize = parts.stepSize;
        this.fusedOps = parts.fusedOps;
        this.capacity = parts.capacity;
    }

    static Plan compile(Graph graph, Node[] outputs, int inputCount, int capacity) {
        return PlanCompiler.compile(graph, outputs, inputCount, capacity);
    }

    /** What the compiler hands over: the steps and buffers, collected as its passes create them. */
    static final class Parts {
        private final UpdateRule rule;
        private final int capacity;
        final Buffer[] inputs;
        final Buffer[] outputs;
        private final List<Buffer> batched = new ArrayList<>();
        private final List<Binding> bindings = new ArrayList<>();
        private final List<Step> steps = new ArrayList<>();
        private final List<Step.UpdateStep> updates = new ArrayList<>();
        private final List<Variable> updated = new ArrayList<>();
        private final float[] stepSize = new float[1];
        private int fusedOps;

        Parts(UpdateRule rule, int inputCount, int outputCount, int capacity) {
            this.rule = rule;
            this.inputs = new Buffer[inputCount];
            this.outputs = new Buffer[outputCount];
            this.capacity = capacity;
        }

        Buffer newBuffer(Node node) {
            Buffer b = new Buffer(node.batched(), Layout.width(node.shape), capacity);
            if (b.batched) {
                batched.add(b);
            }
            return b;
        }

        /** One feature row of a fused chain's intermediate. */
        Buffer newRegister() {
            Buffer b = new Buffer(true, 1, capacity);
            batched.add(b);
            return b;
        }

        Buffer bind(Variable variable, Buffer buffer) {
            bindings.add(new Binding(variable, buffer));
            return buffer;
        }

        void add(Step step) {
            steps.add(step);
        }

        void update(Variable variable, Buffer values, Buffer gradient) {
            Step.UpdateStep u = new Step.UpdateStep(rule, values, gradient, stepSize);
            updates.add(u);
            updated.add(variable);
            steps.add(u);
        }

        /** Counts the elementwise ops of one fused chain. */
        void fused(int ops) {
            fusedOps += ops;
        }
    }

    // ---------------------------------------------------------------- running

    /** Makes room for {@code rows} batch rows (once per new largest batch). */
    void ensureCapacity(int rows) {
        if (rows > capacity) {
            for (Buffer b : batchedBuffers) {
                b.grow(rows);
            }
            capacity = rows;
        }
    }

    /** Copies {@code rows} row-major rows of input {@code index} into its feature-major buffer. */
    void load(int index, float[] values, int rows) {
        inputs[index].fromRowMajor(values, rows);
    }

    void execute(int rows) {
        for (Binding v : variables) {
            v.refresh();
        }
        if (updates.length > 0) {
            iterations++;
            stepSize[0] = rule.stepSize(iterations);
        }
        Step[] s = steps;
        for (int i = 0; i < stepCount; i++) {
            s[i].run(rows);
        }
    }

    float scalar(int output) {
        return outputs[output].rows[0][0];
    }

    /** Copies output {@code index} for {@code rows} rows into {@code out}, row-major. */
    void copyOutput(int index, float[] out, int rows) {
        Buffer b = outputs[index];
        if (!b.batched) {
            System.arraycopy(b.rows[0], 0, out, 0, b.width);
            return;
        }
        b.toRowMajor(out, rows);
    }

    int stepCount() {
        return stepCount;
    }

    /** The number of elementwise ops that run inside fused steps. */
    int fusedOps() {
        return fusedOps;
    }

    /** Writes the buffers of the variables back into them (each gets a fresh value tensor). */
    void storeVariables() {
        for (Binding v : variables) {
            v.store();
        }
    }

    long iterations() {
        return iterations;
    }

    /** Copies of the slots of every update, in update order, {@code slotsPerUpdate} per update. */
    float[][] slots() {
        int per = rule == null ? 0 : rule.slots();
        float[][] out = new float[updates.length * per][];
        for (int u = 0; u < updates.length; u++) {
            for (int s = 0; s < per; s++) {
                out[u * per + s] = updates[u].slots[s].clone();
            }
        }
        return out;
    }

    void restore(long iterationCount, float[][] slots) {
        int per = rule == null ? 0 : rule.slots();
        if (slots.length != 0 && slots.length != updates.length * per) {
            throw new IllegalArgumentException("restore: " + slots.length + " slot arrays for " + updates.length
                    + " updated variables with " + per + " slots each");
        }
        for (int u = 0; u < updates.length; u++) {
            for (int s = 0; s < per; s++) {
                float[] target = updates[u].slots[s];
                if (slots.length == 0) {
                    Arrays.fill(target, 0f);
                } else if (slots[u * per + s].length != target.length) {
                    throw new IllegalArgumentException("restore: slot " + s + " of " + updated[u].name() + " has "
                            + slots[u * per + s].length + " values, the variable " + target.length);
                } else {
                    System.arraycopy(slots[u * per + s], 0, target, 0, target.length);
                }
            }
        }
        iterations = iterationCount;
    }

    /** A variable read by the plan: its values live in a buffer, reloaded only when someone assigned it. */
    private static final class Binding {
        private final Variable variable;
        private final Buffer buffer;
        private Tensor seen;

        Binding(Variable variable, Buffer buffer) {
            this.variable = variable;
            this.buffer = buffer;
        }

        void refresh() {
            Tensor current = variable.value();
            if (current != seen) {
                current.copyTo(buffer.rows[0], 0);
                seen = current;
            }
        }

        void store() {
            if (seen != null) {
                variable.assign(buffer.rows[0]);
                seen = variable.value();
            }
        }
    }
}
