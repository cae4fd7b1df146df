/**
 * The autodiff engine: a plain-Java reproduction of TensorFlow's low-level API (tensors, broadcasting ops,
 * {@link io.tapeflow.engine.Variable}, {@link io.tapeflow.engine.GradientTape}, {@link io.tapeflow.engine.Module}).
 *
 * <h2>Ops and the one dispatch point</h2>
 * An {@link io.tapeflow.engine.Op} is an op kind with its attributes ({@code Reduce(SUM, axes, keepDims)},
 * {@code Clip(min, max)}, {@code MatMul(transposeA, transposeB)}, the {@code Unary} and {@code Binary} enums...). Each
 * defines, side by side, its shape inference (which accepts unknown dimensions, -1), its forward loops on
 * {@code float[]} and its gradient rule. The gradient rules are written with the public {@link io.tapeflow.engine.Ops},
 * never with kernels, so they are differentiable themselves (nested tapes give second-order gradients) and a tracer
 * can reuse them to build a gradient graph symbolically. The loops are the op's only definition of its arithmetic:
 * eager mode and graph plans run the same ones ({@link io.tapeflow.engine.Binary#vv} and its siblings on rows,
 * {@link io.tapeflow.engine.Unary#apply}, {@link io.tapeflow.engine.Clip#apply}, and every other op's
 * {@code forward}), so the two modes agree on every value, NaN included.
 *
 * <h2>Adding an op</h2>
 * Write one class implementing {@code Op} (its {@code type}, {@code outputShape}, {@code forward} and
 * {@code gradient}, the gradient with {@code Ops} calls) and register it with one entry point in {@code Ops} that
 * calls {@code Dispatch.apply}. Nothing else: tapes record it, tracing records it, and a graph plan runs its
 * {@code forward} on its buffers, batched or not ({@code engine.graph.Lowering}); only an op on the hot path of a
 * model earns a feature-major plan step of its own. {@link io.tapeflow.engine.Cumsum} was added this way, and a new
 * kind of an existing enum ({@code Binary}, {@code Unary}) is a constant whose methods the compiler asks for. Add its
 * forward and gradient to {@code src/test/resources/golden/engine/make_op_golden.py} and run it, so
 * {@code OpGoldenTests} checks it against PyTorch.
 *
 * <p>Every op call in {@link io.tapeflow.engine.Ops} goes through {@link io.tapeflow.engine.Dispatch#apply}: it infers
 * the output shape, runs the forward kernel and lets each open tape record {@code (op, inputs, output)}.
 *
 * <h2>The tape</h2>
 * A tape records an op only when one of its inputs is tracked (watched, a trainable variable's value, or an output it
 * recorded). {@code gradient} walks the recording in reverse order in a loop, summing contributions per tensor;
 * broadcast operands get their gradient summed back to their own shape ({@link io.tapeflow.engine.Ops#sumToShape});
 * an op without a rule fails loudly ({@code Op.gradient}'s default). Variables install a fresh value tensor on every
 * assignment, so a recorded tensor never changes.
 *
 * <h2>Where graph mode plugs in</h2>
 * {@link io.tapeflow.engine.Dispatch#trace(io.tapeflow.engine.Tracer)} installs a thread-local
 * {@link io.tapeflow.engine.Tracer}; while it is installed {@code Dispatch.apply} hands every call to
 * {@code tracer.record(op, inputs)} instead of computing, and the tracer returns a tensor standing for the output
 * (shape from {@code op.outputShape}, with -1 for the batch). To differentiate a traced graph, the tracer calls
 * {@code op.gradient(...)} on its symbolic tensors: the rule's own op calls are traced in turn. So a rule reads only
 * static shapes (a symbolic tensor has no values: {@code size()}, {@code toArray()}... throw), and where it needs a
 * number that depends on the dynamic batch it records an op for it: a mean's divisor is a constant when every reduced
 * axis is known and a {@link io.tapeflow.engine.ReducedCount} otherwise, one rule for both modes. The loops are public
 * so a plan can run them on buffers it allocated once.
 */
package io.tapeflow.engine;
