package io.tapeflow.engine;

/**
 * Running sums along an axis, as {@code tf.math.cumsum}: entry i is the sum of entries 0…i (from the end of the axis
 * when {@code reverse}), accumulated in double (TensorFlow accumulates in float32). Its gradient is the running sum
 * of the upstream gradient the other way.
 *
 * <p>This op was added as the engine's package documentation says an op is added: this file and its entry point in
 * {@link Ops}. Graph plans run it through its kernel with no code of their own.
 */
public record Cumsum(int axis, boolean reverse) implements Op {

    @Override
    public String type() {
        return "Cumsum";
    }

    @Override
    public int[] outputShape(int[][] in) {
        Shapes.axis(axis, in[0].length, type());
        return in[0].clone();
    }

    @Override
    public void forward(Tensor[] in, int[] shape, float[] out) {
        int a = Shapes.axis(axis, shape.length, type());
        int length = shape[a];
        int inner = 1;
        for (int d = a + 1; d < shape.length; d++) {
            inner *= shape[d];
        }
        float[] x = in[0].data;
        int first = reverse ? (length - 1) * inner : 0;
        int step = reverse ? -inner : inner;
        for (int base = 0; base < out.length; base += length * inner) {
            for (int j = 0; j < inner; j++) {
                double sum = 0;
                for (int t = 0, at = base + first + j; t < length; t++, at += step) {
                    sum += x[at];
                    out[at] = (float) sum;
                }
            }
        }
    }

    @Override
    public Tensor[] gradient(Tensor[] in, Tensor out, Tensor g, boolean[] needed) {
        return new Tensor[] {Ops.cumsum(g, axis, !reverse)};
    }
}
