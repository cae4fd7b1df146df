package io.tapeflow.nn;

import io.tapeflow.engine.GradientTape;
import io.tapeflow.engine.Tensor;
import io.tapeflow.engine.Variable;
import java.util.List;

/** The reference's train step, op by op: forward and loss under a tape, gradients, optimizer update. */
final class EagerTrainStep implements TrainStep {

    private final Sequential model;
    private final Loss loss;
    private final Optimizer optimizer;
    private final List<Metric> metrics;
    private final List<Variable> variables;

    EagerTrainStep(Sequential model, Loss loss, Optimizer optimizer, List<Metric> metrics) {
        this.model = model;
        this.loss = loss;
        this.optimizer = optimizer;
        this.metrics = List.copyOf(metrics);
        this.variables = model.trainableVariables();
    }

    @Override
    public float run(float[] features, float[] labels, int rows, float[] metricsOut) {
        Tensor x = Tensor.of(features, rows, model.inputWidth());
        Tensor y = Tensor.of(labels, rows, loss.labelWidth(model.outputWidth()));
        Tensor predictions;
        Tensor value;
        GradientTape tape = new GradientTape();
        try (tape) {
            predictions = Objective.outputs(model, loss, x);
            value = Objective.loss(loss, y, predictions);
        }
        optimizer.apply(variables, tape.gradient(value, variables));
        float[] p = predictions.toArray();
        for (int i = 0; i < metrics.size(); i++) {
            metricsOut[i] = (float) metrics.get(i).compute(labels, p, rows, model.outputWidth(),
                    Objective.outputsAreLogits(loss));
        }
        return value.item();
    }
}
