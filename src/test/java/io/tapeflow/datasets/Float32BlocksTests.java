package io.tapeflow.datasets;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapeflow.engine.Rng;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

class Float32BlocksTests {

    @Test
    void isLittleEndianIeee754() {
        assertThat(Float32Blocks.encode(new float[] {1.0f, -2.0f}))
                .containsExactly(0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0xC0);
    }

    @RepeatedTest(10)
    void roundTripsEveryBit(RepetitionInfo repetition) {
        Rng rng = new Rng(repetition.getCurrentRepetition());
        float[] values = new float[1 + rng.nextInt(1000)];
        for (int i = 0; i < values.length; i++) {
            values[i] = Float.intBitsToFloat((int) rng.nextLong());
        }
        float[] back = Float32Blocks.decode(Float32Blocks.encode(values));
        for (int i = 0; i < values.length; i++) {
            assertThat(Float.floatToRawIntBits(back[i])).isEqualTo(Float.floatToRawIntBits(values[i]));
        }
    }
}
