package io.tapeflow.engine;

import static io.tapeflow.engine.Ops.abs;
import static io.tapeflow.engine.Ops.add;
import static io.tapeflow.engine.Ops.broadcastTo;
import static io.tapeflow.engine.Ops.clip;
import static io.tapeflow.engine.Ops.concat;
import static io.tapeflow.engine.Ops.cos;
import static io.tapeflow.engine.Ops.cumsum;
import static io.tapeflow.engine.Ops.div;
import static io.tapeflow.engine.Ops.equal;
import static io.tapeflow.engine.Ops.exp;
import static io.tapeflow.engine.Ops.gather;
import static io.tapeflow.engine.Ops.greater;
import static io.tapeflow.engine.Ops.greaterEqual;
import static io.tapeflow.engine.Ops.less;
import static io.tapeflow.engine.Ops.lessEqual;
import static io.tapeflow.engine.Ops.log;
import static io.tapeflow.engine.Ops.logSumExp;
import static io.tapeflow.engine.Ops.matmul;
import static io.tapeflow.engine.Ops.max;
import static io.tapeflow.engine.Ops.mean;
import static io.tapeflow.engine.Ops.mul;
import static io.tapeflow.engine.Ops.neg;
import static io.tapeflow.engine.Ops.notEqual;
import static io.tapeflow.engine.Ops.pad;
import static io.tapeflow.engine.Ops.pow;
import static io.tapeflow.engine.Ops.relu;
import static io.tapeflow.engine.Ops.reshape;
import static io.tapeflow.engine.Ops.sigmoid;
import static io.tapeflow.engine.Ops.sign;
import static io.tapeflow.engine.Ops.sin;
import static io.tapeflow.engine.Ops.slice;
import static io.tapeflow.engine.Ops.softmax;
import static io.tapeflow.engine.Ops.softplus;
import static io.tapeflow.engine.Ops.sqrt;
import static io.tapeflow.engine.Ops.square;
import static io.tapeflow.engine.Ops.sub;
import static io.tapeflow.engine.Ops.sum;
import static io.tapeflow.engine.Ops.tanh;
import static io.tapeflow.engine.Ops.transpose;
import static io.tapeflow.engine.Ops.where;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Forward values, gradients and second-order gradients of the ops against PyTorch in float64
 * ({@code src/test/resources/golden/engine/make_op_golden.py}, its output committed beside it), within a relative
 * 1e-5 in float32. The objective of each case is {@code sum(output · weights)} with the script's weights.
 */
class OpGoldenTests {

    private static final double TOLERANCE = 1e-5;
    private static final JsonNode GOLDEN = read();

    /** The Java expression of each case, by the script's name. */
    private static final Map<String, Function<Tensor[], Tensor>> OPS = new LinkedHashMap<>();

    static {
        OPS.put("add broadcast (2,1,3)+(4,1)", x -> add(x[0], x[1]));
        OPS.put("mul broadcast (3,1)*(1,4)", x -> mul(x[0], x[1]));
        OPS.put("div broadcast (2,3)/(3,)", x -> div(x[0], x[1]));
        OPS.put("sub scalar-like (2,3)-(1,1)", x -> sub(x[0], x[1]));
        OPS.put("sum axis 1 keepDims (2,3,4)", x -> sum(x[0], new int[] {1}, true));
        OPS.put("sum axes 0,2 (2,3,4)", x -> sum(x[0], new int[] {0, 2}, false));
        OPS.put("mean axes 0,2 keepDims (2,3,4)", x -> mean(x[0], new int[] {0, 2}, true));
        OPS.put("mean all (3,4)", x -> mean(x[0]));
        OPS.put("max axis 1 keepDims (2,3,4)", x -> max(x[0], new int[] {1}, true));
        OPS.put("matmul (3,4)@(4,5)", x -> matmul(x[0], x[1]));
        OPS.put("matmul transposeA (4,3)T@(4,5)", x -> matmul(x[0], x[1], true, false));
        OPS.put("matmul transposeB (3,4)@(5,4)T", x -> matmul(x[0], x[1], false, true));
        OPS.put("batched matmul (2,3,4)@(2,4,5)", x -> matmul(x[0], x[1]));
        OPS.put("broadcast matmul (2,3,4)@(4,5)", x -> matmul(x[0], x[1]));
        OPS.put("broadcast matmul (2,3,4)@(1,4,5)", x -> matmul(x[0], x[1]));
        OPS.put("softmax (3,4)", x -> softmax(x[0]));
        OPS.put("logSumExp (3,4)", x -> logSumExp(x[0]));
        OPS.put("neg (2,3)", x -> neg(x[0]));
        OPS.put("square (2,3)", x -> square(x[0]));
        OPS.put("sqrt (2,3)", x -> sqrt(x[0]));
        OPS.put("exp (2,3)", x -> exp(x[0]));
        OPS.put("log (2,3)", x -> log(x[0]));
        OPS.put("abs (2,3)", x -> abs(x[0]));
        OPS.put("sign (2,3)", x -> sign(x[0]));
        OPS.put("relu (2,3)", x -> relu(x[0]));
        OPS.put("sigmoid (2,3)", x -> sigmoid(x[0]));
        OPS.put("tanh (2,3)", x -> tanh(x[0]));
        OPS.put("softplus (2,3)", x -> softplus(x[0]));
        OPS.put("sin (2,3)", x -> sin(x[0]));
        OPS.put("cos (2,3)", x -> cos(x[0]));
        OPS.put("pow broadcast (2,3)**(3,)", x -> pow(x[0], x[1]));
        OPS.put("greater broadcast (2,3),(3,)", x -> zeroGradient(greater(x[0], x[1]), x));
        OPS.put("greaterEqual broadcast (2,3),(3,)", x -> zeroGradient(greaterEqual(x[0], x[1]), x));
        OPS.put("less broadcast (2,3),(3,)", x -> zeroGradient(less(x[0], x[1]), x));
        OPS.put("lessEqual broadcast (2,3),(3,)", x -> zeroGradient(lessEqual(x[0], x[1]), x));
        OPS.put("equal broadcast (2,3),(3,)", x -> zeroGradient(equal(x[0], x[1]), x));
        OPS.put("notEqual broadcast (2,3),(3,)", x -> zeroGradient(notEqual(x[0], x[1]), x));
        OPS.put("clip (2,4) to [-0.5, 0.5]", x -> clip(x[0], -0.5f, 0.5f));
        OPS.put("where (2,3) from (2,3),(3,)", x -> add(where(greater(x[0], Tensor.scalar(0f)), x[1], x[2]),
                mul(x[0], 0f)));
        OPS.put("transpose (2,3,4) perm 2,0,1", x -> transpose(x[0], 2, 0, 1));
        OPS.put("reshape (2,6) to (3,4)", x -> reshape(x[0], 3, 4));
        OPS.put("broadcastTo (3,1) to (2,3,4)", x -> broadcastTo(x[0], 2, 3, 4));
        OPS.put("concat axis 1 (2,2),(2,3)", x -> concat(1, x[0], x[1]));
        OPS.put("slice (3,4) begin 1,1 size 2,-1", x -> slice(x[0], new int[] {1, 1}, new int[] {2, -1}));
        OPS.put("pad (2,3) before 1,0 after 0,2", x -> pad(x[0], new int[] {1, 0}, new int[] {0, 2}));
        OPS.put("gather rows 2,0,2 of (3,2)", x -> gather(x[0], new int[] {2, 0, 2}));
        OPS.put("cumsum axis 1 (2,4)", x -> cumsum(x[0], 1, false));
        OPS.put("cumsum reverse axis 0 (3,2)", x -> cumsum(x[0], 0, true));
        OPS.put("second order tanh(x)*x*x", x -> mul(mul(tanh(x[0]), x[0]), x[0]));
        OPS.put("second order sigmoid(x@w)", x -> sigmoid(matmul(x[0], x[1])));
    }

