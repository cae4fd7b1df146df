package io.tapeflow.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.function.Function;

/**
 * Compares the tape's gradients with central finite differences. The scalar checked is {@code Σ f(x)·w} for fixed
 * random weights w, so every output element matters with a different weight; the differences are accumulated in
 * double from the float32 forward values.
 */
final class GradientCheck {

    private static final float EPS = 1e-2f;

    private GradientCheck() {
    }

    static void check(String label, Function<Tensor[], Tensor> f, Tensor... inputs) {
        Tensor probe = f.apply(inputs);
        Rng rng = new Rng(probe.size() * 31L + 7);
        float[] weights = new float[probe.size()];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = rng.uniform(-1f, 1f);
        }
        Tensor w = Tensor.of(weights, probe.shape());

        Tensor[] analytic;
        try (GradientTape tape = new GradientTape()) {
            for (Tensor t : inputs) {
                tape.watch(t);
            }
            Tensor y = Ops.sum(Ops.mul(f.apply(inputs), w));
            tape.close();
            analytic = tape.gradient(y, inputs);
        }

        for (int t = 0; t < inputs.length; t++) {
            assertNotNull(analytic[t], label + ": no gradient for input " + t);
            float[] base = inputs[t].toArray();
            for (int i = 0; i < base.length; i++) {
                float up = base[i] + EPS;
                float down = base[i] - EPS;
                double plus = weighted(f, inputs, t, base, i, up, weights);
                double minus = weighted(f, inputs, t, base, i, down, weights);
                double numeric = (plus - minus) / ((double) up - down);
                double got = analytic[t].getFlat(i);
                double tolerance = 2e-2 * Math.max(1.0, Math.abs(numeric));
                assertEquals(numeric, got, tolerance, label + ": d/d input " + t + "[" + i + "] of shape "
                        + Shapes.toString(inputs[t].shape));
            }
        }
    }

    private static double weighted(Function<Tensor[], Tensor> f, Tensor[] inputs, int t, float[] base, int i,
            float value, float[] weights) {
        float[] changed = base.clone();
        changed[i] = value;
        Tensor[] args = inputs.clone();
        args[t] = Tensor.of(changed, inputs[t].shape);
        float[] out = f.apply(args).toArray();
        double s = 0;
        for (int j = 0; j < out.length; j++) {
            s += (double) out[j] * weights[j];
        }
        return s;
    }
}
