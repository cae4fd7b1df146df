package io.tapeflow.training;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.tapeflow.nn.OptimizerState;
import io.tapeflow.nn.TrainingState;

/**
 * The bytes of a checkpoint: a fit's whole state ({@link TrainingState}) in a small binary form, floats written as
 * their bits so a resumed job continues bit-identically. Checkpoints go to and come from the database as streams,
 * {@value #CHUNK} bytes at a time: a large model's state is never held a second time as one {@code byte[]}.
 *
 * <p>Layout (big-endian, {@link DataOutputStream}'s): magic, version, parameter count, then per parameter its
 * name ({@code writeUTF}) and float array; the optimizer's iteration count and slot arrays; next epoch, RNG state,
 * best monitored value, epochs without improvement. A float array is its length and then each value's bits.
 */
final class Checkpoints {

    private static final int MAGIC = 0x54464350; // "TFCP"
    private static final int VERSION = 1;
    private static final int CHUNK = 64 * 1024;

    private Checkpoints() {
    }

    /** The exact number of bytes {@link #stream} gives for this state. */
    static long size(TrainingState state) {
        long size = 12;
        for (Map.Entry<String, float[]> e : state.parameters().entrySet()) {
            size += utfLength(e.getKey()) + 4 + 4L * e.getValue().length;
        }
        size += 8 + 4;
        for (float[] slot : slots(state)) {
            size += 4 + 4L * slot.length;
        }
        return size + 4 + 8 + 8 + 4;
    }

    /** The state's bytes, produced as they are read. */
    static InputStream stream(TrainingState state) {
        List<Object> parts = new ArrayList<>();
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(header)) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(state.parameters().size());
            for (Map.Entry<String, float[]> e : state.parameters().entrySet()) {
                out.writeUTF(e.getKey());
                out.writeInt(e.getValue().length);
                parts.add(cut(header));
                parts.add(e.getValue());
            }
            out.writeLong(state.optimizer().iterations());
            out.writeInt(slots(state).length);
            for (float[] slot : slots(state)) {
                out.writeInt(slot.length);
                parts.add(cut(header));
                parts.add(slot);
            }
            out.writeInt(state.nextEpoch());
            out.writeLong(state.rngState());
            out.writeDouble(state.bestMonitored());
            out.writeInt(state.epochsWithoutImprovement());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        parts.add(cut(header));
        return new PartsStream(parts);
    }

    static TrainingState read(InputStream stream) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(stream, CHUNK))) {
            if (in.readInt() != MAGIC || in.readInt() != VERSION) {
                throw new IllegalStateException("Not a version " + VERSION + " training checkpoint");
            }
            int count = in.readInt();
            Map<String, float[]> parameters = new LinkedHashMap<>();
            byte[] chunk = new byte[CHUNK];
            for (int i = 0; i < count; i++) {
                parameters.put(in.readUTF(), floats(in, chunk));
            }
            long iterations = in.readLong();
            float[][] slots = new float[in.readInt()][];
            for (int i = 0; i < slots.length; i++) {
                slots[i] = floats(in, chunk);
            }
            return new TrainingState(parameters, new OptimizerState(iterations, slots), in.readInt(), in.readLong(),
                    in.readDouble(), in.readInt());
        } catch (IOException e) {
            throw new UncheckedIOException("A truncated training checkpoint", e);
        }
    }

    private static float[][] slots(TrainingState state) {
        float[][] slots = state.optimizer().slots();
        return slots == null ? new float[0][] : slots;
    }

    private static byte[] cut(ByteArrayOutputStream header) {
        byte[] bytes = header.toByteArray();
        header.reset();
        return bytes;
    }

    /** {@link DataOutputStream#writeUTF}'s length: two bytes of length, then modified UTF-8. */
    private static long utfLength(String s) {
        long n = 2;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            n += c >= 1 && c <= 0x7f ? 1 : c <= 0x7ff ? 2 : 3;
        }
        return n;
    }

    private static float[] floats(DataInputStream in, byte[] chunk) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            throw new IOException("negative array length " + length);
        }
        float[] values = new float[length];
        ByteBuffer bits = ByteBuffer.wrap(chunk);
        for (int done = 0; done < length;) {
            int n = Math.min(length - done, CHUNK / Float.BYTES);
            in.readFully(chunk, 0, n * Float.BYTES);
            bits.clear();
            bits.asFloatBuffer().get(values, done, n);
            done += n;
        }
        return values;
    }

    /** Small byte[] headers and float arrays, turned into bytes one chunk at a time as the reader asks. */
    private static final class PartsStream extends InputStream {

        private final List<Object> parts;
        private final ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
        private int part;
        private int offset;

        PartsStream(List<Object> parts) {
            this.parts = parts;
            chunk.limit(0);
        }

        @Override
        public int read() {
            return fill() ? chunk.get() & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (!fill()) {
                return -1;
            }
            int n = Math.min(len, chunk.remaining());
            chunk.get(b, off, n);
            return n;
        }

        /** Refills the chunk from the next part when it is used up; false at the end. */
        private boolean fill() {
            while (!chunk.hasRemaining()) {
                if (part == parts.size()) {
                    return false;
                }
                chunk.clear();
                Object p = parts.get(part);
                int length;
                if (p instanceof byte[] bytes) {
                    length = bytes.length;
                    int n = Math.min(length - offset, CHUNK);
                    chunk.put(bytes, offset, n);
                    offset += n;
                } else {
                    float[] values = (float[]) p;
                    length = values.length;
                    int n = Math.min(length - offset, CHUNK / Float.BYTES);
                    chunk.asFloatBuffer().put(values, offset, n);
                    chunk.position(n * Float.BYTES);
                    offset += n;
                }
                if (offset == length) {
                    part++;
                    offset = 0;
                }
                chunk.flip();
            }
            return true;
        }
    }
}
