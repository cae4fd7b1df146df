package io.tapeflow.models;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.tapeflow.nn.Metric;

/**
 * Evaluation metrics, one definition each, on primitive arrays: row-major labels ({@code rows × labelWidth}) and
 * model outputs ({@code rows × outputWidth}). Every value is scikit-learn 1.2's (checked by
 * {@code EvaluationGoldenTests} against {@code make_evaluation_golden.py}); the outputs are read as float64, as
 * scikit-learn reads a float64 copy of them.
 */
public final class Evaluation {

    /** The most ROC points a report keeps (scikit-learn keeps all; see {@link #thin}). */
    public static final int MAX_ROC_POINTS = 10_000;

    /** The losses a report can compute (the training API's names). */
    public static final Set<String> LOSSES = Set.of("binary_crossentropy", "categorical_crossentropy",
            "sparse_categorical_crossentropy", "mse", "half_mse");

    /** The training losses' clip of probabilities, so log stays finite (Keras' epsilon). */
    static final double LOSS_EPSILON = 1e-7;

    /** scikit-learn's log_loss clips to [eps, 1 − eps] with the float64 machine epsilon. */
    static final double LOG_LOSS_EPSILON = Math.ulp(1.0);

    private Evaluation() {
    }

    /**
     * The report body for {@code rows} rows.
     *
     * @param loss       the model's training loss ({@link #LOSSES}), or null for the kind's usual one
     * @param classNames one per class (2 for binary, K for multi-class), or null for "0".."K−1"; ignored for regression
     * @throws IllegalArgumentException when the widths or labels do not fit the kind ({@link #labelProblem} says
     *                                  which), the class names are not one per class, or the loss is not one of
     *                                  {@link #LOSSES} (or a categorical one on a model that is not multi-class)
     */
    public static EvaluationBody report(EvaluationKind kind, String loss, float[] labels, float[] outputs, int rows,
            int labelWidth, int outputWidth, List<String> classNames) {
        String problem = labelProblem(kind, labels, rows, labelWidth, outputWidth);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        String lossName = loss == null ? defaultLoss(kind, labelWidth) : loss;
        return switch (kind) {
            case BINARY, MULTICLASS -> classification(kind, lossName, labels, outputs, rows, labelWidth, outputWidth,
                    classNames);
            case REGRESSION -> regression(lossName, labels, outputs, rows, outputWidth);
        };
    }

    /** The loss a model of this kind is usually trained with, for a report on a model that does not say. */
    public static String defaultLoss(EvaluationKind kind, int labelWidth) {
        return switch (kind) {
            case BINARY -> "binary_crossentropy";
            case MULTICLASS -> labelWidth == 1 ? "sparse_categorical_crossentropy" : "categorical_crossentropy";
            case REGRESSION -> "mse";
        };
    }

    /**
     * Why these labels cannot be scored against a model of this kind and output width, or null when they can: a
     * binary classifier needs one label column of 0/1, a multi-class one either a column of class indices 0..K−1 or
     * K one-hot columns, a regressor as many label columns as outputs.
     */
    public static String labelProblem(EvaluationKind kind, float[] labels, int rows, int labelWidth,
            int outputWidth) {
        if (rows < 1) {
            return "has no rows";
        }
        return switch (kind) {
            case BINARY -> {
                if (labelWidth != 1 || outputWidth != 1) {
                    yield "has " + labelWidth + " label columns; a binary classifier needs 1 (0 or 1)";
                }
                for (int r = 0; r < rows; r++) {
                    if (labels[r] != 0f && labels[r] != 1f) {
                        yield "row " + r + " has label " + labels[r] + "; a binary classifier needs 0 or 1";
                    }
                }
                yield null;
            }
            case MULTICLASS -> labelWidth == 1 ? indexProblem(labels, rows, outputWidth)
                    : labelWidth == outputWidth ? oneHotProblem(labels, rows, outputWidth)
                    : "has " + labelWidth + " label columns; a classifier of " + outputWidth + " classes needs 1 "
                            + "(class indices) or " + outputWidth + " (one-hot)";
            case REGRESSION -> labelWidth == outputWidth ? null
                    : "has " + labelWidth + " label columns; the model has " + outputWidth + " outputs";
        };
    }

