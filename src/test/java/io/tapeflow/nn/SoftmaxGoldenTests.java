package io.tapeflow.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.tapeflow.engine.GradientTape;
import io.tapeflow.engine.Rng;
import io.tapeflow.engine.Tensor;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The fused softmax cross-entropies and Standardization against golden values from PyTorch and NumPy in float64
 * ({@code src/test/resources/golden/nn/make_softmax_golden.py}, its output committed beside it), within 1e-5.
 */
class SoftmaxGoldenTests {

    private static final double TOLERANCE = 1e-5;
    private static final JsonNode GOLDEN = read();

    private static JsonNode read() {
        try (InputStream in = SoftmaxGoldenTests.class.getResourceAsStream("/golden/nn/softmax_golden.json")) {
            return JsonMapper.builder().build().readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The numbers of a scalar, vector or matrix node, row-major, in double. */
    private static double[] values(JsonNode node) {
        if (!node.isArray()) {
            return new double[] {node.asDouble()};
        }
        int n = 0;
        for (JsonNode row : node) {
            n += row.isArray() ? row.size() : 1;
        }
        double[] out = new double[n];
        int i = 0;
        for (JsonNode row : node) {
            if (!row.isArray()) {
                out[i++] = row.asDouble();
            }
            for (JsonNode v : row) {
                out[i++] = v.asDouble();
            }
        }
        return out;
    }

    /** The same values as floats: the script's inputs are float32 numbers, so this is exact. */
    private static float[] flat(JsonNode node) {
        double[] v = values(node);
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) v[i];
        }
        return out;
    }

    private static void assertClose(String what, float[] actual, JsonNode expected) {
        double[] e = values(expected);
        assertThat(actual).as(what).hasSize(e.length);
        for (int i = 0; i < e.length; i++) {
            assertThat((double) actual[i]).as(what + "[" + i + "]")
                    .isCloseTo(e[i], within(TOLERANCE * Math.max(1, Math.abs(e[i]))));
        }
    }

    private static JsonNode caseOf(Loss loss) {
        return GOLDEN.get(loss == Loss.SPARSE_CATEGORICAL_CROSSENTROPY ? "sparse_case" : "one_hot_case");
    }

    private static Tensor labels(Loss loss) {
        int rows = GOLDEN.get("sparse").size();
        return loss == Loss.SPARSE_CATEGORICAL_CROSSENTROPY ? Tensor.of(flat(GOLDEN.get("sparse")), rows, 1)
                : Tensor.of(flat(GOLDEN.get("one_hot")), rows, GOLDEN.get("one_hot").get(0).size());
    }

    @ParameterizedTest
    @EnumSource(value = Loss.class, names = {"CATEGORICAL_CROSSENTROPY", "SPARSE_CATEGORICAL_CROSSENTROPY"})
    void lossAndGradientWithRespectToTheLogits(Loss loss) {
        for (String name : new String[] {"logits", "wide"}) {
            JsonNode golden = caseOf(loss).get(name);
            JsonNode z = golden.get("logits");
            Tensor logits = Tensor.of(flat(z), z.size(), z.get(0).size());
            Tensor value;
            Tensor gradient;
            try (GradientTape tape = new GradientTape()) {
                tape.watch(logits);
                value = loss.computeOnLogits(labels(loss), logits);
                tape.close();
                gradient = tape.gradient(value, logits);
            }
            assertClose(name + " loss", new float[] {value.item()}, golden.get("loss"));
            assertClose(name + " d loss / d logits", gradient.toArray(), golden.get("grad_logits"));
        }
    }

    @ParameterizedTest
    @EnumSource(value = Loss.class, names = {"CATEGORICAL_CROSSENTROPY", "SPARSE_CATEGORICAL_CROSSENTROPY"})
    void lossAndGradientsThroughADenseLayer(Loss loss) {
        JsonNode golden = caseOf(loss).get("dense");
        JsonNode x = GOLDEN.get("x");
        JsonNode k = GOLDEN.get("kernel");
        Dense dense = new Dense("dense_1", k.size(), k.get(0).size(), Activation.SOFTMAX, Initializer.ZEROS,
                new Rng(1));
        dense.kernel().assign(flat(k));
        dense.bias().assign(flat(GOLDEN.get("bias")));
        Tensor input = Tensor.of(flat(x), x.size(), x.get(0).size());
        Tensor value;
        Tensor[] gradients;
        try (GradientTape tape = new GradientTape()) {
            value = loss.computeOnLogits(labels(loss), dense.preActivation(input));
            tape.close();
            gradients = tape.gradient(value, dense.kernel(), dense.bias());
        }
        assertClose("loss", new float[] {value.item()}, golden.get("loss"));
        assertClose("d loss / d kernel", gradients[0].toArray(), golden.get("grad_kernel"));
        assertClose("d loss / d bias", gradients[1].toArray(), golden.get("grad_bias"));
        Tensor probabilities = dense.call(input);
        assertClose("softmax", probabilities.toArray(), golden.get("probabilities"));
        // The probability form (Keras' clipped formula) agrees where no probability is near the clip.
        assertClose("loss on probabilities", new float[] {loss.compute(labels(loss), probabilities).item()},
                golden.get("loss"));
    }

    @Test
    void standardizationMatchesNumpy() {
        JsonNode golden = GOLDEN.get("standardization");
        Standardization s = Standardization.fit(flat(golden.get("features")), golden.get("rows").asInt(),
                golden.get("width").asInt(), golden.get("fit_rows").asInt());
        assertClose("mean", s.mean().value().toArray(), golden.get("mean"));
        assertClose("std", s.std().value().toArray(), golden.get("std"));
    }
}
