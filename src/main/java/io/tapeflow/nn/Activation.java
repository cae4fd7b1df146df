package io.tapeflow.nn;

import io.tapeflow.engine.Ops;
import io.tapeflow.engine.Tensor;

/** The activations a layer can apply to its output. */
public enum Activation {
    LINEAR, RELU, SIGMOID, TANH, SOFTMAX;

    public static Activation byName(String name) {
        return Names.parse(Activation.class, name, "activation");
    }

    public String apiName() {
        return Names.of(this);
    }

    public Tensor apply(Tensor x) {
        return switch (this) {
            case LINEAR -> x;
            case RELU -> Ops.relu(x);
            case SIGMOID -> Ops.sigmoid(x);
            case TANH -> Ops.tanh(x);
            case SOFTMAX -> Ops.softmax(x);
        };
    }
}
