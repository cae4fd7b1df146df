package io.tapeflow.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@link FastMath} against the exact functions: within 2 ulp on its polynomial range, exact on the special paths. */
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
}
