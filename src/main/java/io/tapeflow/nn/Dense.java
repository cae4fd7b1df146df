package io.tapeflow.nn;

import io.tapeflow.engine.Module;
import io.tapeflow.engine.Ops;
import io.tapeflow.engine.Rng;
import io.tapeflow.engine.Tensor;
import io.tapeflow.engine.Variable;

/** A fully connected layer {@code activation(x·kernel + bias)}, with variables {@code <name>/kernel} and {@code <name>/bias}. */
public final class Dense extends Module {

    private final Variable kernel;
    private final Variable bias;
    private final Activation activation;

    public Dense(String name, int inputWidth, int units, Activation activation, Initializer initializer, Rng rng) {
        super(name);
        if (inputWidth <= 0 || units <= 0) {
            throw new IllegalArgumentException("Dense " + name + ": widths must be positive, got " + inputWidth
                    + " inputs and " + units + " units");
        }
        this.kernel = new Variable(name + "/kernel", initializer.kernel(inputWidth, units, rng));
        this.bias = new Variable(name + "/bias", Tensor.zeros(units));
        this.activation = activation;
    }

    public Tensor call(Tensor x) {
        return activation.apply(preActivation(x));
    }

    /** {@code x·kernel + bias}, before the activation: the logits of a softmax layer. */
    public Tensor preActivation(Tensor x) {
        return Ops.add(Ops.matmul(x, kernel.value()), bias.value());
    }

    public Variable kernel() {
        return kernel;
    }

    public Variable bias() {
        return bias;
    }

    public Activation activation() {
        return activation;
    }

    public int inputWidth() {
        return kernel.shape()[0];
    }

    public int units() {
        return kernel.shape()[1];
    }
}
