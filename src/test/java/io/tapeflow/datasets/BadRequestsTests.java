package io.tapeflow.datasets;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.tapeflow.support.Http;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Requests a client gets wrong: each must get its 4xx problem body naming the field (or the resource), store
 * nothing and leave the service healthy.
 */
abstract class BadRequestsTests {

    private static final String DATASETS = "/api/v1/datasets";
    private static final String JSON = "application/json";
    private static final String CSV = "text/csv";
    private static final String MISSING = "/api/v1/datasets/0b6c3f0e-0000-4000-8000-000000000000";

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    Http http;

    @BeforeEach
    void client() {
        http = new Http(port);
    }

    /** A bad request: what is sent, the status expected and the field the problem must name (null: none). */
    record Case(String method, String path, String contentType, byte[] body, int status, String field) {

        static Case json(String body, String field) {
            return new Case("POST", DATASETS, JSON, body.getBytes(StandardCharsets.UTF_8), 400, field);
        }

        static Case source(String source, String field) {
            return json("{\"name\": \"bad\", \"seed\": 1, \"source\": " + source + "}", field);
        }

        static Case csv(String query, String body, String field) {
            return new Case("POST", DATASETS + query, CSV, body.getBytes(StandardCharsets.UTF_8), 400, field);
        }

        static Case get(String path, int status, String field) {
            return new Case("GET", path, null, null, status, field);
        }
    }

