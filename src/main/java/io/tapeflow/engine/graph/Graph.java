package io.tapeflow.engine.graph;

import io.tapeflow.engine.Dispatch;
import io.tapeflow.engine.Op;
import io.tapeflow.engine.Ops;
import io.tapeflow.engine.Shapes;
import io.tapeflow.engine.Tensor;
import io.tapeflow.engine.Tracer;
import io.tapeflow.engine.Variable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The graph a {@link TracedFunction} records while its body runs on symbolic tensors, like TensorFlow's
 * {@code FuncGraph}. Every op call becomes a node; a variable read becomes one node bound to the variable; a real
 * tensor met as an operand becomes a constant. The body asks it for {@link #gradients} (derived at trace time by
 * tracing the ops' own gradient rules) and records in-place {@link #applyUpdate optimizer updates}.
 */
public final class Graph implements Tracer {

    final List<Node> nodes = new ArrayList<>();
    final List<Node> updates = new ArrayList<>();
    private final Map<Tensor, Node> byTensor = new IdentityHashMap<>();
    private final Map<Variable, Node> byVariable = new IdentityHashMap<>();
    private UpdateRule rule;

    Graph() {
    }

    Tensor input(int index, int[] shape) {
        return add(Node.Kind.INPUT, null, new Node[0], shape, Tensor.symbolic(shape), null, index).tensor;
    }

    @Override
    public Tensor record(Op op, Tensor[] inputs) {
        Node[] in = new Node[inputs.length];
        int[][] shapes = new int[inputs.length][];
        for (int i = 0; i < inputs.length; i++) {
            in[i] = nodeOf(inputs[i]);
            shapes[i] = in[i].shape;
        }
        int[] shape = op.outputShape(shapes);
        return add(Node.Kind.OP, op, in, shape, Tensor.symbolic(shape), null, -1).tensor;
    }

    /** The node of a value the body returns (a traced value, a variable's value or a constant). */
    Node nodeOfOutput(Tensor t) {
        return nodeOf(t);
    }

    private Node nodeOf(Tensor t) {
        Node node = byTensor.get(t);
        if (node != null) {
            return node;
        }
        Variable v = t.variable();
        if (v != null) {
            node = byVariable.get(v);
            if (node == null) {
                node = add(Node.Kind.VARIABLE, null, new Node[0], v.shape(), t, v, -1);
                byVariable.put(v, node);
            }
            byTensor.put(t, node);
            return node;
        }
        return add(Node.Kind.CONSTANT, null, new Node[0], t.shape(), t, null, -1);
    }

    private Node add(Node.Kind kind, Op op, Node[] inputs, int[] shape, Tensor tensor, Variable v, int index) {
        Node node = new Node(nodes.size(), kind, op, inputs, shape, tensor, v, index);
        nodes.add(node);
        byTensor.put(tensor, node);
        return node;
    }

    /**
     * The gradients of {@code target} (a tensor of known shape, usually the scalar loss) with respect to each
     * variable, as symbolic tensors of this graph; {@code null} for a variable the target does not depend on. The
     * reverse pass walks the nodes in reverse recording order in a loop and calls each op's gradient rule on the
     * symbolic tensors, so the rule's own ops are recorded: the gradient graph is built once, at trace time.
     */
    public Tensor[] gradients(Tensor target, List<Variable> sources) {
        Node targetNode = byTensor.get(target);
        if (targetNode == null || targetNode.batched()) {
            throw new IllegalArgumentException("gradients: the target must be a value of this graph with a known "
                    + "shape (a scalar loss), got " + (targetNode == null ? "a tensor from outside the trace"
                    : Shapes.toString(targetNode.shape)));
        }
        int end = targetNode.id + 1;
        boolean[] reaches = new boolean[end];
        for (Variable v : sources) {
            Node n = byVariable.get(v);
            if (n != null && n.id < end) {
                reaches[n.id] = true;
            }
        }
        for (int i = 0; i < end; i++) {
            for (Node in : nodes.get(i).inputs) {
                reaches[i] |= reaches[in.id];
            }
        }
        Tensor[] grads = new Tensor[end];
        try (Dispatch.Scope ignored = Dispatch.trace(this)) {
            grads[targetNode.id] = Tensor.ones(targetNode.shape);
            for (int i = end - 1; i >= 0; i--) {
                Node node = nodes.get(i);
                Tensor g = grads[i];
                if (g == null || node.kind != Node.Kind.OP || !reaches[i]) {
                    continue;
                }
                Tensor[] inputs = new Tensor[node.inputs.length];
                boolean[] needed = new boolean[node.inputs.length];
                for (int k = 0; k < inputs.length; k++) {
                    inputs[k] = node.inputs[k].tensor;
                    needed[k] = reaches[node.inputs[k].id];
                }
                Tensor[] contributions = node.op.gradient(inputs, node.tensor, g, needed);
                for (int k = 0; k < inputs.length; k++) {
                    Tensor c = contributions[k];
                    if (c != null && needed[k]) {
                        int id = node.inputs[k].id;
                        grads[id] = grads[id] == null ? c : Ops.add(grads[id], c);
                    }
                }
            }
        }
        Tensor[] out = new Tensor[sources.size()];
        for (int s = 0; s < out.length; s++) {
            Node n = byVariable.get(sources.get(s));
            out[s] = n == null || n.id >= end ? null : grads[n.id];
        }
        return out;
    }

    /**
     * Records {@code variable −= update(gradient)} in place, with {@code rule}'s state kept in slot buffers of the
     * plan; one rule per graph, at most one update per variable. A null gradient (unconnected variable) records
     * nothing, as the eager optimizer leaves such a variable alone.
     */
    public void applyUpdate(Variable variable, Tensor gradient, UpdateRule updateRule) {
        if (gradient == null) {
            return;
        }
        if (rule != null && !rule.equals(updateRule)) {
            throw new IllegalArgumentException("applyUpdate: one update rule per graph, got " + rule + " and "
                    + updateRule);
        }
        rule = updateRule;
        Node v = byVariable.get(variable);
        for (Node u : updates) {
            if (u.variable == variable) {
                throw new IllegalArgumentException("applyUpdate: variable " + variable.name() + " is updated twice");
            }
        }
        if (v == null) {
            v = nodeOf(variable.value());
        }
        Node g = nodeOf(gradient);
        if (!Arrays.equals(g.shape, v.shape)) {
            throw new IllegalArgumentException("applyUpdate: gradient of shape " + Shapes.toString(g.shape)
                    + " for variable " + variable.name() + " of shape " + Shapes.toString(v.shape));
        }
        Node u = add(Node.Kind.UPDATE, null, new Node[] {v, g}, v.shape, Tensor.symbolic(v.shape), variable, -1);
        updates.add(u);
    }

    UpdateRule rule() {
        return rule;
    }

    /** One line per node, like a graph dump: {@code %7 MatMul (None, 4) <- %0 %3}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Node n : nodes) {
            sb.append(n.describe());
            if (n.inputs.length > 0) {
                sb.append(" <-");
                for (Node in : n.inputs) {
                    sb.append(" %").append(in.id);
                }
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
