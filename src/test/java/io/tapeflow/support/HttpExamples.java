package io.tapeflow.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;

/**
 * Reads {@code .http} files in the VS Code REST Client format and runs them in order against a server.
 *
 * <p>Supported: requests separated by {@code ###} lines (the text after {@code ###} is the title), file variables
 * {@code @name = value}, comments {@code #} and {@code //}, a request line {@code METHOD URL [HTTP/1.1]}, headers,
 * a blank line, then the body (or {@code < ./file} to send a file beside the .http file). Variables are
 * {@code {{name}}}, {@code {{request.response.body.$.path.to[0].field}}} (JSONPath-like, {@code $.} optional),
 * {@code {{request.response.headers.Name}}} and {@code {{$guid}}}, where {@code request} was named with
 * {@code # @name request}. Our one addition: {@code # @expect 404} documents an intentional error; without it a
 * request must answer 2xx.
 */
public final class HttpExamples {

    private static final Pattern VARIABLE = Pattern.compile("\\{\\{\\s*([^}]+?)\\s*}}");
    private static final Pattern FILE_VARIABLE = Pattern.compile("^@([\\w.-]+)\\s*=\\s*(.*)$");
    private static final Pattern REQUEST_LINE = Pattern.compile(
            "^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\\s+(\\S+)(\\s+HTTP/\\S+)?$");

    private HttpExamples() {
    }

    /** One request of a file, as written (variables unresolved). */
    public record Request(String file, int line, String title, String name, Integer expectedStatus, String method,
            String url, Map<String, String> headers, String body, Path bodyFile) {

        public boolean accepts(int status) {
            return expectedStatus == null ? status >= 200 && status < 300 : status == expectedStatus;
        }

        public String label() {
            return file + ":" + line + " " + method + " " + (title.isBlank() ? url : title);
        }
    }

    /** A parsed file: its variables and requests. */
    public record HttpFile(Path path, Map<String, String> variables, List<Request> requests) {
    }

