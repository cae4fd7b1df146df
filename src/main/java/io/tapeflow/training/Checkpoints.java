package io.tapeflow.training;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

import io.tapeflow.nn.OptimizerState;
import io.tapeflow.nn.TrainingState;

/**
 * The bytes of a checkpoint: a fit's whole state ({@link TrainingState}) in a small binary form, floats written as
 * their bits so a resumed job continues bit-identically.
 */
final class Checkpoints {

    private static final int MAGIC = 0x54464350; // "TFCP"
    private static final int VERSION = 1;

    private Checkpoints() {
    }

    static byte[] write(TrainingState state) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(state.parameters().size());
            for (Map.Entry<String, float[]> e : state.parameters().entrySet()) {
                out.writeUTF(e.getKey());
                floats(out, e.getValue());
            }
            OptimizerState optimizer = state.optimizer();
            out.writeLong(optimizer.iterations());
            float[][] slots = optimizer.slots() == null ? new float[0][] : optimizer.slots();
            out.writeInt(slots.length);
            for (float[] slot : slots) {
                floats(out, slot);
            }
            out.writeInt(state.nextEpoch());
            out.writeLong(state.rngState());
            out.writeDouble(state.bestMonitored());
            out.writeInt(state.epochsWithoutImprovement());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static TrainingState read(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            if (in.readInt() != MAGIC || in.readInt() != VERSION) {
                throw new IllegalStateException("Not a version " + VERSION + " training checkpoint");
            }
            int count = in.readInt();
            Map<String, float[]> parameters = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                parameters.put(in.readUTF(), floats(in));
            }
            long iterations = in.readLong();
            float[][] slots = new float[in.readInt()][];
            for (int i = 0; i < slots.length; i++) {
                slots[i] = floats(in);
            }
            return new TrainingState(parameters, new OptimizerState(iterations, slots), in.readInt(), in.readLong(),
                    in.readDouble(), in.readInt());
        } catch (IOException e) {
            throw new UncheckedIOException("A truncated training checkpoint", e);
        }
    }

    private static void floats(DataOutputStream out, float[] values) throws IOException {
        out.writeInt(values.length);
        for (float v : values) {
            out.writeInt(Float.floatToRawIntBits(v));
        }
    }

    private static float[] floats(DataInputStream in) throws IOException {
        float[] values = new float[in.readInt()];
        for (int i = 0; i < values.length; i++) {
            values[i] = Float.intBitsToFloat(in.readInt());
        }
        return values;
    }
}
