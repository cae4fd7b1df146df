package io.tapeflow.engine.graph;

/**
 * How a plan updates a variable from its gradient: an optimizer's per-element update in place, like TensorFlow's
 * fused {@code ResourceApply*} kernels, one loop over the values with the rule's state in slot arrays of the
 * variable's size. The optimizers (their names, settings and formulas) live in {@code nn}
 * ({@code nn.OptimizerConfig}); eager optimizers and plans call the same loops, so the same gradients give
 * bit-identical parameters in either mode.
 */
public interface UpdateRule {

    /** Slot arrays per variable (velocity, adam's two moments, rmsprop's mean square). */
    int slots();

    /** The step size at step {@code t} (from 1), e.g. the learning rate, bias-corrected for adam. */
    float stepSize(long t);

    /**
     * Updates {@code p} in place from the gradient {@code g} (both of length n) and the slots {@code s0}, {@code s1}
     * (unused ones may be null), with {@code stepSize} from {@link #stepSize(long)}.
     */
    void applyInPlace(float[] p, float[] g, float[] s0, float[] s1, float stepSize, int n);
}
