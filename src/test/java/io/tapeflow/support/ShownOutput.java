package io.tapeflow.support;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a command's real output is what a document shows for it. Whitespace does not count (documents wrap long
 * JSON), {@code …} stands for anything, ids and timestamps match any id and timestamp (they differ on every run),
 * and prose after the shown JSON value is ignored. An output shown as {@code HTTP/1.1 201} and headers, a blank
 * line and a body is a {@code curl -i} answer: its status must match, each shown header must be among the real
 * ones, and the body as above.
 */
public final class ShownOutput {

    private static final Pattern VARYING = Pattern.compile(
            "[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}|\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(?:\\.\\d+)?Z");
    private static final String ANY_ID_OR_TIME =
            "(?:[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}|\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(?:\\.\\d+)?Z)";

    private ShownOutput() {
    }

    public static boolean matches(String shown, String actual) {
        if (shown.startsWith("HTTP/")) {
            return httpMatches(shown, actual.replace("\r", ""));
        }
        return pattern(jsonValue(shown.strip())).matcher(squeezed(actual)).matches();
    }

    private static boolean httpMatches(String shown, String actual) {
        String[] shownParts = shown.split("\n\n", 2);
        String[] actualParts = actual.split("\n\n", 2);
        List<String> actualHead = Arrays.asList(actualParts[0].split("\n"));
        List<String> shownHead = Arrays.asList(shownParts[0].split("\n"));
        boolean status = actualHead.get(0).startsWith(shownHead.get(0).strip());
        boolean headers = shownHead.stream().skip(1).allMatch(header -> actualHead.stream()
                .anyMatch(line -> pattern(header).matcher(squeezed(line)).matches()));
        boolean body = shownParts.length < 2 || actualParts.length == 2 && matches(shownParts[1], actualParts[1]);
        return status && headers && body;
    }

    /** The shown text up to the end of the JSON value it starts with (what follows is prose), or all of it. */
    static String jsonValue(String shown) {
        int end = jsonEnd(shown);
        return end < 0 ? shown : shown.substring(0, end);
    }

    /** Where the JSON value that a text starts with ends, or -1 (not JSON, or not closed yet). */
    static int jsonEnd(String text) {
        if (!text.startsWith("{") && !text.startsWith("[")) {
            return -1;
        }
        int depth = 0;
        boolean string = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (string) {
                string = c != '"' || text.charAt(i - 1) == '\\';
            } else if (c == '"') {
                string = true;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if ((c == '}' || c == ']') && --depth == 0) {
                return i + 1;
            }
        }
        return -1;
    }

    private static Pattern pattern(String shown) {
        StringBuilder regex = new StringBuilder();
        for (String piece : squeezed(shown).split("…", -1)) {
            if (!regex.isEmpty()) {
                regex.append(".*");
            }
            Matcher varying = VARYING.matcher(piece);
            int from = 0;
            while (varying.find()) {
                regex.append(Pattern.quote(piece.substring(from, varying.start()))).append(ANY_ID_OR_TIME);
                from = varying.end();
            }
            regex.append(Pattern.quote(piece.substring(from)));
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    private static String squeezed(String text) {
        return text.replaceAll("\\s+", "");
    }
}