    private static String indexProblem(float[] labels, int rows, int classes) {
        for (int r = 0; r < rows; r++) {
            float v = labels[r];
            if (!(v >= 0 && v < classes && v == Math.rint(v))) {
                return "row " + r + " has label " + v + "; a classifier of " + classes + " classes needs a class "
                        + "index 0.." + (classes - 1);
            }
        }
        return null;
    }

    private static String oneHotProblem(float[] labels, int rows, int classes) {
        for (int r = 0; r < rows; r++) {
            int ones = 0;
            for (int j = 0; j < classes; j++) {
                float v = labels[r * classes + j];
                if (v == 1f) {
                    ones++;
                } else if (v != 0f) {
                    ones = -1;
                    break;
                }
            }
            if (ones != 1) {
                return "row " + r + " is not one-hot (one 1, the rest 0) over the " + classes + " label columns";
            }
        }
        return null;
    }

    /** The class names "0".."K−1", for models whose document names none. */
    public static List<String> indexNames(int classes) {
        List<String> names = new ArrayList<>(classes);
        for (int k = 0; k < classes; k++) {
            names.add(Integer.toString(k));
        }
        return names;
    }

    // ---------------------------------------------------------------------------------------------------- classifiers

    private static EvaluationBody classification(EvaluationKind kind, String loss, float[] labels, float[] outputs,
            int rows, int labelWidth, int outputWidth, List<String> classNames) {
        int classes = kind == EvaluationKind.BINARY ? 2 : outputWidth;
        List<String> names = classNames == null ? indexNames(classes) : List.copyOf(classNames);
        if (names.size() != classes) {
            throw new IllegalArgumentException("needs " + classes + " class names, got " + names.size());
        }
        int[] truth = trueClasses(labels, rows, labelWidth, outputWidth);
        int[] predicted = predictedClasses(kind, outputs, rows, outputWidth);
        long[][] matrix = confusionMatrix(truth, predicted, classes);
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("accuracy", accuracy(matrix, rows));
        metrics.put("log_loss", finite(logLoss(kind, truth, outputs, rows, outputWidth)));
        Double auc;
        EvaluationBody.Roc roc = null;
        if (kind == EvaluationKind.BINARY) {
            roc = rocCurve(truth, outputs, rows, 1, 0, 1);
            auc = roc == null ? null : finite(trapezoid(roc.fpr(), roc.tpr()));
            roc = roc == null ? null : thin(roc, MAX_ROC_POINTS);
        } else {
            auc = finite(oneVsRestAuc(truth, outputs, rows, outputWidth));
        }
        metrics.put("roc_auc", auc);
        List<EvaluationBody.ClassMetrics> perClass = perClass(matrix, names);
        EvaluationBody.Loss value = kind == EvaluationKind.BINARY
                ? lossValue(loss, kind, labels, truth, outputs, rows, outputWidth)
                : lossValue(loss, kind, oneHot(truth, classes), truth, outputs, rows, outputWidth);
        return new EvaluationBody(rows, kind.apiName(), value, withoutNulls(metrics), perClass, averages(perClass, rows),
                new EvaluationBody.ConfusionMatrix(names, matrix), roc);
    }

    private static int[] trueClasses(float[] labels, int rows, int labelWidth, int outputWidth) {
        int[] truth = new int[rows];
        for (int r = 0; r < rows; r++) {
            if (labelWidth == 1) {
                truth[r] = (int) labels[r];
            } else {
                truth[r] = Metric.argmax(labels, r * outputWidth, outputWidth);
            }
        }
        return truth;
    }

    private static int[] predictedClasses(EvaluationKind kind, float[] outputs, int rows, int outputWidth) {
        int[] predicted = new int[rows];
        for (int r = 0; r < rows; r++) {
            predicted[r] = kind == EvaluationKind.BINARY ? Metric.binaryClass(outputs[r])
                    : Metric.argmax(outputs, r * outputWidth, outputWidth);
        }
        return predicted;
    }

    static long[][] confusionMatrix(int[] truth, int[] predicted, int classes) {
        long[][] matrix = new long[classes][classes];
        for (int r = 0; r < truth.length; r++) {
            matrix[truth[r]][predicted[r]]++;
        }
        return matrix;
    }

