package io.tapeflow.datasets;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.tapeflow.support.Http;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** POST /datasets/{id}/split over real HTTP. */
abstract class DatasetSplitTests {

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

    String iris() {
        Http.Response response = http.post(DATASETS + "?name=iris&labels=species", "text/csv",
                TabularDatasetsTests.table("iris.csv"));
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return response.json().get("id").asString();
    }

    Http.Response split(String id, String body) {
        return http.postJson(DATASETS + "/" + id + "/split", body);
    }

    JsonNode parts(String id, String body) {
        Http.Response response = split(id, body);
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return response.json().get("parts");
    }

    List<String> rows(JsonNode part) {
        List<String> rows = new ArrayList<>();
        http.get(DATASETS + "/" + part.get("id").asString() + "/rows?limit=1000").json().get("rows")
                .forEach(r -> rows.add(r.get("features").toString() + r.get("labels").toString()));
        return rows;
    }

    @Test
    void trainTestPartsRecordTheirParentAndKeepTheSchema() {
        String id = iris();
        JsonNode parent = http.get(DATASETS + "/" + id).json();
        JsonNode parts = parts(id, "{\"fractions\": {\"train\": 0.8, \"test\": 0.2}, \"seed\": 1}");
        assertThat(parts.size()).isEqualTo(2);
        JsonNode train = parts.get(0);
        JsonNode test = parts.get(1);
        assertThat(train.get("name").asString()).isEqualTo("iris (train)");
        assertThat(test.get("name").asString()).isEqualTo("iris (test)");
        assertThat(train.get("rows").asInt()).isEqualTo(120);
        assertThat(test.get("rows").asInt()).isEqualTo(30);
        assertThat(train.get("parent").toString()).isEqualTo("{\"id\":\"" + id + "\",\"part\":\"train\","
                + "\"fractions\":{\"train\":0.8,\"test\":0.2},\"seed\":1,\"stratify\":false}");
        assertThat(test.get("parent").get("part").asString()).isEqualTo("test");
        for (JsonNode part : parts) {
            assertThat(part.get("columns")).isEqualTo(parent.get("columns"));
            assertThat(part.get("classNames")).isEqualTo(parent.get("classNames"));
            assertThat(part.get("featureNames")).isEqualTo(parent.get("featureNames"));
            assertThat(part.get("source").toString()).isEqualTo("{\"type\":\"split\"}");
            assertThat(http.get(DATASETS + "/" + part.get("id").asString()).json()).isEqualTo(part);
        }
        assertThat(train.get("statistics")).isNotEqualTo(parent.get("statistics"));

        List<String> all = new ArrayList<>(rows(train));
        all.addAll(rows(test));
        assertThat(all).containsExactlyInAnyOrderElementsOf(rows(parent));
    }

    @Test
    void theSameSeedGivesTheSameRowsAndAnotherSeedOthers() {
        String id = iris();
        String body = "{\"fractions\": {\"train\": 0.7, \"validation\": 0.15, \"test\": 0.15}, \"seed\": 42}";
        JsonNode first = parts(id, body);
        JsonNode again = parts(id, body);
        JsonNode other = parts(id, body.replace("42", "43"));
        assertThat(first.size()).isEqualTo(3);
        assertThat(first.get(1).get("name").asString()).isEqualTo("iris (validation)");
        int total = 0;
        for (int p = 0; p < 3; p++) {
            assertThat(rows(again.get(p))).isEqualTo(rows(first.get(p)));
            total += first.get(p).get("rows").asInt();
        }
        assertThat(total).isEqualTo(150);
        assertThat(first.get(0).get("rows").asInt()).isEqualTo(105); // 150 × 0.7
        assertThat(rows(other.get(0))).isNotEqualTo(rows(first.get(0)));
    }

    @Test
    void anOmittedSeedIsChosenAndReproducesTheSplit() {
        String id = iris();
        JsonNode chosen = parts(id, "{\"fractions\": {\"train\": 0.5, \"test\": 0.5}}");
        long seed = chosen.get(0).get("parent").get("seed").asLong();
        assertThat(chosen.get(1).get("parent").get("seed").asLong()).isEqualTo(seed);
        JsonNode again = parts(id, "{\"fractions\": {\"train\": 0.5, \"test\": 0.5}, \"seed\": " + seed + "}");
        assertThat(rows(again.get(0))).isEqualTo(rows(chosen.get(0)));
    }

    @Test
    void stratifiedPartsKeepTheClassProportions() {
        String id = iris();
        JsonNode parts = parts(id, "{\"fractions\": {\"train\": 0.6, \"validation\": 0.2, \"test\": 0.2}, "
                + "\"seed\": 3, \"stratify\": true}");
        int[] expected = {30, 10, 10};
        for (int p = 0; p < 3; p++) {
            assertThat(parts.get(p).get("parent").get("stratify").asBoolean()).isTrue();
            Map<String, Integer> perClass = new HashMap<>();
            for (String row : rows(parts.get(p))) {
                perClass.merge(row.substring(row.lastIndexOf('[')), 1, Integer::sum);
            }
            assertThat(perClass).containsOnlyKeys("[0.0]", "[1.0]", "[2.0]");
            assertThat(perClass.values()).containsOnly(expected[p]);
        }
    }

