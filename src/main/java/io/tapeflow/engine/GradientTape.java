package io.tapeflow.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;

/**
 * Records the ops run on this thread while it is open, like {@code tf.GradientTape}, and computes gradients by
 * walking the recording backwards.
 *
 * <p>An op is recorded only when one of its inputs is tracked: a tensor passed to {@link #watch(Tensor)}, the value of
 * a trainable (or explicitly watched) {@link Variable}, or the output of an op already recorded. Tapes nest: every
 * open tape records, so the gradient computation of an inner tape (written with the public ops) is itself recorded by
 * an outer one, which gives second-order gradients.
 *
 * <p>Unconnected sources: a source the target does not depend on gets {@code null}, as TensorFlow's default
 * {@code UnconnectedGradients.NONE}; pass {@link Unconnected#ZERO} to get zeros of the source's shape instead.
 *
 * <p>A tape is not persistent by default: it computes one gradient and then forgets its recording. A persistent tape
 * ({@code new GradientTape(true)}) can compute any number of gradients.
 */
public final class GradientTape implements AutoCloseable {

    /** What {@code gradient} returns for a source that the target does not depend on. */
    public enum Unconnected { NONE, ZERO }

    private static final ThreadLocal<ArrayList<GradientTape>> OPEN = ThreadLocal.withInitial(ArrayList::new);

    private record Node(Op op, Tensor[] inputs, Tensor output) {
    }

    private final boolean persistent;
    private final List<Node> nodes = new ArrayList<>();
    private final IdentityHashMap<Tensor, Boolean> tracked = new IdentityHashMap<>();
    private final List<Variable> watchedVariables = new ArrayList<>();
    private final List<Tensor> variableReads = new ArrayList<>();
    private boolean recording = true;
    private boolean used;

    public GradientTape() {
        this(false);
    }

    public GradientTape(boolean persistent) {
        this.persistent = persistent;
        OPEN.get().add(this);
    }

    public boolean persistent() {
        return persistent;
    }

    /** Tracks a tensor so that ops on it are recorded and it can be a gradient source. */
    public void watch(Tensor t) {
        tracked.put(t, Boolean.TRUE);
    }

    /** Tracks the reads of a variable, trainable or not. */
    public void watch(Variable v) {
        watchedVariables.add(v);
    }

    /** Stops recording until the returned scope is closed (like {@code tape.stop_recording()}). */
    public Dispatch.Scope stopRecording() {
        boolean was = recording;
        recording = false;
        return () -> recording = was;
    }

    /** Stops recording; the recording is kept for {@code gradient}. */
    @Override
    public void close() {
        recording = false;
        ArrayList<GradientTape> open = OPEN.get();
        for (int i = open.size() - 1; i >= 0; i--) {
            if (open.get(i) == this) {
                open.remove(i);
                break;
            }
        }
    }

    static void recordOnOpenTapes(Op op, Tensor[] inputs, Tensor output) {
        ArrayList<GradientTape> open = OPEN.get();
        for (int i = 0; i < open.size(); i++) {
            open.get(i).record(op, inputs, output);
        }
    }

    private void record(Op op, Tensor[] inputs, Tensor output) {
        if (!recording) {
            return;
        }
        boolean any = false;
        for (Tensor t : inputs) {
            any |= isTracked(t);
        }
        if (any) {
            nodes.add(new Node(op, inputs.clone(), output));
            tracked.put(output, Boolean.TRUE);
        }
    }

    private boolean isTracked(Tensor t) {
        if (tracked.containsKey(t)) {
            return true;
        }
        Variable v = t.variable;
        if (v != null && (v.trainable() || watchedVariables.contains(v))) {
            tracked.put(t, Boolean.TRUE);
            variableReads.add(t);
            return true;
        }
        return false;
    }

    public Tensor gradient(Tensor target, Tensor source) {
        return gradient(target, new Tensor[] {source}, Unconnected.NONE)[0];
    }

    public Tensor[] gradient(Tensor target, Tensor... sources) {
        return gradient(target, sources, Unconnected.NONE);
    }

