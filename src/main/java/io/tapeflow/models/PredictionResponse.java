package io.tapeflow.models;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The answer to a prediction call, in the request's format: {@code predictions} for rows (TF Serving's
 * {@code instances}), {@code outputs} for columns ({@code inputs}). {@code classes} only for classifiers,
 * {@code inputGradients} only with {@code explain=true}: per instance, per output, per input. Primitive arrays, since
 * a boxed value per number cost more than the model itself on small calls.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PredictionResponse(float[][] predictions, float[][] outputs, int[][] classes,
        float[][][] inputGradients) {
}
