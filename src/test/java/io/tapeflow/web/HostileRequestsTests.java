package io.tapeflow.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.tapeflow.models.ModelDocuments;
import io.tapeflow.support.Http;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * What an attacker or a broken client sends, across every endpoint: parser bombs (deep nesting, endless numbers,
 * huge names and bodies), non-finite and absurd sizes, ragged CSV, wrong content types, unknown and path-like ids,
 * and model documents that try to smuggle Java objects in. Each must get a 4xx problem body, store nothing, and leave
 * the service healthy. (The per-field mistakes of each endpoint have their own tests next to it.)
 */
abstract class HostileRequestsTests {

    private static final String JSON = "application/json";
    private static final String DATASETS = "/api/v1/datasets";
    private static final String JOBS = "/api/v1/training-jobs";
    private static final String MODELS = "/api/v1/models";
    /** Over the tests' 1 MB body limit. */
    private static final int HUGE = 1_200_000;

    /** One dataset, one trained model and its export per server, made once. */
    private static final Map<Integer, Fixture> FIXTURES = new ConcurrentHashMap<>();

    record Fixture(String dataset, String model, String export) {
    }

    record Case(String name, String method, String path, String contentType, byte[] body, int status) {

        static Case json(String name, String path, String body, int status) {
            return new Case(name, "POST", path, JSON, body.getBytes(StandardCharsets.UTF_8), status);
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    Http http;
    Fixture fixture;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        fixture = FIXTURES.computeIfAbsent(port, p -> makeFixture());
    }

    private Fixture makeFixture() {
        Http.Response data = http.postJson(DATASETS, """
                {"name": "hostile", "seed": 1, "source": {"type": "linear", "samples": 20, "weights": [1.0, 2.0]}}""");
        assertThat(data.status()).as(data.toString()).isEqualTo(201);
        String dataset = data.json().get("id").asString();
        Http.Response job = http.postJson(JOBS, job(dataset, "\"epochs\": 1"));
        assertThat(job.status()).as(job.toString()).isEqualTo(202);
        String id = job.json().get("id").asString();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        JsonNode view = http.get(JOBS + "/" + id).json();
        while (!"SUCCEEDED".equals(view.get("state").asString())) {
            if (System.nanoTime() > deadline) {
                fail("The fixture's job did not succeed: " + view);
            }
            sleep(50);
            view = http.get(JOBS + "/" + id).json();
        }
        String model = view.get("modelId").asString();
        return new Fixture(dataset, model, http.get(MODELS + "/" + model + "/export").body());
    }

    private static String job(String dataset, String extra) {
        return """
                {"datasetId": "%s", "model": {"type": "linear"}, "loss": "mse", "optimizer": {"type": "sgd",
                 "learningRate": 0.01}, "batchSize": 10, "execution": "eager", %s}""".formatted(dataset, extra);
    }

