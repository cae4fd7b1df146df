package io.tapeflow.nn;

import io.tapeflow.engine.graph.UpdateRule;

/**
 * An optimizer: its kind (the API's one vocabulary of optimizers), its hyper-parameters (the factories fill in
 * Keras's defaults) and its per-element update, which eager optimizers and graph plans both run.
 *
 * <p>Keras's formulas, in float32: sgd {@code p −= lr·g}; momentum {@code v = m·v − lr·g; p += v}; Nesterov
 * {@code v = m·v − lr·g; p += m·v − lr·g}; adam {@code m = β1·m + (1−β1)·g; v = β2·v + (1−β2)·g²;
 * p −= α·m / (√v + ε)} with {@code α = lr·√(1−β2^t) / (1−β1^t)} at step t (from 1); rmsprop
 * {@code v = ρ·v + (1−ρ)·g²; p −= lr·g / √(v + ε)}.
 */
public record OptimizerConfig(Kind kind, float learningRate, float momentum, boolean nesterov, float beta1,
        float beta2, float rho, float epsilon) implements UpdateRule {

    public enum Kind {
        SGD, ADAM, RMSPROP;

        public static Kind byName(String name) {
            return Names.parse(Kind.class, name, "optimizer");
        }

        public String apiName() {
            return Names.of(this);
        }
    }

    public OptimizerConfig {
        check(learningRate > 0f && Float.isFinite(learningRate), "learningRate", learningRate, "> 0");
        check(momentum >= 0f && momentum < 1f, "momentum", momentum, "in [0, 1)");
        check(beta1 >= 0f && beta1 < 1f, "beta1", beta1, "in [0, 1)");
        check(beta2 >= 0f && beta2 < 1f, "beta2", beta2, "in [0, 1)");
        check(rho >= 0f && rho < 1f, "rho", rho, "in [0, 1)");
        check(epsilon > 0f && Float.isFinite(epsilon), "epsilon", epsilon, "> 0");
        if (nesterov && momentum == 0f) {
            throw new IllegalArgumentException("nesterov needs a momentum > 0");
        }
    }

    private static void check(boolean ok, String field, float value, String rule) {
        if (!ok) {
            throw new IllegalArgumentException(field + " must be " + rule + ", got " + value);
        }
    }

    public static OptimizerConfig sgd(float learningRate) {
        return sgd(learningRate, 0f, false);
    }

    public static OptimizerConfig sgd(float learningRate, float momentum, boolean nesterov) {
        return new OptimizerConfig(Kind.SGD, learningRate, momentum, nesterov, 0.9f, 0.999f, 0.9f, 1e-7f);
    }

    public static OptimizerConfig adam(float learningRate) {
        return adam(learningRate, 0.9f, 0.999f, 1e-7f);
    }

    public static OptimizerConfig adam(float learningRate, float beta1, float beta2, float epsilon) {
        return new OptimizerConfig(Kind.ADAM, learningRate, 0f, false, beta1, beta2, 0.9f, epsilon);
    }

    public static OptimizerConfig rmsprop(float learningRate) {
        return rmsprop(learningRate, 0.9f, 1e-7f);
    }

    public static OptimizerConfig rmsprop(float learningRate, float rho, float epsilon) {
        return new OptimizerConfig(Kind.RMSPROP, learningRate, 0f, false, 0.9f, 0.999f, rho, epsilon);
    }

    @Override
    public int slots() {
        return switch (kind) {
            case SGD -> momentum == 0f ? 0 : 1;
            case RMSPROP -> 1;
            case ADAM -> 2;
        };
    }

    @Override
    public float stepSize(long t) {
        if (kind != Kind.ADAM) {
            return learningRate;
        }
        return (float) (learningRate * Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t)));
    }

    @Override
    public void applyInPlace(float[] p, float[] g, float[] s0, float[] s1, float stepSize, int n) {
        float lr = stepSize;
        // An expression (each loop returns p), so that a kind without its loop does not compile: a statement would
        // compile it into leaving the parameters alone.
        float[] updated = switch (kind) {
            case SGD -> momentum == 0f ? sgd(p, g, lr, n)
                    : nesterov ? nesterov(p, g, s0, lr, n) : momentum(p, g, s0, lr, n);
            case ADAM -> adam(p, g, s0, s1, lr, n);
            case RMSPROP -> rmsprop(p, g, s0, lr, n);
        };
        assert updated == p;
    }

    private static float[] sgd(float[] p, float[] g, float lr, int n) {
        for (int i = 0; i < n; i++) {
            p[i] -= lr * g[i];
        }
        return p;
    }

    private float[] momentum(float[] p, float[] g, float[] s0, float lr, int n) {
        float m = momentum;
        for (int i = 0; i < n; i++) {
            float v = m * s0[i] - lr * g[i];
            s0[i] = v;
            p[i] += v;
        }
        return p;
    }

    private float[] nesterov(float[] p, float[] g, float[] s0, float lr, int n) {
        float m = momentum;
        for (int i = 0; i < n; i++) {
            float v = m * s0[i] - lr * g[i];
            s0[i] = v;
            p[i] += m * v - lr * g[i];
        }
        return p;
    }

    private float[] adam(float[] p, float[] g, float[] s0, float[] s1, float lr, int n) {
        float b1 = beta1;
        float b2 = beta2;
        float eps = epsilon;
        for (int i = 0; i < n; i++) {
            float gi = g[i];
            s0[i] = b1 * s0[i] + (1f - b1) * gi;
            s1[i] = b2 * s1[i] + (1f - b2) * gi * gi;
            p[i] -= lr * s0[i] / ((float) Math.sqrt(s1[i]) + eps);
        }
        return p;
    }

    private float[] rmsprop(float[] p, float[] g, float[] s0, float lr, int n) {
        float r = rho;
        float eps = epsilon;
        for (int i = 0; i < n; i++) {
            float gi = g[i];
            s0[i] = r * s0[i] + (1f - r) * gi * gi;
            p[i] -= lr * gi / (float) Math.sqrt(s0[i] + eps);
        }
        return p;
    }

    public Optimizer create() {
        return new Optimizer(this);
    }
}
