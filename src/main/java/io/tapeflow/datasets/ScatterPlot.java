package io.tapeflow.datasets;

import java.util.List;
import java.util.Locale;

import io.tapeflow.web.SvgText;

/**
 * SVG scatter plots like the reference's figures: for a binary classification dataset (one label column of 0s and
 * 1s, at least two features) the first two features coloured by label (red positive, green negative); for one
 * categorical label with K classes the same coloured by class from a fixed palette (cycled past ten classes) with the
 * class names in the legend; otherwise one panel per feature (at most four) with the first label against that
 * feature. Axis ranges come from the stored statistics. Large datasets are thinned to an evenly spaced subset of rows
 * so the picture stays light.
 */
public final class ScatterPlot {

    private static final int MAX_POINTS = 4000;
    private static final int MAX_PANELS = 4;
    private static final int PANEL = 420;
    private static final int MARGIN = 64;
    private static final String[] PANEL_COLOURS = {"#1f4fd1", "#2e9e3a", "#c77c02", "#8a3ab9"};
    private static final String POSITIVE = "#d62728";
    private static final String NEGATIVE = "#2ca02c";
    /** Matplotlib's tab10, the palette people know from scikit-learn's plots. */
    public static final String[] CLASS_COLOURS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
            "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
    private static final int MAX_LEGEND = 12;

    private ScatterPlot() {
    }

    /** @param statistics the dataset's stored statistics: one per feature column, then one per label column */
    static String svg(DatasetData data, List<ColumnStatistics> statistics) {
        if (data.labelCount() == 1 && data.featureCount() >= 2 && data.classNames() != null) {
            return classification(data, statistics, data.classNames());
        }
        return isBinaryClassification(data) ? classification(data, statistics, null) : regression(data, statistics);
    }

    private static boolean isBinaryClassification(DatasetData data) {
        if (data.labelCount() != 1 || data.featureCount() < 2) {
            return false;
        }
        for (float label : data.labels()) {
            if (label != 0f && label != 1f) {
                return false;
            }
        }
        return true;
    }

    /** @param classNames null for a 0/1 label (red positive, green negative), else the class of each index */
    private static String classification(DatasetData data, List<ColumnStatistics> statistics,
            List<String> classNames) {
        int k = data.featureCount();
        float[] x = column(data.features(), k, 0, data.rows());
        float[] y = column(data.features(), k, 1, data.rows());
        StringBuilder svg = open(PANEL + 2 * MARGIN + 170, PANEL + 2 * MARGIN, data.name());
        Axes axes = new Axes(MARGIN, MARGIN, statistics.get(0), statistics.get(1));
        axes.draw(svg, data.featureNames().get(0), data.featureNames().get(1));
        int step = stride(data.rows());
        for (int i = 0; i < data.rows(); i += step) {
            float label = data.labels()[i];
            String colour = classNames == null ? (label == 1f ? POSITIVE : NEGATIVE)
                    : CLASS_COLOURS[(int) label % CLASS_COLOURS.length];
            axes.point(svg, x[i], y[i], colour);
        }
        int legendX = MARGIN + PANEL + 20;
        String labelName = data.labelNames().get(0);
        if (classNames == null) {
            legend(svg, legendX, MARGIN + 10, POSITIVE, "positive (" + labelName + " = 1)");
            legend(svg, legendX, MARGIN + 30, NEGATIVE, "negative (" + labelName + " = 0)");
        } else {
            int shown = Math.min(classNames.size(), MAX_LEGEND);
            for (int c = 0; c < shown; c++) {
                legend(svg, legendX, MARGIN + 10 + 20 * c, CLASS_COLOURS[c % CLASS_COLOURS.length],
                        classNames.get(c) + " (" + labelName + " = " + c + ")");
            }
            if (shown < classNames.size()) {
                svg.append("<text x=\"").append(legendX).append("\" y=\"").append(MARGIN + 10 + 20 * shown)
                        .append("\">… ").append(classNames.size() - shown).append(" more</text>\n");
            }
        }
        return svg.append("</svg>\n").toString();
    }

    private static String regression(DatasetData data, List<ColumnStatistics> statistics) {
        int k = data.featureCount();
        int panels = Math.min(k, MAX_PANELS);
        float[] target = column(data.labels(), data.labelCount(), 0, data.rows());
        ColumnStatistics targetStatistics = statistics.get(k);
        StringBuilder svg = open(panels * (PANEL + 2 * MARGIN), PANEL + 2 * MARGIN, data.name());
        int step = stride(data.rows());
        for (int p = 0; p < panels; p++) {
            float[] x = column(data.features(), k, p, data.rows());
            Axes axes = new Axes(MARGIN + p * (PANEL + 2 * MARGIN), MARGIN, statistics.get(p), targetStatistics);
            axes.draw(svg, data.featureNames().get(p), data.labelNames().get(0));
            String colour = PANEL_COLOURS[p % PANEL_COLOURS.length];
            for (int i = 0; i < data.rows(); i += step) {
                axes.point(svg, x[i], target[i], colour);
            }
        }
        return svg.append("</svg>\n").toString();
    }

