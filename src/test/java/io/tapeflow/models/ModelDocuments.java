package io.tapeflow.models;

/** Model documents for tests that need a model of a given size without training one. */
public final class ModelDocuments {

    private ModelDocuments() {
    }

    /** A linear regressor with zero weights: k inputs x1.., m outputs y1... */
    public static String linear(int k, int m) {
        StringBuilder kernel = new StringBuilder("[");
        for (int i = 0; i < k; i++) {
            kernel.append(i == 0 ? "[" : ", [").append("0,".repeat(m - 1)).append("0]");
        }
        kernel.append(']');
        return """
                {"format": "tapeflow-model", "version": 2,
                 "architecture": {"type": "linear", "inputs": %1$d, "hiddenLayers": [], "activation": "linear",
                  "outputs": %2$d, "output": "linear",
                  "layers": [{"name": "dense_1", "inputs": %1$d, "units": %2$d, "activation": "linear"}]},
                 "signature": {"inputs": %1$d, "outputs": %2$d, "featureNames": %3$s, "labelNames": %4$s,
                  "kind": "regressor"},
                 "parameters": {"dense_1/kernel": {"shape": [%1$d, %2$d], "values": %5$s},
                  "dense_1/bias": {"shape": [%2$d], "values": [%6$s0]}}}""".formatted(k, m, names("x", k),
                names("y", m), kernel, "0,".repeat(m - 1));
    }

    private static String names(String prefix, int n) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 1; i <= n; i++) {
            sb.append(i == 1 ? "" : ", ").append('"').append(prefix).append(i).append('"');
        }
        return sb.append(']').toString();
    }
}
