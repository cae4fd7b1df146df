package io.tapeflow.models;

/**
 * What an evaluation report measures, decided by the model's output layer: one sigmoid output is a binary
 * classifier, K softmax outputs a multi-class classifier, anything else a regressor.
 */
public enum EvaluationKind {
    /** One sigmoid output, labels 0/1; the class is {@link io.tapeflow.nn.Metric#binaryClass(float)}. */
    BINARY("binary"),
    /** K softmax outputs; labels one column of class indices 0..K−1 or K one-hot columns; the class is the argmax. */
    MULTICLASS("multiclass"),
    /** m outputs against m label columns. */
    REGRESSION("regression");

    private final String apiName;

    EvaluationKind(String apiName) {
        this.apiName = apiName;
    }

    public String apiName() {
        return apiName;
    }

    /**
     * The kind for a model's output activation ({@code sigmoid}, {@code softmax}, {@code linear}, ...) and width.
     *
     * @throws IllegalArgumentException for several sigmoid outputs (multi-label), which has no report yet
     */
    public static EvaluationKind forOutput(String outputActivation, int outputs) {
        if ("softmax".equals(outputActivation)) {
            return MULTICLASS;
        }
        if ("sigmoid".equals(outputActivation)) {
            if (outputs != 1) {
                throw new IllegalArgumentException("a classifier with " + outputs
                        + " sigmoid outputs (multi-label) has no evaluation report; one output or softmax has");
            }
            return BINARY;
        }
        return REGRESSION;
    }
}
