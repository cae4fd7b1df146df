package io.tapeflow.nn;

import io.tapeflow.engine.Rng;
import io.tapeflow.engine.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fit loop: shuffled mini-batches (a fresh permutation per epoch, the last partial batch included), one
 * {@link TrainStep} per batch, per-epoch metrics and validation, early stopping, divergence detection, cancellation
 * and checkpoints at epoch boundaries.
 *
 * <p>Randomness: the model's initial values come from whatever generator built it (the service uses
 * {@code new Rng(seed)}); the shuffles come from {@code new Rng(seed).split()}, an independent stream whose state is
 * part of every checkpoint.
 */
public final class Trainer {

    private Trainer() {
    }

    public static FitResult fit(Sequential model, float[] features, float[] labels, FitConfig config,
            FitListener listener) {
        return fit(model, features, labels, config, listener, null);
    }

    /**
     * Fits {@code model} to the rows of {@code features} (rows × inputWidth) and {@code labels} (rows ×
     * {@link Loss#labelWidth labelWidth}: outputWidth values, or one class index for the sparse loss), starting from
     * {@code resume} when it is not null.
     */
    public static FitResult fit(Sequential model, float[] features, float[] labels, FitConfig config,
            FitListener listener, TrainingState resume) {
        int k = model.inputWidth();
        int m = config.loss().labelWidth(model.outputWidth());
        int rows = checkData(model, features, labels, config.loss());
        int trainRows = trainingRows(rows, config.validationSplit());
        int valRows = rows - trainRows;
        if (trainRows == 0 || (config.validationSplit() > 0f && valRows == 0)) {
            throw new IllegalArgumentException("fit: validationSplit " + config.validationSplit() + " of " + rows
                    + " rows leaves " + trainRows + " training and " + valRows + " validation rows");
        }

        Optimizer optimizer = config.optimizer().create();
        Rng rng = new Rng(config.seed()).split();
        int startEpoch = 0;
        double best = Double.POSITIVE_INFINITY;
        int wait = 0;
        if (resume != null) {
            model.setParameters(resume.parameters());
            optimizer.restore(resume.optimizer());
            rng = new Rng(resume.rngState());
            startEpoch = resume.nextEpoch();
            best = resume.bestMonitored();
            wait = resume.epochsWithoutImprovement();
        }
        TrainStep step = TrainStep.create(config.execution(), model, config.loss(), optimizer, config.metrics());
        List<Metric> metrics = config.metrics();

        int batch = Math.min(config.batchSize(), trainRows);
        int steps = stepsPerEpoch(trainRows, config.batchSize());
        int lastRows = trainRows - (steps - 1) * batch;
        float[] xFull = new float[batch * k];
        float[] yFull = new float[batch * m];
        float[] xLast = lastRows == batch ? xFull : new float[lastRows * k];
        float[] yLast = lastRows == batch ? yFull : new float[lastRows * m];
        float[] batchMetrics = new float[metrics.size()];
        int[] order = new int[trainRows];
        for (int i = 0; i < trainRows; i++) {
            order[i] = i;
        }

        List<EpochResult> history = new ArrayList<>();
        TrainingState checkpoint = snapshot(model, optimizer, startEpoch, rng, best, wait);
        for (int epoch = startEpoch; epoch < config.epochs(); epoch++) {
            long started = System.nanoTime();
            if (config.shuffle()) {
                rng.permutation(order);
            }
            double lossSum = 0;
            double[] metricSums = new double[metrics.size()];
            for (int s = 0; s < steps; s++) {
                int n = s == steps - 1 ? lastRows : batch;
                float[] xb = n == batch ? xFull : xLast;
                float[] yb = n == batch ? yFull : yLast;
                gather(features, k, order, s * batch, n, xb);
                gather(labels, m, order, s * batch, n, yb);
                float loss = step.run(xb, yb, n, batchMetrics);
                if (!Float.isFinite(loss)) {
                    step.sync();
                    String message = "The loss became " + loss + " at epoch " + (epoch + 1) + ", step " + (s + 1)
                            + ": training diverged (try a smaller learning rate)";
                    return new FitResult(FitResult.Status.DIVERGED, epoch, epoch + 1, message, history, checkpoint);
                }
                lossSum += (double) loss * n;
                for (int i = 0; i < metricSums.length; i++) {
                    metricSums[i] += (double) batchMetrics[i] * n;
                }
                listener.onStep(epoch + 1, s + 1, steps, loss);
                if (listener.stopRequested()) {
                    step.sync();
                    return new FitResult(FitResult.Status.CANCELLED, epoch, 0,
                            "Stopped on request during epoch " + (epoch + 1), history, checkpoint);
                }
            }

            step.sync();
            Map<String, Double> values = new LinkedHashMap<>();
            double epochLoss = lossSum / trainRows;
            values.put("loss", epochLoss);
            for (int i = 0; i < metrics.size(); i++) {
                values.put(metrics.get(i).key(), metricSums[i] / trainRows);
            }
            if (valRows > 0) {
                evaluate(model, config, features, labels, trainRows, rows, values);
            }
            boolean stop = false;
            EarlyStopping stopping = config.earlyStopping();
            if (stopping != null) {
                double current = values.get(stopping.monitor());
                if (current < best - stopping.minDelta()) {
                    best = current;
                    wait = 0;
                } else {
                    wait++;
                    stop = wait >= stopping.patience();
                }
            }
            checkpoint = snapshot(model, optimizer, epoch + 1, rng, best, wait);
            EpochResult result = new EpochResult(epoch + 1, config.epochs(), epochLoss, values,
                    (System.nanoTime() - started) / 1e9, checkpoint);
            history.add(result);
            listener.onEpoch(result);
            if (stop) {
                return new FitResult(FitResult.Status.EARLY_STOPPED, epoch + 1, 0, "Early stopping: "
                        + stopping.monitor() + " did not improve for " + wait + " epochs", history, checkpoint);
            }
            if (listener.stopRequested()) {
                return new FitResult(FitResult.Status.CANCELLED, epoch + 1, 0,
                        "Stopped on request after epoch " + (epoch + 1), history, checkpoint);
            }
        }
        return new FitResult(FitResult.Status.COMPLETED, config.epochs(), 0, "Completed " + config.epochs()
                + " epochs", history, checkpoint);
    }

