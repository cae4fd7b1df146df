package io.tapeflow.datasets;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.xml.parsers.DocumentBuilderFactory;

import io.tapeflow.support.Http;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import tools.jackson.databind.JsonNode;

/** The datasets API over real HTTP; run once on PostgreSQL and once on H2 by the subclasses. */
abstract class DatasetsApiTests {

    static final String DATASETS = "/api/v1/datasets";

    @LocalServerPort
    int port;

    @Autowired
    DatasetStore store;

    Http http;

    @BeforeEach
    void client() {
        http = new Http(port);
    }

    JsonNode create(String json) {
        Http.Response response = http.postJson(DATASETS, json);
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return response.json();
    }

    JsonNode rows(String id, int offset, int limit) {
        Http.Response response = http.get(DATASETS + "/" + id + "/rows?offset=" + offset + "&limit=" + limit);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }

    @Test
    void linearSourceReproducesTheReferenceAndTheSameSeedGivesTheSameRows() {
        String request = """
                {"name": "reference linear regression", "seed": 42,
                 "source": {"type": "linear", "samples": 400, "weights": [2.0, -3.0], "bias": 3.0, "noise": 2.0,
                            "low": -10, "high": 10}}""";
        Http.Response created = http.postJson(DATASETS, request);
        assertThat(created.status()).isEqualTo(201);
        JsonNode first = created.json();
        assertThat(created.header("Location")).endsWith(DATASETS + "/" + first.get("id").asString());
        assertThat(first.get("rows").asInt()).isEqualTo(400);
        assertThat(first.get("seed").asLong()).isEqualTo(42);
        assertThat(first.get("featureNames").toString()).isEqualTo("[\"x1\",\"x2\"]");
        assertThat(first.get("labelNames").toString()).isEqualTo("[\"y\"]");
        assertThat(first.get("source").get("type").asString()).isEqualTo("linear");
        assertThat(first.get("createdAt").asString()).isNotBlank();
        JsonNode x1 = first.get("statistics").get(0);
        assertThat(x1.get("column").asString()).isEqualTo("x1");
        assertThat(x1.get("min").asDouble()).isGreaterThanOrEqualTo(-10);
        assertThat(x1.get("max").asDouble()).isLessThan(10);
        assertThat(x1.get("std").asDouble()).isBetween(5.0, 6.6); // U[-10, 10) has std 5.77

        JsonNode second = create(request);
        assertThat(second.get("id")).isNotEqualTo(first.get("id"));
        assertThat(rows(second.get("id").asString(), 0, 400).get("rows"))
                .isEqualTo(rows(first.get("id").asString(), 0, 400).get("rows"));
        assertThat(second.get("statistics")).isEqualTo(first.get("statistics"));

        JsonNode otherSeed = create(request.replace("\"seed\": 42", "\"seed\": 43"));
        assertThat(rows(otherSeed.get("id").asString(), 0, 10).get("rows"))
                .isNotEqualTo(rows(first.get("id").asString(), 0, 10).get("rows"));
    }

    @Test
    void linearLabelsFollowTheWeightsWithinTheNoise() {
        JsonNode dataset = create("""
                {"name": "noise-free", "seed": 5, "source": {"type": "linear", "samples": 50,
                 "weights": [2.0, -3.0, 0.5], "bias": 3.0, "noise": 0}}""");
        assertThat(dataset.get("featureNames").size()).isEqualTo(3);
        for (JsonNode row : rows(dataset.get("id").asString(), 0, 50).get("rows")) {
            JsonNode x = row.get("features");
            double expected = 2.0 * x.get(0).asDouble() - 3.0 * x.get(1).asDouble() + 0.5 * x.get(2).asDouble() + 3;
            assertThat(row.get("labels").get(0).asDouble()).isCloseTo(expected,
                    org.assertj.core.data.Offset.offset(1e-4));
        }
    }