    List<Case> cases() {
        String d = fixture.dataset();
        String model = MODELS + "/" + fixture.model();
        String export = fixture.export();
        String predict = model + "/predictions";
        String unknown = UUID.randomUUID().toString();
        List<Case> cases = new ArrayList<>();

        // parser bombs
        cases.add(Case.json("100 000 nested arrays", DATASETS, "[".repeat(100_000) + "]".repeat(100_000), 400));
        cases.add(Case.json("10 000 nested objects", JOBS, "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000), 400));
        cases.add(Case.json("deep nesting where any JSON is allowed (parameter values)", MODELS + "/import",
                export.replaceFirst("\"values\"\\s*:\\s*\\[", "\"values\": " + "[".repeat(5_000) + "[")
                        + "]".repeat(5_000), 400));
        cases.add(Case.json("200-digit integer", JOBS, job(d, "\"epochs\": " + "9".repeat(200)), 400));
        cases.add(Case.json("100 000-digit fraction", JOBS, job(d, "\"epochs\": 1, \"seed\": 0." + "1".repeat(100_000)),
                400));
        cases.add(Case.json("10 000-character field name", JOBS, job(d, "\"" + "k".repeat(10_000) + "\": 1"), 400));
        cases.add(Case.json("900 kB name", DATASETS, "{\"name\": \"" + "n".repeat(900_000)
                + "\", \"source\": {\"type\": \"linear\"}}", 400));
        cases.add(Case.json("body over the limit", JOBS, job(d, "\"epochs\": 1, \"x\": \"" + "x".repeat(HUGE) + "\""),
                413));
        cases.add(Case.json("whitespace over the limit", DATASETS, " ".repeat(HUGE) + "{}", 413));
        cases.add(Case.json("a million-row inline dataset", DATASETS, "{\"name\": \"big\", \"source\": {\"type\": "
                + "\"inline\", \"features\": [" + "[1],".repeat(300_000) + "[1]], \"labels\": [[1]]}}", 413));
        cases.add(new Case("invalid UTF-8", "POST", JOBS, JSON, new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"',
                ':', '1', '}'}, 400));
        cases.add(new Case("binary garbage", "POST", DATASETS, JSON, new byte[] {0, 1, 2, 3, (byte) 0xFF, (byte) 0xFE},
                400));
        cases.add(Case.json("truncated document", JOBS, job(d, "\"epochs\": 1").substring(0, 40), 400));
        cases.add(Case.json("two documents in one body", JOBS, job(d, "\"epochs\": 1") + job(d, "\"epochs\": 2"), 400));
        cases.add(Case.json("JSON null", JOBS, "null", 400));
        cases.add(Case.json("JSON string", JOBS, "\"train please\"", 400));
        cases.add(Case.json("JSON number", DATASETS, "42", 400));

        // non-finite numbers and absurd sizes
        cases.add(Case.json("NaN literal learning rate", JOBS, job(d, "\"optimizer\": {\"type\": \"sgd\", "
                + "\"learningRate\": NaN}").replaceFirst("\"optimizer\": \\{\"type\": \"sgd\",\\s*\"learningRate\": "
                + "0.01}, ", ""), 400));
        cases.add(Case.json("infinite learning rate (1e999)", JOBS, job(d, "\"epochs\": 1").replace("0.01", "1e999"),
                400));
        cases.add(Case.json("\"Infinity\" learning rate", JOBS, job(d, "\"epochs\": 1").replace("0.01",
                "\"Infinity\""), 400));
        cases.add(Case.json("-Infinity early-stopping delta", JOBS, job(d, "\"earlyStopping\": {\"monitor\": \"loss\", "
                + "\"minDelta\": -Infinity}"), 400));
        cases.add(Case.json("zero epochs", JOBS, job(d, "\"epochs\": 0"), 400));
        cases.add(Case.json("epochs past int", JOBS, job(d, "\"epochs\": 2147483648"), 400));
        cases.add(Case.json("epochs as a fraction", JOBS, job(d, "\"epochs\": 1e3"), 400));
        cases.add(Case.json("zero batch", JOBS, job(d, "\"batchSize\": 0, \"epochs\": 1").replace(
                "\"batchSize\": 10, ", ""), 400));
        cases.add(Case.json("a 100 000-wide layer", JOBS, job(d, "\"epochs\": 1").replace("{\"type\": \"linear\"}",
                "{\"type\": \"mlp\", \"hiddenLayers\": [100000]}"), 400));
        cases.add(Case.json("a thousand layers", JOBS, job(d, "\"epochs\": 1").replace("{\"type\": \"linear\"}",
                "{\"type\": \"mlp\", \"hiddenLayers\": [" + "2,".repeat(999) + "2]}"), 400));
        cases.add(Case.json("over the work budget", JOBS, job(d, "\"epochs\": 10000").replace("{\"type\": \"linear\"}",
                "{\"type\": \"mlp\", \"hiddenLayers\": [4096, 4096, 4096, 4096]}"), 422));
        cases.add(Case.json("seed past long", JOBS, job(d, "\"epochs\": 1, \"seed\": 99999999999999999999"), 400));
        cases.add(Case.json("negative runtime", JOBS, job(d, "\"epochs\": 1, \"maxRuntimeSeconds\": -1"), 400));
        cases.add(Case.json("zero samples", DATASETS, "{\"name\": \"z\", \"source\": {\"type\": \"linear\", "
                + "\"samples\": 0}}", 400));
        cases.add(Case.json("a billion samples", DATASETS, "{\"name\": \"z\", \"source\": {\"type\": \"rings\", "
                + "\"positives\": 1000000000, \"negatives\": 1000000000}}", 400));

        // predictions
        cases.add(Case.json("NaN instance", predict, "{\"instances\": [[1, NaN]]}", 400));
        cases.add(Case.json("infinite instance", predict, "{\"instances\": [[1, 1e999]]}", 400));
        cases.add(Case.json("no instances", predict, "{\"instances\": []}", 400));
        cases.add(Case.json("too many instances", predict, "{\"instances\": [" + "[1, 2],".repeat(10_000) + "[1, 2]]}",
                400));
        cases.add(Case.json("ragged instances", predict, "{\"instances\": [[1, 2], [1]]}", 400));
        cases.add(Case.json("instances nested too deep", predict, "{\"instances\": [[[1, 2]]]}", 400));
        cases.add(Case.json("both formats at once", predict, "{\"instances\": [[1, 2]], \"inputs\": [[1, 2]]}", 400));

        // ragged and hostile CSV
        cases.add(new Case("ragged CSV", "POST", DATASETS + "?name=c&labels=y", "text/csv",
                "x1,x2,y\n1,2,3\n4,5\n".getBytes(StandardCharsets.UTF_8), 400));
        cases.add(new Case("CSV with a 300 000-character field", "POST", DATASETS + "?name=c&labels=y", "text/csv",
                ("x,y\n" + "1".repeat(300_000) + ",2\n").getBytes(StandardCharsets.UTF_8), 400));
        cases.add(new Case("CSV with 2 000 columns", "POST", DATASETS + "?name=c&labels=y", "text/csv",
                (header(2000) + ",y\n" + "1,".repeat(2000) + "2\n").getBytes(StandardCharsets.UTF_8), 400));
        cases.add(new Case("CSV over the limit", "POST", DATASETS + "?name=c&labels=y", "text/csv",
                ("x,y\n" + "1,2\n".repeat(HUGE / 4 + 1)).getBytes(StandardCharsets.UTF_8), 413));
        cases.add(new Case("CSV with NUL bytes", "POST", DATASETS + "?name=c&labels=y", "text/csv",
                "x,y\n1\u0000,2\n".getBytes(StandardCharsets.UTF_8), 400));

        // wrong content types
        for (String type : List.of("text/plain", "application/xml", "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=x", "application/x-java-serialized-object")) {
            cases.add(new Case("job as " + type, "POST", JOBS, type, job(d, "\"epochs\": 1").getBytes(
                    StandardCharsets.UTF_8), 415));
        }
        cases.add(new Case("prediction as CSV", "POST", predict, "text/csv", "1,2\n".getBytes(StandardCharsets.UTF_8),
                415));
        cases.add(new Case("import without a content type", "POST", MODELS + "/import", null,
                export.getBytes(StandardCharsets.UTF_8), 415));

        // unknown and path-like ids
        cases.add(new Case("unknown job", "GET", JOBS + "/" + unknown, null, null, 404));
        cases.add(new Case("cancel an unknown job", "POST", JOBS + "/" + unknown + "/cancel", null, null, 404));
        cases.add(new Case("events of an unknown job", "GET", JOBS + "/" + unknown + "/events", null, null, 404));
        cases.add(new Case("unknown model's export", "GET", MODELS + "/" + unknown + "/export", null, null, 404));
        cases.add(Case.json("predictions of an unknown model", MODELS + "/" + unknown + "/predictions",
                "{\"instances\": [[1, 2]]}", 404));
        cases.add(Case.json("job on an unknown dataset", JOBS, job(unknown, "\"epochs\": 1"), 404));
        cases.add(Case.json("path-like dataset id", JOBS, job("../../etc/passwd", "\"epochs\": 1"), 400));
        cases.add(new Case("path-like model id", "GET", MODELS + "/..%2F..%2Fetc%2Fpasswd", null, null, 400));
        cases.add(new Case("dot-dot segment", "GET", DATASETS + "/%2e%2e/%2e%2e/etc/passwd", null, null, 400));
        cases.add(new Case("NUL in an id", "GET", JOBS + "/abc%00def", null, null, 400));
        cases.add(new Case("unknown state filter", "GET", JOBS + "?state=../../x", null, null, 400));
        cases.add(new Case("dry run not a boolean", "POST", JOBS + "?dryRun=maybe", JSON,
                job(d, "\"epochs\": 1").getBytes(StandardCharsets.UTF_8), 400));

        // model documents that try to smuggle objects in
        cases.add(Case.json("a Java class in @class", MODELS + "/import",
                "{\"@class\": \"java.lang.ProcessBuilder\", \"command\": [\"touch\", \"/tmp/pwned\"]}", 400));
        cases.add(Case.json("a polymorphic array", MODELS + "/import",
                "[\"java.util.HashMap\", {\"format\": \"tapeflow-model\"}]", 400));
        cases.add(Case.json("a serialized Java object as the values", MODELS + "/import",
                export.replaceFirst("\"values\"\\s*:\\s*\\[", "\"values\": \"" + Base64.getEncoder().encodeToString(
                        new byte[] {(byte) 0xAC, (byte) 0xED, 0, 5, 's', 'r', 0, 17}) + "\", \"x\": [")
                        .replaceFirst("\"x\": \\[[^\\]]*\\]", "\"shape\": [1]"), 400));
        cases.add(Case.json("type info on a parameter", MODELS + "/import", export.replaceFirst("\\{\"shape\"",
                "{\"@type\": \"java.net.URL\", \"shape\""), 400));
        cases.add(Case.json("a giant shape", MODELS + "/import", export.replaceFirst("\"shape\"\\s*:\\s*\\[[^\\]]*\\]",
                "\"shape\": [1000000, 1000000]"), 400));
        cases.add(Case.json("another format", MODELS + "/import", export.replace("tapeflow-model", "pickle"), 400));

        // issue #14: strict everywhere
        String linear = ", \"source\": {\"type\": \"linear\", \"samples\": 5}}";
        cases.add(Case.json("NUL in a dataset name", DATASETS, "{\"name\": \"a\\u0000b\"" + linear, 400));
        cases.add(Case.json("a bell in a dataset name", DATASETS, "{\"name\": \"a\\u0007b\"" + linear, 400));
        cases.add(Case.json("a lone surrogate in a dataset name", DATASETS, "{\"name\": \"a\\ud800\"" + linear, 400));
        cases.add(Case.json("U+FFFF in a dataset name", DATASETS, "{\"name\": \"a\\uffff\"" + linear, 400));
        cases.add(new Case("NUL in a CSV upload's name", "POST", DATASETS + "?name=a%00b&labels=y", "text/csv",
                "x,y\n1,2\n".getBytes(StandardCharsets.UTF_8), 400));
        cases.add(new Case("a control character in a CSV header", "POST", DATASETS + "?name=c&labels=y", "text/csv",
                "x\u0001z,y\n1,2\n".getBytes(StandardCharsets.UTF_8), 400));
        cases.add(Case.json("NUL in an inline feature name", DATASETS, "{\"name\": \"i\", \"source\": {\"type\": "
                + "\"inline\", \"features\": [[1]], \"labels\": [[1]], \"featureNames\": [\"a\\u0000\"]}}", 400));
        cases.add(Case.json("a duplicate key in a dataset", DATASETS, "{\"name\": \"a\", \"name\": \"b\"" + linear,
                400));
        cases.add(Case.json("a duplicate key in a job", JOBS, job(d, "\"epochs\": 1, \"epochs\": 2"), 400));
        cases.add(Case.json("a duplicate key in an instance", predict,
                "{\"instances\": [{\"x1\": 1, \"x1\": 5, \"x2\": 2}]}", 400));
        cases.add(Case.json("a duplicate key in an import", MODELS + "/import",
                export.replaceFirst("\\{", "{\"format\": \"tapeflow-model\", "), 400));
        cases.add(Case.json("a duplicate parameter in an import", MODELS + "/import",
                export.replaceFirst("\"dense_1/bias\"\\s*:", "\"dense_1/bias\": {\"shape\": [1], \"values\": [9]}, "
                        + "\"dense_1/bias\":"), 400));
        cases.add(Case.json("an unknown field in a prediction", predict,
                "{\"instances\": [[1, 2]], \"signature_name\": \"serving_default\"}", 400));
        cases.add(Case.json("import: a feature name twice", MODELS + "/import", export.replace("\"x2\"", "\"x1\""),
                400));
        cases.add(Case.json("import: a blank feature name", MODELS + "/import", export.replace("\"x2\"", "\" \""),
                400));
        cases.add(Case.json("import: a 100 000-character feature name", MODELS + "/import",
                export.replace("\"x2\"", "\"" + "n".repeat(100_000) + "\""), 400));
        cases.add(Case.json("import: NUL in a feature name", MODELS + "/import",
                export.replace("\"x2\"", "\"x\\u00002\""), 400));
        cases.add(Case.json("import: a 200 000 bad layers", MODELS + "/import",
                export.replaceFirst("\"hiddenLayers\"\\s*:\\s*\\[\\]", "\"hiddenLayers\": [" + "0,".repeat(200_000) + "0]"),
                400));
        cases.add(new Case("GET /error directly", "GET", "/error", null, null, 404));
        return cases;
    }

    private static String header(int columns) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < columns; i++) {
            sb.append(i == 0 ? "" : ",").append("x").append(i);
        }
        return sb.toString();
    }

