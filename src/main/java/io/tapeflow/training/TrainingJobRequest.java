package io.tapeflow.training;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The body of {@code POST /training-jobs}. Everything but {@code datasetId} and {@code model} has a default; the job
 * keeps the request with its defaults filled in ({@link TrainingSpec}), so a drawn seed is never lost.
 */
public record TrainingJobRequest(String datasetId, ModelSpec model, String loss, OptimizerSpec optimizer,
        Integer epochs, Integer batchSize, Boolean shuffle, Long seed, Double validationSplit, String execution,
        EarlyStoppingSpec earlyStopping, Integer maxRuntimeSeconds) {

    /**
     * @param type         {@code linear} (the reference's {@code y = x·w + b}) or {@code mlp}
     * @param hiddenLayers widths of the hidden layers of an {@code mlp}
     * @param activation   of the hidden layers: {@code relu}, {@code sigmoid}, {@code tanh} or {@code linear}
     * @param output       activation of the output layer: {@code linear} or {@code sigmoid}
     * @param initializer  of the kernels: {@code zeros}, {@code ones}, {@code normal}, {@code uniform},
     *                     {@code truncated_normal}, {@code glorot_uniform} or {@code he_normal}; biases start at 0
     */
    public record ModelSpec(String type, List<Integer> hiddenLayers, String activation, String output,
            String initializer) {
    }

    /**
     * @param type         {@code sgd}, {@code adam} or {@code rmsprop}
     * @param momentum     sgd only
     * @param nesterov     sgd only, needs momentum
     * @param beta1        adam only
     * @param beta2        adam only
     * @param rho          rmsprop only
     * @param epsilon      adam and rmsprop
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record OptimizerSpec(String type, Double learningRate, Double momentum, Boolean nesterov, Double beta1,
            Double beta2, Double rho, Double epsilon) {
    }

    /**
     * @param monitor  {@code loss} or {@code val_loss}
     * @param patience epochs without an improvement of more than {@code minDelta} before training stops
     */
    public record EarlyStoppingSpec(String monitor, Integer patience, Double minDelta) {
    }
}