    private static double accuracy(long[][] matrix, int rows) {
        long correct = 0;
        for (int k = 0; k < matrix.length; k++) {
            correct += matrix[k][k];
        }
        return (double) correct / rows;
    }

    /** Precision, recall and F1 of each class, 0 where a denominator is 0 (scikit-learn's zero_division default). */
    private static List<EvaluationBody.ClassMetrics> perClass(long[][] matrix, List<String> names) {
        int classes = matrix.length;
        List<EvaluationBody.ClassMetrics> out = new ArrayList<>(classes);
        for (int k = 0; k < classes; k++) {
            long tp = matrix[k][k];
            long predictedK = 0;
            long support = 0;
            for (int j = 0; j < classes; j++) {
                predictedK += matrix[j][k];
                support += matrix[k][j];
            }
            double precision = predictedK == 0 ? 0 : (double) tp / predictedK;
            double recall = support == 0 ? 0 : (double) tp / support;
            double denominator = precision + recall;
            double f1 = denominator == 0 ? 0 : 2 * precision * recall / denominator;
            out.add(new EvaluationBody.ClassMetrics(names.get(k), precision, recall, f1, support));
        }
        return out;
    }

    private static EvaluationBody.Averages averages(List<EvaluationBody.ClassMetrics> perClass, int rows) {
        double[] macro = new double[3];
        double[] weighted = new double[3];
        for (EvaluationBody.ClassMetrics c : perClass) {
            macro[0] += c.precision();
            macro[1] += c.recall();
            macro[2] += c.f1();
            weighted[0] += c.precision() * c.support();
            weighted[1] += c.recall() * c.support();
            weighted[2] += c.f1() * c.support();
        }
        int k = perClass.size();
        return new EvaluationBody.Averages(
                new EvaluationBody.Average(macro[0] / k, macro[1] / k, macro[2] / k, rows),
                new EvaluationBody.Average(weighted[0] / rows, weighted[1] / rows, weighted[2] / rows, rows));
    }

    /**
     * scikit-learn's log_loss: probabilities clipped to [eps, 1 − eps] (eps the float64 machine epsilon), a binary
     * output taken as the pair (1 − p, p), each row renormalised to sum 1, the mean of −log p(true class).
     */
    static double logLoss(EvaluationKind kind, int[] truth, float[] outputs, int rows, int outputWidth) {
        double sum = 0;
        for (int r = 0; r < rows; r++) {
            double rowSum;
            double mine;
            if (kind == EvaluationKind.BINARY) {
                double p = clip(outputs[r], LOG_LOSS_EPSILON);
                rowSum = (1 - p) + p;
                mine = truth[r] == 1 ? p : 1 - p;
            } else {
                rowSum = 0;
                for (int j = 0; j < outputWidth; j++) {
                    rowSum += clip(outputs[r * outputWidth + j], LOG_LOSS_EPSILON);
                }
                mine = clip(outputs[r * outputWidth + truth[r]], LOG_LOSS_EPSILON);
            }
            sum -= Math.log(mine / rowSum);
        }
        return sum / rows;
    }

    private static double clip(double p, double epsilon) {
        return Math.min(Math.max(p, epsilon), 1 - epsilon);
    }

    /** One-vs-rest macro ROC AUC: the mean of each class's AUC against the rest; null if a class is absent or all. */
    private static Double oneVsRestAuc(int[] truth, float[] outputs, int rows, int classes) {
        double sum = 0;
        for (int k = 0; k < classes; k++) {
            EvaluationBody.Roc roc = rocCurve(truth, outputs, rows, classes, k, k);
            if (roc == null) {
                return null;
            }
            sum += trapezoid(roc.fpr(), roc.tpr());
        }
        return sum / classes;
    }

