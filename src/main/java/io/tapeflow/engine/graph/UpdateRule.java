package io.tapeflow.engine.graph;

/**
 * An optimizer's per-element update of a variable in place, like TensorFlow's fused {@code ResourceApply*} kernels:
 * one loop over the values, with the rule's state in slot arrays of the variable's size. The eager optimizer and
 * graph plans both run these loops, so the same gradients give bit-identical parameters in either mode.
 *
 * <p>Keras's formulas, in float32: sgd {@code p −= lr·g}; momentum {@code v = m·v − lr·g; p += v}; Nesterov
 * {@code v = m·v − lr·g; p += m·v − lr·g}; adam {@code m = β1·m + (1−β1)·g; v = β2·v + (1−β2)·g²;
 * p −= α·m / (√v + ε)} with {@code α = lr·√(1−β2^t) / (1−β1^t)} at step t (from 1); rmsprop
 * {@code v = ρ·v + (1−ρ)·g²; p −= lr·g / √(v + ε)}.
 */
public record UpdateRule(Kind kind, float learningRate, float momentum, float beta1, float beta2, float rho,
        float epsilon) {

    public enum Kind { SGD, MOMENTUM, NESTEROV, ADAM, RMSPROP }

    /** Slot arrays per variable: velocity, adam's two moments, rmsprop's mean square. */
    public int slots() {
        return switch (kind) {
            case SGD -> 0;
            case MOMENTUM, NESTEROV, RMSPROP -> 1;
            case ADAM -> 2;
        };
    }

    /** The step size at step {@code t} (from 1): the learning rate, bias-corrected for adam. */
    public float stepSize(long t) {
        if (kind != Kind.ADAM) {
            return learningRate;
        }
        return (float) (learningRate * Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t)));
    }

    /**
     * Updates {@code p} in place from the gradient {@code g} (both of length n) and the slots {@code s0}, {@code s1}
     * (unused ones may be null), with {@code stepSize} from {@link #stepSize(long)}.
     */
    public void applyInPlace(float[] p, float[] g, float[] s0, float[] s1, float stepSize, int n) {
        float lr = stepSize;
        switch (kind) {
            case SGD -> {
                for (int i = 0; i < n; i++) {
                    p[i] -= lr * g[i];
                }
            }
            case MOMENTUM -> {
                float m = momentum;
                for (int i = 0; i < n; i++) {
                    float v = m * s0[i] - lr * g[i];
                    s0[i] = v;
                    p[i] += v;
                }
            }
            case NESTEROV -> {
                float m = momentum;
                for (int i = 0; i < n; i++) {
                    float v = m * s0[i] - lr * g[i];
                    s0[i] = v;
                    p[i] += m * v - lr * g[i];
                }
            }
            case ADAM -> {
                float b1 = beta1;
                float b2 = beta2;
                float eps = epsilon;
                for (int i = 0; i < n; i++) {
                    float gi = g[i];
                    s0[i] = b1 * s0[i] + (1f - b1) * gi;
                    s1[i] = b2 * s1[i] + (1f - b2) * gi * gi;
                    p[i] -= lr * s0[i] / ((float) Math.sqrt(s1[i]) + eps);
                }
            }
            case RMSPROP -> {
                float r = rho;
                float eps = epsilon;
                for (int i = 0; i < n; i++) {
                    float gi = g[i];
                    s0[i] = r * s0[i] + (1f - r) * gi * gi;
                    p[i] -= lr * gi / (float) Math.sqrt(s0[i] + eps);
                }
            }
        }
    }
}
