package io.tapeflow.web;

/**
 * The one way every SVG this service draws (dataset scatter plots, model plots, evaluation charts) writes text that
 * came from a client: a dataset, feature, label or class name can hold anything JSON can, and the image must stay
 * well-formed XML whatever it holds.
 */
public final class SvgText {

    private SvgText() {
    }

    /** The opening of an SVG document: its size, a {@code <title>} and a white background. */
    public static StringBuilder open(int width, int height, String title, int capacity) {
        StringBuilder svg = new StringBuilder(capacity);
        svg.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width)
                .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(width).append(' ')
                .append(height).append("\" font-family=\"sans-serif\" font-size=\"12\">\n")
                .append("<title>").append(escape(title)).append("</title>\n")
                .append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        return svg;
    }

    /**
     * Text safe inside an element or a double-quoted attribute of XML 1.0: markup characters escaped, characters
     * XML cannot hold (controls other than tab and newline, lone surrogates, U+FFFE, U+FFFF) dropped; a surrogate
     * pair (an emoji) is kept.
     */
    public static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                default -> {
                    if (Character.isHighSurrogate(c) && i + 1 < text.length()
                            && Character.isLowSurrogate(text.charAt(i + 1))) {
                        out.append(c).append(text.charAt(++i));
                    } else if ((c >= 0x20 || c == '\t' || c == '\n') && !Character.isSurrogate(c)
                            && c != '\uFFFE' && c != '\uFFFF') {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