    /**
     * scikit-learn 1.2's {@code roc_curve(drop_intermediate=True)} of the scores in column {@code column} (of
     * {@code width}) against "true class == positive"; null when the rows hold only one of the two sides or a score
     * is not finite (the curve is then undefined).
     */
    static EvaluationBody.Roc rocCurve(int[] truth, float[] outputs, int rows, int width, int column, int positive) {
        long[] order = new long[rows];
        int positives = 0;
        for (int r = 0; r < rows; r++) {
            float s = outputs[r * width + column];
            if (!Float.isFinite(s)) {
                return null;
            }
            positives += truth[r] == positive ? 1 : 0;
            int bits = Float.floatToIntBits(s + 0f);
            bits ^= (bits >> 31) & 0x7fffffff;
            // descending by score: sort ascending on the complement of the order-preserving bits
            order[r] = ((long) ~bits << 32) | r;
        }
        if (positives == 0 || positives == rows) {
            return null;
        }
        Arrays.sort(order);
        // cumulative true and false positives at the last row of each distinct score
        double[] tps = new double[rows];
        double[] fps = new double[rows];
        double[] thresholds = new double[rows];
        int points = 0;
        long tp = 0;
        for (int i = 0; i < rows; i++) {
            int r = (int) order[i];
            tp += truth[r] == positive ? 1 : 0;
            float s = outputs[r * width + column];
            if (i == rows - 1 || outputs[(int) order[i + 1] * width + column] != s) {
                tps[points] = tp;
                fps[points] = i + 1 - tp;
                thresholds[points] = s;
                points++;
            }
        }
        return dropIntermediate(tps, fps, thresholds, points, positives, rows - positives);
    }

    /** Keeps the first, the last and every point where the curve bends, then prepends (0, 0); rates from counts. */
    private static EvaluationBody.Roc dropIntermediate(double[] tps, double[] fps, double[] thresholds, int points,
            int positives, int negatives) {
        int[] keep = new int[points];
        int kept = 0;
        for (int i = 0; i < points; i++) {
            boolean bend = i == 0 || i == points - 1 || points <= 2
                    || fps[i + 1] - 2 * fps[i] + fps[i - 1] != 0 || tps[i + 1] - 2 * tps[i] + tps[i - 1] != 0;
            if (bend) {
                keep[kept++] = i;
            }
        }
        double[] fpr = new double[kept + 1];
        double[] tpr = new double[kept + 1];
        double[] t = new double[kept + 1];
        t[0] = thresholds[0] + 1;
        for (int i = 0; i < kept; i++) {
            fpr[i + 1] = fps[keep[i]] / negatives;
            tpr[i + 1] = tps[keep[i]] / positives;
            t[i + 1] = thresholds[keep[i]];
        }
        return new EvaluationBody.Roc(fpr, tpr, t);
    }

    /**
     * At most {@code max} points of a curve: every k-th from the first, and the last. Millions of distinct scores
     * would otherwise make a report of tens of megabytes; the AUC is computed from every point before this.
     */
    static EvaluationBody.Roc thin(EvaluationBody.Roc roc, int max) {
        int n = roc.fpr().length;
        if (n <= max) {
            return roc;
        }
        int step = (n - 2) / (max - 1) + 1;
        int kept = (n - 2) / step + 2;
        double[] fpr = new double[kept];
        double[] tpr = new double[kept];
        double[] thresholds = new double[kept];
        for (int i = 0, j = 0; j < kept - 1; i += step, j++) {
            fpr[j] = roc.fpr()[i];
            tpr[j] = roc.tpr()[i];
            thresholds[j] = roc.thresholds()[i];
        }
        fpr[kept - 1] = roc.fpr()[n - 1];
        tpr[kept - 1] = roc.tpr()[n - 1];
        thresholds[kept - 1] = roc.thresholds()[n - 1];
        return new EvaluationBody.Roc(fpr, tpr, thresholds);
    }

    /** The area under a curve by the trapezoid rule (ties in score make sloped segments, as scikit-learn's auc). */
    static double trapezoid(double[] x, double[] y) {
        double area = 0;
        for (int i = 1; i < x.length; i++) {
            area += (x[i] - x[i - 1]) * (y[i] + y[i - 1]) / 2;
        }
        return area;
    }

    // ------------------------------------------------------------------------------------------------------ the loss

    /**
     * The model's own loss, in double: binary cross-entropy on probabilities clipped to [1e−7, 1 − 1e−7]; categorical
     * and sparse categorical cross-entropy (the same number for one-hot or index labels) as Keras on probabilities —
     * each row renormalised to sum 1, then clipped to [1e−7, 1 − 1e−7]; mse and half_mse. Each is the mean over every
     * label value ({@code dense}: the labels, one-hot for a multi-class model).
     */
    private static EvaluationBody.Loss lossValue(String loss, EvaluationKind kind, double[] dense, int[] truth,
            float[] outputs, int rows, int outputWidth) {
        return new EvaluationBody.Loss(loss, finite(loss(loss, kind, dense, truth, outputs, rows, outputWidth)));
    }

