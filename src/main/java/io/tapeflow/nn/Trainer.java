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
     * Fits {@code model} to the rows of {@code features} (rows × inputWidth) and {@code labels} (rows × outputWidth),
     * starting from {@code resume} when it is not null.
     */
    public static FitResult fit(Sequential model, float[] features, float[] labels, FitConfig config,
            FitListener listener, TrainingState resume) {
        int k = model.inputWidth();
        int m = model.outputWidth();
        if (features.length % k != 0 || labels.length != features.length / k * m) {
            throw new IllegalArgumentException("fit: " + features.length + " feature values and " + labels.length
                    + " label values do not make rows of " + k + " features and " + m + " labels");
        }
        int rows = features.length / k;
        int trainRows = (int) Math.floor(rows * (1.0 - config.validationSplit()));
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
        int steps = (trainRows + batch - 1) / batch;
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
        int k = model.inputWidth();
        int m = model.outputWidth();
        int n = to - from;
        float[] x = new float[n * k];
        float[] y = new float[n * m];
        System.arraycopy(features, from * k, x, 0, n * k);
        System.arraycopy(labels, from * m, y, 0, n * m);
        Tensor predictions = model.call(Tensor.of(x, n, k));
        values.put("val_loss", (double) config.loss().compute(Tensor.of(y, n, m), predictions).item());
        float[] p = predictions.toArray();
        for (Metric metric : config.metrics()) {
            values.put("val_" + metric.key(), metric.compute(y, p, n, m, config.loss().fromLogits()));
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
