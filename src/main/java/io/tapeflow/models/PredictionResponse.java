package io.tapeflow.models;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The answer to a prediction call, in the request's format: {@code predictions} for rows (TF Serving's
 * {@code instances}), {@code outputs} for columns ({@code inputs}). {@code classes} only for classifiers,
 * {@code inputGradients} only with {@code explain=true}: per instance, per output, per input.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PredictionResponse(List<List<Float>> predictions, List<List<Float>> outputs,
        List<List<Integer>> classes, List<List<List<Float>>> inputGradients) {
}
