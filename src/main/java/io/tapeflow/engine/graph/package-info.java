/**
 * Graph mode, the analogue of {@code tf.function}: {@link io.tapeflow.engine.graph.TracedFunction#trace} runs a Java
 * step function once on symbolic inputs whose first dimension is the dynamic batch, records every op call into a
 * {@link io.tapeflow.engine.graph.Graph} (through {@link io.tapeflow.engine.Dispatch#trace}), derives gradients at
 * trace time by calling the ops' own gradient rules on symbolic tensors, records in-place optimizer updates
 * ({@link io.tapeflow.engine.graph.UpdateRule}), and compiles the result into a {@code Plan}.
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
 *   <li>A run allocates nothing: every kernel loops over primitive arrays bound at compile time; one virtual call
 *       per step, none per element.</li>
 * </ul>
 *
 * <h2>Numbers</h2>
 * Products use the eager kernel's single FMA chain per element, forward and weight gradients alike ({@link
 * io.tapeflow.engine.Kernels#productOverBatch} for small weight gradients over the batch), so they are bit-identical
 * to eager; sums over the batch use four double partial sums; exp, log and sigmoid use {@link
 * io.tapeflow.engine.FastMath}, as eager does. The array forms run on {@code jdk.incubator.vector} once it is
 * compiled, with the same bits as their portable loops. The reference rings fit and the standardized softmax fits of
 * {@code nn}'s tests are bit-identical in both modes; in general graph and eager agree within float rounding, and a
 * graph run is bit-identical from run to run.
 *
 * <h2>Limits</h2>
 * Values without the batch dimension compile at any shape: an op on them with no plan step of its own (a broadcast
 * other than of a scalar, slices, concats, products of rank 3...) runs its eager kernel on the plan's buffers
 * ({@link io.tapeflow.engine.BoundKernel}), so it computes what eager mode computes; such a kernel, like the
 * reduction of a value without batch, may allocate scratch inside it (no {@code nn} model has one). For batched values
 * the batch dimension must stay first, and broadcasts must not mix it with other dimensions; concat, slice, gather,
 * pad and transposes of batched values, and batched products of rank 3, are not compiled. Such a graph fails at trace
 * time with the op, its attributes and its shapes (use eager execution). Every {@code nn} model (dense layers, every
 * loss and optimizer) compiles.
 */
package io.tapeflow.engine.graph;
