package io.tapeflow.models;

import java.util.List;
import java.util.Locale;

import io.tapeflow.datasets.DatasetData;
import io.tapeflow.datasets.ScatterPlot;
import io.tapeflow.nn.Metric;
import io.tapeflow.nn.Sequential;
import io.tapeflow.web.SvgText;

/**
 * SVG pictures of a model, like the reference's result figures: for a classifier with two features, its decision
 * regions with the data coloured by true class (left) and by predicted class (right); otherwise, for each feature
 * (up to four), the data and the model's prediction along that feature with the others held at their mean.
 */
final class ModelPlot {

    private static final int PANEL = 420;
    private static final int MARGIN = 48;
    private static final int GRID = 80;
    private static final int MAX_POINTS = 2000;
    private static final String POSITIVE = "#d62728";
    private static final String NEGATIVE = "#2ca02c";

    private ModelPlot() {
    }

    /** @param data the rows the model was trained on, or null when they are gone (or the model was imported) */
    static String svg(ModelDocument doc, Sequential model, DatasetData data) {
        ModelDocument.Signature s = doc.signature();
        if ("classifier".equals(s.kind()) && s.inputs() == 2) {
            return regions(doc, model, data);
        }
        return curves(doc, model, data);
    }

    private static String regions(ModelDocument doc, Sequential model, DatasetData data) {
        ModelDocument.Signature s = doc.signature();
        float[] xr = range(s, data, 0);
        float[] yr = range(s, data, 1);
        float[] grid = new float[GRID * GRID * 2];
        for (int gy = 0; gy < GRID; gy++) {
            for (int gx = 0; gx < GRID; gx++) {
                int i = (gy * GRID + gx) * 2;
                grid[i] = xr[0] + (gx + 0.5f) * (xr[1] - xr[0]) / GRID;
                grid[i + 1] = yr[0] + (gy + 0.5f) * (yr[1] - yr[0]) / GRID;
            }
        }
        float[] p = model.predict(grid, GRID * GRID);
        boolean softmax = "softmax".equals(doc.architecture().output());
        Svg svg = new Svg(2 * (PANEL + 2 * MARGIN), PANEL + 2 * MARGIN, "Decision regions of the model");
        String[] titles = {"Data coloured by true class, over the decision regions",
                "Data coloured by predicted class, over the decision regions"};
        float[] predicted = data == null ? null : model.predict(data.features(), data.rows());
        for (int panel = 0; panel < 2; panel++) {
            int ox = panel * (PANEL + 2 * MARGIN) + MARGIN;
            Frame f = new Frame(ox, MARGIN, xr, yr);
            double cell = (double) PANEL / GRID;
            for (int gy = 0; gy < GRID; gy++) {
                // One rectangle per run of cells of one class along the row: a few hundred instead of 6 400.
                for (int from = 0, gx = 1; gx <= GRID; gx++) {
                    int c = predictedClass(s, softmax, p, gy * GRID + from);
                    if (gx == GRID || predictedClass(s, softmax, p, gy * GRID + gx) != c) {
                        svg.rect(ox + from * cell, MARGIN + PANEL - (gy + 1) * cell, (gx - from) * cell + 0.3,
                                cell + 0.3, regionColour(c, softmax));
                        from = gx;
                    }
                }
            }
            if (data != null) {
                int step = Math.max(1, data.rows() / MAX_POINTS);
                int m = data.labelCount();
                for (int r = 0; r < data.rows(); r += step) {
                    int c = panel == 0 ? trueClass(data.labels(), r, m) : predictedClass(s, softmax, predicted, r);
                    svg.circle(f.x(data.features()[r * 2]), f.y(data.features()[r * 2 + 1]), 2.2,
                            pointColour(c, softmax));
                }
            }
            svg.axes(f, s.featureNames().get(0), s.featureNames().get(1), titles[panel]);
        }
        svg.legend(2 * (PANEL + 2 * MARGIN) - MARGIN, MARGIN + 8, classLabels(s, softmax), softmax);
        return svg.end();
    }

    /** The classes' names for the legend: the model's, else their indices. */
    private static List<String> classLabels(ModelDocument.Signature s, boolean softmax) {
        if (s.classNames() != null) {
            return s.classNames();
        }
        return Evaluation.indexNames(softmax ? s.outputs() : 2);
    }

    /** A softmax's argmax, or a sigmoid's class by the threshold (the predictions' own rule). */
    private static int predictedClass(ModelDocument.Signature s, boolean softmax, float[] y, int row) {
        int outputs = s.outputs();
        return softmax ? Metric.argmax(y, row * outputs, outputs)
                : y[row * outputs] > s.threshold().floatValue() ? 1 : 0;
    }

    /** A class index (one label column) or the hot column of one-hot labels. */
    private static int trueClass(float[] labels, int row, int width) {
        return width == 1 ? Math.round(labels[row]) : Metric.argmax(labels, row * width, width);
    }