    @Test
    void everyHostileRequestGetsA4xxProblemStoresNothingAndTheServiceStaysHealthy() {
        List<Case> cases = cases();
        assertThat(cases).hasSizeGreaterThanOrEqualTo(50);
        List<String> wrong = new ArrayList<>();
        for (Case c : cases) {
            long[] before = counts();
            Map<String, String> headers = c.contentType() == null ? Map.of() : Map.of("Content-Type", c.contentType());
            Http.Response r = http.send(c.method(), c.path(), headers, c.body());
            String problem = check(c, r);
            if (problem == null && !java.util.Arrays.equals(counts(), before)) {
                problem = "stored something";
            }
            if (problem != null) {
                wrong.add(c.name() + ": " + problem + " — " + r);
            }
        }
        assertThat(wrong).as("requests not answered as expected").isEmpty();
        Http.Response health = http.get("/actuator/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("status").asString()).isEqualTo("UP");
        // and it still works
        assertThat(http.postJson(MODELS + "/" + fixture.model() + "/predictions", "{\"instances\": [[1, 2]]}")
                .status()).isEqualTo(200);
    }

    /**
     * Issue #14: explanations are priced instances × outputs × inputs against tapeflow.models.max-explain-values
     * (1 000 000) before the engine runs. A 100-input, 1000-output model takes 10 instances (10⁶ gradients), not 11;
     * 3 000 instances (3 × 10⁸, an int overflow in the engine before) are the same 400, never a 500.
     */
    @Test
    void explanationsArePricedBeforeAnyWork() {
        Http.Response imported = http.postJson(MODELS + "/import", ModelDocuments.linear(100, 1000));
        assertThat(imported.status()).as(imported.toString()).isEqualTo(201);
        String predict = MODELS + "/" + imported.json().get("id").asString() + "/predictions";
        // the first calls on a model not yet loaded share one load
        List<java.util.concurrent.CompletableFuture<Integer>> first = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            first.add(java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> new Http(port).postJson(predict, instances(1, 100)).status()));
        }
        assertThat(first).allSatisfy(f -> assertThat(f.join()).isEqualTo(200));
        for (int n : new int[] {11, 3000}) {
            Http.Response r = http.postJson(predict + "?explain=true", instances(n, 100));
            assertThat(r.status()).as(n + " instances: " + r).isEqualTo(400);
            JsonNode error = r.json().get("errors").get(0);
            assertThat(error.get("field").asString()).isEqualTo("instances");
            assertThat(error.get("message").asString()).contains("tapeflow.models.max-explain-values", "1000000",
                    "at most 10 instances");
        }
        Http.Response columns = http.postJson(predict + "?explain=true", "{\"inputs\": [" + "[0],".repeat(0)
                + instances(11, 100).substring("{\"instances\": [".length()));
        assertThat(columns.status()).as(columns.toString()).isEqualTo(400);
        assertThat(columns.json().get("errors").get(0).get("field").asString()).isEqualTo("inputs");
        Http.Response fits = http.postJson(predict + "?explain=true", instances(10, 100));
        assertThat(fits.status()).as(fits.toString()).isEqualTo(200);
        JsonNode gradients = fits.json().get("inputGradients");
        assertThat(gradients.size()).isEqualTo(10);
        assertThat(gradients.get(9).size()).isEqualTo(1000);
        assertThat(gradients.get(9).get(999).size()).isEqualTo(100);
        // without explain the same model answers 3 000 instances
        assertThat(http.postJson(predict, instances(3000, 100)).status()).isEqualTo(200);
        // and, its cache entry holding floats only, shows its parameters again from the database
        JsonNode model = http.get(MODELS + "/" + imported.json().get("id").asString()).json();
        assertThat(model.get("parameters").get("dense_1/kernel").get("values").size()).isEqualTo(100);
    }

    /** Issue #14: a problem body lists at most 100 errors, and validators stop looking once they have them. */
    @Test
    void errorListsAreCapped() {
        StringBuilder parameters = new StringBuilder();
        for (int i = 0; i < 5_000; i++) {
            parameters.append(i == 0 ? "" : ", ").append("\"p").append(i).append("\": {\"shape\": [1], \"values\": [0]}");
        }
        String doc = fixture.export().replaceFirst("\"parameters\"\\s*:\\s*\\{", "\"parameters\": {" + parameters + ", ");
        Http.Response r = http.postJson(MODELS + "/import", doc);
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.json().get("errors").size()).isBetween(50, 100);
        assertThat(r.body().length()).isLessThan(50_000);
        Http.Response layers = http.postJson(MODELS + "/import", fixture.export().replaceFirst(
                "\"hiddenLayers\"\\s*:\\s*\\[\\]", "\"hiddenLayers\": [" + "0,".repeat(400_000) + "0]"));
        assertThat(layers.status()).as(layers.toString()).isEqualTo(400);
        assertThat(layers.body().length()).isLessThan(10_000);
    }

    @Test
    void unknownFieldsOfAPredictionAreNamed() {
        Http.Response r = http.postJson(MODELS + "/" + fixture.model() + "/predictions",
                "{\"instances\": [[1, 2]], \"signature_name\": \"serving_default\"}");
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.json().get("errors").get(0).get("field").asString()).isEqualTo("signature_name");
        Http.Response twice = http.postJson(MODELS + "/" + fixture.model() + "/predictions",
                "{\"instances\": [[1, 2]], \"instances\": [[3, 4]]}");
        assertThat(twice.status()).as(twice.toString()).isEqualTo(400);
        assertThat(twice.body()).contains("instances");
    }

    /** Issue #14: names that are refused can still come from category values; every plot stays well-formed XML. */
    @Test
    void plotsAreWellFormedXmlWhateverTheNames() throws Exception {
        String csv = "c,y\n\"a\uFFFE<&\uD83D\uDE00\",0\n\"b\uFFFF\"\"'>\",1\na\uFFFE<&\uD83D\uDE00,1\n";
        Http.Response data = http.post(DATASETS + "?name=svg&labels=y", "text/csv", csv.getBytes(StandardCharsets.UTF_8));
        assertThat(data.status()).as(data.toString()).isEqualTo(201);
        Http.Response plot = http.get(DATASETS + "/" + data.json().get("id").asString() + "/plot");
        assertThat(plot.status()).as(plot.toString()).isEqualTo(200);
        parseXml(plot.body());
        assertThat(plot.body()).contains("a&lt;&amp;\uD83D\uDE00").doesNotContain("\uFFFE", "\uFFFF");
        Http.Response modelPlot = http.get(MODELS + "/" + fixture.model() + "/plot");
        assertThat(modelPlot.status()).isEqualTo(200);
        parseXml(modelPlot.body());
    }

    static void parseXml(String svg) throws Exception {
        javax.xml.parsers.DocumentBuilderFactory factory = javax.xml.parsers.DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        factory.newDocumentBuilder().parse(new org.xml.sax.InputSource(new java.io.StringReader(svg)));
    }

    private static String instances(int n, int k) {
        String row = "[" + "1,".repeat(k - 1) + "1]";
        StringBuilder sb = new StringBuilder("{\"instances\": [");
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ",").append(row);
        }
        return sb.append("]}").toString();
    }

    /** Null when the response is the expected problem; otherwise what is wrong with it. */
    private static String check(Case c, Http.Response r) {
        if (r.status() != c.status()) {
            return "status " + r.status() + ", expected " + c.status();
        }
        if (!r.contentType().startsWith("application/problem+json")) {
            return "not problem JSON";
        }
        JsonNode body = r.json();
        if (body.get("status") == null || body.get("status").asInt() != c.status() || body.get("detail") == null
                || body.get("detail").asString().isBlank()) {
            return "incomplete problem body";
        }
        return null;
    }

    private long[] counts() {
        return new long[] {count("datasets"), count("training_jobs"), count("models")};
    }

    private long count(String table) {
        return jdbc.sql("SELECT COUNT(*) FROM " + table).query(Long.class).single();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
