package io.tapeflow.nn;

import io.tapeflow.engine.Tensor;
import io.tapeflow.engine.Variable;
import io.tapeflow.engine.graph.TracedFunction;
import io.tapeflow.engine.graph.UpdateRule;
import java.util.List;

/**
 * The train step traced once into a graph: forward pass, loss, gradients and the optimizer's updates run as one
 * compiled plan that reads the batch, updates the parameters and the optimizer's slots in its own buffers, and
 * allocates nothing per step. {@link #sync()} writes parameters and slots back to the model and the optimizer.
 */
final class GraphTrainStep implements TrainStep {

    private final TracedFunction function;
    private final Optimizer optimizer;
    private final List<Metric> metrics;
    private final List<Variable> variables;
    private final boolean fromLogits;
    private final int outputWidth;
    private final int slotsPerVariable;
    private final int[] updateIndex;
    private final float[][] inputs = new float[2][];
    private float[] predictions = new float[0];

    GraphTrainStep(Sequential model, Loss loss, Optimizer optimizer, List<Metric> metrics) {
        this.optimizer = optimizer;
        this.metrics = List.copyOf(metrics);
        this.variables = model.trainableVariables();
        this.fromLogits = Objective.outputsAreLogits(loss);
        this.outputWidth = model.outputWidth();
        UpdateRule rule = optimizer.config();
        this.slotsPerVariable = rule.slots();
        this.function = TracedFunction.trace("train_step", (graph, in) -> {
            Tensor predicted = Objective.outputs(model, loss, in[0]);
            Tensor value = Objective.loss(loss, in[1], predicted);
            Tensor[] gradients = graph.gradients(value, variables);
            for (int i = 0; i < gradients.length; i++) {
                graph.applyUpdate(variables.get(i), gradients[i], rule);
            }
            return new Tensor[] {value, predicted};
        }, new int[] {-1, model.inputWidth()}, new int[] {-1, loss.labelWidth(outputWidth)});
        List<Variable> updated = function.updatedVariables();
        this.updateIndex = new int[updated.size()];
        for (int u = 0; u < updateIndex.length; u++) {
            updateIndex[u] = variables.indexOf(updated.get(u));
        }
        importOptimizerState(optimizer.state());
    }

    @Override
    public float run(float[] features, float[] labels, int rows, float[] metricsOut) {
        inputs[0] = features;
        inputs[1] = labels;
        function.run(rows, inputs);
        if (!metrics.isEmpty()) {
            if (predictions.length < rows * outputWidth) {
                predictions = new float[rows * outputWidth]; // once per larger batch
            }
            function.copyOutput(1, predictions);
            for (int i = 0; i < metricsOut.length; i++) {
                metricsOut[i] = (float) metrics.get(i).compute(labels, predictions, rows, outputWidth, fromLogits);
            }
        }
        return function.outputScalar(0);
    }

    @Override
    public void sync() {
        function.storeVariables();
        optimizer.restore(exportOptimizerState());
    }

    /** The plan's slots in the optimizer's layout: {@code slotsPerVariable} per trainable variable, in order. */
    private OptimizerState exportOptimizerState() {
        long iterations = function.iterations();
        if (iterations == 0 && optimizer.iterations() == 0) {
            return new OptimizerState(0, new float[0][]);
        }
        float[][] planSlots = function.slots();
        float[][] slots = new float[variables.size() * slotsPerVariable][];
        for (int i = 0; i < variables.size(); i++) {
            for (int s = 0; s < slotsPerVariable; s++) {
                slots[i * slotsPerVariable + s] = new float[variables.get(i).size()];
            }
        }
        for (int u = 0; u < updateIndex.length; u++) {
            for (int s = 0; s < slotsPerVariable; s++) {
                slots[updateIndex[u] * slotsPerVariable + s] = planSlots[u * slotsPerVariable + s];
            }
        }
        return new OptimizerState(iterations, slots);
    }

    private void importOptimizerState(OptimizerState state) {
        if (state.slots().length == 0) {
            function.restoreSlots(state.iterations(), new float[0][]);
            return;
        }
        float[][] planSlots = new float[updateIndex.length * slotsPerVariable][];
        for (int u = 0; u < updateIndex.length; u++) {
            for (int s = 0; s < slotsPerVariable; s++) {
                planSlots[u * slotsPerVariable + s] = state.slots()[updateIndex[u] * slotsPerVariable + s];
            }
        }
        function.restoreSlots(state.iterations(), planSlots);
    }
}
