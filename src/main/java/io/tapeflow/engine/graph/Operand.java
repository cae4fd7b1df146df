package io.tapeflow.engine.graph;

import io.tapeflow.engine.Shapes;

/**
 * How an elementwise step reads one operand for one output feature {@code c}: the operand's own feature row
 * ({@code FULL}), its single feature broadcast across features ({@code COLUMN}, a {@code (None, 1)} operand), one
 * value per feature broadcast along the batch ({@code ROW}, e.g. a bias), or one value everywhere ({@code SCALAR}).
 */
final class Operand {

    enum Mode { FULL, COLUMN, ROW, SCALAR }

    final Buffer buffer;
    final Mode mode;

    Operand(Buffer buffer, Mode mode) {
        this.buffer = buffer;
        this.mode = mode;
    }

    boolean vector() {
        return mode == Mode.FULL || mode == Mode.COLUMN;
    }

    /** The row to read for output feature c (a vector mode). */
    float[] row(int c) {
        return mode == Mode.FULL && buffer.batched ? buffer.rows[c] : buffer.rows[0];
    }

    /** The value to read for output feature c (a scalar mode). */
    float value(int c) {
        return buffer.rows[0][mode == Mode.ROW ? c : 0];
    }

    /**
     * The mode in which {@code operand} broadcasts into {@code out} under NumPy rules, or {@code null} when the
     * feature-major layout cannot express it (broadcasting inside the non-batch dimensions).
     */
    static Mode modeOf(Node operand, Node out) {
        int[] s = operand.shape;
        int[] o = out.shape;
        if (Shapes.size(s) == 1 && !operand.batched()) {
            return Mode.SCALAR;
        }
        if (!out.batched()) {
            return !operand.batched() && Shapes.size(s) == Shapes.size(o) && sameTrailing(s, o) ? Mode.FULL : null;
        }
        if (operand.batched()) {
            if (s.length != o.length) {
                return null;
            }
            if (sameTrailing(s, o)) {
                return Mode.FULL;
            }
            return Layout.width(s) == 1 ? Mode.COLUMN : null;
        }
        // A value without the batch dimension: it must equal the output's trailing dimensions, padded with 1s.
        for (int i = 1; i <= Math.max(s.length, o.length - 1); i++) {
            int od = i <= o.length - 1 ? o[o.length - i] : 1;
            int sd = i <= s.length ? s[s.length - i] : 1;
            if (sd != od) {
                return null;
            }
        }
        return Mode.ROW;
    }

    private static boolean sameTrailing(int[] s, int[] o) {
        int n = Math.min(s.length, o.length);
        for (int i = 1; i <= n; i++) {
            if (s[s.length - i] != o[o.length - i]) {
                return false;
            }
        }
        for (int i = n + 1; i <= s.length; i++) {
            if (s[s.length - i] != 1) {
                return false;
            }
        }
        for (int i = n + 1; i <= o.length; i++) {
            if (o[o.length - i] != 1) {
                return false;
            }
        }
        return true;
    }
}
