package io.tapeflow.datasets;

import java.util.List;

import io.tapeflow.engine.Rng;

/**
 * The synthetic datasets, drawn from {@link Rng} in a fixed order (all features, then all noise; all radii of a
 * ring, then all its angles; all centres of the blobs, then the rows) so the same seed gives the same rows on
 * every machine, forever.
 */
final class Generators {

    private static final double TWO_PI = 2.0 * Math.PI;

    private Generators() {
    }

    static DatasetValues linear(LinearSource source, long seed) {
        Rng rng = new Rng(seed);
        int rows = source.samples();
        float[] w = source.weights();
        int k = w.length;
        float[] x = new float[rows * k];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.uniform(source.low(), source.high());
        }
        float[] y = new float[rows];
        float noise = source.noise();
        float bias = source.bias();
        for (int i = 0; i < rows; i++) {
            float dot = 0f;
            for (int j = 0; j < k; j++) {
                dot += x[i * k + j] * w[j];
            }
            y[i] = dot + bias + rng.normal(0f, noise);
        }
        return new DatasetValues(rows, DatasetValues.defaultNames("x", k), List.of("y"), x, y);
    }

    static DatasetValues rings(RingsSource source, long seed) {
        Rng rng = new Rng(seed);
        int positives = source.positives();
        int rows = positives + source.negatives();
        float[] x = new float[rows * 2];
        float[] y = new float[rows];
        ring(rng, source.innerRadius(), source.noise(), 0, positives, x);
        ring(rng, source.outerRadius(), source.noise(), positives, rows, x);
        for (int i = 0; i < positives; i++) {
            y[i] = 1f;
        }
        return new DatasetValues(rows, List.of("x1", "x2"), List.of("y"), x, y);
    }

    static DatasetValues blobs(BlobsSource source, long seed) {
        Rng rng = new Rng(seed);
        int rows = source.samples();
        int k = source.features();
        int classes = source.classes();
        float[] centres = new float[classes * k];
        for (int i = 0; i < centres.length; i++) {
            centres[i] = rng.uniform(-1f, 1f);
        }
        float[] x = new float[rows * k];
        float[] y = new float[rows];
        for (int r = 0; r < rows; r++) {
            int c = r % classes;
            y[r] = c;
            for (int j = 0; j < k; j++) {
                x[r * k + j] = centres[c * k + j] + rng.normal(0f, source.spread());
            }
        }
        return new DatasetValues(rows, DatasetValues.defaultNames("x", k), List.of("class"), x, y);
    }

    private static void ring(Rng rng, float radius, float noise, int from, int to, float[] x) {
        float[] r = new float[to - from];
        for (int i = 0; i < r.length; i++) {
            r[i] = radius + rng.truncatedNormal(0f, noise);
        }
        for (int i = 0; i < r.length; i++) {
            double theta = rng.uniform(0f, (float) TWO_PI);
            int row = from + i;
            x[2 * row] = (float) (r[i] * StrictMath.cos(theta));
            x[2 * row + 1] = (float) (r[i] * StrictMath.sin(theta));
        }
    }
}
