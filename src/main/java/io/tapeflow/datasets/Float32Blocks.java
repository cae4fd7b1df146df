package io.tapeflow.datasets;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** The storage format of a dataset's values: a block of little-endian IEEE 754 float32, four bytes per value. */
final class Float32Blocks {

    private Float32Blocks() {
    }

    static byte[] encode(float[] values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values);
        return buffer.array();
    }

    static float[] decode(byte[] block) {
        if (block.length % Float.BYTES != 0) {
            throw new IllegalStateException("A float32 block has " + block.length + " bytes, not a multiple of 4");
        }
        float[] values = new float[block.length / Float.BYTES];
        ByteBuffer.wrap(block).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        return values;
    }
}
