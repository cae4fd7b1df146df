package io.tapeflow.models;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The answer to a prediction call, in the request's format: {@code predictions} for rows (TF Serving's
 * {@code instances}), {@code outputs} for columns ({@code inputs}). {@code classes} only for classifiers,
 * {@code inputGradients} only with {@code explain=true}: per instance, per output, per input. Primitive arrays, since
 * a boxed value per number cost more than the model itself on small calls.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PredictionResponse(float[][] predictions, float[][] outputs,
        @Schema(description = "Classifiers only. softmax: one class per instance, its name where the model has "
                + "class names, else its index; sigmoid: per instance and output 1 where the probability is above "
                + "the threshold (0.5), else 0 (the class names instead, for one output with names)",
                example = "[\"setosa\", \"virginica\"]") Object classes,
        float[][][] inputGradients) {
}
