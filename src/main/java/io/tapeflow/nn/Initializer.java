package io.tapeflow.nn;

import io.tapeflow.engine.Rng;
import io.tapeflow.engine.Tensor;

/**
 * How a kernel's initial values are drawn (biases always start at zero, as in the reference). {@code normal} and
 * {@code truncated_normal} are the reference's {@code tf.random.normal} / {@code tf.random.truncated_normal} with
 * standard deviation 1; {@code uniform} is Keras's RandomUniform, U[−0.05, 0.05); {@code glorot_uniform} is
 * U[−l, l) with l = √(6 / (fanIn + fanOut)); {@code he_normal} is Keras's truncated normal with standard deviation
 * √(2 / fanIn) / 0.8796 (the correction for truncation).
 */
public enum Initializer {
    ZEROS, ONES, NORMAL, UNIFORM, TRUNCATED_NORMAL, GLOROT_UNIFORM, HE_NORMAL;

    public static Initializer byName(String name) {
        return Names.parse(Initializer.class, name, "initializer");
    }

    public String apiName() {
        return Names.of(this);
    }

    /** A {@code fanIn × fanOut} kernel, drawn in row-major order from {@code rng}. */
    public Tensor kernel(int fanIn, int fanOut, Rng rng) {
        return switch (this) {
            case ZEROS -> Tensor.zeros(fanIn, fanOut);
            case ONES -> Tensor.ones(fanIn, fanOut);
            case NORMAL -> Tensor.normal(rng, 0f, 1f, fanIn, fanOut);
            case UNIFORM -> Tensor.uniform(rng, -0.05f, 0.05f, fanIn, fanOut);
            case TRUNCATED_NORMAL -> Tensor.truncatedNormal(rng, 0f, 1f, fanIn, fanOut);
            case GLOROT_UNIFORM -> {
                float limit = (float) Math.sqrt(6.0 / (fanIn + fanOut));
                yield Tensor.uniform(rng, -limit, limit, fanIn, fanOut);
            }
            case HE_NORMAL -> Tensor.truncatedNormal(rng, 0f,
                    (float) (Math.sqrt(2.0 / fanIn) / 0.87962566103423978), fanIn, fanOut);
        };
    }
}