    /**
     * The rows a fit trains on, Keras' rule: the first {@code floor(rows · (1 − validationSplit))} rows (the split
     * widened from float to double, as the fit receives it); the last ones validate.
     */
    public static int trainingRows(int rows, float validationSplit) {
        return (int) Math.floor(rows * (1.0 - validationSplit));
    }

    /**
     * Mini-batches per epoch over {@code trainingRows} rows, the last one partial; a batch larger than the data is the
     * whole data. 0 rows make 0 steps.
     */
    public static int stepsPerEpoch(int trainingRows, int batchSize) {
        if (trainingRows < 0 || batchSize <= 0) {
            throw new IllegalArgumentException("stepsPerEpoch: " + trainingRows + " rows in batches of " + batchSize);
        }
        return trainingRows == 0 ? 0 : (trainingRows - 1) / batchSize + 1;
    }

    /** Checks that the data and the loss fit the model and returns the number of rows. */
    private static int checkData(Sequential model, float[] features, float[] labels, Loss loss) {
        int k = model.inputWidth();
        int m = loss.labelWidth(model.outputWidth());
        if (features.length % k != 0 || labels.length != features.length / k * m) {
            throw new IllegalArgumentException("fit: " + features.length + " feature values and " + labels.length
                    + " label values do not make rows of " + k + " features and " + m + " labels");
        }
        if (loss.fusesSoftmax() && (model.outputActivation() != Activation.SOFTMAX || model.outputWidth() < 2)) {
            throw new IllegalArgumentException("fit: " + loss.apiName() + " needs a softmax output of at least 2 "
                    + "classes, got " + model.outputActivation().apiName() + " with " + model.outputWidth()
                    + " outputs");
        }
        if (loss == Loss.SPARSE_CATEGORICAL_CROSSENTROPY) {
            int classes = model.outputWidth();
            for (int r = 0; r < labels.length; r++) {
                float v = labels[r];
                if (!(v >= 0f && v < classes && v == (float) Math.rint(v))) {
                    throw new IllegalArgumentException("fit: the label of row " + r + " (counting from 0) is " + v
                            + "; " + loss.apiName() + " needs a class index, an integer in 0.." + (classes - 1));
                }
            }
        }
        return features.length / k;
    }

    /**
     * Copies the rows {@code order[from..from+n)} of a row-major array into {@code out}. Rows here are often a few
     * values wide, where a plain loop costs a fraction of a {@code System.arraycopy} call per row.
     */
    private static void gather(float[] values, int width, int[] order, int from, int n, float[] out) {
        for (int r = 0; r < n; r++) {
            System.arraycopy(values, order[from + r] * width, out, r * width, width);
        }
    }

    /** Loss and metrics of the held-out rows [from, to), forward only. */
    private static void evaluate(Sequential model, FitConfig config, float[] features, float[] labels, int from,
            int to, Map<String, Double> values) {
        Loss loss = config.loss();
        int k = model.inputWidth();
        int m = loss.labelWidth(model.outputWidth());
        int n = to - from;
        float[] x = new float[n * k];
        float[] y = new float[n * m];
        System.arraycopy(features, from * k, x, 0, n * k);
        System.arraycopy(labels, from * m, y, 0, n * m);
        // The training loss's own definition (on the logits for a fused softmax), so val_loss compares with loss.
        Tensor outputs = Objective.outputs(model, loss, Tensor.of(x, n, k));
        values.put("val_loss", (double) Objective.loss(loss, Tensor.of(y, n, m), outputs).item());
        float[] p = outputs.toArray();
        for (Metric metric : config.metrics()) {
            values.put("val_" + metric.key(), metric.compute(y, p, n, model.outputWidth(),
                    Objective.outputsAreLogits(loss)));
        }
    }

    private static TrainingState snapshot(Sequential model, Optimizer optimizer, int nextEpoch, Rng rng, double best,
            int wait) {
        Map<String, float[]> parameters = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : model.parameters().entrySet()) {
            parameters.put(e.getKey(), e.getValue().toArray());
        }
        return new TrainingState(parameters, optimizer.state(), nextEpoch, rng.state(), best, wait);
    }
}
