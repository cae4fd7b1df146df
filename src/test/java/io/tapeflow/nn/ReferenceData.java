package io.tapeflow.nn;

import io.tapeflow.engine.Rng;

/** The reference chapter's two data sets, drawn from a seeded generator (features and labels row-major). */
record ReferenceData(float[] features, float[] labels, int rows) {

    /** 400 rows X ~ U[−10, 10)², y = X·[2, −3] + 3 + N(0, 2²). */
    static ReferenceData linear(long seed) {
        Rng rng = new Rng(seed);
        int n = 400;
        float[] x = new float[n * 2];
        float[] y = new float[n];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.uniform(-10f, 10f);
        }
        for (int r = 0; r < n; r++) {
            y[r] = x[2 * r] * 2f + x[2 * r + 1] * -3f + 3f + rng.normal(0f, 2f);
        }
        return new ReferenceData(x, y, n);
    }

    /** 2 000 points on a ring of radius 5 (label 1) then 2 000 on radius 8 (label 0), radius noise truncated N(0, 1). */
    static ReferenceData rings(long seed) {
        Rng rng = new Rng(seed);
        int half = 2000;
        float[] x = new float[4 * half];
        float[] y = new float[2 * half];
        for (int r = 0; r < 2 * half; r++) {
            float radius = (r < half ? 5f : 8f) + rng.truncatedNormal(0f, 1f);
            float theta = rng.uniform(0f, (float) (2 * Math.PI));
            x[2 * r] = radius * (float) Math.cos(theta);
            x[2 * r + 1] = radius * (float) Math.sin(theta);
            y[r] = r < half ? 1f : 0f;
        }
        return new ReferenceData(x, y, 2 * half);
    }

    /**
     * Three classes for multi-class tests: {@code rows} points around (0, 0), (4, 0) and (0, 4) with noise N(0, 0.8²),
     * the class of row r being r mod 3 (so the validation rows hold every class), labels as class indices. When
     * {@code badlyScaled}, feature 0 is reported as 2 500 + 400·x and feature 1 as 0.05 + 0.01·x (the columns of the
     * issue's table), which only a standardizing model fits quickly.
     */
    static ReferenceData blobs(long seed, int rows, boolean badlyScaled) {
        Rng rng = new Rng(seed);
        float[] x = new float[rows * 2];
        float[] y = new float[rows];
        for (int r = 0; r < rows; r++) {
            int c = r % 3;
            float a = (c == 1 ? 4f : 0f) + rng.normal(0f, 0.8f);
            float b = (c == 2 ? 4f : 0f) + rng.normal(0f, 0.8f);
            x[2 * r] = badlyScaled ? 2500f + 400f * a : a;
            x[2 * r + 1] = badlyScaled ? 0.05f + 0.01f * b : b;
            y[r] = c;
        }
        return new ReferenceData(x, y, rows);
    }

    /** Class indices (one per row) as one-hot rows of {@code classes} values. */
    static float[] oneHot(float[] indices, int classes) {
        float[] out = new float[indices.length * classes];
        for (int r = 0; r < indices.length; r++) {
            out[r * classes + (int) indices[r]] = 1f;
        }
        return out;
    }
}
