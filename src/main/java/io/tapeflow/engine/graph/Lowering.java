package io.tapeflow.engine.graph;

import io.tapeflow.engine.Binary;
import io.tapeflow.engine.BroadcastTo;
import io.tapeflow.engine.Clip;
import io.tapeflow.engine.MatMul;
import io.tapeflow.engine.Op;
import io.tapeflow.engine.Reduce;
import io.tapeflow.engine.ReducedCount;
import io.tapeflow.engine.Reshape;
import io.tapeflow.engine.Shapes;
import io.tapeflow.engine.StopGradient;
import io.tapeflow.engine.Unary;
import io.tapeflow.engine.Where;
import java.util.Map;
import java.util.function.Function;

/**
 * How each op node runs inside a plan. The ops the hot paths use have feature-major steps of their own (elementwise
 * ops on feature rows, fusable; batched products; reductions over the batch, the features or everything); every
 * other op, and every shape those steps do not cover, runs its own eager kernel ({@link Step.KernelStep}), so any
 * op runs in graph mode without the plan knowing it: a new op needs no code here. Refused, at trace time with the op
 * and its shapes, is an op whose output's batch is not its input's (joining, cutting or padding along the batch),
 * which a plan that runs one batch size per call cannot hold.
 */
final class Lowering {

    /** The kinds of step a node can compile to. */
    enum Kind { ELEMENTWISE, COPY, COUNT, MATMUL_ROWS, MATMUL_OVER_BATCH, REDUCE, KERNEL }

    private Lowering() {
    }

    /** Ops that keep the values and the layout: they share their input's buffer. */
    static boolean isAlias(Node node) {
        Op op = node.op;
        if (!(op instanceof Reshape || op instanceof StopGradient || op instanceof BroadcastTo)) {
            return false;
        }
        Node in = node.inputs[0];
        return in.batched() == node.batched() && Layout.width(in.shape) == Layout.width(node.shape);
    }

    /** The step an op node compiles to; refuses at trace time what no step can run. */
    static Kind of(Node node) {
        Op op = node.op;
        if (op instanceof Binary || op instanceof Unary || op instanceof Clip || op instanceof Where) {
            return expressible(node) ? Kind.ELEMENTWISE : kernel(node);
        }
        if (op instanceof BroadcastTo || op instanceof Reshape || op instanceof StopGradient) {
            return expressible(node) ? Kind.COPY : kernel(node);
        }
        if (op instanceof ReducedCount) {
            return Kind.COUNT;
        }
        if (op instanceof MatMul mm) {
            return matmul(node, mm);
        }
        if (op instanceof Reduce r && node.inputs[0].batched()) {
            int[] axes = Shapes.axes(r.axes(), node.inputs[0].shape.length, r.type());
            if (axes.length == 0) {
                return expressible(node) ? Kind.COPY : kernel(node); // reduces nothing
            }
            return reducesAlongLayout(axes, node.inputs[0].shape.length) ? Kind.REDUCE : kernel(node);
        }
        return kernel(node);
    }

    /** Elementwise steps read a broadcast's input where it lies, when the layout lets them; others their inputs. */
    static Node[] operands(Node node, Kind kind) {
        Node[] in = node.inputs.clone();
        if (kind == Kind.ELEMENTWISE && (node.op instanceof Binary || node.op instanceof Where)) {
            for (int k = 0; k < in.length; k++) {
                while (in[k].kind == Node.Kind.OP && in[k].op instanceof BroadcastTo
                        && Operand.modeOf(in[k].inputs[0], node) != null) {
                    in[k] = in[k].inputs[0];
                }
            }
        }
        return in;
    }

    /** A batched elementwise step that can run inside a fused chain (one feature row at a time). */
    static boolean fusable(Node node, Kind kind) {
        return kind == Kind.ELEMENTWISE && node.batched() && !(node.op instanceof Where);
    }

    /**
     * The step of {@code node}, reading {@code reads}: {@code buffers} gives each value's buffer and
     * {@code registers} the row registers of the members of a fused chain.
     */
    static Step build(Node node, Kind kind, Node[] reads, Function<Node, Buffer> buffers,
            Map<Node, Operand> registers) {
        Buffer out = buffers.apply(node);
        Op op = node.op;
        return switch (kind) {
            case ELEMENTWISE -> {
                Operand[] in = new Operand[reads.length];
                for (int k = 0; k < in.length; k++) {
                    Operand register = registers.get(reads[k]);
                    in[k] = register != null ? register
                            : new Operand(buffers.apply(reads[k]), Operand.modeOf(reads[k], node));
                }
                yield elementwise(op, out, in);
            }
            case COPY -> new Step.CopyStep(out, new Operand(buffers.apply(reads[0]), Operand.modeOf(reads[0], node)));
            case COUNT -> new Step.CountStep(out, reads[0].shape, ((ReducedCount) op).axes());
            case MATMUL_ROWS -> new Step.MatMulRowsStep(out, buffers.apply(reads[0]), buffers.apply(reads[1]),
                    ((MatMul) op).transposeB());
            case MATMUL_OVER_BATCH -> new Step.MatMulOverBatchStep(out, buffers.apply(reads[0]),
                    buffers.apply(reads[1]));
            case REDUCE -> reduce((Reduce) op, reads[0].shape.length, out, buffers.apply(reads[0]));
            case KERNEL -> {
                Buffer[] in = new Buffer[reads.length];
                int[][] shapes = new int[reads.length][];
                for (int k = 0; k < in.length; k++) {
                    in[k] = buffers.apply(reads[k]);
                    shapes[k] = reads[k].shape;
                }
                yield new Step.KernelStep(op, in, shapes, out, node.shape);
            }
        };
    }

