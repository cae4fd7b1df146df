package io.tapeflow.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link FastMath} against the exact functions (within 2 ulp on its polynomial range, exact on the special paths), and
 * the vector forms of its array functions against the scalar functions, bit for bit.
 */
class FastMathTests {

    private static final float[] SPECIAL = {0f, -0f, Float.MIN_VALUE, 1e-40f, -1f, Float.NaN,
        Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -86.0001f, -103f, -200f};

    @Test
    void expAndLogAreWithinTwoUlpOfTheExactFunctions() {
        Rng rng = new Rng(5);
        for (int i = 0; i < 200_000; i++) {
            float x = rng.uniform(-86f, 88.7f);
            float exact = (float) Math.exp(x);
            assertThat(Math.abs(FastMath.exp(x) - exact)).as("exp(%s)", x).isLessThanOrEqualTo(2 * Math.ulp(exact));
            float positive = (float) Math.exp(rng.uniform(-85f, 85f));
            float exactLog = (float) Math.log(positive);
            assertThat(Math.abs(FastMath.log(positive) - exactLog)).as("log(%s)", positive)
                    .isLessThanOrEqualTo(2 * Math.ulp(exactLog));
        }
    }

    @Test
    void specialInputsTakeTheExactPath() {
        for (float x : SPECIAL) {
            assertThat(Float.floatToIntBits(FastMath.log(x))).as("log(%s)", x)
                    .isEqualTo(Float.floatToIntBits((float) Math.log(x)));
            assertThat(Float.floatToIntBits(FastMath.exp(x))).as("exp(%s)", x)
                    .isEqualTo(Float.floatToIntBits((float) Math.exp(x)));
        }
        assertThat(FastMath.exp(88.73f)).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(FastMath.sigmoid(-200f)).isEqualTo(0f);
        assertThat(FastMath.sigmoid(200f)).isEqualTo(1f);
        assertThat(FastMath.sigmoid(Float.NaN)).isNaN();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 7, 15, 16, 17, 31, 33, 100, 1000, 4099})
    void vectorFormsGiveThePortableBits(int n) {
        Rng rng = new Rng(n);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = switch (i % 5) {
                case 0 -> rng.uniform(-100f, 100f);
                case 1 -> rng.uniform(-1f, 1f);
                case 2 -> (float) Math.exp(rng.uniform(-85f, 85f));
                default -> rng.uniform(-10f, 10f);
            };
        }
        if (n >= 1000) {
            for (int i = 0; i < SPECIAL.length; i++) {
                x[37 * i + 3] = SPECIAL[i];
            }
        }
        assertSameBits(x, n);
        float[] inRange = new float[n]; // vectors without a special lane: the polynomial on every lane
        for (int i = 0; i < n; i++) {
            inRange[i] = 0.01f + Math.abs((Float.isFinite(x[i]) ? x[i] : 1f) % 80f);
        }
        assertSameBits(inRange, n);
    }

    /** The vector forms themselves (the build runs with the module), else the array forms as they dispatch. */
    private static void assertSameBits(float[] x, int n) {
        float[] exp = new float[n];
        float[] log = new float[n];
        float[] sigmoid = new float[n];
        if (MatMulKernels.vectorized()) {
            VectorMath.exp(x, exp, n);
            VectorMath.log(x, log, n);
            VectorMath.sigmoid(x, sigmoid, n);
        } else {
            FastMath.exp(x, exp, n);
            FastMath.log(x, log, n);
            FastMath.sigmoid(x, sigmoid, n);
        }
        for (int i = 0; i < n; i++) {
            float v = x[i];
            assertThat(Float.floatToIntBits(exp[i])).as("exp(%s)", v).isEqualTo(Float.floatToIntBits(FastMath.exp(v)));
            assertThat(Float.floatToIntBits(log[i])).as("log(%s)", v).isEqualTo(Float.floatToIntBits(FastMath.log(v)));
            assertThat(Float.floatToIntBits(sigmoid[i])).as("sigmoid(%s)", v)
                    .isEqualTo(Float.floatToIntBits(FastMath.sigmoid(v)));
        }
        float[] viaFastMath = new float[n];
        FastMath.log(x, viaFastMath, n);
        for (int i = 0; i < n; i++) {
            assertThat(Float.floatToIntBits(viaFastMath[i])).isEqualTo(Float.floatToIntBits(log[i]));
        }
    }
}
