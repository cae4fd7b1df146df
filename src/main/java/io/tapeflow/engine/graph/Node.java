package io.tapeflow.engine.graph;

import io.tapeflow.engine.Op;
import io.tapeflow.engine.Shapes;
import io.tapeflow.engine.Tensor;
import io.tapeflow.engine.Variable;

/**
 * One value of a traced graph: a function input, a variable read, a constant, an op applied to earlier nodes, or an
 * in-place optimizer update of a variable. Ids follow the recording order, which is a topological order.
 */
final class Node {

    enum Kind { INPUT, VARIABLE, CONSTANT, OP, UPDATE }

    final int id;
    final Kind kind;
    final Op op;
    final Node[] inputs;
    final int[] shape;
    /** The tensor standing for this node while tracing: symbolic, or the constant's real tensor. */
    final Tensor tensor;
    final Variable variable;
    final int inputIndex;

    Node(int id, Kind kind, Op op, Node[] inputs, int[] shape, Tensor tensor, Variable variable, int inputIndex) {
        this.id = id;
        this.kind = kind;
        this.op = op;
        this.inputs = inputs;
        this.shape = shape;
        this.tensor = tensor;
        this.variable = variable;
        this.inputIndex = inputIndex;
    }

    /** True when the shape depends on the batch (an unknown dimension). */
    boolean batched() {
        for (int d : shape) {
            if (d == Shapes.UNKNOWN) {
                return true;
            }
        }
        return false;
    }

    String describe() {
        String what = switch (kind) {
            case INPUT -> "input " + inputIndex;
            case VARIABLE -> "variable " + variable.name();
            case CONSTANT -> "constant";
            case OP -> op.type();
            case UPDATE -> "update " + variable.name();
        };
        return "%" + id + " " + what + " " + Shapes.toString(shape);
    }
}