    @Test
    void anOmittedSeedIsChosenReturnedAndReproducesTheRows() {
        JsonNode chosen = create("{\"name\": \"no seed\", \"source\": {\"type\": \"linear\", \"samples\": 20}}");
        long seed = chosen.get("seed").asLong();
        assertThat(seed).isBetween(0L, 1L << 53);
        JsonNode again = create("{\"name\": \"again\", \"seed\": " + seed
                + ", \"source\": {\"type\": \"linear\", \"samples\": 20}}");
        assertThat(rows(again.get("id").asString(), 0, 20).get("rows"))
                .isEqualTo(rows(chosen.get("id").asString(), 0, 20).get("rows"));
    }

    @Test
    void ringsPutPositivesOnTheInnerRingFirst() {
        JsonNode dataset = create("""
                {"name": "reference rings", "seed": 7, "source": {"type": "rings", "positives": 2000,
                 "negatives": 2000, "innerRadius": 5.0, "outerRadius": 8.0, "noise": 1.0}}""");
        assertThat(dataset.get("rows").asInt()).isEqualTo(4000);
        JsonNode label = dataset.get("statistics").get(2);
        assertThat(label.get("role").asString()).isEqualTo("label");
        assertThat(label.get("mean").asDouble()).isEqualTo(0.5);

        DatasetData data = store.load(UUID.fromString(dataset.get("id").asString())).orElseThrow();
        assertThat(data.sourceType()).isEqualTo("rings");
        double inner = 0;
        double outer = 0;
        for (int i = 0; i < 4000; i++) {
            double r = Math.hypot(data.features()[2 * i], data.features()[2 * i + 1]);
            boolean positive = i < 2000;
            assertThat(data.labels()[i]).isEqualTo(positive ? 1f : 0f);
            // truncated at two standard deviations: every radius is within r ± 2·noise
            assertThat(r).isBetween(positive ? 3.0 - 1e-5 : 6.0 - 1e-5, positive ? 7.0 + 1e-5 : 10.0 + 1e-5);
            if (positive) {
                inner += r;
            } else {
                outer += r;
            }
        }
        assertThat(inner / 2000).isBetween(4.9, 5.1);
        assertThat(outer / 2000).isBetween(7.9, 8.1);
    }

    @Test
    void inlineSourceKeepsValuesNamesAndStatistics() {
        JsonNode dataset = create("""
                {"name": "xor", "source": {"type": "inline", "features": [[0, 0], [0, 1], [1, 0], [1, 1]],
                 "labels": [[0], [1], [1], [0]], "featureNames": ["a", "b"], "labelNames": ["xor"]}}""");
        assertThat(dataset.get("seed").isNull()).isTrue();
        assertThat(dataset.get("source").toString()).isEqualTo("{\"type\":\"inline\"}");
        assertThat(dataset.get("featureNames").toString()).isEqualTo("[\"a\",\"b\"]");
        JsonNode a = dataset.get("statistics").get(0);
        assertThat(a.get("min").asDouble()).isEqualTo(0.0);
        assertThat(a.get("max").asDouble()).isEqualTo(1.0);
        assertThat(a.get("mean").asDouble()).isEqualTo(0.5);
        assertThat(a.get("std").asDouble()).isEqualTo(0.5);
        JsonNode rows = rows(dataset.get("id").asString(), 1, 2);
        assertThat(rows.toString()).isEqualTo("{\"offset\":1,\"limit\":2,\"total\":4,\"rows\":["
                + "{\"index\":1,\"features\":[0.0,1.0],\"labels\":[1.0]},"
                + "{\"index\":2,\"features\":[1.0,0.0],\"labels\":[1.0]}]}");
    }

