package io.tapeflow.models;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What {@link Evaluation#report} computes: the part of an evaluation report that depends only on the labels and the
 * model's outputs. Stored as the {@code report} JSON of a {@code model_evaluations} row; parts that do not apply to
 * the kind (or are undefined, such as ROC AUC when the rows hold one class) are null and left out of the JSON.
 *
 * @param kind            {@code binary}, {@code multiclass} or {@code regression} ({@link EvaluationKind#apiName()})
 * @param loss            the model's own loss on these rows
 * @param metrics         classifiers: {@code accuracy}, {@code log_loss}, {@code roc_auc}; regressors: {@code mse},
 *                        {@code rmse}, {@code mae}, {@code r2} (scikit-learn's definitions and names)
 * @param classes         per class, in class index order; classifiers only
 * @param averages        macro and weighted averages of the per-class values; classifiers only
 * @param confusionMatrix rows = true class, columns = predicted class; classifiers only
 * @param roc             the ROC curve; binary classifiers only
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EvaluationBody(int rows, String kind, Loss loss, Map<String, Double> metrics,
        List<ClassMetrics> classes, Averages averages, ConfusionMatrix confusionMatrix, Roc roc) {

    /** @param value null when it is not finite (a diverged model) */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Loss(String name, Double value) {
    }

    /** scikit-learn's {@code precision_recall_fscore_support} for one class (zero_division = 0). */
    public record ClassMetrics(String name, double precision, double recall, double f1, long support) {
    }

    /** @param support the rows averaged over (all of them) */
    public record Average(double precision, double recall, double f1, long support) {
    }

    public record Averages(Average macro, Average weighted) {
    }

    /** @param matrix {@code matrix[t][p]} rows whose true class is {@code labels[t]} and predicted {@code labels[p]} */
    public record ConfusionMatrix(List<String> labels, long[][] matrix) {
    }

    /**
     * scikit-learn 1.2's {@code roc_curve(drop_intermediate=True)}: points at decreasing thresholds, from (0, 0) at
     * {@code thresholds[0]} = the largest score + 1 to (1, 1). A curve of more than
     * {@value Evaluation#MAX_ROC_POINTS} points keeps every k-th and the last ({@link Evaluation#thin}).
     */
    public record Roc(double[] fpr, double[] tpr, double[] thresholds) {
    }
}