    public static HttpFile parse(Path path) {
        List<String> lines;
        try {
            lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> variables = new LinkedHashMap<>();
        List<Request> requests = new ArrayList<>();
        String file = path.getFileName().toString();
        int i = 0;
        String title = "";
        while (i < lines.size()) {
            String name = null;
            Integer expect = null;
            // preamble: comments, variables, annotations until the request line
            while (i < lines.size() && !lines.get(i).startsWith("###")) {
                String line = lines.get(i).trim();
                Matcher variable = FILE_VARIABLE.matcher(line);
                Matcher request = REQUEST_LINE.matcher(line);
                if (line.isEmpty()) {
                    i++;
                } else if (line.startsWith("#") || line.startsWith("//")) {
                    String comment = line.replaceFirst("^(#|//)\\s*", "");
                    if (comment.startsWith("@name")) {
                        name = comment.substring("@name".length()).replaceFirst("^\\s*=?\\s*", "").trim();
                    } else if (comment.startsWith("@expect")) {
                        expect = Integer.parseInt(comment.substring("@expect".length()).trim());
                    }
                    i++;
                } else if (variable.matches()) {
                    variables.put(variable.group(1), variable.group(2).trim());
                    i++;
                } else if (request.matches()) {
                    int requestLine = i + 1;
                    i++;
                    Map<String, String> headers = new LinkedHashMap<>();
                    while (i < lines.size() && !lines.get(i).isBlank() && !lines.get(i).startsWith("###")) {
                        String header = lines.get(i);
                        int colon = header.indexOf(':');
                        if (colon <= 0) {
                            throw new IllegalArgumentException(file + ":" + (i + 1) + ": not a header: " + header);
                        }
                        headers.put(header.substring(0, colon).trim(), header.substring(colon + 1).trim());
                        i++;
                    }
                    StringBuilder body = new StringBuilder();
                    while (i < lines.size() && !lines.get(i).startsWith("###")) {
                        body.append(lines.get(i)).append('\n');
                        i++;
                    }
                    String text = body.toString().strip();
                    Path bodyFile = null;
                    if (text.startsWith("<") && !text.contains("\n")) {
                        bodyFile = path.resolveSibling(text.substring(1).trim());
                        text = null;
                    } else if (text.isEmpty()) {
                        text = null;
                    } else {
                        text = text + "\n";
                    }
                    requests.add(new Request(file, requestLine, title, name, expect, request.group(1),
                            request.group(2), headers, text, bodyFile));
                } else {
                    throw new IllegalArgumentException(file + ":" + (i + 1) + ": cannot read: " + line);
                }
            }
            if (i < lines.size()) {
                title = lines.get(i).substring(3).trim();
                i++;
            }
        }
        return new HttpFile(path, variables, requests);
    }

    /** Runs one file's requests in order, remembering named responses for later requests. */
    public static final class Session {

        private final HttpFile file;
        private final Map<String, String> overrides;
        private final Map<String, Http.Response> responses = new HashMap<>();
        private final Http http;

        public Session(HttpFile file, Map<String, String> overrides, Http http) {
            this.file = file;
            this.overrides = overrides;
            this.http = http;
        }

        public Http.Response run(Request request) {
            Map<String, String> headers = new LinkedHashMap<>();
            request.headers().forEach((k, v) -> headers.put(k, resolve(v)));
            byte[] body = null;
            try {
                if (request.bodyFile() != null) {
                    body = Files.readAllBytes(request.bodyFile());
                } else if (request.body() != null) {
                    body = resolve(request.body()).getBytes(StandardCharsets.UTF_8);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Http.Response response = http.send(request.method(), resolve(request.url()), headers, body);
            if (request.name() != null) {
                responses.put(request.name(), response);
            }
            return response;
        }

        String resolve(String text) {
            Matcher m = VARIABLE.matcher(text);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                m.appendReplacement(out, Matcher.quoteReplacement(value(m.group(1))));
            }
            m.appendTail(out);
            return out.toString();
        }

        private String value(String expression) {
            if (expression.equals("$guid")) {
                return UUID.randomUUID().toString();
            }
            if (overrides.containsKey(expression)) {
                return overrides.get(expression);
            }
            if (file.variables().containsKey(expression)) {
                return resolve(file.variables().get(expression));
            }
            String[] parts = expression.split("\\.", 4);
            if (parts.length >= 3 && parts[1].equals("response") && responses.containsKey(parts[0])) {
                Http.Response response = responses.get(parts[0]);
                if (parts[2].equals("headers") && parts.length == 4) {
                    String header = response.header(parts[3]);
                    if (header != null) {
                        return header;
                    }
                } else if (parts[2].equals("body")) {
                    return parts.length == 3 ? response.body() : jsonPath(response.json(), parts[3], expression);
                }
            }
            throw new IllegalArgumentException("Unknown variable {{" + expression + "}} in " + file.path()
                    + " (named responses so far: " + responses.keySet() + ")");
        }

        private static String jsonPath(JsonNode root, String path, String expression) {
            String p = path.startsWith("$.") ? path.substring(2) : path.equals("$") ? "" : path;
            JsonNode node = root;
            for (String step : p.isEmpty() ? new String[0] : p.split("\\.")) {
                Matcher index = Pattern.compile("([^\\[]*)((\\[\\d+])*)").matcher(step);
                if (!index.matches()) {
                    throw new IllegalArgumentException("Bad path in {{" + expression + "}}");
                }
                if (!index.group(1).isEmpty()) {
                    node = node == null ? null : node.get(index.group(1));
                }
                Matcher i = Pattern.compile("\\[(\\d+)]").matcher(index.group(2));
                while (i.find()) {
                    node = node == null ? null : node.get(Integer.parseInt(i.group(1)));
                }
            }
            if (node == null || node.isMissingNode()) {
                throw new IllegalArgumentException("{{" + expression + "}} matches nothing in " + root);
            }
            return node.isValueNode() ? node.asString() : node.toString();
        }
    }
}
