package io.tapeflow.engine.graph;

import io.tapeflow.engine.Dispatch;
import io.tapeflow.engine.Tensor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compiles a traced graph into a {@link Plan}: one {@link Slot} per node, and one method per pass over them, in
 * order:
 * <ol>
 *   <li>{@link #markNeeded}: the nodes the outputs and the updates depend on;</li>
 *   <li>{@link #classify}: each needed node's role: an input, a variable, a constant (folded now), an alias of its
 *       input's buffer (reshapes, stop-gradients, layout-preserving broadcasts), or a step, with the
 *       {@link Lowering} that runs it;</li>
 *   <li>{@link #dropUnread}: steps whose values nobody reads;</li>
 *   <li>{@link #fuse}: chains of elementwise steps into one pass over the feature rows ({@link Step.FusedStep});</li>
 *   <li>{@link #allocate}: buffers, shared between values whose lifetimes do not overlap;</li>
 *   <li>{@link #emit}: the steps, bound to their buffers.</li>
 * </ol>
 */
final class PlanCompiler {

    private enum Role { INPUT, VARIABLE, CONSTANT, ALIAS, STEP, FUSED, DEAD }

    /** What compilation decides for one node. */
    private static final class Slot {
        final Node node;
        boolean needed;
        Role role = Role.DEAD;
        Lowering.Kind lowering;
        /** The slot whose buffer holds this value: itself, or for an alias the value it aliases. */
        Slot root = this;
        float[] constant;
        /** What its own step reads. */
        Node[] operands = new Node[0];
        /** What it reads from outside its fused chain: its operands, or for a chain's last step the whole chain's. */
        Node[] reads = operands;
        /** The step of a chain it runs inside, or null. */
        Slot fusedInto;
        /** For a chain's last step: the steps fused into it, in node order. */
        final List<Slot> members = new ArrayList<>();
        /** An output's buffer is never handed to another value. */
        boolean pinned;
        int lastRead = -1;
        Buffer buffer;

        Slot(Node node) {
            this.node = node;
        }

        Slot chain() {
            Slot s = this;
            while (s.fusedInto != null) {
                s = s.fusedInto;
            }
            return s;
        }
    }

    private final Graph graph;
    private final Node[] outputs;
    private final Slot[] slots;
    private final Plan.Parts parts;

    private PlanCompiler(Graph graph, Node[] outputs, int inputCount, int capacity) {
        this.graph = graph;
        this.outputs = outputs;
        this.slots = new Slot[graph.nodes.size()];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = new Slot(graph.nodes.get(i));
        }
        this.parts = new Plan.Parts(graph.rule(), inputCount, outputs.length, Math.max(1, capacity));
    }

    static Plan compile(Graph graph, Node[] outputs, int inputCount, int capacity) {
        PlanCompiler c = new PlanCompiler(graph, outputs, inputCount, capacity);
        c.markNeeded();
        c.classify();
        c.dropUnread();
        c.fuse();
        c.allocate();
        c.emit();
        return new Plan(c.parts);
    }

    private Slot slot(Node node) {
        return slots[node.id];
    }

    /** The slot whose buffer holds the value of {@code node}. */
    private Slot value(Node node) {
        return slots[node.id].root;
    }

    private void markNeeded() {
        for (Node o : outputs) {
            slot(o).needed = true;
        }
        for (Node u : graph.updates) {
            slot(u).needed = true;
        }
        for (int i = slots.length - 1; i >= 0; i--) {
            if (slots[i].needed) {
                for (Node in : slots[i].node.inputs) {
                    slot(in).needed = true;
                }
            }
        }
    }

    private void classify() {
        for (Slot s : slots) {
            if (!s.needed) {
                continue;
            }
            Node node = s.node;
            Layout.width(node.shape); // refuses a batch dimension that is not the first
            s.role = switch (node.kind) {
                case INPUT -> Role.INPUT;
                case VARIABLE -> Role.VARIABLE;
                case CONSTANT -> constant(s, node.tensor.toArray());
                case UPDATE -> step(s, node.inputs);
                case OP -> classifyOp(s);
            };
        }
    }

    private Role classifyOp(Slot s) {
        Node node = s.node;
        if (!node.batched() && Arrays.stream(node.inputs).allMatch(in -> slot(in).role == Role.CONSTANT)) {
            return constant(s, fold(node));
        }
        if (Lowering.isAlias(node)) {
            s.root = value(node.inputs[0]);
            return Role.ALIAS;
        }
        s.lowering = Lowering.of(node);
        return step(s, Lowering.operands(node, s.lowering));
    }

    private static Role constant(Slot s, float[] values) {
        s.constant = values;
        return Role.CONSTANT;
    }

    private static Role step(Slot s, Node[] operands) {
        s.operands = operands;
        s.reads = operands;
        return Role.STEP;
    }

    private float[] fold(Node node) {
        Tensor[] values = new Tensor[node.inputs.length];
        for (int k = 0; k < values.length; k++) {
            values[k] = Tensor.of(slot(node.inputs[k]).constant, node.inputs[k].shape);
        }
        return Dispatch.apply(node.op, values).toArray();
    }

    private void dropUnread() {
        boolean[] used = new boolean[slots.length];
        for (Node o : outputs) {
            Slot v = value(o);
            used[v.node.id] = true;
            v.pinned = true;
        }
        for (int i = slots.length - 1; i >= 0; i--) {
            Slot s = slots[i];
            if (s.role != Role.STEP) {
                continue;
            }
            if (used[i] || s.node.kind == Node.Kind.UPDATE) {
                for (Node r : s.operands) {
                    used[value(r).node.id] = true;
                }
            } else {
                s.role = Role.DEAD;
            }
        }
    }

    /**
     * A batched elementwise value that exactly one elementwise step of the same width reads, in full and under its
     * own name, runs inside that step instead of owning a buffer; a chain's last step then reads what its members read
     * from outside the chain. A value is not fused into a step after an update that follows it: it would read the
     * variables already updated.
     */
    private void fuse() {
        int[] readers = new int[slots.length];
        Slot[] reader = new Slot[slots.length];
        int[] nextUpdate = new int[slots.length]; // the first update at or after each node
        for (int i = slots.length - 1, next = slots.length; i >= 0; i--) {
            next = slots[i].node.kind == Node.Kind.UPDATE ? i : next;
            nextUpdate[i] = next;
        }
        for (Slot s : slots) {
            if (s.role == Role.STEP) {
                for (Node r : s.operands) {
                    int v = value(r).node.id;
                    if (reader[v] != s) {
                        readers[v]++;
                        reader[v] = s;
                    }
                }
            }
        }
        for (Slot s : slots) {
            Slot into = reader[s.node.id];
            if (readers[s.node.id] == 1 && fusable(s) && fusable(into) && !s.pinned
                    && nextUpdate[s.node.id] > into.node.id
                    && Layout.width(s.node.shape) == Layout.width(into.node.shape) && readInFull(s, into)) {
                s.fusedInto = into;
            }
        }
        for (Slot s : slots) {
            if (s.fusedInto != null) {
                s.role = Role.FUSED;
                s.chain().members.add(s);
            }
        }
        for (Slot s : slots) {
            if (!s.members.isEmpty()) {
                s.reads = externalReads(s);
            }
        }
    }

    private static boolean fusable(Slot s) {
        return s.role == Role.STEP && Lowering.fusable(s.node, s.lowering);
    }

    /** Whether every read of {@code s} by {@code into} is of its whole value, not through an alias or a broadcast. */
    private boolean readInFull(Slot s, Slot into) {
        for (Node r : into.operands) {
            if (value(r) == s && (r != s.node || Operand.modeOf(r, into.node) != Operand.Mode.FULL)) {
                return false;
            }
        }
        return true;
    }

    private Node[] externalReads(Slot chain) {
        List<Node> external = new ArrayList<>();
        List<Slot> parts = new ArrayList<>(chain.members);
        parts.add(chain);
        for (Slot part : parts) {
            for (Node r : part.operands) {
                Slot v = value(r);
                if (v.fusedInto == null || v.chain() != chain) {
                    external.add(r);
                }
            }
        }
        return external.toArray(new Node[0]);
    }

    /**
     * Leaves own their buffers; a step takes a free buffer of its layout, and its operands' buffers go back to the
     * pool after their last read (never before the step's own is taken, so a step never writes what it reads).
     */
    private void allocate() {
        for (Slot s : slots) {
            if (s.role == Role.STEP) {
                for (Node r : s.reads) {
                    value(r).lastRead = s.node.id;
                }
            }
        }
        Map<Long, ArrayDeque<Buffer>> pool = new HashMap<>();
        for (Slot s : slots) {
            Node node = s.node;
            s.buffer = switch (s.role) {
                case INPUT -> parts.inputs[node.inputIndex] = parts.newBuffer(node);
                case VARIABLE -> parts.bind(node.variable, parts.newBuffer(node));
                case CONSTANT -> {
                    Buffer b = parts.newBuffer(node);
                    System.arraycopy(s.constant, 0, b.rows[0], 0, s.constant.length);
                    yield b;
                }
                case STEP -> node.kind == Node.Kind.UPDATE ? null : take(pool, node);
                case ALIAS -> s.root.buffer;
                case FUSED, DEAD -> null;
            };
            if (s.role == Role.STEP) {
                release(pool, s);
            }
        }
    }

    private Buffer take(Map<Long, ArrayDeque<Buffer>> pool, Node node) {
        ArrayDeque<Buffer> free = pool.get(key(node));
        return free == null || free.isEmpty() ? parts.newBuffer(node) : free.pop();
    }

    /** Returns to the pool the buffers whose last reader is {@code s}. */
    private void release(Map<Long, ArrayDeque<Buffer>> pool, Slot s) {
        for (Node r : s.reads) {
            Slot v = value(r);
            if (v.lastRead == s.node.id && v.role == Role.STEP && !v.pinned && v.buffer != null) {
                v.lastRead = -2; // released once even when read twice here
                pool.computeIfAbsent(key(v.node), k -> new ArrayDeque<>()).push(v.buffer);
            }
        }
    }

    private static long key(Node node) {
        return ((long) Layout.width(node.shape) << 1) | (node.batched() ? 1 : 0);
    }

    private void emit() {
        for (Slot s : slots) {
            if (s.role != Role.STEP) {
                continue;
            }
            if (s.node.kind == Node.Kind.UPDATE) {
                parts.update(s.node.variable, value(s.node.inputs[0]).buffer, value(s.node.inputs[1]).buffer);
            } else if (s.members.isEmpty()) {
                parts.add(Lowering.build(s.node, s.lowering, s.operands, n -> value(n).buffer, Map.of()));
            } else {
                parts.add(fusedStep(s));
            }
        }
        for (int o = 0; o < outputs.length; o++) {
            parts.outputs[o] = value(outputs[o]).buffer;
        }
    }

    /** A chain: each member writes a one-row register that the parts after it read. */
    private Step fusedStep(Slot chain) {
        Map<Node, Operand> registers = new IdentityHashMap<>();
        Step.RowStep[] steps = new Step.RowStep[chain.members.size() + 1];
        Buffer[] rows = new Buffer[chain.members.size()];
        for (int k = 0; k < rows.length; k++) {
            Slot m = chain.members.get(k);
            steps[k] = (Step.RowStep) Lowering.build(m.node, m.lowering, m.operands, n -> value(n).buffer, registers);
            rows[k] = parts.newRegister();
            registers.put(m.node, new Operand(rows[k], Operand.Mode.COLUMN));
        }
        steps[rows.length] = (Step.RowStep) Lowering.build(chain.node, chain.lowering, chain.operands,
                n -> value(n).buffer, registers);
        parts.fused(steps.length);
        return new Step.FusedStep(chain.buffer, steps, rows);
    }
}
