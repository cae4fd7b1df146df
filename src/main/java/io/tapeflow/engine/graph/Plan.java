package io.tapeflow.engine.graph;

import io.tapeflow.engine.Binary;
import io.tapeflow.engine.BoundKernel;
import io.tapeflow.engine.BroadcastTo;
import io.tapeflow.engine.Clip;
import io.tapeflow.engine.Dispatch;
import io.tapeflow.engine.MatMul;
import io.tapeflow.engine.Op;
import io.tapeflow.engine.Reduce;
import io.tapeflow.engine.ReducedCount;
import io.tapeflow.engine.Reshape;
import io.tapeflow.engine.Shapes;
import io.tapeflow.engine.StopGradient;
import io.tapeflow.engine.Tensor;
import io.tapeflow.engine.Unary;
import io.tapeflow.engine.Variable;
import io.tapeflow.engine.Where;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A traced graph compiled for execution: the live nodes in topological order as {@link Step}s bound to buffers
 * allocated once. Compilation folds constants, turns reshapes and stop-gradients into aliases of their input, lets
 * elementwise steps read broadcasts where they lie, drops steps nobody reads, and shares buffers between values
 * whose lifetimes do not overlap. Variables are read from buffers of the plan and updated there in place.
 *
 * <p>The batch dimension is dynamic: buffers hold up to {@code capacity} rows and every run says how many it uses;
 * a larger batch grows the batched buffers once.
 */
final class Plan {

    private enum Role { INPUT, VARIABLE, CONSTANT, ALIAS, STEP, FUSED, DEAD }

    private final Step[] steps;
    private final List<Buffer> batchedBuffers = new ArrayList<>();
    private final Buffer[] inputs;
    private final Buffer[] outputs;
    private final Binding[] variables;
    private final Step.UpdateStep[] updates;
    private final Variable[] updated;
    private final UpdateRule rule;
    private final float[] stepSize = new float[1];
    private final int stepCount;
    private final int fusedOps;
    private int capacity;
    private long iterations;

