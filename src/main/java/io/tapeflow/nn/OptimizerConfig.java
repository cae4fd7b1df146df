package io.tapeflow.nn;

import io.tapeflow.engine.graph.UpdateRule;

/** An optimizer's kind and hyper-parameters; the factories fill in Keras's defaults. */
public record OptimizerConfig(Kind kind, float learningRate, float momentum, boolean nesterov, float beta1,
        float beta2, float rho, float epsilon) {

    public enum Kind {
        SGD, ADAM, RMSPROP;

        public static Kind byName(String name) {
            return Names.parse(Kind.class, name, "optimizer");
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

    /** The per-element update these settings describe. */
    public UpdateRule rule() {
        UpdateRule.Kind k = switch (kind) {
            case SGD -> momentum == 0f ? UpdateRule.Kind.SGD
                    : nesterov ? UpdateRule.Kind.NESTEROV : UpdateRule.Kind.MOMENTUM;
            case ADAM -> UpdateRule.Kind.ADAM;
            case RMSPROP -> UpdateRule.Kind.RMSPROP;
        };
        return new UpdateRule(k, learningRate, momentum, beta1, beta2, rho, epsilon);
    }

    public Optimizer create() {
        return new Optimizer(this);
    }
}
