package io.tapeflow.nn;

import io.tapeflow.engine.Tensor;

/**
 * What a fit computes on a batch, defined once for the eager step, the traced step and validation: the outputs the
 * loss reads (the last layer's logits for a loss that {@link Loss#fusesSoftmax fuses the softmax}, the model's
 * outputs otherwise) and the loss on them. Metrics read the same outputs.
 */
final class Objective {

    private Objective() {
    }

    static Tensor outputs(Sequential model, Loss loss, Tensor x) {
        return loss.fusesSoftmax() ? model.logits(x) : model.call(x);
    }

    static Tensor loss(Loss loss, Tensor labels, Tensor outputs) {
        return loss.fusesSoftmax() ? loss.computeOnLogits(labels, outputs) : loss.compute(labels, outputs);
    }

    /** Whether {@link #outputs} are logits, which moves the binary accuracy's threshold from 0.5 to 0. */
    static boolean outputsAreLogits(Loss loss) {
        return loss.fromLogits() || loss.fusesSoftmax();
    }
}