    private static String pointColour(int c, boolean softmax) {
        return softmax ? ScatterPlot.CLASS_COLOURS[c % ScatterPlot.CLASS_COLOURS.length]
                : c == 1 ? POSITIVE : NEGATIVE;
    }

    /** The point colour mixed three parts in four with white, so the points stand out on their region. */
    private static String regionColour(int c, boolean softmax) {
        if (!softmax) {
            return c == 1 ? "#f6d5d5" : "#d8eed8";
        }
        int rgb = Integer.parseInt(pointColour(c, true).substring(1), 16);
        int r = 191 + ((rgb >> 16) & 0xff) / 4;
        int g = 191 + ((rgb >> 8) & 0xff) / 4;
        int b = 191 + (rgb & 0xff) / 4;
        return String.format("#%02x%02x%02x", r, g, b);
    }

    private static String curves(ModelDocument doc, Sequential model, DatasetData data) {
        ModelDocument.Signature s = doc.signature();
        int k = s.inputs();
        int panels = Math.min(k, 4);
        int outputs = s.outputs();
        float[] base = new float[k];
        for (int j = 0; j < k; j++) {
            base[j] = data == null ? (range(s, null, j)[0] + range(s, null, j)[1]) / 2 : mean(data, j);
        }
        Svg svg = new Svg(panels * (PANEL + 2 * MARGIN), PANEL + 2 * MARGIN, "Predictions of the model along each feature");
        int samples = 200;
        for (int panel = 0; panel < panels; panel++) {
            float[] xr = range(s, data, panel);
            float[] line = new float[samples * k];
            for (int i = 0; i < samples; i++) {
                System.arraycopy(base, 0, line, i * k, k);
                line[i * k + panel] = xr[0] + i * (xr[1] - xr[0]) / (samples - 1);
            }
            float[] fit = model.predict(line, samples);
            float lo = Float.POSITIVE_INFINITY;
            float hi = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < samples; i++) {
                lo = Math.min(lo, fit[i * outputs]);
                hi = Math.max(hi, fit[i * outputs]);
            }
            if (data != null) {
                int m = data.labelCount();
                for (int r = 0; r < data.rows(); r++) {
                    lo = Math.min(lo, data.labels()[r * m]);
                    hi = Math.max(hi, data.labels()[r * m]);
                }
            }
            float[] yr = pad(lo, hi);
            Frame f = new Frame(panel * (PANEL + 2 * MARGIN) + MARGIN, MARGIN, xr, yr);
            if (data != null) {
                int step = Math.max(1, data.rows() / MAX_POINTS);
                int m = data.labelCount();
                for (int r = 0; r < data.rows(); r += step) {
                    svg.circle(f.x(data.features()[r * k + panel]), f.y(data.labels()[r * m]), 2.2,
                            panel % 2 == 0 ? "#1f77b4" : "#2ca02c");
                }
            }
            StringBuilder points = new StringBuilder();
            for (int i = 0; i < samples; i++) {
                points.append(Svg.num(f.x(line[i * k + panel]))).append(',').append(Svg.num(f.y(fit[i * outputs])))
                        .append(' ');
            }
            svg.polyline(points.toString().trim(), "#d62728");
            svg.text(f.left() + PANEL - 8, f.top() + 18, data == null ? "the model's prediction (red)"
                    : "data (dots), the model's prediction (red)", "end", 11);
            svg.axes(f, s.featureNames().get(panel), s.labelNames().get(0), "Prediction along "
                    + s.featureNames().get(panel) + (k > 1 ? " (other inputs at their mean)" : ""));
        }
        return svg.end();
    }

    private static float[] range(ModelDocument.Signature s, DatasetData data, int feature) {
        if (data != null) {
            int k = data.featureCount();
            float lo = Float.POSITIVE_INFINITY;
            float hi = Float.NEGATIVE_INFINITY;
            for (int r = 0; r < data.rows(); r++) {
                lo = Math.min(lo, data.features()[r * k + feature]);
                hi = Math.max(hi, data.features()[r * k + feature]);
            }
            return pad(lo, hi);
        }
        if (s.featureRanges() != null) {
            List<Float> r = s.featureRanges().get(feature);
            return pad(r.get(0), r.get(1));
        }
        return new float[] {-1f, 1f};
    }

    private static float[] pad(float lo, float hi) {
        float span = hi - lo;
        if (!(span > 0)) {
            return new float[] {lo - 1, hi + 1};
        }
        return new float[] {lo - 0.05f * span, hi + 0.05f * span};
    }

    private static float mean(DatasetData data, int feature) {
        double sum = 0;
        int k = data.featureCount();
        for (int r = 0; r < data.rows(); r++) {
            sum += data.features()[r * k + feature];
        }
        return (float) (sum / Math.max(1, data.rows()));
    }

    /** Maps data coordinates into one panel. */
    private record Frame(int left, int top, float[] xRange, float[] yRange) {

        double x(float v) {
            return left + (v - xRange[0]) / (xRange[1] - xRange[0]) * PANEL;
        }

        double y(float v) {
            return top + PANEL - (v - yRange[0]) / (yRange[1] - yRange[0]) * PANEL;
        }
    }

    private static final class Svg {

        private final StringBuilder out;

        /** Opened as every plot of the service is ({@link SvgText#open}). */
        Svg(int width, int height, String title) {
            out = SvgText.open(width, height, title, 64 * 1024);
        }

        void rect(double x, double y, double w, double h, String fill) {
            out.append("<rect x=\"").append(num(x)).append("\" y=\"").append(num(y)).append("\" width=\"")
                    .append(num(w)).append("\" height=\"").append(num(h)).append("\" fill=\"").append(fill)
                    .append("\"/>\n");
        }

        void circle(double x, double y, double r, String fill) {
            out.append("<circle cx=\"").append(num(x)).append("\" cy=\"").append(num(y)).append("\" r=\"")
                    .append(num(r)).append("\" fill=\"").append(fill).append("\" fill-opacity=\"0.7\"/>\n");
        }

        void polyline(String points, String stroke) {
            out.append("<polyline points=\"").append(points).append("\" fill=\"none\" stroke=\"").append(stroke)
                    .append("\" stroke-width=\"2.5\"/>\n");
        }

        /** The frame, its title, axis labels and round-number ticks (1, 2 or 5 times a power of ten). */
        void axes(Frame f, String xLabel, String yLabel, String title) {
            out.append("<rect x=\"").append(f.left()).append("\" y=\"").append(f.top()).append("\" width=\"")
                    .append(PANEL).append("\" height=\"").append(PANEL)
                    .append("\" fill=\"none\" stroke=\"#333\"/>\n");
            text(f.left() + PANEL / 2.0, f.top() - 16, title, "middle", 13);
            text(f.left() + PANEL / 2.0, f.top() + PANEL + 36, xLabel, "middle", 12);
            out.append("<text transform=\"translate(").append(num(f.left() - 36)).append(' ')
                    .append(num(f.top() + PANEL / 2.0)).append(") rotate(-90)\" text-anchor=\"middle\">")
                    .append(SvgText.escape(yLabel)).append("</text>\n");
            double step = tickStep(f.xRange()[0], f.xRange()[1]);
            for (double v = Math.ceil(f.xRange()[0] / step) * step; v <= f.xRange()[1]; v += step) {
                double x = f.x((float) v);
                tick(x, f.top() + PANEL, x, f.top() + PANEL + 4);
                text(x, f.top() + PANEL + 16, label(v, step), "middle", 10);
            }
            step = tickStep(f.yRange()[0], f.yRange()[1]);
            for (double v = Math.ceil(f.yRange()[0] / step) * step; v <= f.yRange()[1]; v += step) {
                double y = f.y((float) v);
                tick(f.left() - 4, y, f.left(), y);
                text(f.left() - 6, y + 3, label(v, step), "end", 10);
            }
        }

        /** Coloured dots and class names, right-aligned at {@code right}. */
        void legend(int right, int top, List<String> names, boolean softmax) {
            int widest = 0;
            for (String n : names) {
                widest = Math.max(widest, Math.min(n.length(), 40));
            }
            out.append("<rect x=\"").append(num(right - 22 - 6.5 * widest)).append("\" y=\"").append(top - 14)
                    .append("\" width=\"").append(num(20 + 6.5 * widest)).append("\" height=\"")
                    .append(16 * names.size() + 6).append("\" fill=\"white\" fill-opacity=\"0.85\"/>\n");
            for (int c = 0; c < names.size(); c++) {
                double y = top + 16.0 * c;
                circle(right - 6, y - 4, 4, pointColour(c, softmax));
                text(right - 14, y, names.get(c), "end", 11);
            }
        }

        private void tick(double x1, double y1, double x2, double y2) {
            out.append("<line x1=\"").append(num(x1)).append("\" y1=\"").append(num(y1)).append("\" x2=\"")
                    .append(num(x2)).append("\" y2=\"").append(num(y2)).append("\" stroke=\"#333\"/>\n");
        }

        /** About five ticks over [lo, hi]. */
        static double tickStep(double lo, double hi) {
            double raw = (hi - lo) / 5;
            if (!(raw > 0) || !Double.isFinite(raw)) {
                return 1;
            }
            double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
            double f = raw / magnitude;
            return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * magnitude;
        }

        private static String label(double v, double step) {
            int decimals = Math.max(0, (int) -Math.floor(Math.log10(step)));
            String s = String.format(Locale.ROOT, "%." + decimals + "f", Math.abs(v) < step / 2 ? 0.0 : v);
            return s;
        }

        void text(double x, double y, String s, String anchor, int size) {
            out.append("<text x=\"").append(num(x)).append("\" y=\"").append(num(y)).append("\" text-anchor=\"")
                    .append(anchor).append("\" font-size=\"").append(size).append("\">").append(SvgText.escape(s))
                    .append("</text>\n");
        }

        String end() {
            return out.append("</svg>\n").toString();
        }

        static String num(double v) {
            return String.format(Locale.ROOT, "%.2f", v);
        }
    }
}