    /** The comparison plus {@code 0 · (a + b)}, as the script writes it, so both inputs get (zero) gradients. */
    private static Tensor zeroGradient(Tensor comparison, Tensor[] x) {
        return add(comparison, mul(add(x[0], x[1]), 0f));
    }

    private static JsonNode read() {
        try (InputStream in = OpGoldenTests.class.getResourceAsStream("/golden/engine/op_golden.json")) {
            return JsonMapper.builder().build().readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Stream<String> cases() {
        List<String> names = new ArrayList<>();
        GOLDEN.get("cases").forEach(c -> names.add(c.get("name").asString()));
        return names.stream();
    }

    private static JsonNode golden(String name) {
        for (JsonNode c : GOLDEN.get("cases")) {
            if (c.get("name").asString().equals(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException(name);
    }

    private static float[] floats(JsonNode array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) array.get(i).asDouble(); // the script's inputs are float32 values: exact
        }
        return out;
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }

    @Test
    void everyGoldenCaseHasAnExpression() {
        assertThat(OPS.keySet()).containsExactlyElementsOf(cases().toList());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void forwardAndGradientsMatchPyTorch(String name) {
        JsonNode c = golden(name);
        Function<Tensor[], Tensor> f = OPS.get(name);
        JsonNode in = c.get("inputs");
        Tensor[] inputs = new Tensor[in.size()];
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = Tensor.of(floats(in.get(i).get("values")), ints(in.get(i).get("shape")));
        }
        Tensor weights = Tensor.of(floats(c.get("weights")), ints(c.get("output").get("shape")));
        boolean second = c.has("second");

        Tensor out;
        Tensor[] grads;
        Tensor secondOrder = null;
        try (GradientTape outer = new GradientTape()) {
            outer.watch(inputs[0]);
            try (GradientTape tape = new GradientTape()) {
                for (Tensor t : inputs) {
                    tape.watch(t);
                }
                out = f.apply(inputs);
                grads = tape.gradient(sum(mul(out, weights)), inputs);
            }
            if (second) {
                secondOrder = outer.gradient(sum(mul(grads[0], grads[0])), inputs[0]);
            }
        }
        assertThat(out.shape()).as(name + " shape").containsExactly(ints(c.get("output").get("shape")));
        assertClose(name + " forward", out.toArray(), c.get("output").get("values"));
        for (int i = 0; i < inputs.length; i++) {
            assertThat(grads[i].shape()).as(name + " gradient shape " + i).containsExactly(inputs[i].shape());
            assertClose(name + " gradient of input " + i, grads[i].toArray(), c.get("gradients").get(i));
        }
        if (second) {
            assertClose(name + " second order", secondOrder.toArray(), c.get("second"));
        }
    }

    private static void assertClose(String label, float[] actual, JsonNode expected) {
        assertThat(actual).as(label + " size").hasSize(expected.size());
        for (int i = 0; i < actual.length; i++) {
            double e = expected.get(i).asDouble();
            assertThat(Math.abs(actual[i] - e)).as(label + " [" + i + "]: " + actual[i] + " vs " + e)
                    .isLessThanOrEqualTo(TOLERANCE * Math.max(1, Math.abs(e)));
        }
    }
}