    @Test
    void csvUploadHandlesQuotesCrlfBomAndBlankLines() {
        String csv = "\uFEFF\"x, first\",\"say \"\"hi\"\"\",y1,y2\r\n"
                + "1.5,-2,3e1,\" 4 \"\r\n"
                + "\r\n"
                + "\"7\",8.25,9,10\r\n";
        Http.Response response = http.post(DATASETS + "?name=upload&labels=y2,y1", "text/csv",
                csv.getBytes(StandardCharsets.UTF_8));
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        JsonNode dataset = response.json();
        assertThat(dataset.get("featureNames").toString()).isEqualTo("[\"x, first\",\"say \\\"hi\\\"\"]");
        assertThat(dataset.get("labelNames").toString()).isEqualTo("[\"y2\",\"y1\"]");
        assertThat(dataset.get("source").toString()).isEqualTo("{\"type\":\"csv\",\"labels\":[\"y2\",\"y1\"]}");
        assertThat(rows(dataset.get("id").asString(), 0, 10).get("rows").toString()).isEqualTo(
                "[{\"index\":0,\"features\":[1.5,-2.0],\"labels\":[4.0,30.0]},"
                        + "{\"index\":1,\"features\":[7.0,8.25],\"labels\":[10.0,9.0]}]");
    }

    @Test
    void csvWithLfAndNoFinalNewlineIsRead() {
        Http.Response response = http.post(DATASETS + "?name=lf&labels=label", "text/csv",
                "a,label\n1,0\n2,1".getBytes(StandardCharsets.UTF_8));
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        assertThat(response.json().get("rows").asInt()).isEqualTo(2);
    }

