package io.tapeflow.nn;

import static io.tapeflow.engine.Ops.abs;
import static io.tapeflow.engine.Ops.add;
import static io.tapeflow.engine.Ops.clip;
import static io.tapeflow.engine.Ops.div;
import static io.tapeflow.engine.Ops.equal;
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

/**
 * Losses by name; each returns the mean over the batch as a scalar tensor.
 *
 * <p>The two softmax cross-entropies ({@link #fusesSoftmax()}) are for a model whose last activation is softmax:
 * {@link #compute} reads its probabilities (Keras' formula), but a fit trains on and reports
 * {@link #computeOnLogits} of the last layer's logits, the stable {@code logSumExp(z) − Σ y·z}, so training never takes
 * the log of a probability.
 */
public enum Loss {
    /** The reference's {@code mean((y − ŷ)² / 2)}. */
    HALF_MSE,
    MSE,
    /** The reference's cross-entropy on probabilities, with ŷ clipped to [1e-7, 1 − 1e-7] so log stays finite. */
    BINARY_CROSSENTROPY,
    /** Cross-entropy on logits z, {@code max(z, 0) − z·y + log(1 + e^−|z|)}: stable for any z. */
    BINARY_CROSSENTROPY_FROM_LOGITS,
    /** Cross-entropy of one-hot (or soft) labels against softmax(logits), over the last axis. Expects logits. */
    SOFTMAX_CROSSENTROPY,
    /**
     * K one-hot (or soft) label columns against a softmax output: on probabilities {@code −Σ y·log(clip(p / Σp))}
     * with p clipped to [1e-7, 1 − 1e-7] as Keras does; in training fused with the softmax.
     */
    CATEGORICAL_CROSSENTROPY,
    /** As {@link #CATEGORICAL_CROSSENTROPY}, with one label column holding the class index 0..K−1. */
    SPARSE_CATEGORICAL_CROSSENTROPY;

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

    /**
     * True for the losses of a softmax output that training fuses with the softmax: the model's outputs are
     * probabilities, but the fit computes {@link #computeOnLogits} on the last layer's logits.
     */
    public boolean fusesSoftmax() {
        return this == CATEGORICAL_CROSSENTROPY || this == SPARSE_CATEGORICAL_CROSSENTROPY;
    }

    public boolean isClassification() {
        return this == BINARY_CROSSENTROPY || fromLogits() || fusesSoftmax();
    }

    /** Label values per row for a model of {@code outputWidth} outputs: 1 (the class index) for the sparse loss. */
    public int labelWidth(int outputWidth) {
        return this == SPARSE_CATEGORICAL_CROSSENTROPY ? 1 : outputWidth;
    }

    /** The loss of labels {@code yTrue} against the model's outputs {@code yPred} (probabilities for softmax). */
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
            case SOFTMAX_CROSSENTROPY -> softmaxCrossEntropy(yTrue, yPred);
            case CATEGORICAL_CROSSENTROPY, SPARSE_CATEGORICAL_CROSSENTROPY -> {
                Tensor y = oneHot(yTrue, yPred);
                Tensor p = clip(div(yPred, sum(yPred, LAST, true)), EPSILON, 1f - EPSILON);
                yield mean(neg(sum(mul(y, log(p)), LAST, true)));
            }
        };
    }

    /**
     * The loss on logits z, as a fit trains on it and reports it: for the softmax cross-entropies
     * {@code logSumExp(z) − Σ y·z} (the loss of softmax(z), never logging a probability); for the losses that
     * already take logits, {@link #compute}. The losses of probabilities or values have no logits form.
     */
    public Tensor computeOnLogits(Tensor yTrue, Tensor logits) {
        return switch (this) {
            case CATEGORICAL_CROSSENTROPY, SPARSE_CATEGORICAL_CROSSENTROPY ->
                    softmaxCrossEntropy(oneHot(yTrue, logits), logits);
            case SOFTMAX_CROSSENTROPY, BINARY_CROSSENTROPY_FROM_LOGITS -> compute(yTrue, logits);
            case HALF_MSE, MSE, BINARY_CROSSENTROPY -> throw new IllegalArgumentException(
                    "computeOnLogits: " + apiName() + " takes the model's outputs, not logits");
        };
    }

    private static final int[] LAST = {-1};

    private static Tensor softmaxCrossEntropy(Tensor y, Tensor logits) {
        return mean(sub(logSumExp(logits), sum(mul(y, logits), LAST, true)));
    }

    /**
     * The one-hot rows of the labels against outputs of width K: the labels themselves for the categorical loss;
     * for the sparse one {@code equal(index, [0, 1, ..., K−1])}, computed per batch (in the graph, one fused
     * elementwise pass over batch × K values), so a fit never stores a one-hot copy of its labels. An index that is
     * not a class gives a row of zeros: the fit validates the labels first.
     */
    private Tensor oneHot(Tensor yTrue, Tensor outputs) {
        if (this != SPARSE_CATEGORICAL_CROSSENTROPY) {
            return yTrue;
        }
        int classes = outputs.dim(outputs.rank() - 1);
        float[] indices = new float[classes];
        for (int k = 0; k < classes; k++) {
            indices[k] = k;
        }
        return equal(yTrue, Tensor.of(indices, classes));
    }
}