    private Plan(Graph graph, Node[] outputNodes, int inputCount, int capacity) {
        this.capacity = Math.max(1, capacity);
        this.rule = graph.rule();
        List<Node> nodes = graph.nodes;
        int count = nodes.size();

        boolean[] needed = new boolean[count];
        for (Node o : outputNodes) {
            needed[o.id] = true;
        }
        for (Node u : graph.updates) {
            needed[u.id] = true;
        }
        for (int i = count - 1; i >= 0; i--) {
            if (needed[i]) {
                for (Node in : nodes.get(i).inputs) {
                    needed[in.id] = true;
                }
            }
        }

        // Roles, constants folded at compile time, and what each step reads.
        Role[] role = new Role[count];
        int[] root = new int[count];
        float[][] constant = new float[count][];
        Node[][] reads = new Node[count][];
        Arrays.fill(role, Role.DEAD);
        for (int i = 0; i < count; i++) {
            Node node = nodes.get(i);
            root[i] = i;
            if (!needed[i]) {
                continue;
            }
            Layout.width(node.shape);
            switch (node.kind) {
                case INPUT -> role[i] = Role.INPUT;
                case VARIABLE -> role[i] = Role.VARIABLE;
                case CONSTANT -> {
                    role[i] = Role.CONSTANT;
                    constant[i] = node.tensor.toArray();
                }
                case UPDATE -> {
                    role[i] = Role.STEP;
                    reads[i] = node.inputs;
                }
                case OP -> {
                    if (allConstant(node, role) && !node.batched()) {
                        role[i] = Role.CONSTANT;
                        constant[i] = fold(node, constant);
                    } else if (isAlias(node)) {
                        role[i] = Role.ALIAS;
                        root[i] = root[node.inputs[0].id];
                    } else if (eagerKernel(node)) {
                        role[i] = Role.STEP;
                        reads[i] = node.inputs;
                    } else {
                        role[i] = Role.STEP;
                        reads[i] = operands(node);
                    }
                }
            }
        }

        // Steps nobody reads are dropped; then the last read of every value.
        boolean[] used = new boolean[count];
        for (Node o : outputNodes) {
            used[root[o.id]] = true;
        }
        for (int i = count - 1; i >= 0; i--) {
            if (role[i] == Role.STEP && (used[i] || nodes.get(i).kind == Node.Kind.UPDATE)) {
                for (Node r : reads[i]) {
                    used[root[r.id]] = true;
                }
            } else if (role[i] == Role.STEP) {
                role[i] = Role.DEAD;
            }
        }
        boolean[] pinned = new boolean[count];
        for (Node o : outputNodes) {
            pinned[root[o.id]] = true;
        }
        Node[][] operands = reads.clone();
        int[] fusedInto = fuse(nodes, role, reads, root, pinned);
        int[] lastRead = new int[count];
        Arrays.fill(lastRead, -1);
        for (int i = 0; i < count; i++) {
            if (role[i] == Role.STEP) {
                for (Node r : reads[i]) {
                    lastRead[root[r.id]] = i;
                }
            }
        }

        // Buffers: leaves own theirs; a step takes a free buffer of its layout, and its operands' buffers return to
        // the pool after their last read.
        Buffer[] buffer = new Buffer[count];
        Map<Long, ArrayDeque<Buffer>> pool = new HashMap<>();
        List<Binding> bindings = new ArrayList<>();
        this.inputs = new Buffer[inputCount];
        for (int i = 0; i < count; i++) {
            Node node = nodes.get(i);
            switch (role[i]) {
                case INPUT, VARIABLE, CONSTANT -> {
                    buffer[i] = newBuffer(node);
                    if (role[i] == Role.INPUT) {
                        inputs[node.inputIndex] = buffer[i];
                    } else if (role[i] == Role.VARIABLE) {
                        bindings.add(new Binding(node.variable, buffer[i]));
                    } else {
                        System.arraycopy(constant[i], 0, buffer[i].rows[0], 0, constant[i].length);
                    }
                }
                case STEP -> {
                    if (node.kind != Node.Kind.UPDATE) {
                        long key = key(node);
                        ArrayDeque<Buffer> free = pool.get(key);
                        buffer[i] = free == null || free.isEmpty() ? newBuffer(node) : free.pop();
                    }
                    for (Node r : reads[i]) {
                        int rr = root[r.id];
                        if (lastRead[rr] == i && role[rr] == Role.STEP && !pinned[rr] && buffer[rr] != null) {
                            lastRead[rr] = -2; // released once even when read twice here
                            pool.computeIfAbsent(key(nodes.get(rr)), k -> new ArrayDeque<>()).push(buffer[rr]);
                        }
                    }
                }
                case ALIAS -> buffer[i] = buffer[root[i]];
                default -> {
                }
            }
        }
        for (int i = 0; i < inputCount; i++) {
            if (inputs[i] == null) {
                inputs[i] = new Buffer(true, 0, 1); // an input the function does not read
            }
        }

        List<Step> built = new ArrayList<>();
        int fusedParts = 0;
        List<Step.UpdateStep> updateSteps = new ArrayList<>();
        List<Variable> updatedVariables = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (role[i] != Role.STEP) {
                continue;
            }
            Node node = nodes.get(i);
            List<Integer> members = new ArrayList<>();
            for (int m = 0; m < i; m++) {
                if (role[m] == Role.FUSED && groupOf(m, fusedInto) == i) {
                    members.add(m);
                }
            }
            if (!members.isEmpty()) {
                Operand[] registerOf = new Operand[count];
                Step.RowStep[] parts = new Step.RowStep[members.size() + 1];
                Buffer[] registers = new Buffer[members.size()];
                for (int k = 0; k < members.size(); k++) {
                    registers[k] = new Buffer(true, 1, this.capacity);
                    batchedBuffers.add(registers[k]);
                    int m = members.get(k);
                    parts[k] = (Step.RowStep) build(nodes.get(m), operands[m], buffer, root, registerOf);
                    registerOf[m] = new Operand(registers[k], Operand.Mode.COLUMN);
                }
                parts[members.size()] = (Step.RowStep) build(node, operands[i], buffer, root, registerOf);
                built.add(new Step.FusedStep(buffer[i], parts, registers));
                fusedParts += parts.length;
                continue;
            }
            if (node.kind == Node.Kind.UPDATE) {
                Step.UpdateStep u = new Step.UpdateStep(rule, buffer[root[node.inputs[0].id]],
                        buffer[root[node.inputs[1].id]], stepSize);
                updateSteps.add(u);
                updatedVariables.add(node.variable);
                built.add(u);
            } else {
                built.add(build(node, reads[i], buffer, root, new Operand[count]));
            }
        }
        this.steps = built.toArray(new Step[0]);
        this.stepCount = steps.length;
        this.fusedOps = fusedParts;
        this.updates = updateSteps.toArray(new Step.UpdateStep[0]);
        this.updated = updatedVariables.toArray(new Variable[0]);
        this.variables = bindings.toArray(new Binding[0]);
        this.outputs = new Buffer[outputNodes.length];
        for (int o = 0; o < outputNodes.length; o++) {
            outputs[o] = buffer[root[outputNodes[o].id]];
        }
    }

    static Plan compile(Graph graph, Node[] outputs, int inputCount, int capacity) {
        return new Plan(graph, outputs, inputCount, capacity);
    }

    /**
     * Marks elementwise chains: a batched elementwise value that exactly one elementwise step of the same layout reads,
     * in full and under its own name, runs inside that step as a {@link Step.FusedStep} part instead of owning a
     * buffer. Members become {@code FUSED}; each group's root reads what its members read from outside the group.
     * Returns, per node, the node it is fused into (-1 for none).
     */
    private static int[] fuse(List<Node> nodes, Role[] role, Node[][] reads, int[] root, boolean[] pinned) {
        int count = nodes.size();
        int[] readers = new int[count];
        int[] reader = new int[count];
        Arrays.fill(reader, -1);
        for (int j = 0; j < count; j++) {
            if (role[j] == Role.STEP) {
                for (Node r : reads[j]) {
                    int rr = root[r.id];
                    if (reader[rr] != j) {
                        readers[rr]++;
                        reader[rr] = j;
                    }
                }
            }
        }
        int firstUpdate = count;
        for (int i = count - 1; i >= 0; i--) {
            firstUpdate = nodes.get(i).kind == Node.Kind.UPDATE ? i : firstUpdate;
        }
        int[] fusedInto = new int[count];
        Arrays.fill(fusedInto, -1);
        for (int i = 0; i < count; i++) {
            int j = reader[i];
            boolean acrossUpdate = i < firstUpdate && j > firstUpdate; // would read variables after their update
            if (role[i] != Role.STEP || pinned[i] || readers[i] != 1 || acrossUpdate || !elementwise(nodes.get(i))
                    || !elementwise(nodes.get(j)) || Layout.width(nodes.get(i).shape) != Layout.width(nodes.get(j).shape)) {
                continue;
            }
            boolean full = true;
            for (Node r : reads[j]) {
                if (root[r.id] == i) {
                    full &= r.id == i && Operand.modeOf(r, nodes.get(j)) == Operand.Mode.FULL;
                }
            }
            if (full) {
                fusedInto[i] = j;
            }
        }
        for (int i = 0; i < count; i++) {
            if (fusedInto[i] >= 0) {
                role[i] = Role.FUSED;
            }
        }
        for (int i = count - 1; i >= 0; i--) {
            if (fusedInto[i] >= 0) {
                int g = groupOf(i, fusedInto);
                List<Node> external = new ArrayList<>(Arrays.asList(reads[g]));
                for (Node r : reads[i]) {
                    if (fusedInto[r.id] < 0 || groupOf(r.id, fusedInto) != g) {
                        external.add(r);
                    }
                }
                external.removeIf(r -> r.id != g && fusedInto[r.id] >= 0 && groupOf(r.id, fusedInto) == g);
                reads[g] = external.toArray(new Node[0]);
            }
        }
        return fusedInto;
    }

    private static int groupOf(int i, int[] fusedInto) {
        int g = i;
        while (fusedInto[g] >= 0) {
            g = fusedInto[g];
        }
        return g;
    }

    /** Steps that compute each output feature row from the same rows of their operands. */
    private static boolean elementwise(Node node) {
        return node.kind == Node.Kind.OP && node.batched()
                && (node.op instanceof Binary || node.op instanceof Unary || node.op instanceof Clip);
    }

    private Buffer newBuffer(Node node) {
        Buffer b = new Buffer(node.batched(), Layout.width(node.shape), capacity);
        if (b.batched) {
            batchedBuffers.add(b);
        }
        return b;
    }

    private static long key(Node node) {
        return ((long) Layout.width(node.shape) << 1) | (node.batched() ? 1 : 0);
    }

    private static boolean allConstant(Node node, Role[] role) {
        for (Node in : node.inputs) {
            if (role[in.id] != Role.CONSTANT) {
                return false;
            }
        }
        return true;
    }

    private static float[] fold(Node node, float[][] constant) {
        Tensor[] values = new Tensor[node.inputs.length];
        for (int k = 0; k < values.length; k++) {
            values[k] = Tensor.of(constant[node.inputs[k].id], node.inputs[k].shape);
        }
        return Dispatch.apply(node.op, values).toArray();
    }

    /** Ops that keep the values and the layout: they share their input's buffer. */
    private static boolean isAlias(Node node) {
        Op op = node.op;
        if (!(op instanceof Reshape || op instanceof StopGradient || op instanceof BroadcastTo)) {
            return false;
        }
        Node in = node.inputs[0];
        return in.batched() == node.batched() && Layout.width(in.shape) == Layout.width(node.shape);
    }

    /** The inputs a step reads; elementwise steps read a broadcast's input directly when the layout allows. */
    private static Node[] operands(Node node) {
        Node[] in = node.inputs.clone();
        if (node.op instanceof Binary || node.op instanceof Where) {
            for (int k = 0; k < in.length; k++) {
                while (in[k].kind == Node.Kind.OP && in[k].op instanceof BroadcastTo
                        && Operand.modeOf(in[k].inputs[0], node) != null) {
                    in[k] = in[k].inputs[0];
                }
            }
        }
        return in;
    }

    /**
     * A value without batch dimension, computed from values without one, whose op has no plan step for these shapes
     * (a broadcast other than of a scalar, slices, concats, rank-3 products...): it runs the eager kernel, so it
     * computes what eager mode computes. The batched steps, and so the hot paths, are not concerned.
     */
    private static boolean eagerKernel(Node node) {
        if (node.kind != Node.Kind.OP || node.batched()) {
            return false;
        }
        for (Node in : node.inputs) {
            if (in.batched()) {
                return false;
            }
        }
        Op op = node.op;
        if (op instanceof MatMul) {
            return node.inputs[0].shape.length != 2 || node.inputs[1].shape.length != 2;
        }
        if (op instanceof Reduce || op instanceof ReducedCount) {
            return false;
        }
        if (op instanceof Binary || op instanceof Unary || op instanceof Clip || op instanceof Where
                || op instanceof BroadcastTo || op instanceof Reshape || op instanceof StopGradient) {
            for (Node in : node.inputs) {
                if (Operand.modeOf(in, node) == null) {
                    return true;
                }
            }
            return false;
        }
        return true;
    }

    private static Step build(Node node, Node[] reads, Buffer[] buffer, int[] root, Operand[] registerOf) {
        Op op = node.op;
        Buffer out = buffer[node.id];
        if (eagerKernel(node)) {
            float[][] in = new float[reads.length][];
            int[][] shapes = new int[reads.length][];
            for (int k = 0; k < reads.length; k++) {
                in[k] = buffer[root[reads[k].id]].rows[0];
                shapes[k] = reads[k].shape;
            }
            return new Step.KernelStep(new BoundKernel(op, in, shapes, out.rows[0]));
        }
        if (op instanceof Binary kind) {
            return new Step.BinaryStep(kind, out, operand(reads[0], node, buffer, root, registerOf),
                    operand(reads[1], node, buffer, root, registerOf));
        }
        if (op instanceof Where) {
            return new Step.WhereStep(out, operand(reads[0], node, buffer, root, registerOf),
                    operand(reads[1], node, buffer, root, registerOf), operand(reads[2], node, buffer, root,
                    registerOf));
        }
        Node x = reads[0];
        Buffer in = buffer[root[x.id]];
        if (op instanceof Unary kind) {
            return new Step.UnaryStep(kind, out, operand(x, node, buffer, root, registerOf));
        }
        if (op instanceof Clip clip) {
            return new Step.ClipStep(clip.min(), clip.max(), out, operand(x, node, buffer, root, registerOf));
        }
        if (op instanceof BroadcastTo || op instanceof Reshape || op instanceof StopGradient) {
            return new Step.CopyStep(out, operand(x, node, buffer, root, registerOf));
        }
        if (op instanceof ReducedCount count) {
            return new Step.CountStep(out, x.shape, count.axes());
        }
        if (op instanceof MatMul mm) {
            return matmul(node, mm, reads, buffer, root);
        }
        if (op instanceof Reduce r) {
            int[] axes = Shapes.axes(r.axes(), x.shape.length, r.type());
            if (!x.batched()) {
                return new Step.ReduceFlatStep(r.kind(), out, in, x.shape, axes);
            }
            if (axes.length == 0) {
                return new Step.CopyStep(out, operand(x, node, buffer, root, registerOf)); // reduces nothing
            }
            if (axes.length == x.shape.length) {
                return new Step.ReduceStep(r.kind(), Step.ReduceStep.Over.ALL, out, in);
            }
            if (axes.length == 1 && axes[0] == 0) {
                return new Step.ReduceStep(r.kind(), Step.ReduceStep.Over.BATCH, out, in);
            }
            if (axes[0] == 1 && axes.length == x.shape.length - 1) {
                return new Step.ReduceStep(r.kind(), Step.ReduceStep.Over.FEATURES, out, in);
            }
        }
        throw unsupported(node);
    }

    private static Operand operand(Node operand, Node out, Buffer[] buffer, int[] root, Operand[] registerOf) {
        if (registerOf[operand.id] != null) {
            return registerOf[operand.id];
        }
        Operand.Mode mode = Operand.modeOf(operand, out);
        if (mode == null) {
            throw unsupported(out);
        }
        return new Operand(buffer[root[operand.id]], mode);
    }

    private static Step matmul(Node node, MatMul mm, Node[] reads, Buffer[] buffer, int[] root) {
        Node a = reads[0];
        Node b = reads[1];
        Buffer out = buffer[node.id];
        Buffer ab = buffer[root[a.id]];
        Buffer bb = buffer[root[b.id]];
        if (a.shape.length == 2 && b.shape.length == 2) {
            if (a.batched() && !mm.transposeA() && !b.batched()) {
                return new Step.MatMulRowsStep(out, ab, bb, mm.transposeB());
            }
            if (a.batched() && mm.transposeA() && b.batched() && !mm.transposeB()) {
                return new Step.MatMulOverBatchStep(out, ab, bb);
            }
            if (!a.batched() && !b.batched()) {
                int m = node.shape[0];
                int k = mm.transposeA() ? a.shape[0] : a.shape[1];
                return new Step.MatMulFlatStep(out, ab, bb, m, k, node.shape[1], mm.transposeA(), mm.transposeB());
            }
        }
        throw new IllegalArgumentException("graph mode cannot run " + node.op + " on shapes " + Shapes.toString(a.shape)
                + " and " + Shapes.toString(b.shape) + ": its plan runs a product with a batch only on 2-D operands "
                + "(batched rows times a matrix, or the transposed batched product of a weight gradient), because "
                + "a batched value is stored feature-major; a product of values without the batch dimension runs at "
                + "any rank. Use eager execution for this one");
    }

    private static IllegalArgumentException unsupported(Node node) {
        StringBuilder shapes = new StringBuilder();
        for (Node in : node.inputs) {
            shapes.append(shapes.length() == 0 ? "" : ", ").append(Shapes.toString(in.shape));
        }
        return new IllegalArgumentException("graph mode cannot run " + node.op + " on shapes " + shapes
                + " (the batch dimension must stay first and broadcasts must not cross it); use eager execution");
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
        Buffer b = inputs[index];
        int w = b.width;
        for (int c = 0; c < w; c++) {
            float[] row = b.rows[c];
            for (int i = 0, at = c; i < rows; i++, at += w) {
                row[i] = values[at];
            }
        }
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
        int w = b.width;
        for (int c = 0; c < w; c++) {
            float[] row = b.rows[c];
            for (int i = 0, at = c; i < rows; i++, at += w) {
                out[at] = row[i];
            }
        }
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