    static Stream<Arguments> badRequests() {
        String big = "[" + "1.0,".repeat(300_000) + "1.0]";
        String deep = "[".repeat(200) + "]".repeat(200);
        return Stream.of(
                Arguments.of("malformed JSON", Case.json("{\"name\": \"x\", \"source\": {", "source")),
                Arguments.of("not JSON at all", Case.json("name=x", "body")),
                Arguments.of("empty JSON body", Case.json("", "body")),
                Arguments.of("an array, not an object", Case.json("[1, 2]", "body")),
                Arguments.of("missing name", Case.json("{\"source\": {\"type\": \"linear\"}}", "name")),
                Arguments.of("blank name", Case.json("{\"name\": \" \", \"source\": {\"type\": \"linear\"}}",
                        "name")),
                Arguments.of("name too long", Case.json("{\"name\": \"" + "n".repeat(201)
                        + "\", \"source\": {\"type\": \"linear\"}}", "name")),
                Arguments.of("missing source", Case.json("{\"name\": \"x\"}", "source")),
                Arguments.of("unknown source type", Case.source("{\"type\": \"spiral\"}", "source.type")),
                Arguments.of("missing source type", Case.source("{\"samples\": 10}", "source.type")),
                Arguments.of("misspelt field", Case.source("{\"type\": \"linear\", \"sample\": 10}",
                        "source.sample")),
                Arguments.of("string for a number", Case.source("{\"type\": \"linear\", \"samples\": \"ten\"}",
                        "source.samples")),
                Arguments.of("numeric string", Case.source("{\"type\": \"linear\", \"samples\": \"10\"}",
                        "source.samples")),
                Arguments.of("fraction for an integer", Case.source("{\"type\": \"linear\", \"samples\": 1.5}",
                        "source.samples")),
                Arguments.of("negative size", Case.source("{\"type\": \"linear\", \"samples\": -5}",
                        "source.samples")),
                Arguments.of("zero size", Case.source("{\"type\": \"linear\", \"samples\": 0}", "source.samples")),
                Arguments.of("huge size", Case.source("{\"type\": \"linear\", \"samples\": 1000000000}",
                        "source.samples")),
                Arguments.of("size past int", Case.source("{\"type\": \"linear\", \"samples\": 99999999999}",
                        "source.samples")),
                Arguments.of("thousand-digit number", Case.source("{\"type\": \"linear\", \"samples\": "
                        + "9".repeat(1000) + "}", "source")), // the parser stops before it knows the field
                Arguments.of("no weights", Case.source("{\"type\": \"linear\", \"weights\": []}", "source.weights")),
                Arguments.of("too many features", Case.source("{\"type\": \"linear\", \"samples\": 2, \"weights\": ["
                        + "1,".repeat(1100) + "1]}", "source.weights")),
                Arguments.of("too many values", Case.source("{\"type\": \"linear\", \"samples\": 100000, "
                        + "\"weights\": [" + "1,".repeat(199) + "1]}", "source.samples")),
                Arguments.of("low not below high", Case.source("{\"type\": \"linear\", \"low\": 5, \"high\": 5}",
                        "source.high")),
                Arguments.of("negative noise", Case.source("{\"type\": \"linear\", \"noise\": -1}", "source.noise")),
                Arguments.of("infinite bias (1e999)", Case.source("{\"type\": \"linear\", \"bias\": 1e999}",
                        "source.bias")),
                Arguments.of("float32 overflow while generating", Case.source("{\"type\": \"linear\", "
                        + "\"weights\": [3e38, 3e38], \"low\": 1, \"high\": 2}", "source")),
                Arguments.of("NaN weight as a string", Case.source("{\"type\": \"linear\", \"weights\": [\"NaN\"]}",
                        "source.weights[0]")),
                Arguments.of("rows over the limit", Case.source("{\"type\": \"rings\", \"positives\": 60000, "
                        + "\"negatives\": 60000}", "source.positives")),
                Arguments.of("no rows", Case.source("{\"type\": \"rings\", \"positives\": 0, \"negatives\": 0}",
                        "source.positives")),
                Arguments.of("negative radius", Case.source("{\"type\": \"rings\", \"innerRadius\": -1}",
                        "source.innerRadius")),
                Arguments.of("ragged rows", Case.source("{\"type\": \"inline\", \"features\": [[1, 2], [3]], "
                        + "\"labels\": [[0], [1]]}", "source.features[1]")),
                Arguments.of("NaN value", Case.source("{\"type\": \"inline\", \"features\": [[1, \"NaN\"], [3, 4]], "
                        + "\"labels\": [[0], [1]]}", "source.features[0][1]")),
                Arguments.of("NaN literal", Case.source("{\"type\": \"inline\", \"features\": [[1, NaN], [3, 4]], "
                        + "\"labels\": [[0], [1]]}", "source.features[0][1]")),
                Arguments.of("float32 overflow", Case.source("{\"type\": \"inline\", \"features\": [[1, 2], [1e39, 4]], "
                        + "\"labels\": [[0], [1]]}", "source.features[1][0]")),
                Arguments.of("Infinity label", Case.source("{\"type\": \"inline\", \"features\": [[1], [2]], "
                        + "\"labels\": [[0], [\"-Infinity\"]]}", "source.labels[1][0]")),
                Arguments.of("label rows mismatch", Case.source("{\"type\": \"inline\", \"features\": [[1], [2]], "
                        + "\"labels\": [[0]]}", "source.labels")),
                Arguments.of("no inline rows", Case.source("{\"type\": \"inline\", \"features\": [], "
                        + "\"labels\": []}", "source.features")),
                Arguments.of("null row", Case.source("{\"type\": \"inline\", \"features\": [[1], null], "
                        + "\"labels\": [[0], [1]]}", "source.features[1]")),
                Arguments.of("wrong number of names", Case.source("{\"type\": \"inline\", \"features\": [[1, 2]], "
                        + "\"labels\": [[0]], \"featureNames\": [\"a\"]}", "source.featureNames")),
                Arguments.of("string seed", Case.json("{\"name\": \"x\", \"seed\": \"abc\", "
                        + "\"source\": {\"type\": \"linear\"}}", "seed")),
                Arguments.of("deep nesting", Case.source("{\"type\": \"inline\", \"features\": " + deep
                        + ", \"labels\": [[0]]}", "source.features")),
                Arguments.of("CSV NaN beside numbers", Case.csv("?name=c&labels=y", "x1,x2,y\n1,2,3\n4,nan,6\n",
                        "rows[1].x2")),
                Arguments.of("CSV missing label cell", Case.csv("?name=c&labels=y&missing=mean",
                        "x1,x2,y\n1,2,3\n4,5,\n", "rows[1].y")),
                Arguments.of("CSV missing categorical label cell", Case.csv("?name=c&labels=y&missing=most_frequent",
                        "x1,y\n1,cat\n2,\n", "rows[1].y")),
                Arguments.of("CSV unknown missing policy", Case.csv("?name=c&labels=y&missing=median",
                        "x1,y\n1,3\n", "missing")),
                Arguments.of("CSV too many categories", Case.csv("?name=c&labels=y", categories(257, 1), "columns.c1")),
                Arguments.of("CSV too many classes", Case.csv("?name=c&labels=c1", categories(257, 1), "columns.c1")),
                Arguments.of("CSV one-hot wider than max-features", Case.csv("?name=c&labels=y", categories(250, 5),
                        "header")),
                Arguments.of("CSV imputing an empty column", Case.csv("?name=c&labels=y&missing=mean",
                        "x1,x2,y\n1,,3\n2,,4\n", "columns.x2")),
                Arguments.of("CSV category with a NUL", Case.csv("?name=c&labels=y", "x,y\na\u0000,1\n", "rows[0].x")),
                Arguments.of("CSV one-hot name clash", Case.csv("?name=c&labels=y", "a,a_b,y\nb,1,0\nc,2,1\n",
                        "header")),
                Arguments.of("CSV missing value", Case.csv("?name=c&labels=y", "x1,x2,y\n1,2,3\n4,,6\n",
                        "rows[1].x2")),
                Arguments.of("CSV ragged row", Case.csv("?name=c&labels=y", "x1,x2,y\n1,2\n", "rows[0]")),
                Arguments.of("CSV NaN", Case.csv("?name=c&labels=y", "x1,x2,y\nNaN,2,3\n", "rows[0].x1")),
                Arguments.of("CSV Infinity", Case.csv("?name=c&labels=y", "x1,x2,y\n1,2,-Infinity\n", "rows[0].y")),
                Arguments.of("CSV float32 overflow", Case.csv("?name=c&labels=y", "x1,y\n1e39,3\n", "rows[0].x1")),
                Arguments.of("CSV unknown label", Case.csv("?name=c&labels=z", "x1,y\n1,3\n", "labels")),
                Arguments.of("CSV without labels", Case.csv("?name=c", "x1,y\n1,3\n", "labels")),
                Arguments.of("CSV without name", Case.csv("?labels=y", "x1,y\n1,3\n", "name")),
                Arguments.of("CSV only labels", Case.csv("?name=c&labels=x1,y", "x1,y\n1,3\n", "labels")),
                Arguments.of("CSV header only", Case.csv("?name=c&labels=y", "x1,y\n", "body")),
                Arguments.of("CSV empty", Case.csv("?name=c&labels=y", "", "body")),
                Arguments.of("CSV duplicate column", Case.csv("?name=c&labels=y", "x,x,y\n1,2,3\n", "header")),
                Arguments.of("CSV unterminated quote", Case.csv("?name=c&labels=y", "x,y\n\"1,2\n", "body")),
                Arguments.of("oversized JSON body", new Case("POST", DATASETS, JSON, ("{\"name\": \"big\", "
                        + "\"source\": {\"type\": \"inline\", \"features\": [" + big + "], \"labels\": [[1]]}}")
                        .getBytes(StandardCharsets.UTF_8), 413, "body")),
                Arguments.of("oversized CSV body", new Case("POST", DATASETS + "?name=c&labels=y", CSV,
                        ("x,y\n" + "1,2\n".repeat(300_000)).getBytes(StandardCharsets.UTF_8), 413, "body")),
                Arguments.of("unsupported media type", new Case("POST", DATASETS, "text/plain",
                        "x".getBytes(StandardCharsets.UTF_8), 415, null)),
                Arguments.of("method not allowed", new Case("PUT", DATASETS, JSON,
                        "{}".getBytes(StandardCharsets.UTF_8), 405, null)),
                Arguments.of("unknown id", Case.get(MISSING, 404, null)),
                Arguments.of("unknown id's rows", Case.get(MISSING + "/rows", 404, null)),
                Arguments.of("unknown id's plot", Case.get(MISSING + "/plot", 404, null)),
                Arguments.of("delete unknown id", new Case("DELETE", MISSING, null, null, 404, null)),
                Arguments.of("malformed id", Case.get(DATASETS + "/not-a-uuid", 400, "id")),
                Arguments.of("unknown path", Case.get("/api/v1/nothing-here", 404, null)),
                Arguments.of("negative offset", Case.get(MISSING + "/rows?offset=-1", 400, "offset")),
                Arguments.of("zero limit", Case.get(MISSING + "/rows?limit=0", 400, "limit")),
                Arguments.of("huge limit", Case.get(MISSING + "/rows?limit=1000000", 400, "limit")),
                Arguments.of("negative page", Case.get(DATASETS + "?page=-1", 400, "page")),
                Arguments.of("huge page size", Case.get(DATASETS + "?size=100000", 400, "size")),
                Arguments.of("page size not a number", Case.get(DATASETS + "?size=ten", 400, "size")));
    }

