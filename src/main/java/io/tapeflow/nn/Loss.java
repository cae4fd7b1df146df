package io.tapeflow.nn;

import static io.tapeflow.engine.Ops.abs;
import static io.tapeflow.engine.Ops.add;
import static io.tapeflow.engine.Ops.clip;
import static io.tapeflow.engine.Ops.log;
import static io.tapeflow.engine.Ops.logSumExp;
import static io.tapeflow.engine.Ops.mean;
import static io.tapeflow.engine.Ops.mul;
import static io.tapeflow.engine.Ops.neg;
import static io.tapeflow.engine.Ops.relu;
import static io.tapeflow.engine.Ops.softplus;
import static io.tapeflow.engine.Ops.square;
import static io.tapeflow.engine.Ops.sub;
import static io.tapeflow.engine.Ops.sum;

import io.tapeflow.engine.Tensor;

/** Losses by name; each returns the mean over the batch as a scalar tensor. */
public enum Loss {
    /** The reference's {@code mean((y − ŷ)² / 2)}. */
    HALF_MSE,
    MSE,
    /** The reference's cross-entropy on probabilities, with ŷ clipped to [1e-7, 1 − 1e-7] so log stays finite. */
    BINARY_CROSSENTROPY,
    /** Cross-entropy on logits z, {@code max(z, 0) − z·y + log(1 + e^−|z|)}: stable for any z. */
    BINARY_CROSSENTROPY_FROM_LOGITS,
    /** Cross-entropy of one-hot (or soft) labels against softmax(logits), over the last axis. Expects logits. */
    SOFTMAX_CROSSENTROPY;

    static final float EPSILON = 1e-7f;

    public static Loss byName(String name) {
        return Names.parse(Loss.class, name, "loss");
    }

    public String apiName() {
        return Names.of(this);
    }

    /** True when the model's outputs are logits rather than probabilities or values. */
    public boolean fromLogits() {
        return this == BINARY_CROSSENTROPY_FROM_LOGITS || this == SOFTMAX_CROSSENTROPY;
    }

    public boolean isClassification() {
        return this == BINARY_CROSSENTROPY || fromLogits();
    }

    public Tensor compute(Tensor yTrue, Tensor yPred) {
        return switch (this) {
            case HALF_MSE -> mean(mul(square(sub(yTrue, yPred)), 0.5f));
            case MSE -> mean(square(sub(yTrue, yPred)));
            case BINARY_CROSSENTROPY -> {
                Tensor p = clip(yPred, EPSILON, 1f - EPSILON);
                yield mean(sub(neg(mul(yTrue, log(p))), mul(sub(1f, yTrue), log(sub(1f, p)))));
            }
            case BINARY_CROSSENTROPY_FROM_LOGITS ->
                    mean(add(sub(relu(yPred), mul(yPred, yTrue)), softplus(neg(abs(yPred)))));
            case SOFTMAX_CROSSENTROPY -> mean(sub(logSumExp(yPred), sum(mul(yTrue, yPred), new int[] {-1}, true)));
        };
    }
}
