package io.tapeflow.models;

import java.util.Locale;

import io.tapeflow.web.SvgText;

/**
 * SVG pictures of an evaluation report: the confusion matrix as a heat map with the counts, and a binary
 * classifier's ROC curve over the chance diagonal. Same conventions as {@link ModelPlot} and the datasets' scatter
 * plot (white background, sans-serif, a {@code <title>}); class names may hold any characters, so every text goes
 * through {@link #escape}.
 */
final class EvaluationPlot {

    private static final int MARGIN = 64;
    private static final int LABEL_SPACE = 120;
    private static final int PANEL = 420;
    private static final int MAX_CURVE_POINTS = 4000;
    private static final int MAX_NAME = 24;

    private EvaluationPlot() {
    }

    /** Rows are the true classes, columns the predicted ones; a cell is darker the more rows it holds. */
    static String confusionMatrix(EvaluationResponse e) {
        EvaluationBody.ConfusionMatrix cm = e.confusionMatrix();
        long[][] m = cm.matrix();
        int k = m.length;
        int cell = Math.max(6, Math.min(72, 600 / Math.max(1, k)));
        int side = cell * k;
        int left = MARGIN + LABEL_SPACE;
        int top = MARGIN + 24;
        int width = left + side + MARGIN;
        int height = top + side + LABEL_SPACE + 24;
        Double accuracy = e.metrics() == null ? null : e.metrics().get("accuracy");
        String title = "Confusion matrix, " + e.rows() + " rows"
                + (accuracy == null ? "" : ", accuracy " + String.format(Locale.ROOT, "%.4f", accuracy));
        StringBuilder svg = open(width, height, title);
        text(svg, width / 2.0, MARGIN / 2.0 + 6, title, "middle", 15, "");
        long max = 1;
        for (long[] row : m) {
            for (long v : row) {
                max = Math.max(max, v);
            }
        }
        int fontSize = Math.min(14, cell / 3);
        for (int t = 0; t < k; t++) {
            for (int p = 0; p < k; p++) {
                double shade = (double) m[t][p] / max;
                int x = left + p * cell;
                int y = top + t * cell;
                svg.append("<rect x=\"").append(x).append("\" y=\"").append(y).append("\" width=\"").append(cell)
                        .append("\" height=\"").append(cell).append("\" fill=\"").append(blue(shade))
                        .append("\" stroke=\"#ffffff\"><title>").append(SvgText.escape("true " + cm.labels().get(t)
                                + ", predicted " + cm.labels().get(p) + ": " + m[t][p]))
                        .append("</title></rect>\n");
                if (fontSize >= 6) {
                    text(svg, x + cell / 2.0, y + cell / 2.0 + fontSize / 3.0, Long.toString(m[t][p]), "middle",
                            fontSize, shade > 0.55 ? " fill=\"#ffffff\"" : "");
                }
            }
        }
        svg.append("<rect x=\"").append(left).append("\" y=\"").append(top).append("\" width=\"").append(side)
                .append("\" height=\"").append(side).append("\" fill=\"none\" stroke=\"#444\"/>\n");
        int nameSize = Math.min(12, Math.max(6, cell / 2));
        for (int i = 0; i < k; i++) {
            String name = shorten(cm.labels().get(i));
            text(svg, left - 6, top + i * cell + cell / 2.0 + nameSize / 3.0, name, "end", nameSize, "");
            double x = left + i * cell + cell / 2.0;
            double y = top + side + 8;
            svg.append("<text x=\"").append(num(x)).append("\" y=\"").append(num(y))
                    .append("\" text-anchor=\"end\" font-size=\"").append(nameSize).append("\" transform=\"rotate(-60 ")
                    .append(num(x)).append(' ').append(num(y)).append(")\">").append(SvgText.escape(name)).append("</text>\n");
        }
        text(svg, left + side / 2.0, top + side + LABEL_SPACE, "Predicted class", "middle", 13, "");
        double yLabelX = MARGIN / 2.0;
        double yLabelY = top + side / 2.0;
        svg.append("<text x=\"").append(num(yLabelX)).append("\" y=\"").append(num(yLabelY))
                .append("\" text-anchor=\"middle\" font-size=\"13\" transform=\"rotate(-90 ").append(num(yLabelX))
                .append(' ').append(num(yLabelY)).append(")\">True class</text>\n");
        return svg.append("</svg>\n").toString();
    }

