/**
 * Graph mode, the analogue of {@code tf.function}: {@link io.tapeflow.engine.graph.TracedFunction#trace} runs a Java
 * step function once on symbolic inputs whose first dimension is the dynamic batch, records every op call into a
 * {@link io.tapeflow.engine.graph.Graph} (through {@link io.tapeflow.engine.Dispatch#trace}), derives gradients at
 * trace time by calling the ops' own gradient rules on symbolic tensors, records in-place optimizer updates
 * ({@link io.tapeflow.engine.graph.UpdateRule}), and compiles the result into a {@code Plan}: {@code PlanCompiler}
 * runs its passes, one method each, over one record per node, and {@code Lowering} says which step runs each op.
 *
 * <h2>The plan</h2>
 * <ul>
 *   <li>Nodes run in recording order (a topological order). Constants fold at compile time; reshapes, stop-gradients
 *       and layout-preserving broadcasts alias their input; elementwise steps read broadcasts where they lie; steps
 *       nobody reads are dropped.</li>
 *   <li>Buffers are allocated once and shared by values whose lifetimes do not overlap (liveness over the step
 *       order). Batched values are stored feature-major, one array of batch rows per feature, so every inner loop
 *       runs over the batch with a shared index and the JIT vectorises it. Buffers hold up to a capacity of rows and
 *       a run says how many it uses: one plan serves every batch size; a larger batch grows the buffers once.</li>
 *   <li>Chains of elementwise ops fuse into one pass over the feature rows with row-sized registers.</li>
 *   <li>Variables live in plan buffers: reads are bound to them, updates write them in place, and
 *       {@code storeVariables} writes them back (a variable assigned from outside is reloaded). The update rule's
 *       slots and step counter are plan state that {@code slots}/{@code restoreSlots} export and import exactly.</li>
 *   <li>A run of feature-major steps allocates nothing: every kernel loops over primitive arrays bound at compile
 *       time; one virtual call per step, none per element. A step that runs an op's eager kernel may allocate as
 *       eager mode does (see Limits).</li>
 * </ul>
 *
 * <h2>Numbers</h2>
 * Products use the eager kernel's single FMA chain per element, forward and weight gradients alike ({@link
 * io.tapeflow.engine.Kernels#productOverBatch} for small weight gradients over the batch), so they are bit-identical
 * to eager; sums over the batch use eight double partial sums; exp, log and sigmoid use {@link
 * io.tapeflow.engine.FastMath}, as eager does. The array forms run on {@code jdk.incubator.vector} once it is
 * compiled, with the same bits as their portable loops. The reference rings fit and the standardized softmax fits of
 * {@code nn}'s tests are bit-identical in both modes; in general graph and eager agree within float rounding, and a
 * graph run is bit-identical from run to run.
 *
 * <h2>Limits</h2>
 * Every op traces. An op, or a shape, without a feature-major step of its own (slices, concats, pads, transposes,
 * products of rank 3, reductions over middle axes, broadcasts the layout cannot express, any new op) runs its eager
 * kernel inside the plan ({@code Step.KernelStep}): batched operands are copied to row-major arrays for the run's
 * batch, so it computes what eager mode computes; it allocates for a batch size other than its last two, and where
 * the eager kernel does (no {@code nn} model has such a step). What a plan refuses, at trace time and with the op,
 * its attributes and its shapes: a batch dimension anywhere but first, and an op whose output's batch is not its
 * input's (concat, slice, pad or gather along the batch, a reshape across it), since a plan runs one batch size per
 * call. Every {@code nn} model (dense layers, every loss and optimizer) compiles to feature-major steps only.
 */
package io.tapeflow.engine.graph;
