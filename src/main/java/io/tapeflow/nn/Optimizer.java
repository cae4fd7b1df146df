package io.tapeflow.nn;

import io.tapeflow.engine.Tensor;
import io.tapeflow.engine.Variable;
import java.util.List;

/**
 * Applies gradients to variables. Lifecycle: create from an {@link OptimizerConfig}; the first {@link #apply} sizes
 * the slots (per-variable state such as momentum) for the variables it is given, and later calls must pass the same
 * variables in the same order; {@link #state()} / {@link #restore} save and reload the slots and the step counter
 * exactly, for checkpoints.
 *
 * <p>Updates follow Keras's formulas, element by element in float32 and in a fixed order (deterministic):
 * <ul>
 *   <li>sgd: {@code p −= lr·g}; with momentum m: {@code v = m·v − lr·g; p += v}; Nesterov: {@code p += m·v − lr·g}.
 *   <li>adam: {@code m = β1·m + (1−β1)·g; v = β2·v + (1−β2)·g²; p −= α·m / (√v + ε)} with
 *       {@code α = lr·√(1−β2^t) / (1−β1^t)} at step t (from 1).
 *   <li>rmsprop: {@code v = ρ·v + (1−ρ)·g²; p −= lr·g / √(v + ε)}.
 * </ul>
 */
public final class Optimizer {

    private final OptimizerConfig config;
    private float[][] slots;
    private long iterations;

    public Optimizer(OptimizerConfig config) {
        this.config = config;
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
        int perVariable = config.kind().slotsPerVariable(config);
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
        float lr = config.learningRate();
        int n = p.length;
        switch (config.kind()) {
            case SGD -> {
                float m = config.momentum();
                if (m == 0f) {
                    for (int i = 0; i < n; i++) {
                        p[i] -= lr * g[i];
                    }
                } else {
                    float[] vel = slots[slot];
                    boolean nesterov = config.nesterov();
                    for (int i = 0; i < n; i++) {
                        float v = m * vel[i] - lr * g[i];
                        vel[i] = v;
                        p[i] += nesterov ? m * v - lr * g[i] : v;
                    }
                }
            }
            case ADAM -> {
                float b1 = config.beta1();
                float b2 = config.beta2();
                float eps = config.epsilon();
                double t = iterations;
                float alpha = (float) (lr * Math.sqrt(1 - Math.pow(b2, t)) / (1 - Math.pow(b1, t)));
                float[] m = slots[slot];
                float[] v = slots[slot + 1];
                for (int i = 0; i < n; i++) {
                    float gi = g[i];
                    m[i] = b1 * m[i] + (1f - b1) * gi;
                    v[i] = b2 * v[i] + (1f - b2) * gi * gi;
                    p[i] -= alpha * m[i] / ((float) Math.sqrt(v[i]) + eps);
                }
            }
            case RMSPROP -> {
                float rho = config.rho();
                float eps = config.epsilon();
                float[] v = slots[slot];
                for (int i = 0; i < n; i++) {
                    float gi = g[i];
                    v[i] = rho * v[i] + (1f - rho) * gi * gi;
                    p[i] -= lr * gi / (float) Math.sqrt(v[i] + eps);
                }
            }
        }
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