    /** The ROC curve (thinned to at most {@value #MAX_CURVE_POINTS} points), the diagonal and the AUC. */
    static String roc(EvaluationResponse e) {
        EvaluationBody.Roc roc = e.roc();
        Double auc = e.metrics() == null ? null : e.metrics().get("roc_auc");
        String title = "ROC curve" + (auc == null ? "" : ", AUC = " + String.format(Locale.ROOT, "%.4f", auc));
        int width = PANEL + 2 * MARGIN;
        int height = PANEL + 2 * MARGIN;
        StringBuilder svg = open(width, height, title);
        text(svg, width / 2.0, MARGIN / 2.0 + 6, title, "middle", 15, "");
        svg.append("<rect x=\"").append(MARGIN).append("\" y=\"").append(MARGIN).append("\" width=\"").append(PANEL)
                .append("\" height=\"").append(PANEL).append("\" fill=\"none\" stroke=\"#444\"/>\n");
        svg.append("<line x1=\"").append(MARGIN).append("\" y1=\"").append(MARGIN + PANEL).append("\" x2=\"")
                .append(MARGIN + PANEL).append("\" y2=\"").append(MARGIN)
                .append("\" stroke=\"#999\" stroke-dasharray=\"6 4\"/>\n");
        for (int i = 0; i <= 4; i++) {
            double v = i / 4.0;
            String tick = String.format(Locale.ROOT, "%.2f", v);
            text(svg, x(v), MARGIN + PANEL + 16, tick, "middle", 10, "");
            text(svg, MARGIN - 6, y(v) + 4, tick, "end", 10, "");
        }
        int n = roc.fpr().length;
        int step = Math.max(1, (n + MAX_CURVE_POINTS - 1) / MAX_CURVE_POINTS);
        StringBuilder points = new StringBuilder();
        for (int i = 0; i < n; i += step) {
            points.append(num(x(roc.fpr()[i]))).append(',').append(num(y(roc.tpr()[i]))).append(' ');
        }
        points.append(num(x(roc.fpr()[n - 1]))).append(',').append(num(y(roc.tpr()[n - 1])));
        svg.append("<polyline points=\"").append(points).append("\" fill=\"none\" stroke=\"#d62728\" "
                + "stroke-width=\"2.5\"/>\n");
        text(svg, MARGIN + PANEL / 2.0, MARGIN + PANEL + 40, "False positive rate", "middle", 13, "");
        double yLabelX = MARGIN - 40;
        double yLabelY = MARGIN + PANEL / 2.0;
        svg.append("<text x=\"").append(num(yLabelX)).append("\" y=\"").append(num(yLabelY))
                .append("\" text-anchor=\"middle\" font-size=\"13\" transform=\"rotate(-90 ").append(num(yLabelX))
                .append(' ').append(num(yLabelY)).append(")\">True positive rate</text>\n");
        return svg.append("</svg>\n").toString();
    }

    private static double x(double rate) {
        return MARGIN + rate * PANEL;
    }

    private static double y(double rate) {
        return MARGIN + PANEL - rate * PANEL;
    }

    /** White (0) to dark blue (1). */
    private static String blue(double shade) {
        int r = (int) Math.round(255 - shade * (255 - 8));
        int g = (int) Math.round(255 - shade * (255 - 48));
        int b = (int) Math.round(255 - shade * (255 - 107));
        return String.format(Locale.ROOT, "#%02x%02x%02x", r, g, b);
    }

    private static String shorten(String name) {
        return name.length() <= MAX_NAME ? name : name.substring(0, MAX_NAME - 1) + "…";
    }

    private static StringBuilder open(int width, int height, String title) {
        return SvgText.open(width, height, title, 16 * 1024);
    }

    private static void text(StringBuilder svg, double x, double y, String s, String anchor, int size,
            String extra) {
        svg.append("<text x=\"").append(num(x)).append("\" y=\"").append(num(y)).append("\" text-anchor=\"")
                .append(anchor).append("\" font-size=\"").append(size).append('"').append(extra).append('>')
                .append(SvgText.escape(s)).append("</text>\n");
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