    private static EvaluationBody.Loss lossValue(String loss, EvaluationKind kind, float[] labels, int[] truth,
            float[] outputs, int rows, int outputWidth) {
        double[] dense = new double[rows * outputWidth];
        for (int i = 0; i < dense.length; i++) {
            dense[i] = labels[i];
        }
        return lossValue(loss, kind, dense, truth, outputs, rows, outputWidth);
    }

    private static double loss(String loss, EvaluationKind kind, double[] dense, int[] truth, float[] outputs,
            int rows, int outputWidth) {
        int n = rows * outputWidth;
        double sum = 0;
        switch (loss) {
            case "mse", "half_mse" -> {
                for (int i = 0; i < n; i++) {
                    double d = dense[i] - outputs[i];
                    sum += d * d;
                }
                return sum / n * (loss.equals("half_mse") ? 0.5 : 1.0);
            }
            case "binary_crossentropy" -> {
                for (int i = 0; i < n; i++) {
                    double p = clip(outputs[i], LOSS_EPSILON);
                    sum -= dense[i] * Math.log(p) + (1 - dense[i]) * Math.log(1 - p);
                }
                return sum / n;
            }
            case "categorical_crossentropy", "sparse_categorical_crossentropy" -> {
                if (kind != EvaluationKind.MULTICLASS) {
                    throw new IllegalArgumentException(loss + " needs a softmax model");
                }
                for (int r = 0; r < rows; r++) {
                    double rowSum = 0;
                    for (int j = 0; j < outputWidth; j++) {
                        rowSum += outputs[r * outputWidth + j];
                    }
                    sum -= Math.log(clip(outputs[r * outputWidth + truth[r]] / rowSum, LOSS_EPSILON));
                }
                return sum / rows;
            }
            default -> throw new IllegalArgumentException("unknown loss '" + loss + "', expected one of " + LOSSES);
        }
    }

    private static double[] oneHot(int[] truth, int classes) {
        double[] out = new double[truth.length * classes];
        for (int r = 0; r < truth.length; r++) {
            out[r * classes + truth[r]] = 1;
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------------------ regressors

    /**
     * scikit-learn's regression metrics, each the uniform average over outputs: MSE, RMSE (the mean of the outputs'
     * RMSEs, as {@code mean_squared_error(squared=False)}), MAE and R² ({@code r2_score}: an output whose target is
     * constant scores 1 when predicted exactly, else 0).
     */
    private static EvaluationBody regression(String loss, float[] labels, float[] outputs, int rows, int width) {
        double mse = 0;
        double rmse = 0;
        double mae = 0;
        double r2 = 0;
        for (int j = 0; j < width; j++) {
            double mean = 0;
            for (int r = 0; r < rows; r++) {
                mean += labels[r * width + j];
            }
            mean /= rows;
            double squares = 0;
            double absolutes = 0;
            double total = 0;
            boolean constant = true;
            float first = labels[j];
            for (int r = 0; r < rows; r++) {
                double y = labels[r * width + j];
                double d = y - outputs[r * width + j];
                squares += d * d;
                absolutes += Math.abs(d);
                total += (y - mean) * (y - mean);
                constant &= labels[r * width + j] == first;
            }
            mse += squares / rows;
            rmse += Math.sqrt(squares / rows);
            mae += absolutes / rows;
            r2 += constant ? (squares == 0 ? 1 : 0) : 1 - squares / total;
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("mse", finite(mse / width));
        metrics.put("rmse", finite(rmse / width));
        metrics.put("mae", finite(mae / width));
        metrics.put("r2", finite(r2 / width));
        EvaluationBody.Loss value = lossValue(loss, EvaluationKind.REGRESSION, labels, null, outputs, rows, width);
        return new EvaluationBody(rows, EvaluationKind.REGRESSION.apiName(), value, withoutNulls(metrics), null, null,
                null, null);
    }

    private static Double finite(Double v) {
        return v == null || !Double.isFinite(v) ? null : v;
    }

    private static Map<String, Double> withoutNulls(Map<String, Double> metrics) {
        metrics.values().removeIf(v -> v == null);
        return metrics;
    }
}