    private static int stride(int rows) {
        return Math.max(1, (rows + MAX_POINTS - 1) / MAX_POINTS);
    }

    private static float[] column(float[] values, int width, int column, int rows) {
        float[] out = new float[rows];
        for (int i = 0; i < rows; i++) {
            out[i] = values[i * width + column];
        }
        return out;
    }

    private static StringBuilder open(int width, int height, String title) {
        return SvgText.open(width, height, title, 256 * 1024);
    }

    private static void legend(StringBuilder svg, int x, int y, String colour, String text) {
        svg.append("<circle cx=\"").append(x).append("\" cy=\"").append(y - 4).append("\" r=\"4\" fill=\"")
                .append(colour).append("\"/>")
                .append("<text x=\"").append(x + 10).append("\" y=\"").append(y).append("\">")
                .append(SvgText.escape(text)).append("</text>\n");
    }

    private static String number(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    /** One panel: maps data coordinates to its square, with a frame, five ticks per axis and axis names. */
    private static final class Axes {

        private final int left;
        private final int top;
        private final double xMin;
        private final double xSpan;
        private final double yMin;
        private final double ySpan;

        Axes(int left, int top, ColumnStatistics x, ColumnStatistics y) {
            this.left = left;
            this.top = top;
            double[] xr = range(x.min(), x.max());
            double[] yr = range(y.min(), y.max());
            this.xMin = xr[0];
            this.xSpan = xr[1] - xr[0];
            this.yMin = yr[0];
            this.ySpan = yr[1] - yr[0];
        }

        private static double[] range(double min, double max) {
            if (!(max > min)) {
                min -= 1;
                max += 1;
            }
            double pad = (max - min) * 0.04;
            return new double[] {min - pad, max + pad};
        }

        double px(double x) {
            return left + (x - xMin) / xSpan * PANEL;
        }

        double py(double y) {
            return top + PANEL - (y - yMin) / ySpan * PANEL;
        }

        void draw(StringBuilder svg, String xName, String yName) {
            svg.append("<rect x=\"").append(left).append("\" y=\"").append(top).append("\" width=\"").append(PANEL)
                    .append("\" height=\"").append(PANEL).append("\" fill=\"none\" stroke=\"#444\"/>\n");
            double xStep = niceStep(xSpan);
            for (double v = Math.ceil(xMin / xStep) * xStep; v <= xMin + xSpan; v += xStep) {
                double x = px(v);
                svg.append("<line x1=\"").append(number(x)).append("\" y1=\"").append(top + PANEL)
                        .append("\" x2=\"").append(number(x)).append("\" y2=\"").append(top + PANEL + 5)
                        .append("\" stroke=\"#444\"/><text x=\"").append(number(x)).append("\" y=\"")
                        .append(top + PANEL + 18).append("\" text-anchor=\"middle\">").append(tick(v, xStep))
                        .append("</text>\n");
            }
            double yStep = niceStep(ySpan);
            for (double v = Math.ceil(yMin / yStep) * yStep; v <= yMin + ySpan; v += yStep) {
                double y = py(v);
                svg.append("<line x1=\"").append(left - 5).append("\" y1=\"").append(number(y))
                        .append("\" x2=\"").append(left).append("\" y2=\"").append(number(y))
                        .append("\" stroke=\"#444\"/><text x=\"").append(left - 8).append("\" y=\"")
                        .append(number(y + 4)).append("\" text-anchor=\"end\">").append(tick(v, yStep))
                        .append("</text>\n");
            }
            int yLabelX = left - 48;
            int yLabelY = top + PANEL / 2;
            svg.append("<text x=\"").append(left + PANEL / 2).append("\" y=\"").append(top + PANEL + 40)
                    .append("\" text-anchor=\"middle\">").append(SvgText.escape(xName)).append("</text>\n")
                    .append("<text x=\"").append(yLabelX).append("\" y=\"").append(yLabelY)
                    .append("\" text-anchor=\"middle\" transform=\"rotate(-90 ").append(yLabelX).append(' ')
                    .append(yLabelY).append(")\">").append(SvgText.escape(yName)).append("</text>\n");
        }

        /** A step of 1, 2 or 5 times a power of ten giving about five ticks over the span. */
        private static double niceStep(double span) {
            double raw = span / 5;
            double power = Math.pow(10, Math.floor(Math.log10(raw)));
            double fraction = raw / power;
            return (fraction < 1.5 ? 1 : fraction < 3.5 ? 2 : fraction < 7.5 ? 5 : 10) * power;
        }

        void point(StringBuilder svg, float x, float y, String colour) {
            svg.append("<circle cx=\"").append(number(px(x))).append("\" cy=\"").append(number(py(y)))
                    .append("\" r=\"2.5\" fill=\"").append(colour).append("\" fill-opacity=\"0.7\"/>\n");
        }

        private static String tick(double v, double step) {
            int decimals = Math.max(0, (int) -Math.floor(Math.log10(step)));
            double rounded = Math.abs(v) < step / 2 ? 0.0 : v;
            return String.format(Locale.ROOT, "%." + decimals + "f", rounded);
        }
    }
}