    @Test
    void listPagesNewestFirst() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(create("{\"name\": \"page " + i + "\", \"seed\": " + i
                    + ", \"source\": {\"type\": \"linear\", \"samples\": 5}}").get("id").asString());
        }
        JsonNode first = http.get(DATASETS + "?page=0&size=2").json();
        assertThat(first.get("page").asInt()).isZero();
        assertThat(first.get("size").asInt()).isEqualTo(2);
        assertThat(first.get("total").asLong()).isGreaterThanOrEqualTo(3);
        assertThat(first.get("items").size()).isEqualTo(2);
        assertThat(first.get("items").get(0).get("id").asString()).isEqualTo(ids.get(2));
        assertThat(first.get("items").get(1).get("id").asString()).isEqualTo(ids.get(1));
        JsonNode second = http.get(DATASETS + "?page=1&size=2").json();
        assertThat(second.get("items").get(0).get("id").asString()).isEqualTo(ids.get(0));
        JsonNode beyond = http.get(DATASETS + "?page=100000&size=100").json();
        assertThat(beyond.get("items").size()).isZero();
    }

    @Test
    void rowsWindowStopsAtTheEnd() {
        String id = create("{\"name\": \"ten\", \"seed\": 1, \"source\": {\"type\": \"linear\", \"samples\": 10}}")
                .get("id").asString();
        JsonNode tail = rows(id, 8, 100);
        assertThat(tail.get("total").asInt()).isEqualTo(10);
        assertThat(tail.get("rows").size()).isEqualTo(2);
        assertThat(tail.get("rows").get(0).get("index").asInt()).isEqualTo(8);
        assertThat(rows(id, 10, 5).get("rows").size()).isZero();
        assertThat(rows(id, 0, 100).get("rows").size()).isEqualTo(10);
    }

    @Test
    void anyRowsWindowMatchesTheStoredValues() {
        String id = create("{\"name\": \"windows\", \"seed\": 2, \"source\": {\"type\": \"linear\", "
                + "\"samples\": 97, \"weights\": [1, 2, 3]}}").get("id").asString();
        DatasetData data = store.load(UUID.fromString(id)).orElseThrow();
        io.tapeflow.engine.Rng rng = new io.tapeflow.engine.Rng(17);
        for (int trial = 0; trial < 20; trial++) {
            int offset = rng.nextInt(110);
            int limit = 1 + rng.nextInt(40);
            JsonNode window = rows(id, offset, limit);
            int expected = Math.max(0, Math.min(97 - offset, limit));
            assertThat(window.get("rows").size()).isEqualTo(expected);
            for (int i = 0; i < expected; i++) {
                JsonNode row = window.get("rows").get(i);
                int index = offset + i;
                assertThat(row.get("index").asInt()).isEqualTo(index);
                for (int j = 0; j < 3; j++) {
                    assertThat(row.get("features").get(j).floatValue()).isEqualTo(data.features()[index * 3 + j]);
                }
                assertThat(row.get("labels").get(0).floatValue()).isEqualTo(data.labels()[index]);
            }
        }
    }

    @Test
    void classificationPlotIsValidSvgColouredByLabel() throws Exception {
        String id = create("{\"name\": \"rings <&> plot\", \"seed\": 3, \"source\": {\"type\": \"rings\", "
                + "\"positives\": 100, \"negatives\": 50}}").get("id").asString();
        Http.Response response = http.get(DATASETS + "/" + id + "/plot");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).startsWith("image/svg+xml");
        Document svg = parse(response.body());
        assertThat(svg.getDocumentElement().getTagName()).isEqualTo("svg");
        assertThat(svg.getElementsByTagName("title").item(0).getTextContent()).isEqualTo("rings <&> plot");
        int red = 0;
        int green = 0;
        NodeList circles = svg.getElementsByTagName("circle");
        for (int i = 0; i < circles.getLength(); i++) {
            String fill = ((Element) circles.item(i)).getAttribute("fill");
            red += fill.equals("#d62728") ? 1 : 0;
            green += fill.equals("#2ca02c") ? 1 : 0;
        }
        assertThat(red).isEqualTo(100 + 1); // points plus the legend's marker
        assertThat(green).isEqualTo(50 + 1);
    }

    @Test
    void regressionPlotHasOnePanelPerFeature() throws Exception {
        String id = create("{\"name\": \"linear plot\", \"seed\": 3, \"source\": {\"type\": \"linear\", "
                + "\"samples\": 30}}").get("id").asString();
        Document svg = parse(http.get(DATASETS + "/" + id + "/plot").body());
        assertThat(svg.getElementsByTagName("circle").getLength()).isEqualTo(2 * 30);
        List<String> texts = new ArrayList<>();
        NodeList nodes = svg.getElementsByTagName("text");
        for (int i = 0; i < nodes.getLength(); i++) {
            texts.add(nodes.item(i).getTextContent());
        }
        assertThat(texts).contains("x1", "x2", "y");
    }

    @Test
    void aDatasetAtTheRowLimitIsStoredAndItsPlotIsThinned() throws Exception {
        JsonNode dataset = create("{\"name\": \"largest\", \"seed\": 4, \"source\": {\"type\": \"rings\", "
                + "\"positives\": 50000, \"negatives\": 50000}}");
        assertThat(dataset.get("rows").asInt()).isEqualTo(100_000); // tapeflow.limits.max-rows
        String id = dataset.get("id").asString();
        assertThat(rows(id, 99_999, 10).get("rows").get(0).get("labels").get(0).asDouble()).isZero();
        Document svg = parse(http.get(DATASETS + "/" + id + "/plot").body());
        assertThat(svg.getElementsByTagName("circle").getLength()).isBetween(3900, 4002);
    }

    @Test
    void deleteRemovesTheDataset() {
        String id = create("{\"name\": \"doomed\", \"source\": {\"type\": \"linear\", \"samples\": 3}}")
                .get("id").asString();
        assertThat(store.exists(UUID.fromString(id))).isTrue();
        assertThat(http.delete(DATASETS + "/" + id).status()).isEqualTo(204);
        assertThat(store.exists(UUID.fromString(id))).isFalse();
        assertThat(store.load(UUID.fromString(id))).isEmpty();
        assertThat(http.get(DATASETS + "/" + id).status()).isEqualTo(404);
        assertThat(http.delete(DATASETS + "/" + id).status()).isEqualTo(404);
    }

    @Test
    void getReturnsWhatCreateReturned() {
        JsonNode created = create("{\"name\": \"same\", \"seed\": 9, \"source\": {\"type\": \"rings\", "
                + "\"positives\": 3, \"negatives\": 4}}");
        JsonNode fetched = http.get(DATASETS + "/" + created.get("id").asString()).json();
        assertThat(fetched).isEqualTo(created);
    }

    static Document parse(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }
}