    /** {@code columns} categorical columns c1.. with {@code values} distinct values each, and a numeric label y. */
    private static String categories(int values, int columns) {
        StringBuilder csv = new StringBuilder();
        for (int c = 1; c <= columns; c++) {
            csv.append('c').append(c).append(',');
        }
        csv.append("y\n");
        for (int i = 0; i < values; i++) {
            for (int c = 1; c <= columns; c++) {
                csv.append("v").append(i).append(',');
            }
            csv.append(i % 2).append('\n');
        }
        return csv.toString();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void isRefusedWithAProblemAndStoresNothing(String name, Case c) {
        long before = count();
        Map<String, String> headers = c.contentType() == null ? Map.of() : Map.of("Content-Type", c.contentType());
        Http.Response response = http.send(c.method(), c.path(), headers, c.body());

        assertThat(response.status()).as(response.toString()).isEqualTo(c.status());
        assertProblem(response, c.status(), c.field());
        assertThat(count()).isEqualTo(before);
        assertHealthy();
    }

    @Test
    void chunkedBodyOverTheLimitIs413() {
        long before = count();
        byte[] body = ("x,y\n" + "1,2\n".repeat(300_000)).getBytes(StandardCharsets.UTF_8);
        Http.Response response = http.postChunked(DATASETS + "?name=c&labels=y", CSV, body);
        assertThat(response.status()).as(response.toString()).isEqualTo(413);
        assertProblem(response, 413, "body");
        assertThat(count()).isEqualTo(before);
        assertHealthy();
    }

    @Test
    void notAcceptableIsStillProblemJson() {
        Http.Response response = http.send("GET", DATASETS, Map.of("Accept", "application/xml"), (byte[]) null);
        assertThat(response.status()).isEqualTo(406);
        assertProblem(response, 406, null);
    }

    private void assertProblem(Http.Response response, int status, String field) {
        assertThat(response.contentType()).startsWith("application/problem+json");
        JsonNode problem = response.json();
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("type").asString()).isEqualTo("https://tapeflow.io/problems/" + status);
        assertThat(problem.get("title").asString()).isNotBlank();
        assertThat(problem.get("detail").asString()).isNotBlank();
        if (field != null) {
            List<String> fields = new ArrayList<>();
            problem.get("errors").forEach(e -> {
                fields.add(e.get("field").asString());
                assertThat(e.get("message").asString()).isNotBlank();
            });
            assertThat(fields).as(response.toString()).anyMatch(f -> f.equals(field) || f.startsWith(field + "["));
        }
    }

    private long count() {
        return jdbc.sql("SELECT COUNT(*) FROM datasets").query(Long.class).single();
    }

    private void assertHealthy() {
        Http.Response health = http.get("/actuator/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("status").asString()).isEqualTo("UP");
    }
}
