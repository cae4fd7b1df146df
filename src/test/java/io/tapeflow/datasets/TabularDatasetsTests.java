package io.tapeflow.datasets;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.tapeflow.support.Http;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import tools.jackson.databind.JsonNode;

/** Real CSVs over HTTP: typed columns, one-hot and class-index encoding, missing-cell policies, the plot. */
abstract class TabularDatasetsTests {

    static final String DATASETS = "/api/v1/datasets";

    @LocalServerPort
    int port;

    @Autowired
    DatasetStore store;

    @Autowired
    org.springframework.jdbc.core.simple.JdbcClient jdbc;

    Http http;

    @BeforeEach
    void client() {
        http = new Http(port);
    }

    static byte[] table(String name) {
        try (InputStream in = TabularDatasetsTests.class.getResourceAsStream("/tables/" + name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    JsonNode upload(String query, byte[] csv) {
        Http.Response response = http.post(DATASETS + query, "text/csv", csv);
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return response.json();
    }

    JsonNode rows(String id) {
        return http.get(DATASETS + "/" + id + "/rows?limit=1000").json().get("rows");
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asString()));
        return out;
    }

    @Test
    void irisAsItComesHasClassNamesAndClassIndices() {
        JsonNode iris = upload("?name=iris&labels=species", table("iris.csv"));
        assertThat(iris.get("rows").asInt()).isEqualTo(150);
        assertThat(strings(iris.get("featureNames"))).containsExactly("sepal length (cm)", "sepal width (cm)",
                "petal length (cm)", "petal width (cm)");
        assertThat(strings(iris.get("labelNames"))).containsExactly("species");
        assertThat(strings(iris.get("classNames"))).containsExactly("setosa", "versicolor", "virginica");
        assertThat(iris.get("missing").asString()).isEqualTo("refuse");
        assertThat(iris.get("parent").isNull()).isTrue();
        JsonNode columns = iris.get("columns");
        assertThat(columns.size()).isEqualTo(5);
        assertThat(columns.get(0).toString()).isEqualTo("{\"name\":\"sepal length (cm)\",\"role\":\"feature\","
                + "\"type\":\"numeric\",\"categories\":null,\"fill\":null}");
        assertThat(columns.get(4).toString()).isEqualTo("{\"name\":\"species\",\"role\":\"label\","
                + "\"type\":\"categorical\",\"categories\":[\"setosa\",\"versicolor\",\"virginica\"],\"fill\":null}");
        JsonNode rows = rows(iris.get("id").asString());
        assertThat(rows.get(0).toString()).isEqualTo("{\"index\":0,\"features\":[5.1,3.5,1.4,0.2],\"labels\":[0.0]}");
        assertThat(rows.get(50).get("labels").get(0).asDouble()).isEqualTo(1.0);
        assertThat(rows.get(149).get("labels").get(0).asDouble()).isEqualTo(2.0);
        JsonNode label = iris.get("statistics").get(4);
        assertThat(label.get("column").asString()).isEqualTo("species");
        assertThat(label.get("mean").asDouble()).isEqualTo(1.0);

        DatasetData data = store.load(UUID.fromString(iris.get("id").asString())).orElseThrow();
        assertThat(data.classNames()).containsExactly("setosa", "versicolor", "virginica");
        assertThat(data.columns().get(4).type()).isEqualTo(ColumnType.CATEGORICAL);
        assertThat(http.get(DATASETS + "/" + iris.get("id").asString()).json()).isEqualTo(iris);
    }

    @Test
    void wineAndBreastCancerUploadAsTheyCome() {
        JsonNode wine = upload("?name=wine&labels=cultivar", table("wine.csv"));
        assertThat(wine.get("rows").asInt()).isEqualTo(178);
        assertThat(wine.get("featureNames").size()).isEqualTo(13);
        assertThat(strings(wine.get("classNames"))).containsExactly("class_0", "class_1", "class_2");
        JsonNode cancer = upload("?name=breast%20cancer&labels=diagnosis", table("breast_cancer.csv"));
        assertThat(cancer.get("rows").asInt()).isEqualTo(569);
        assertThat(cancer.get("featureNames").size()).isEqualTo(30);
        assertThat(strings(cancer.get("classNames"))).containsExactly("benign", "malignant");
        JsonNode first = rows(cancer.get("id").asString()).get(0); // malignant in sklearn's own order
        assertThat(first.get("labels").get(0).asDouble()).isEqualTo(1.0);
    }

    @Test
    void categoricalFeaturesAreOneHotAndBooleansOneOrZero() {
        JsonNode pets = upload("?name=pets&labels=kind&missing=mean", table("pets.csv"));
        assertThat(pets.get("missing").asString()).isEqualTo("mean");
        assertThat(strings(pets.get("featureNames")))
                .containsExactly("size", "colour_blue", "colour_green", "colour_red", "indoor", "score");
        assertThat(strings(pets.get("classNames"))).containsExactly("cat", "dog");
        JsonNode colour = pets.get("columns").get(1);
        assertThat(colour.get("type").asString()).isEqualTo("categorical");
        assertThat(strings(colour.get("categories"))).containsExactly("blue", "green", "red");
        assertThat(pets.get("columns").get(2).get("type").asString()).isEqualTo("boolean");
        assertThat(pets.get("statistics").size()).isEqualTo(7); // per stored column: 6 features, 1 label
        assertThat(pets.get("statistics").get(3).get("column").asString()).isEqualTo("colour_red");
        assertThat(pets.get("statistics").get(3).get("mean").asDouble()).isEqualTo(4.0 / 6);
        JsonNode rows = rows(pets.get("id").asString());
        assertThat(rows.get(0).toString())
                .isEqualTo("{\"index\":0,\"features\":[1.0,0.0,0.0,1.0,1.0,10.0],\"labels\":[0.0]}");
        assertThat(rows.get(1).toString())
                .isEqualTo("{\"index\":1,\"features\":[2.0,1.0,0.0,0.0,0.0,38.0],\"labels\":[1.0]}");
    }

    @Test
    void meanImputesAndRecordsItsFills() {
        JsonNode pets = upload("?name=pets&labels=kind&missing=mean", table("pets.csv"));
        List<String> fills = new ArrayList<>();
        pets.get("columns").forEach(c -> fills.add(c.get("fill").isNull() ? null : c.get("fill").asString()));
        assertThat(fills).containsExactly("3.6", "red", "true", "38.0", null);
        JsonNode rows = rows(pets.get("id").asString());
        assertThat(rows.get(2).get("features").get(0).floatValue()).isEqualTo(3.6f); // size
        assertThat(rows.get(3).get("features").get(4).asDouble()).isEqualTo(1.0); // indoor
        assertThat(rows.get(4).get("features").toString()).isEqualTo("[5.0,0.0,0.0,1.0,0.0,50.0]"); // colour
    }

    @Test
    void mostFrequentImputesEveryColumnWithItsMostFrequentValue() {
        JsonNode pets = upload("?name=pets&labels=kind&missing=most_frequent", table("pets.csv"));
        assertThat(pets.get("missing").asString()).isEqualTo("most_frequent");
        List<String> fills = new ArrayList<>();
        pets.get("columns").forEach(c -> fills.add(c.get("fill").isNull() ? null : c.get("fill").asString()));
        assertThat(fills).containsExactly("1.0", "red", "true", "10.0", null);
        JsonNode rows = rows(pets.get("id").asString());
        assertThat(rows.get(1).get("features").get(5).asDouble()).isEqualTo(10.0);
        assertThat(rows.get(2).get("features").get(0).asDouble()).isEqualTo(1.0);
    }

    @Test
    void refuseIsTheDefaultAndNamesTheRowAndColumn() {
        long before = store.count();
        Http.Response response = http.post(DATASETS + "?name=pets&labels=kind", "text/csv", table("pets.csv"));
        assertThat(response.status()).isEqualTo(400);
        JsonNode first = response.json().get("errors").get(0);
        assertThat(first.get("field").asString()).isEqualTo("rows[1].score");
        assertThat(first.get("message").asString()).isEqualTo("is missing (line 3)");
        assertThat(response.json().get("errors").size()).isEqualTo(4);
        assertThat(store.count()).isEqualTo(before);
    }

    @Test
    void limitsNameTheColumnAndTheLimit() {
        StringBuilder ids = new StringBuilder("id,y\n");
        for (int i = 0; i < 300; i++) {
            ids.append("user").append(i).append(',').append(i % 2).append('\n');
        }
        long before = store.count();
        Http.Response tooMany = http.post(DATASETS + "?name=ids&labels=y", "text/csv", ids.toString().getBytes());
        assertThat(tooMany.status()).isEqualTo(400);
        JsonNode error = tooMany.json().get("errors").get(0);
        assertThat(error.get("field").asString()).isEqualTo("columns.id");
        assertThat(error.get("message").asString()).contains("256", "tapeflow.limits.max-categories");

        StringBuilder wide = new StringBuilder("a,b,c,d,e,y\n");
        for (int i = 0; i < 250; i++) {
            wide.append(("v" + i + ",").repeat(5)).append(i % 2).append('\n');
        }
        Http.Response tooWide = http.post(DATASETS + "?name=wide&labels=y", "text/csv", wide.toString().getBytes());
        assertThat(tooWide.status()).isEqualTo(400);
        JsonNode widthError = tooWide.json().get("errors").get(0);
        assertThat(widthError.get("field").asString()).isEqualTo("header");
        assertThat(widthError.get("message").asString())
                .contains("1250", "a: 250", "e: 250", "1024", "tapeflow.limits.max-features");
        assertThat(store.count()).isEqualTo(before);
    }

    @Test
    void unknownMissingPolicyIsRefusedNamingTheField() {
        Http.Response response = http.post(DATASETS + "?name=pets&labels=kind&missing=median", "text/csv",
                table("pets.csv"));
        assertThat(response.status()).isEqualTo(400);
        JsonNode error = response.json().get("errors").get(0);
        assertThat(error.get("field").asString()).isEqualTo("missing");
        assertThat(error.get("message").asString()).contains("refuse, mean, most_frequent", "median");
    }

    @Test
    void generatedAndInlineDatasetsHaveNumericColumns() {
        Http.Response response = http.postJson(DATASETS, """
                {"name": "xor", "source": {"type": "inline", "features": [[0, 0], [0, 1], [1, 0], [1, 1]],
                 "labels": [[0], [1], [1], [0]], "featureNames": ["a", "b"], "labelNames": ["xor"]}}""");
        JsonNode xor = response.json();
        assertThat(xor.get("columns").toString()).isEqualTo("["
                + "{\"name\":\"a\",\"role\":\"feature\",\"type\":\"numeric\",\"categories\":null,\"fill\":null},"
                + "{\"name\":\"b\",\"role\":\"feature\",\"type\":\"numeric\",\"categories\":null,\"fill\":null},"
                + "{\"name\":\"xor\",\"role\":\"label\",\"type\":\"numeric\",\"categories\":null,\"fill\":null}]");
        assertThat(xor.get("classNames").isNull()).isTrue();
        assertThat(xor.get("missing").asString()).isEqualTo("refuse");
        JsonNode rings = http.postJson(DATASETS, "{\"name\": \"r\", \"seed\": 1, \"source\": {\"type\": \"rings\", "
                + "\"positives\": 3, \"negatives\": 3}}").json();
        assertThat(rings.get("columns").size()).isEqualTo(3);
        assertThat(store.load(UUID.fromString(rings.get("id").asString())).orElseThrow().classNames()).isNull();
    }

    @Test
    void irisPlotIsColouredByClassWithTheNamesInTheLegend() throws Exception {
        String id = upload("?name=iris&labels=species", table("iris.csv")).get("id").asString();
        Document svg = DatasetsApiTests.parse(http.get(DATASETS + "/" + id + "/plot").body());
        int[] perClass = new int[3];
        NodeList circles = svg.getElementsByTagName("circle");
        for (int i = 0; i < circles.getLength(); i++) {
            String fill = ((Element) circles.item(i)).getAttribute("fill");
            for (int c = 0; c < 3; c++) {
                perClass[c] += fill.equals(ScatterPlot.CLASS_COLOURS[c]) ? 1 : 0;
            }
        }
        assertThat(perClass).containsExactly(51, 51, 51); // 50 points and a legend marker each
        List<String> texts = new ArrayList<>();
        NodeList nodes = svg.getElementsByTagName("text");
        for (int i = 0; i < nodes.getLength(); i++) {
            texts.add(nodes.item(i).getTextContent());
        }
        assertThat(texts).contains("setosa (species = 0)", "versicolor (species = 1)", "virginica (species = 2)",
                "sepal length (cm)", "sepal width (cm)");
    }

    @Test
    void aDatasetFromBeforeTheSchemaIsAllNumeric() {
        JsonNode rings = http.postJson(DATASETS, "{\"name\": \"old\", \"seed\": 1, \"source\": {\"type\": "
                + "\"rings\", \"positives\": 2, \"negatives\": 2}}").json();
        String id = rings.get("id").asString();
        jdbc.sql("UPDATE datasets SET columns_schema = NULL WHERE id = ?").param(UUID.fromString(id)).update();
        JsonNode old = http.get(DATASETS + "/" + id).json();
        assertThat(old.get("columns")).isEqualTo(rings.get("columns"));
        assertThat(store.load(UUID.fromString(id)).orElseThrow().columns())
                .containsExactly(Column.numeric("x1", Column.FEATURE), Column.numeric("x2", Column.FEATURE),
                        Column.numeric("y", Column.LABEL));
    }

    @Test
    void openApiDocumentsTheSplitAndTheMissingPolicy() {
        JsonNode docs = http.get("/v3/api-docs").json();
        JsonNode split = docs.get("paths").get("/api/v1/datasets/{id}/split").get("post");
        assertThat(split.get("responses").has("201")).isTrue();
        assertThat(split.get("responses").has("400")).isTrue();
        JsonNode missing = null;
        for (JsonNode parameter : docs.get("paths").get("/api/v1/datasets").get("post").get("parameters")) {
            if (parameter.get("name").asString().equals("missing")) {
                missing = parameter.get("schema");
            }
        }
        assertThat(missing).isNotNull();
        assertThat(strings(missing.get("enum"))).containsExactly("refuse", "mean", "most_frequent");
        assertThat(missing.get("default").asString()).isEqualTo("refuse");
        JsonNode schemas = docs.get("components").get("schemas");
        assertThat(schemas.has("SplitRequest")).isTrue();
        assertThat(strings(schemas.get("DatasetColumn").get("properties").get("type").get("enum")))
                .containsExactly("numeric", "boolean", "categorical");
    }
}
