package io.tapeflow.engine;

import static io.tapeflow.engine.Ops.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GradientTapeTests {

    @Test
    void aTensorUsedTwiceGetsBothContributions() {
        Tensor x = Tensor.scalar(3f);
        Tensor g;
        try (GradientTape tape = new GradientTape()) {
            tape.watch(x);
            Tensor y = add(mul(x, x), x); // 2x + 1 = 7
            g = tape.gradient(y, x);
        }
        assertThat(g.item()).isEqualTo(7f);
    }

    @Test
    void variablesAreWatchedAutomaticallyAndSummedOverReads() {
        Variable w = new Variable("w", Tensor.of(2f));
        Variable frozen = new Variable("frozen", Tensor.of(5f), false);
        GradientTape tape = new GradientTape();
        Tensor y;
        try (tape) {
            y = mul(mul(w.value(), w.value()), frozen.value()); // 5w² → 10w = 20
        }
        Tensor[] grads = tape.gradient(y, w, frozen);
        assertThat(grads[0].item()).isEqualTo(20f);
        assertThat(grads[1]).as("non-trainable variables are not watched").isNull();
    }

    @Test
    void unconnectedSourcesGiveNullOrZeros() {
        Tensor x = Tensor.of(1f, 2f);
        Tensor unrelated = Tensor.of(3f);
        try (GradientTape tape = new GradientTape(true)) {
            tape.watch(x);
            tape.watch(unrelated);
            Tensor y = sum(square(x));
            assertThat(tape.gradient(y, unrelated)).isNull();
            assertThat(tape.gradient(y, new Tensor[] {unrelated}, GradientTape.Unconnected.ZERO)[0].toArray())
                    .containsExactly(0f);
        }
    }

    @Test
    void onlyRecordsWhileOpenAndOnlyPersistentTapesAnswerTwice() {
        Tensor x = Tensor.scalar(2f);
        GradientTape tape = new GradientTape();
        tape.watch(x);
        Tensor y = square(x);
        tape.close();
        Tensor after = square(y); // not recorded: the tape is closed
        assertThat(tape.gradient(after, x)).isNull();
        assertThatThrownBy(() -> tape.gradient(y, x)).hasMessageContaining("non-persistent");

        try (GradientTape persistent = new GradientTape(true)) {
            persistent.watch(x);
            Tensor z = square(x);
            assertThat(persistent.gradient(z, x).item()).isEqualTo(4f);
            assertThat(persistent.gradient(z, x).item()).isEqualTo(4f);
        }
    }

    @Test
    void nestedTapesGiveSecondOrderGradients() {
        Tensor x = Tensor.of(0.5f, 2f);
        Tensor second;
        Tensor sigmoidSecond;
        try (GradientTape outer = new GradientTape(true)) {
            outer.watch(x);
            Tensor first;
            Tensor sigmoidFirst;
            try (GradientTape inner = new GradientTape(true)) {
                inner.watch(x);
                Tensor cube = pow(x, 3f);
                Tensor s = sigmoid(x);
                first = inner.gradient(sum(cube), x); // 3x²
                sigmoidFirst = inner.gradient(sum(s), x); // s(1 − s)
            }
            second = outer.gradient(sum(first), x); // 6x
            sigmoidSecond = outer.gradient(sum(sigmoidFirst), x); // s(1 − s)(1 − 2s)
        }
        assertThat(second.toArray()).containsExactly(new float[] {3f, 12f}, within(1e-4f));
        for (int i = 0; i < 2; i++) {
            double s = 1 / (1 + Math.exp(-x.getFlat(i)));
            assertThat((double) sigmoidSecond.getFlat(i)).isCloseTo(s * (1 - s) * (1 - 2 * s), within(1e-6));
        }
    }

    @Test
    void stopRecordingPausesTheTape() {
        Tensor x = Tensor.scalar(3f);
        try (GradientTape tape = new GradientTape()) {
            tape.watch(x);
            Tensor y = square(x);
            Tensor z;
            try (Dispatch.Scope paused = tape.stopRecording()) {
                z = mul(y, x);
            }
            assertThat(tape.gradient(add(y, z), x).item()).isEqualTo(6f);
        }
    }

    /** The backward walk is a loop over the recording: a very long chain cannot overflow the stack. */
    @Test
    void longChainsDoNotOverflowTheStack() {
        Tensor x = Tensor.scalar(1f);
        try (GradientTape tape = new GradientTape()) {
            tape.watch(x);
            Tensor y = x;
            for (int i = 0; i < 100_000; i++) {
                y = add(y, Tensor.scalar(0f));
            }
            assertThat(tape.gradient(y, x).item()).isEqualTo(1f);
        }
    }

    @Test
    void aTracerReceivesEveryOpCallWithItsAttributes() {
        List<String> calls = new ArrayList<>();
        Tracer tracer = (op, inputs) -> {
            int[][] shapes = new int[inputs.length][];
            for (int i = 0; i < inputs.length; i++) {
                shapes[i] = inputs[i].shape();
            }
            int[] shape = op.outputShape(shapes);
            calls.add(op + " -> " + Shapes.toString(shape));
            return Tensor.zeros(shape);
        };
        try (Dispatch.Scope scope = Dispatch.trace(tracer)) {
            Tensor x = Tensor.zeros(4, 2);
            mean(relu(matmul(x, Tensor.zeros(2, 3))), new int[] {0}, true);
        }
        assertThat(calls).containsExactly("MatMul[transposeA=false, transposeB=false] -> (4, 3)", "Relu -> (4, 3)",
                "Mean(axes=[0], keepDims=true) -> (1, 3)");
        assertThat(Dispatch.currentTracer()).isNull();
    }

    @Test
    void anOpWithoutAGradientRuleFailsLoudly() {
        Op noRule = new Op() {
            @Override
            public String type() {
                return "NoRule";
            }

            @Override
            public int[] outputShape(int[][] inputShapes) {
                return inputShapes[0];
            }

            @Override
            public void forward(Tensor[] inputs, int[] shape, float[] out) {
                inputs[0].copyTo(out, 0);
            }
        };
        Tensor x = Tensor.of(1f, 2f);
        try (GradientTape tape = new GradientTape()) {
            tape.watch(x);
            Tensor y = sum(Dispatch.apply(noRule, x));
            assertThatThrownBy(() -> tape.gradient(y, x)).hasMessage("No gradient is defined for op NoRule");
        }
    }

    @Test
    void shapeInferenceKeepsAnUnknownBatchDimension() {
        int[] batch = {Shapes.UNKNOWN, 2};
        int[] h = new MatMul(false, false).outputShape(new int[][] {batch, {2, 4}});
        assertThat(h).containsExactly(-1, 4);
        assertThat(Binary.ADD.outputShape(new int[][] {h, {4}})).containsExactly(-1, 4);
        assertThat(new Reduce(Reduce.Kind.MEAN, null, false).outputShape(new int[][] {h})).isEmpty();
        assertThat(new Reduce(Reduce.Kind.SUM, new int[] {1}, true).outputShape(new int[][] {h}))
                .containsExactly(-1, 1);
    }
}