    @Test
    void stratifiedCountsAddUpByLargestRemainder() {
        // rings: 7 positives, 4 negatives; 0.5/0.5 gives 4+2 and 3+2 rows
        Http.Response created = http.postJson(DATASETS, "{\"name\": \"r\", \"seed\": 1, \"source\": {\"type\": "
                + "\"rings\", \"positives\": 7, \"negatives\": 4}}");
        String id = created.json().get("id").asString();
        JsonNode parts = parts(id, "{\"fractions\": {\"train\": 0.5, \"test\": 0.5}, \"seed\": 1, "
                + "\"stratify\": true}");
        assertThat(parts.get(0).get("rows").asInt()).isEqualTo(6);
        assertThat(parts.get(1).get("rows").asInt()).isEqualTo(5);
        assertThat(parts.get(0).get("statistics").get(2).get("mean").asDouble()).isEqualTo(4.0 / 6);
        assertThat(parts.get(1).get("statistics").get(2).get("mean").asDouble()).isEqualTo(3.0 / 5);
    }

    @Test
    void thePartsOutliveTheirParent() {
        String id = iris();
        JsonNode parts = parts(id, "{\"fractions\": {\"train\": 0.8, \"test\": 0.2}, \"seed\": 5}");
        List<String> before = rows(parts.get(1));
        assertThat(http.delete(DATASETS + "/" + id).status()).isEqualTo(204);
        JsonNode test = http.get(DATASETS + "/" + parts.get(1).get("id").asString()).json();
        assertThat(test.get("parent").get("id").asString()).isEqualTo(id);
        assertThat(rows(parts.get(1))).isEqualTo(before);
    }

    @Test
    void badSplitsAreRefusedNamingTheFieldAndStoreNothing() {
        String iris = iris();
        String linear = http.postJson(DATASETS, "{\"name\": \"l\", \"seed\": 1, \"source\": {\"type\": \"linear\", "
                + "\"samples\": 20}}").json().get("id").asString();
        String twoLabels = http.post(DATASETS + "?name=two&labels=y1,y2", "text/csv",
                "x,y1,y2\n1,0,1\n2,1,0\n3,0,0\n4,1,1\n".getBytes()).json().get("id").asString();
        String four = http.post(DATASETS + "?name=four&labels=y", "text/csv",
                "x,y\n1,0\n2,1\n3,0\n4,1\n".getBytes()).json().get("id").asString();
        String[][] cases = {
                {iris, "{\"fractions\": {\"train\": 0.8, \"test\": 0.1}}", "fractions"},
                {iris, "{\"fractions\": {\"train\": 0.8, \"test\": 0.2000001}}", "fractions"},
                {iris, "{\"fractions\": {\"train\": 1.0}}", "fractions"},
                {iris, "{\"fractions\": {\"train\": 0.8, \"holdout\": 0.2}}", "fractions.holdout"},
                {iris, "{\"fractions\": {\"train\": 1.2, \"test\": -0.2}}", "fractions.train"},
                {iris, "{\"fractions\": {\"train\": 1.0, \"test\": 0}}", "fractions.test"},
                {iris, "{\"fractions\": {\"train\": 0.5, \"test\": null}}", "fractions.test"},
                {iris, "{\"fractions\": {\"train\": \"most\", \"test\": 0.2}}", "fractions.train"},
                {iris, "{\"seed\": 1}", "fractions"},
                {iris, "{\"fractions\": {\"train\": 0.8, \"test\": 0.2}, \"shuffle\": true}", "shuffle"},
                {linear, "{\"fractions\": {\"train\": 0.8, \"test\": 0.2}, \"stratify\": true}", "stratify"},
                {twoLabels, "{\"fractions\": {\"train\": 0.5, \"test\": 0.5}, \"stratify\": true}", "stratify"},
                {four, "{\"fractions\": {\"train\": 0.9, \"test\": 0.1}, \"seed\": 1}", "fractions.test"}};
        for (String[] c : cases) {
            long before = store.count();
            Http.Response response = split(c[0], c[1]);
            assertThat(response.status()).as(c[1] + " → " + response).isEqualTo(400);
            List<String> fields = new ArrayList<>();
            response.json().get("errors").forEach(e -> fields.add(e.get("field").asString()));
            assertThat(fields).as(c[1] + " → " + response).contains(c[2]);
            assertThat(store.count()).isEqualTo(before);
        }
        assertThat(split("0b6c3f0e-0000-4000-8000-000000000000",
                "{\"fractions\": {\"train\": 0.8, \"test\": 0.2}}").status()).isEqualTo(404);
    }
}
