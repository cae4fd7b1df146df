package io.tapeflow.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Runs documented commands in order in one {@code bash -euo pipefail} session, as a reader pasting them would, and
 * keeps each command's output (stdout and stderr). The session is strict where a terminal is lenient: its
 * {@code curl} fails on an HTTP error the document does not show, its {@code jq -r} fails on {@code null} or
 * nothing, and a variable picked out of a response must be an id. The working directory is a fresh one in which
 * every entry of the repository root is linked, so paths resolve as from the root and files the commands write
 * ({@code -o linear.svg}) stay out of the work tree.
 */
public final class DocShell {

    private static final Pattern MARKER = Pattern.compile("\n\u001e(\\w+)\u001e\n");
    private static final long TIMEOUT_SECONDS = 300;

    private static final String PRELUDE = """
            __doc() { printf '\\n\\036%s\\036\\n' "$1"; __doc_allow=$2; }
            curl() {
              local head status rc=0
              head=$(mktemp)
              command curl -D "$head" "$@" || rc=$?
              status=$(awk 'toupper($1) ~ /^HTTP/ { s = $2 } END { print s }' "$head")
              rm -f "$head"
              if (( rc != 0 )); then echo "curl failed (exit $rc): curl $*" >&2; return "$rc"; fi
              if [[ $status != [23]?? && " $__doc_allow " != *" $status "* ]]; then
                echo "HTTP $status, which the document does not show, from: curl $*" >&2; return 22
              fi
            }
            jq() {
              local out
              out=$(command jq "$@") || return
              if [[ " $* " == *" -r "* ]] && { [[ -z $out ]] || grep -qxE 'null|' <<<"$out"; }; then
                echo "jq $* printed '$out': the value is not there" >&2; return 1
              fi
              printf '%s\\n' "$out"
            }
            __doc_set() {
              local value=${!1-}
              if [[ -z $value || $value == null ]]; then echo "$1 is empty or null" >&2; return 1; fi
              if [[ $2 == id && ! $value =~ ^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$ ]]; then
                echo "$1=$value is not an id" >&2; return 1
              fi
            }
            """;

    private DocShell() {
    }

    /** The session's outcome: its exit code and each reached command's output, by index. */
    public record Result(int exitCode, Map<Integer, String> outputs, String transcript) {

        public boolean reached(int command) {
            return outputs.containsKey(command);
        }

        /** The command that stopped the session, or -1 when every command ran. */
        public int failed() {
            return exitCode == 0 ? -1 : outputs.keySet().stream().mapToInt(Integer::intValue).max().orElse(-1);
        }
    }

    public static Result run(List<DocumentedCommands.Command> commands, Map<String, String> environment) {
        StringBuilder script = new StringBuilder(PRELUDE);
        for (int i = 0; i < commands.size(); i++) {
            DocumentedCommands.Command command = commands.get(i);
            String allowed = command.shownErrorStatuses().stream().map(String::valueOf)
                    .collect(Collectors.joining(" "));
            script.append("__doc ").append(i).append(" '").append(allowed).append("'\n")
                    .append(command.text()).append('\n');
            if (command.assignedVariable() != null) {
                script.append("__doc_set ").append(command.assignedVariable())
                        .append(command.extractsFromResponse() ? " id" : " any").append('\n');
            }
        }
        script.append("__doc end ''\n");
        return execute(script.toString(), environment);
    }

    /** {@code bash -n}: the syntax errors of a text, empty when there are none. */
    public static String syntaxErrors(String text) {
        try {
            Process bash = new ProcessBuilder("bash", "-n").redirectErrorStream(true).start();
            bash.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
            bash.getOutputStream().close();
            String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return bash.waitFor() == 0 ? "" : out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Result execute(String script, Map<String, String> environment) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("doc-commands");
            linkRepository(dir);
            Path file = dir.resolve(".session.sh");
            Path out = dir.resolve(".session.out");
            Files.writeString(file, script);
            ProcessBuilder builder = new ProcessBuilder("bash", "-euo", "pipefail", file.toString()).directory(
                    dir.toFile()).redirectErrorStream(true).redirectOutput(out.toFile());
            builder.environment().putAll(environment);
            Process bash = builder.start();
            boolean finished = bash.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (!finished) {
                bash.destroyForcibly().waitFor();
            }
            String transcript = Files.readString(out) + (finished ? "" : "\n[killed after " + TIMEOUT_SECONDS + " s]");
            return new Result(bash.exitValue(), outputs(transcript), transcript);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            delete(dir);
        }
    }

    /** Deletes the session's directory: the links (not what they point to) and the files the commands wrote. */
    private static void delete(Path dir) {
        if (dir == null) {
            return;
        }
        try (var tree = Files.walk(dir)) {
            for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void linkRepository(Path dir) throws IOException {
        try (var entries = Files.list(Path.of("").toAbsolutePath())) {
            for (Path entry : entries.toList()) {
                Files.createSymbolicLink(dir.resolve(entry.getFileName()), entry);
            }
        }
    }

    /** Splits the transcript at the markers printed before each command. */
    static Map<Integer, String> outputs(String transcript) {
        Map<Integer, String> outputs = new HashMap<>();
        Matcher m = MARKER.matcher(transcript);
        Integer current = null;
        int from = 0;
        while (m.find()) {
            if (current != null) {
                outputs.put(current, transcript.substring(from, m.start()));
            }
            current = m.group(1).equals("end") ? null : Integer.valueOf(m.group(1));
            from = m.end();
        }
        if (current != null) {
            outputs.put(current, transcript.substring(from));
        }
        return outputs;
    }
}