    private static Step elementwise(Op op, Buffer out, Operand[] in) {
        if (op instanceof Binary kind) {
            return new Step.BinaryStep(kind, out, in[0], in[1]);
        }
        if (op instanceof Unary kind) {
            return new Step.UnaryStep(kind, out, in[0]);
        }
        if (op instanceof Clip clip) {
            return new Step.ClipStep(clip, out, in[0]);
        }
        return new Step.WhereStep(out, in[0], in[1], in[2]);
    }

    /** Whether the feature-major layout expresses how every operand broadcasts into the node. */
    private static boolean expressible(Node node) {
        for (Node in : operands(node, Kind.ELEMENTWISE)) {
            if (Operand.modeOf(in, node) == null) {
                return false;
            }
        }
        return true;
    }

    /**
     * Batched rows times a matrix, and the transposed batched product of a weight gradient, have steps of their own;
     * every other product (without a batch, of rank 3...) runs the eager kernel.
     */
    private static Kind matmul(Node node, MatMul mm) {
        Node a = node.inputs[0];
        Node b = node.inputs[1];
        if (a.shape.length == 2 && b.shape.length == 2 && a.batched()) {
            if (!mm.transposeA() && !b.batched()) {
                return Kind.MATMUL_ROWS;
            }
            if (mm.transposeA() && b.batched() && !mm.transposeB()) {
                return Kind.MATMUL_OVER_BATCH;
            }
        }
        return kernel(node);
    }

    /** Whether a reduction of a batched value over these axes has a step: over all, the batch, or the features. */
    private static boolean reducesAlongLayout(int[] axes, int rank) {
        return axes.length == rank || (axes.length == 1 && axes[0] == 0) || (axes[0] == 1 && axes.length == rank - 1);
    }

    private static Step reduce(Reduce r, int rank, Buffer out, Buffer in) {
        int[] axes = Shapes.axes(r.axes(), rank, r.type());
        if (axes.length == rank) {
            return new Step.ReduceAllStep(r.kind(), out, in);
        }
        return axes[0] == 0 ? new Step.ReduceBatchStep(r.kind(), out, in)
                : new Step.ReduceFeaturesStep(r.kind(), out, in);
    }

    /**
     * The eager kernel runs a node whose output keeps its inputs' batch: its output shape, at two batch sizes, must be
     * the node's shape with that batch (where the op's own inference leaves a dimension unknown, the node's shape
     * gives it). A batch size the op refuses (a row index past it, say) says nothing at trace time: the run reports
     * the op's own error for the batch that does not fit, as eager mode does, and the kernel step checks the shape
     * again for every batch it binds.
     */
    private static Kind kernel(Node node) {
        boolean batched = node.batched();
        for (Node in : node.inputs) {
            batched |= in.batched();
        }
        for (int n = 2; batched && n <= 3; n++) {
            int[][] shapes = new int[node.inputs.length][];
            for (int k = 0; k < shapes.length; k++) {
                shapes[k] = Layout.withBatch(node.inputs[k].shape, n);
            }
            int[] shape;
            try {
                shape = node.op.outputShape(shapes);
            } catch (IllegalArgumentException e) {
                continue;
            }
            if (!Shapes.matches(shape, Layout.withBatch(node.shape, n))) {
                throw new IllegalArgumentException("graph mode cannot run " + node.op + " on shapes " + shapesOf(node)
                        + ": its output does not keep its inputs' batch dimension (it joins, cuts, pads or picks along "
                        + "the batch, or reshapes across it), and a plan runs one batch size at a time. Keep the batch "
                        + "axis out of the op's axes, or use eager execution");
            }
        }
        return Kind.KERNEL;
    }

    private static String shapesOf(Node node) {
        StringBuilder shapes = new StringBuilder();
        for (Node in : node.inputs) {
            shapes.append(shapes.length() == 0 ? "" : ", ").append(Shapes.toString(in.shape));
        }
        return shapes.toString();
    }
}
