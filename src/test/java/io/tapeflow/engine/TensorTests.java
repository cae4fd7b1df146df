package io.tapeflow.engine;

import static io.tapeflow.engine.Ops.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class TensorTests {

    static LongStream seeds() {
        return LongStream.rangeClosed(1, 20);
    }

    @Test
    void printsLikeTensorFlow() {
        assertThat(Tensor.of(new float[][] {{1f, 2.5f}, {3f, -4f}}))
                .hasToString("tf.Tensor(\n[[1. 2.5]\n [3. -4.]], shape=(2, 2), dtype=float32)");
        assertThat(Tensor.scalar(211.09982f)).hasToString("tf.Tensor(211.09982, shape=(), dtype=float32)");
        assertThat(Tensor.of(1f, 2f)).hasToString("tf.Tensor([1. 2.], shape=(2,), dtype=float32)");
        assertThat(Tensor.zeros(2, 1000).toString())
                .isEqualTo("tf.Tensor(\n[[0. 0. 0. ... 0. 0. 0.]\n [0. 0. 0. ... 0. 0. 0.]], shape=(2, 1000), dtype=float32)");
    }

    @Test
    void createsFromArraysAndFills() {
        Tensor t = Tensor.of(new float[][][] {{{1f, 2f}, {3f, 4f}}, {{5f, 6f}, {7f, 8f}}});
        assertThat(t.shape()).containsExactly(2, 2, 2);
        assertThat(t.get(1, 0, 1)).isEqualTo(6f);
        assertThat(Tensor.fill(3f, 2, 3).toArray()).containsOnly(3f).hasSize(6);
        assertThat(Tensor.zeros(0, 4).size()).isZero();
        float[] source = {1f, 2f};
        Tensor copy = Tensor.of(source, 2);
        source[0] = 9f;
        assertThat(copy.getFlat(0)).isEqualTo(1f);
    }

    @Test
    void shapeErrorsNameTheOpAndTheShapes() {
        assertThatThrownBy(() -> Tensor.of(new float[5], 2, 3)).hasMessageContaining("(2, 3)");
        assertThatThrownBy(() -> add(Tensor.zeros(2, 3), Tensor.zeros(4)))
                .hasMessage("AddV2: shapes (2, 3) and (4,) cannot be broadcast together");
        assertThatThrownBy(() -> matmul(Tensor.zeros(2, 3), Tensor.zeros(2, 3)))
                .hasMessageContaining("MatMul").hasMessageContaining("(2, 3)");
        assertThatThrownBy(() -> reshape(Tensor.zeros(2, 3), 4, -1)).hasMessageContaining("(2, 3)");
        assertThatThrownBy(() -> sum(Tensor.zeros(2, 3), new int[] {2}, false)).hasMessageContaining("axis 2");
    }

    @Test
    void opsComputeTheirValues() {
        Tensor a = Tensor.of(new float[][] {{1f, 2f, 3f}, {4f, 5f, 6f}});
        assertThat(matmul(a, transpose(a)).toArray()).containsExactly(14f, 32f, 32f, 77f);
        assertThat(matmul(a, a, true, false).shape()).containsExactly(3, 3);
        assertThat(sum(a, new int[] {0}, false).toArray()).containsExactly(5f, 7f, 9f);
        assertThat(mean(a, new int[] {1}, true).shape()).containsExactly(2, 1);
        assertThat(max(a).item()).isEqualTo(6f);
        assertThat(concat(0, a, a).shape()).containsExactly(4, 3);
        assertThat(slice(a, new int[] {1, 1}, new int[] {1, -1}).toArray()).containsExactly(5f, 6f);
        assertThat(gather(a, new int[] {1, 1, 0}).toArray()).containsExactly(4f, 5f, 6f, 4f, 5f, 6f, 1f, 2f, 3f);
        assertThat(booleanMask(a, Tensor.of(0f, 1f)).toArray()).containsExactly(4f, 5f, 6f);
        assertThat(where(greater(a, Tensor.scalar(3f)), a, Tensor.scalar(0f)).toArray())
                .containsExactly(0f, 0f, 0f, 4f, 5f, 6f);
        assertThat(clip(a, 2f, 5f).toArray()).containsExactly(2f, 2f, 3f, 4f, 5f, 5f);
        assertThat(pad(Tensor.of(1f), new int[] {1}, new int[] {2}).toArray()).containsExactly(0f, 1f, 0f, 0f);
        assertThat(softmax(Tensor.of(1000f, 1000f)).toArray()).containsExactly(0.5f, 0.5f);
        assertThat(softplus(Tensor.of(100f, -100f)).toArray()).containsExactly(new float[] {100f, 0f}, within(1e-30f));
    }

    /** Broadcasting, transposes and reductions against plain index arithmetic, over random shapes. */
    @ParameterizedTest
    @MethodSource("seeds")
    void broadcastingMatchesTheDefinition(long seed) {
        Rng rng = new Rng(seed);
        int rank = 1 + rng.nextInt(4);
        int[] out = new int[rank];
        int[] as = new int[rank];
        int[] bs = new int[rank];
        for (int d = 0; d < rank; d++) {
            out[d] = 1 + rng.nextInt(4);
            as[d] = rng.nextInt(3) == 0 ? 1 : out[d];
            bs[d] = rng.nextInt(3) == 0 ? 1 : out[d];
        }
        Tensor a = Tensor.uniform(rng, -1, 1, as);
        Tensor b = Tensor.uniform(rng, -1, 1, bs);
        Tensor c = sub(a, b);
        int[] cs = c.shape();
        int[] idx = new int[rank];
        for (int i = 0; i < c.size(); i++) {
            int rest = i;
            for (int d = rank - 1; d >= 0; d--) {
                idx[d] = rest % cs[d];
                rest /= cs[d];
            }
            assertThat(c.getFlat(i)).isEqualTo(a.get(at(idx, as)) - b.get(at(idx, bs)));
        }
        Tensor m = Tensor.uniform(rng, -1, 1, 1 + rng.nextInt(5), 1 + rng.nextInt(5));
        Tensor n = Tensor.uniform(rng, -1, 1, m.dim(1), 1 + rng.nextInt(5));
        Tensor p = matmul(m, n);
        for (int i = 0; i < p.dim(0); i++) {
            for (int j = 0; j < p.dim(1); j++) {
                double s = 0;
                for (int k = 0; k < m.dim(1); k++) {
                    s += m.get(i, k) * n.get(k, j);
                }
                assertThat((double) p.get(i, j)).isCloseTo(s, within(1e-5));
                assertThat(matmul(transpose(m), n, true, false).get(i, j)).isEqualTo(p.get(i, j));
            }
        }
    }

    private static int[] at(int[] idx, int[] shape) {
        int[] out = new int[shape.length];
        for (int d = 0; d < shape.length; d++) {
            out[d] = shape[d] == 1 ? 0 : idx[d];
        }
        return out;
    }

    @Test
    void randomTensorsAreSeededAndTruncatedNormalStaysWithinTwoDeviations() {
        assertThat(Tensor.normal(new Rng(9), 0f, 1f, 100).toArray())
                .isEqualTo(Tensor.normal(new Rng(9), 0f, 1f, 100).toArray());
        float[] t = Tensor.truncatedNormal(new Rng(9), 5f, 1f, 10_000).toArray();
        double mean = 0;
        for (float v : t) {
            assertThat(v).isBetween(3f, 7f);
            mean += v / t.length;
        }
        assertThat(mean).isCloseTo(5.0, within(0.05));
        float[] u = Tensor.uniform(new Rng(9), -10f, 10f, 10_000).toArray();
        for (float v : u) {
            assertThat(v).isGreaterThanOrEqualTo(-10f).isLessThan(10f);
        }
    }

    @Test
    void variablesAssignWithoutChangingEarlierValues() {
        Variable v = new Variable("v", Tensor.of(1f, 2f));
        Tensor before = v.value();
        v.assignSub(Tensor.of(0.5f, 0.5f));
        v.assignAdd(Tensor.of(1f, 0f));
        assertThat(v.value().toArray()).containsExactly(1.5f, 1.5f);
        assertThat(before.toArray()).containsExactly(1f, 2f);
        v.assign(Tensor.of(7f, 8f));
        assertThat(v.value().toArray()).containsExactly(7f, 8f);
        assertThatThrownBy(() -> v.assign(Tensor.of(1f))).hasMessageContaining("variable v of shape (2,)");
        assertThat(v.name()).isEqualTo("v");
        assertThat(v.trainable()).isTrue();
    }
}
