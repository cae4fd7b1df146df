package io.tapeflow.models;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.tapeflow.datasets.Column;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * A model as a self-describing JSON document: what {@code GET /models/{id}/export} returns and
 * {@code POST /models/import} takes back. It holds everything predictions need, so it round-trips exactly: the
 * values are float32, written in the shortest decimal form that reads back to the same float.
 *
 * @param format     always {@value #FORMAT}
 * @param version    of the format, {@value #VERSION}
 * @param parameters by name ({@code dense_1/kernel}, {@code dense_1/bias}, ...), in the model's variable order
 * @param training   where the model came from; informative only
 */
public record ModelDocument(String format, Integer version, Architecture architecture, Signature signature,
        Map<String, Parameter> parameters, Training training) {

    public static final String FORMAT = "tapeflow-model";
    /** Version 2 added standardization, class names and the raw columns; version 1 documents still import. */
    public static final int VERSION = 2;

    /**
     * @param type         {@code linear} or {@code mlp}
     * @param hiddenLayers widths of the hidden layers (empty for {@code linear})
     * @param activation   of the hidden layers
     * @param output       activation of the output layer
     * @param layers       the dense layers in order, as they are named in {@code parameters}
     * @param standardized whether the inputs are standardized inside the model first, by the parameters
     *                     {@code standardize/mean} and {@code standardize/std}; null means false (version 1)
     */
    public record Architecture(String type, Integer inputs, List<Integer> hiddenLayers, String activation, Integer outputs,
            String output, List<Layer> layers, Boolean standardized) {

        public boolean isStandardized() {
            return Boolean.TRUE.equals(standardized);
        }
    }

    public record Layer(String name, Integer inputs, Integer units, String activation) {
    }

    /**
     * What the model takes and gives: instances of {@code inputs} values named by {@code featureNames}, and
     * {@code outputs} values named by {@code labelNames}.
     *
     * @param kind          {@code classifier} (sigmoid or softmax outputs; predictions also return
     *                      {@code classes}) or {@code regressor}
     * @param threshold     a sigmoid classifier's cut-off: its class is 1 where the probability is above it
     * @param featureRanges the smallest and largest value of each feature in the training data, for plots
     * @param classNames    a classifier's classes by index (softmax: one per output; sigmoid: [negative,
     *                      positive]), or null when the classes are just their indices
     * @param columns       the raw feature columns the inputs are encoded from (one-hot columns for categorical
     *                      ones), so predictions take the original values; null means every input is numeric
     */
    public record Signature(Integer inputs, Integer outputs, List<String> featureNames, List<String> labelNames, String kind,
            Double threshold, List<List<Float>> featureRanges, List<String> classNames, List<Column> columns) {
    }

    /**
     * One named parameter.
     *
     * @param values nested as the shape says: a kernel {@code [inputs, units]} is a list of rows; the innermost
     *               lists are {@code float[]} (read by {@link NestedFloats}, built by {@link ModelCodec#parameters})
     */
    public record Parameter(List<Integer> shape, @JsonDeserialize(using = NestedFloats.class) Object values) {
    }

    /**
     * @param stopped      why training ended: {@code completed}, {@code early_stopping} or {@code stop_request}
     *                     ({@code POST /training-jobs/{id}/stop})
     * @param metrics      the final epoch's metrics
     * @param stoppedEarly true when a stop request ended training before its last epoch; null in documents
     *                     written before it existed
     */
    public record Training(UUID jobId, UUID datasetId, String loss, String optimizer, Integer epochs,
            String stopped, Map<String, Double> metrics, Boolean stoppedEarly) {

        public Training(UUID jobId, UUID datasetId, String loss, String optimizer, Integer epochs, String stopped,
                Map<String, Double> metrics) {
            this(jobId, datasetId, loss, optimizer, epochs, stopped, metrics, null);
        }
    }
}