    public Tensor[] gradient(Tensor target, Tensor[] sources, Unconnected unconnected) {
        IdentityHashMap<Tensor, Tensor> grads = backward(target);
        Tensor[] out = new Tensor[sources.length];
        for (int i = 0; i < sources.length; i++) {
            out[i] = orZero(grads.get(sources[i]), sources[i].shape, unconnected);
        }
        return out;
    }

    public Tensor gradient(Tensor target, Variable source) {
        return gradient(target, List.of(source), Unconnected.NONE).get(0);
    }

    public Tensor[] gradient(Tensor target, Variable... sources) {
        return gradient(target, Arrays.asList(sources), Unconnected.NONE).toArray(new Tensor[0]);
    }

    /** The gradients of {@code target} with respect to each variable, summed over all of its reads on this tape. */
    public List<Tensor> gradient(Tensor target, List<Variable> sources) {
        return gradient(target, sources, Unconnected.NONE);
    }

    public List<Tensor> gradient(Tensor target, List<Variable> sources, Unconnected unconnected) {
        IdentityHashMap<Tensor, Tensor> grads = backward(target);
        List<Tensor> out = new ArrayList<>(sources.size());
        for (Variable v : sources) {
            Tensor sum = null;
            for (Tensor read : variableReads) {
                Tensor g = read.variable == v ? grads.get(read) : null;
                if (g != null) {
                    sum = sum == null ? g : Ops.add(sum, g);
                }
            }
            out.add(orZero(sum, v.value().shape, unconnected));
        }
        return out;
    }

    private static Tensor orZero(Tensor g, int[] shape, Unconnected unconnected) {
        return g == null && unconnected == Unconnected.ZERO ? Tensor.zeros(shape) : g;
    }

    /**
     * Walks the recording in reverse order (iteratively: long recordings cannot overflow the stack), summing each
     * input's gradient contributions. Every consumer of a tensor was recorded after its producer, so a node's output
     * gradient is complete when the walk reaches it.
     */
    private IdentityHashMap<Tensor, Tensor> backward(Tensor target) {
        if (used && !persistent) {
            throw new IllegalStateException("A non-persistent GradientTape computes one gradient only; "
                    + "use new GradientTape(true) to compute several");
        }
        used = true;
        IdentityHashMap<Tensor, Tensor> grads = new IdentityHashMap<>();
        if (!tracked.containsKey(target)) {
            return grads;
        }
        boolean was = recording;
        recording = false; // the gradient ops belong to enclosing tapes, never to this one
        try {
            grads.put(target, Tensor.onesLike(target));
            for (int n = nodes.size() - 1; n >= 0; n--) {
                Node node = nodes.get(n);
                Tensor g = grads.get(node.output);
                if (g == null) {
                    continue;
                }
                Tensor[] inputs = node.inputs;
                boolean[] needed = new boolean[inputs.length];
                boolean any = false;
                for (int i = 0; i < inputs.length; i++) {
                    needed[i] = tracked.containsKey(inputs[i]);
                    any |= needed[i];
                }
                if (!any) {
                    continue;
                }
                Tensor[] inputGrads = node.op.gradient(inputs, node.output, g, needed);
                for (int i = 0; i < inputs.length; i++) {
                    Tensor gi = inputGrads[i];
                    if (!needed[i] || gi == null) {
                        continue;
                    }
                    if (!Arrays.equals(gi.shape, inputs[i].shape)) {
                        throw new IllegalStateException("Gradient of " + node.op.type() + " input " + i + " has shape "
                                + Shapes.toString(gi.shape) + " but the input has shape "
                                + Shapes.toString(inputs[i].shape));
                    }
                    Tensor previous = grads.get(inputs[i]);
                    grads.put(inputs[i], previous == null ? gi : Ops.add(previous, gi));
                }
            }
        } finally {
            recording = was;
        }
        if (!persistent) {
            nodes.clear();
        }
        return grads;
    }
}
