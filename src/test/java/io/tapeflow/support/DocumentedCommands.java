package io.tapeflow.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the fenced {@code ```bash} blocks of a Markdown file and the output they show.
 *
 * <p>A block is split into commands (a command goes on over a trailing {@code \}, {@code |} or {@code &&} and
 * inside open quotes). A command's shown output is a run of {@code #} comment lines right after it that starts a
 * JSON object or array ({@code …} abbreviating), a trailing {@code # 204} on its own last line (a status code), or,
 * for a block's last command, a plain {@code ```} block right after the block. A block that no test can run carries
 * {@value #MARK} in an HTML comment on the line before it, followed by the reason.
 */
public final class DocumentedCommands {

    public static final String MARK = "not run by DocumentedCommandsTests:";

    private static final Pattern FENCE = Pattern.compile("^(\\s*)```(\\w*)\\s*$");
    private static final Pattern MARKER = Pattern.compile("^\\s*<!--\\s*" + Pattern.quote(MARK) + "(.*?)-->\\s*$");
    private static final Pattern STATUS = Pattern.compile("\\d{3}");
    private static final Pattern SHOWN_STATUS = Pattern.compile("^(\\d{3})$|\"status\":\\s*(\\d{3})");
    private static final Pattern ASSIGNMENT = Pattern.compile("^([A-Za-z_]\\w*)=");
    private static final Pattern VARIABLE = Pattern.compile("([A-Za-z_]\\w*)=(\\$\\(.*\\)|[^\\s$]+)(\\s+#.*)?",
            Pattern.DOTALL);
    private static final Pattern REPOSITORY_PATH = Pattern.compile(
            "(?<![\\w/:$.-])(?:\\./)?[\\w.-]+(?:/[\\w.*-]+)+|(?<![\\w/:$.-])\\./[\\w.-]+");

    private DocumentedCommands() {
    }

    /** One {@code ```bash} block: where it starts, its text and why it is not run ({@code null}: it is run). */
    public record Block(String file, int line, String text, String notRunBecause, List<Command> commands) {

        public String label() {
            return file + ":" + line;
        }

        public boolean marked() {
            return notRunBecause != null;
        }

        /** The commands it runs, first word of each simple command (pipelines, lists, substitutions). */
        public Set<String> programs() {
            Set<String> programs = new LinkedHashSet<>();
            commands.forEach(c -> programs.addAll(scan(c.text()).programs()));
            return programs;
        }
    }

    /** One command of a block (continuation lines included) and the output the document shows for it, if any. */
    public record Command(int line, String text, String shown) {

        /** The error statuses the shown output admits ({@code # 404}, {@code "status":400}). */
        public Set<Integer> shownErrorStatuses() {
            Set<Integer> statuses = new LinkedHashSet<>();
            if (shown != null) {
                Matcher m = SHOWN_STATUS.matcher(shown);
                while (m.find()) {
                    int status = Integer.parseInt(m.group(1) != null ? m.group(1) : m.group(2));
                    if (status >= 400) {
                        statuses.add(status);
                    }
                }
            }
            return statuses;
        }

        /** {@code NAME} for a command that only sets a variable ({@code NAME=word}, {@code NAME=$(…)}), else null. */
        public String assignedVariable() {
            Matcher m = VARIABLE.matcher(text);
            return m.matches() ? m.group(1) : null;
        }

        /** Whether it assigns a value picked out of a response ({@code NAME=$(curl … | jq -r …)} or {@code | sed}). */
        public boolean extractsFromResponse() {
            return assignedVariable() != null && text.contains("$(curl") && scan(text).programs().stream()
                    .anyMatch(p -> p.equals("jq") || p.equals("sed"));
        }

        public Command withText(String newText, String newShown) {
            return new Command(line, newText, newShown);
        }
    }

    /** The Markdown files whose commands are documented: the README and docs/*.md, in that order. */
    public static List<Path> files(Path root) {
        List<Path> files = new ArrayList<>(List.of(root.resolve("README.md")));
        try (var docs = Files.list(root.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    public static List<Block> parse(Path markdown) {
        try {
            return parse(markdown.getFileName().toString(), Files.readAllLines(markdown, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Block> parse(String file, List<String> lines) {
        List<Block> blocks = new ArrayList<>();
        int i = 0;
        while (i < lines.size()) {
            Matcher fence = FENCE.matcher(lines.get(i));
            if (!fence.matches()) {
                i++;
                continue;
            }
            int end = closingFence(lines, i);
            List<String> body = unindented(lines.subList(i + 1, end), fence.group(1).length());
            if (fence.group(2).equals("bash")) {
                List<Command> commands = commands(body, i + 2);
                String output = plainBlockAfter(lines, end + 1);
                if (output != null && !commands.isEmpty() && commands.get(commands.size() - 1).shown() == null) {
                    Command last = commands.remove(commands.size() - 1);
                    commands.add(last.withText(last.text(), output));
                }
                blocks.add(new Block(file, i + 1, String.join("\n", body) + "\n", marker(lines, i), commands));
            }
            i = end + 1;
        }
        return blocks;
    }

    private static int closingFence(List<String> lines, int open) {
        for (int j = open + 1; j < lines.size(); j++) {
            if (lines.get(j).strip().equals("```")) {
                return j;
            }
        }
        throw new IllegalArgumentException("line " + (open + 1) + ": the code block is never closed");
    }

    private static List<String> unindented(List<String> lines, int indent) {
        return lines.stream().map(l -> l.length() >= indent && l.substring(0, indent).isBlank()
                ? l.substring(indent) : l.strip()).toList();
    }

    /** The reason in a marker on the nearest non-blank line before the fence, or {@code null}. */
    private static String marker(List<String> lines, int fence) {
        int j = fence - 1;
        while (j >= 0 && lines.get(j).isBlank()) {
            j--;
        }
        Matcher m = j >= 0 ? MARKER.matcher(lines.get(j)) : null;
        return m != null && m.matches() ? m.group(1).strip() : null;
    }

    /** The text of a plain {@code ```} block that follows after blank lines only, or {@code null}. */
    private static String plainBlockAfter(List<String> lines, int from) {
        int j = from;
        while (j < lines.size() && lines.get(j).isBlank()) {
            j++;
        }
        if (j >= lines.size() || !lines.get(j).strip().equals("```")) {
            return null;
        }
        int end = closingFence(lines, j);
        int indent = lines.get(j).indexOf('`');
        return String.join("\n", unindented(lines.subList(j + 1, end), indent));
    }

    static List<Command> commands(List<String> lines, int firstLine) {
        List<Command> commands = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        StringBuilder shown = null; // the comment run after the last command, while it may still show its output
        int start = 0;
        for (int j = 0; j < lines.size(); j++) {
            String line = lines.get(j);
            if (text.isEmpty() && line.strip().startsWith("#")) {
                shown = shownLine(commands, shown, line.strip().replaceFirst("^#\\s?", ""));
                continue;
            }
            if (text.isEmpty()) {
                attachShown(commands, shown);
                shown = null;
                if (line.isBlank()) {
                    continue;
                }
                start = firstLine + j;
            }
            text.append(line).append('\n');
            Scan scan = scan(text.toString());
            if (scan.complete()) {
                String comment = scan.trailingComment();
                boolean status = comment != null && STATUS.matcher(comment).matches();
                commands.add(new Command(start, text.toString().stripTrailing(), status ? comment : null));
                shown = status ? null : new StringBuilder();
                text.setLength(0);
            }
        }
        if (!text.isEmpty()) {
            throw new IllegalArgumentException("line " + start + ": the command never ends: " + text);
        }
        attachShown(commands, shown);
        return commands;
    }

    /**
     * A comment line goes on the shown output if it opens one (a JSON object or array) or continues it; else it is
     * prose. The output ends with its JSON value (the rest of that line is prose too).
     */
    private static StringBuilder shownLine(List<Command> commands, StringBuilder shown, String comment) {
        if (shown == null || shown.isEmpty() && !comment.startsWith("{") && !comment.startsWith("[")) {
            return null;
        }
        shown.append(shown.isEmpty() ? "" : "\n").append(comment);
        if (ShownOutput.jsonEnd(shown.toString()) < 0) {
            return shown;
        }
        attachShown(commands, shown);
        return null;
    }

    private static void attachShown(List<Command> commands, StringBuilder shown) {
        if (shown != null && !shown.isEmpty()) {
            Command last = commands.remove(commands.size() - 1);
            commands.add(last.withText(last.text(), shown.toString()));
        }
    }

    /** Paths inside the repository that a text mentions ({@code src/…}, {@code ./mvnw}; {@code target/…} aside). */
    public static List<String> repositoryPaths(String text, Path root) {
        List<String> paths = new ArrayList<>();
        Matcher m = REPOSITORY_PATH.matcher(text);
        while (m.find()) {
            String path = m.group().replaceFirst("^\\./", "");
            String first = path.split("/")[0];
            if (!first.equals("target") && !path.contains("*") && Files.exists(root.resolve(first))) {
                paths.add(path);
            }
        }
        return paths;
    }

    /** What a shell would make of a command's text: the programs it starts, and whether the text is complete. */
    public record Scan(List<String> programs, boolean complete, String trailingComment) {
    }

    /**
     * A small reading of bash's quoting, enough for documentation: single and double quotes, backslashes,
     * {@code $(…)} (also inside double quotes), {@code |}, {@code &&}, {@code ;}, {@code (…)}, comments and
     * {@code NAME=value} prefixes. No here-documents, no backticks.
     */
    public static Scan scan(String text) {
        return new Scanner(text).run();
    }

    private static final class Scanner {

        private final String s;
        private final List<String> programs = new ArrayList<>();
        private final Deque<Boolean> substitutions = new ArrayDeque<>();
        private boolean single;
        private boolean dbl;
        private boolean atStart = true;
        private int assignmentDepth = -1;
        private char last = '\n';
        private char beforeLast = '\n';
        private String comment;
        private int i;

        Scanner(String text) {
            this.s = text;
        }

        Scan run() {
            while (i < s.length()) {
                step(s.charAt(i));
            }
            boolean continued = last == '\\' || last == '|' || (last == '&' && beforeLast == '&');
            boolean complete = !single && !dbl && substitutions.isEmpty() && !continued;
            return new Scan(List.copyOf(programs), complete, comment);
        }

        private void step(char c) {
            if (single) {
                single = c != '\'';
                i++;
            } else if (c == '\\') {
                i += 2;
                significant(i > s.length() || s.charAt(i - 1) == '\n' ? '\\' : 'x');
            } else if (c == '$' && next() == '(') {
                substitutions.push(dbl);
                dbl = false;
                atStart = true;
                i += 2;
                significant('(');
            } else if (dbl) {
                dbl = c != '"';
                i++;
                significant('"');
            } else {
                unquoted(c);
            }
        }

        private void unquoted(char c) {
            if (c == '\'' || c == '"') {
                single = c == '\'';
                dbl = c == '"';
                atStart = false;
                i++;
                significant(c);
            } else if (c == '#' && (i == 0 || Character.isWhitespace(s.charAt(i - 1)))) {
                int end = s.indexOf('\n', i);
                comment = s.substring(i + 1, end < 0 ? s.length() : end).strip();
                i = end < 0 ? s.length() : end;
            } else if (c == '\n') {
                comment = i + 1 < s.length() ? null : comment; // the last line's comment is the command's
                atStart = true;
                assignmentDepth = -1;
                i++;
            } else if (c == '(' || c == ')' || c == ';' || c == '|' || c == '&' && !redirection()) {
                separator(c);
            } else if (Character.isWhitespace(c)) {
                if (assignmentDepth == substitutions.size()) {
                    atStart = true;
                    assignmentDepth = -1;
                }
                i++;
            } else {
                word();
            }
        }

        private void separator(char c) {
            if (c == '(') {
                substitutions.push(false);
                atStart = true;
            } else if (c == ')') {
                dbl = !substitutions.isEmpty() && substitutions.pop();
                atStart = false;
            } else {
                atStart = true;
                assignmentDepth = -1;
            }
            i++;
            significant(c);
        }

        private boolean redirection() {
            return (i > 0 && (s.charAt(i - 1) == '>' || s.charAt(i - 1) == '<')) || next() == '>';
        }

        private void word() {
            Matcher assignment = ASSIGNMENT.matcher(s.substring(i));
            if (atStart && assignment.find()) {
                i += assignment.end();
                atStart = false;
                assignmentDepth = substitutions.size();
                significant('=');
                return;
            }
            int end = i;
            while (end < s.length() && !Character.isWhitespace(s.charAt(end))
                    && "|&;()<>'\"$".indexOf(s.charAt(end)) < 0) {
                end++;
            }
            end = Math.max(end, i + 1);
            if (atStart) {
                programs.add(s.substring(i, end));
                atStart = false;
            }
            significant(s.charAt(end - 1));
            i = end;
        }

        private char next() {
            return i + 1 < s.length() ? s.charAt(i + 1) : '\0';
        }

        private void significant(char c) {
            beforeLast = last;
            last = c;
        }
    }
}
