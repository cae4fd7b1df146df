package io.tapeflow.nn;

import io.tapeflow.engine.Tensor;
import io.tapeflow.engine.Variable;
import io.tapeflow.engine.graph.UpdateRule;
import java.util.List;

/**
 * Applies gradients to variables. Lifecycle: create from an {@link OptimizerConfig}; the first {@link #apply} sizes
 * the slots (per-variable state such as momentum) for the variables it is given, and later calls must pass the same
 * variables in the same order; {@link #state()} / {@link #restore} save and reload the slots and the step counter
 * exactly, for checkpoints.
 *
 * <p>Updates follow Keras's formulas, element by element in float32 and in a fixed order (deterministic); the loops
 * are {@link UpdateRule}'s, which graph plans run too.
 */
public final class Optimizer {

    private final OptimizerConfig config;
    private final UpdateRule rule;
    private float[][] slots;
    private long iterations;

    public Optimizer(OptimizerConfig config) {
        this.config = config;
        this.rule = config;
    }

    public OptimizerConfig config() {
        return config;
    }

    /** Steps taken so far. */
    public long iterations() {
        return iterations;
    }

    /** One update of every variable whose gradient is not null (an unconnected variable is left alone). */
    public void apply(List<Variable> variables, List<Tensor> gradients) {
        if (variables.size() != gradients.size()) {
            throw new IllegalArgumentException("Optimizer: " + gradients.size() + " gradients for "
                    + variables.size() + " variables");
        }
        int perVariable = rule.slots();
        if (slots == null) {
            slots = new float[variables.size() * perVariable][];
            for (int i = 0; i < variables.size(); i++) {
                for (int s = 0; s < perVariable; s++) {
                    slots[i * perVariable + s] = new float[variables.get(i).size()];
                }
            }
        } else if (slots.length != variables.size() * perVariable) {
            throw new IllegalArgumentException("Optimizer: created for " + slots.length / Math.max(1, perVariable)
                    + " variables, now given " + variables.size());
        }
        iterations++;
        for (int i = 0; i < variables.size(); i++) {
            Tensor g = gradients.get(i);
            if (g == null) {
                continue;
            }
            Variable v = variables.get(i);
            float[] p = v.value().toArray();
            float[] grad = g.toArray();
            if (grad.length != p.length) {
                throw new IllegalArgumentException("Optimizer: gradient of " + v.name() + " has " + grad.length
                        + " values but the variable has " + p.length);
            }
            update(p, grad, i * perVariable);
            v.assign(p);
        }
    }

    private void update(float[] p, float[] g, int slot) {
        float[] s0 = rule.slots() > 0 ? slots[slot] : null;
        float[] s1 = rule.slots() > 1 ? slots[slot + 1] : null;
        rule.applyInPlace(p, g, s0, s1, rule.stepSize(iterations), p.length);
    }

    /** A deep copy of the slots and the step counter. */
    public OptimizerState state() {
        float[][] copy = slots == null ? new float[0][] : new float[slots.length][];
        for (int i = 0; slots != null && i < slots.length; i++) {
            copy[i] = slots[i].clone();
        }
        return new OptimizerState(iterations, copy);
    }

    /** Restores a state taken by {@link #state()} from an optimizer of the same config on the same variables. */
    public void restore(OptimizerState state) {
        iterations = state.iterations();
        if (state.slots().length == 0) {
            slots = null;
            return;
        }
        slots = new float[state.slots().length][];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = state.slots()[i].clone();
        }
    }
}
