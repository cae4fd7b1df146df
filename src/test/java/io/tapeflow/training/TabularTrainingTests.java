package io.tapeflow.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.tapeflow.support.Http;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A person's own table, end to end over HTTP: a CSV with string labels, three classes and badly scaled columns is
 * uploaded as it comes, split, trained with the service's defaults, evaluated on the held-out part and asked for
 * predictions by the original values. The held-out scores are held to scikit-learn's on the same split
 * ({@code src/test/resources/golden/tables/make_sklearn_reference.py} and its committed output).
 */
abstract class TabularTrainingTests {

    private static final String DATASETS = "/api/v1/datasets";
    private static final String GOLDEN = "/golden/tables/";

    @LocalServerPort
    int port;

    TrainingApi api;

    @BeforeEach
    void client() {
        api = new TrainingApi(port);
    }

    @Test
    void irisUploadSplitTrainEvaluatePredict() {
        String iris = upload(resource("/tables/iris.csv"), "iris", "species");
        Http.Response split = api.http.postJson(DATASETS + "/" + iris + "/split",
                "{\"fractions\": {\"train\": 0.8, \"test\": 0.2}, \"seed\": 1, \"stratify\": true}");
        assertThat(split.status()).as(split.toString()).isEqualTo(201);
        String train = split.json().get("parts").get(0).get("id").asString();
        String test = split.json().get("parts").get(1).get("id").asString();

        JsonNode job = api.awaitSucceeded(api.submit("""
                {"datasetId": "%s", "model": {"type": "mlp"}, "seed": 3, "validationSplit": 0.2}"""
                .formatted(train)));
        JsonNode spec = job.get("request");
        assertThat(spec.get("model").get("output").asString()).isEqualTo("softmax");
        assertThat(spec.get("loss").asString()).isEqualTo("sparse_categorical_crossentropy");
        assertThat(spec.get("model").get("standardize").asBoolean()).isTrue();
        assertThat(job.get("latest").get("accuracy").asDouble()).isGreaterThan(0.9);
        assertThat(job.get("latest").has("val_accuracy")).isTrue();

        String modelId = job.get("modelId").asString();
        JsonNode model = api.model(modelId);
        assertThat(model.get("signature").get("classNames").toString())
                .isEqualTo("[\"setosa\",\"versicolor\",\"virginica\"]");
        assertThat(model.get("signature").get("outputs").asInt()).isEqualTo(3);
        assertThat(model.get("parameters").has("standardize/mean")).isTrue();
        JsonNode validation = api.http.get(TrainingApi.MODELS + "/" + modelId + "/evaluations").json()
                .get("items");
        assertThat(validation).hasSize(1);
        assertThat(validation.get(0).get("source").asString()).isEqualTo("validation");

        Http.Response evaluated = api.http.postJson(TrainingApi.MODELS + "/" + modelId + "/evaluations",
                "{\"datasetId\": \"" + test + "\"}");
        assertThat(evaluated.status()).as(evaluated.toString()).isEqualTo(201);
        JsonNode report = evaluated.json();
        assertThat(report.get("kind").asString()).isEqualTo("multiclass");
        assertThat(report.get("rows").asInt()).isEqualTo(30);
        assertThat(report.get("metrics").get("accuracy").asDouble()).isGreaterThanOrEqualTo(0.9);
        assertThat(report.get("confusionMatrix").get("labels").toString())
                .isEqualTo("[\"setosa\",\"versicolor\",\"virginica\"]");
        assertThat(report.get("metrics").get("roc_auc").asDouble()).isGreaterThan(0.95);

        Http.Response predicted = api.http.postJson(TrainingApi.MODELS + "/" + modelId + "/predictions?explain=true",
                """
                {"instances": [{"sepal length (cm)": 5.1, "sepal width (cm)": 3.5, "petal length (cm)": 1.4,
                                "petal width (cm)": 0.2},
                               [6.9, 3.1, 5.4, 2.1]]}""");
        assertThat(predicted.status()).as(predicted.toString()).isEqualTo(200);
        assertThat(predicted.json().get("classes").toString()).isEqualTo("[\"setosa\",\"virginica\"]");
        JsonNode p = predicted.json().get("predictions").get(0);
        assertThat(p).hasSize(3);
        assertThat(p.get(0).asDouble() + p.get(1).asDouble() + p.get(2).asDouble()).isCloseTo(1.0,
                org.assertj.core.data.Offset.offset(1e-5));
        assertThat(predicted.json().get("inputGradients").get(0)).hasSize(3);
        assertThat(predicted.json().get("inputGradients").get(0).get(0)).hasSize(4);

        Http.Response plot = api.http.get(TrainingApi.MODELS + "/" + modelId + "/plot");
        assertThat(plot.status()).isEqualTo(200);
        assertThat(plot.body()).contains("<svg");
    }

    /**
     * The 30-column table whose columns range from 0.05 to 2 500 trained to the majority class before the model
     * standardized its inputs; with the defaults every table now scores within 0.03 of scikit-learn's MLP on
     * standardized features.
     */
    @ParameterizedTest
    @ValueSource(strings = {"iris", "wine", "breast_cancer"})
    void withTheDefaultsEachTableScoresAsScikitLearnDoes(String table) {
        JsonNode reference = JsonMapper.builder().build().readTree(resource(GOLDEN + "sklearn_reference.json"))
                .get("tables").get(table);
        String label = reference.get("label").asString();
        String train = upload(resource(GOLDEN + table + "_train.csv"), table + " train", label);
        String test = upload(resource(GOLDEN + table + "_test.csv"), table + " test", label);

        JsonNode job = api.awaitSucceeded(api.submit("""
                {"datasetId": "%s", "model": {"type": "mlp"}, "seed": 1}""".formatted(train)));
        String modelId = job.get("modelId").asString();
        Http.Response evaluated = api.http.postJson(TrainingApi.MODELS + "/" + modelId + "/evaluations",
                "{\"datasetId\": \"" + test + "\"}");
        assertThat(evaluated.status()).as(evaluated.toString()).isEqualTo(201);
        double ours = evaluated.json().get("metrics").get("accuracy").asDouble();
        assertThat(ours).as("%s held-out accuracy against scikit-learn's %s", table,
                reference.get("mean_test_accuracy")).isGreaterThanOrEqualTo(
                reference.get("mean_test_accuracy").asDouble() - 0.03);
    }

    @Test
    void aSoftmaxJobOnGeneratedBlobsLearnsItsClassesAndIsEvaluatedWithIndices() {
        String blobs = api.dataset("""
                {"name": "blobs", "seed": 4, "source": {"type": "blobs", "samples": 400, "features": 20,
                 "classes": 5, "spread": 0.5}}""");
        JsonNode job = api.awaitSucceeded(api.submit("""
                {"datasetId": "%s", "model": {"type": "mlp", "hiddenLayers": [32, 32], "output": "softmax"},
                 "loss": "sparse_categorical_crossentropy", "epochs": 20, "batchSize": 64, "seed": 2,
                 "validationSplit": 0.25}""".formatted(blobs)));
        assertThat(job.get("latest").get("val_accuracy").asDouble()).isGreaterThan(0.9);
        JsonNode model = api.model(job.get("modelId").asString());
        assertThat(model.get("signature").get("outputs").asInt()).isEqualTo(5);
        assertThat(model.get("signature").get("labelNames").toString())
                .isEqualTo("[\"class_0\",\"class_1\",\"class_2\",\"class_3\",\"class_4\"]");
        assertThat(model.get("signature").get("classNames").isNull()).isTrue();
        JsonNode report = api.http.get(TrainingApi.MODELS + "/" + job.get("modelId").asString() + "/evaluations")
                .json().get("items").get(0);
        assertThat(report.get("rows").asInt()).isEqualTo(100);
        assertThat(report.get("confusionMatrix").get("labels").toString()).isEqualTo("[\"0\",\"1\",\"2\",\"3\",\"4\"]");
        Http.Response predicted = api.http.postJson(TrainingApi.MODELS + "/" + job.get("modelId").asString()
                + "/predictions", "{\"instances\": [" + "[0.0" + ", 0.0".repeat(19) + "]]}");
        assertThat(predicted.status()).as(predicted.toString()).isEqualTo(200);
        assertThat(predicted.json().get("classes").get(0).isInt()).isTrue();
    }

    @Test
    void categoricalFeaturesArePredictedFromTheirOriginalValues() {
        String pets = upload(resource("/tables/pets.csv"), "pets", "kind", "&missing=most_frequent");
        JsonNode job = api.awaitSucceeded(api.submit("""
                {"datasetId": "%s", "model": {"type": "mlp", "hiddenLayers": [4]}, "epochs": 5, "seed": 1}"""
                .formatted(pets)));
        assertThat(job.get("request").get("model").get("output").asString()).isEqualTo("sigmoid");
        String modelId = job.get("modelId").asString();
        JsonNode signature = api.model(modelId).get("signature");
        assertThat(signature.get("classNames").toString()).isEqualTo("[\"cat\",\"dog\"]");
        assertThat(signature.get("columns")).hasSize(4);

        Http.Response ok = api.http.postJson(TrainingApi.MODELS + "/" + modelId + "/predictions", """
                {"instances": [{"size": 2.0, "colour": "red", "indoor": true, "score": 20},
                               [3.0, "blue", false, 30], {"size": null, "colour": "green", "indoor": false,
                                "score": 10}]}""");
        assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
        assertThat(ok.json().get("classes")).hasSize(3);
        assertThat(ok.json().get("classes").get(0).get(0).asString()).isIn("cat", "dog");

        Http.Response unseen = api.http.postJson(TrainingApi.MODELS + "/" + modelId + "/predictions", """
                {"instances": [{"size": 2.0, "colour": "purple", "indoor": true, "score": 20}]}""");
        assertThat(unseen.status()).as(unseen.toString()).isEqualTo(400);
        JsonNode error = unseen.json().get("errors").get(0);
        assertThat(error.get("field").asString()).isEqualTo("instances[0].colour");
        assertThat(error.get("message").asString()).contains("purple").contains("[blue, green, red]");

        Http.Response wrongType = api.http.postJson(TrainingApi.MODELS + "/" + modelId + "/predictions", """
                {"instances": [[2.0, "red", "yes", 20]]}""");
        assertThat(wrongType.status()).as(wrongType.toString()).isEqualTo(400);
        assertThat(wrongType.json().get("errors").get(0).get("field").asString()).isEqualTo("instances[0][2]");
    }

    @Test
    void aTestTableUploadedOnItsOwnIsEncodedLikeTheTrainingTable() {
        String pets = upload(resource("/tables/pets.csv"), "pets", "kind", "&missing=most_frequent");
        JsonNode job = api.awaitSucceeded(api.submit("""
                {"datasetId": "%s", "model": {"type": "mlp", "hiddenLayers": [4]}, "epochs": 5, "seed": 1}"""
                .formatted(pets)));
        // no blue, no green, only dogs: on its own this table would have other one-hot columns and class indices
        byte[] test = "size,colour,indoor,score,kind\n2.5,red,true,15,dog\n,red,false,25,dog\n".getBytes(
                StandardCharsets.UTF_8);
        Http.Response like = api.http.post(DATASETS + "?name=pets%20test&like=" + pets, "text/csv", test);
        assertThat(like.status()).as(like.toString()).isEqualTo(201);
        assertThat(like.json().get("featureNames").toString())
                .isEqualTo(api.http.get(DATASETS + "/" + pets).json().get("featureNames").toString());
        assertThat(like.json().get("classNames").toString()).isEqualTo("[\"cat\",\"dog\"]");
        Http.Response rows = api.http.get(DATASETS + "/" + like.json().get("id").asString() + "/rows");
        assertThat(rows.json().get("rows").get(0).get("labels").get(0).asDouble()).isEqualTo(1.0);
        Http.Response evaluated = api.http.postJson(TrainingApi.MODELS + "/" + job.get("modelId").asString()
                + "/evaluations", "{\"datasetId\": \"" + like.json().get("id").asString() + "\"}");
        assertThat(evaluated.status()).as(evaluated.toString()).isEqualTo(201);

        Http.Response unseen = api.http.post(DATASETS + "?name=bad&like=" + pets, "text/csv",
                "size,colour,indoor,score,kind\n1,purple,true,1,cat\n".getBytes(StandardCharsets.UTF_8));
        assertThat(unseen.status()).isEqualTo(400);
        assertThat(unseen.json().get("errors").get(0).get("field").asString()).isEqualTo("rows[0].colour");
        Http.Response otherColumns = api.http.post(DATASETS + "?name=bad&like=" + pets, "text/csv",
                "size,kind\n1,cat\n".getBytes(StandardCharsets.UTF_8));
        assertThat(otherColumns.status()).isEqualTo(400);
        assertThat(otherColumns.json().get("errors").get(0).get("field").asString()).isEqualTo("header");
        byte[] twoLabels = "x,a,b\n1,0,1\n2,1,0\n".getBytes(StandardCharsets.UTF_8);
        String reference = upload(twoLabels, "two labels", "b,a");
        Http.Response sameOrder = api.http.post(DATASETS + "?name=two%20labels%20too&like=" + reference, "text/csv",
                twoLabels);
        assertThat(sameOrder.status()).as(sameOrder.toString()).isEqualTo(201);
        assertThat(sameOrder.json().get("labelNames").toString()).as("the reference's label order")
                .isEqualTo("[\"b\",\"a\"]");
        Http.Response both = api.http.post(DATASETS + "?name=bad&missing=mean&like=" + pets, "text/csv", test);
        assertThat(both.status()).isEqualTo(400);
        assertThat(both.json().get("errors").get(0).get("field").asString()).isEqualTo("missing");
    }

    @Test
    void labelsThatDoNotFitTheLossAreRefusedBeforeAnythingIsQueued() {
        String iris = upload(resource("/tables/iris.csv"), "iris", "species");
        String linear = api.linearDataset();
        List<String[]> cases = new ArrayList<>();
        cases.add(new String[] {"{\"datasetId\": \"" + iris + "\", \"model\": {\"type\": \"mlp\"}, \"loss\": \"mse\"}",
                "loss", "class names"});
        cases.add(new String[] {"{\"datasetId\": \"" + iris + "\", \"model\": {\"type\": \"mlp\", \"output\": "
                + "\"sigmoid\"}}", "loss", "softmax"});
        cases.add(new String[] {"{\"datasetId\": \"" + linear + "\", \"model\": {\"type\": \"mlp\", \"output\": "
                + "\"softmax\"}}", "loss", "row 0"});
        cases.add(new String[] {"{\"datasetId\": \"" + iris + "\", \"model\": {\"type\": \"mlp\", \"output\": "
                + "\"linear\"}, \"loss\": \"sparse_categorical_crossentropy\"}", "loss", "softmax"});
        String oneClass = api.dataset("""
                {"name": "one class", "source": {"type": "inline", "features": [[1.0], [2.0]],
                 "labels": [[0.0], [0.0]]}}""");
        cases.add(new String[] {"{\"datasetId\": \"" + oneClass + "\", \"model\": {\"type\": \"mlp\", \"output\": "
                + "\"softmax\"}}", "model.output", "two classes"});
        String yesOnly = api.http.post(DATASETS + "?name=yes&labels=answer", "text/csv",
                "x,answer\n1,yes\n2,yes\n".getBytes(StandardCharsets.UTF_8)).json().get("id").asString();
        cases.add(new String[] {"{\"datasetId\": \"" + yesOnly + "\", \"model\": {\"type\": \"mlp\", \"output\": "
                + "\"sigmoid\"}}", "loss", "two classes"});
        cases.add(new String[] {"{\"datasetId\": \"" + api.dataset("""
                {"name": "huge index", "source": {"type": "inline", "features": [[1.0], [2.0]],
                 "labels": [[0.0], [3.0e9]]}}""") + "\", \"model\": {\"type\": \"mlp\", \"output\": \"softmax\"}}",
                "loss", "max-classes"});
        for (String[] c : cases) {
            Http.Response r = api.post(c[0]);
            assertThat(r.status()).as(c[0] + " → " + r).isEqualTo(400);
            assertThat(r.json().get("errors").findValuesAsString("field")).as(r.toString()).contains(c[1]);
            assertThat(r.json().toString()).as(r.toString()).contains(c[2]);
        }
    }

    @Test
    void theTrainingRequestSchemaNamesItsChoicesAndDefaults() {
        JsonNode schemas = api.http.get("/v3/api-docs").json().get("components").get("schemas");
        JsonNode model = schemas.get("TrainingModel").get("properties");
        assertThat(model.get("output").get("enum").toString()).contains("softmax", "sigmoid", "linear");
        assertThat(model.get("standardize").get("description").asString()).contains("training rows");
        JsonNode job = schemas.get("TrainingJobRequest").get("properties");
        assertThat(job.get("loss").get("enum").toString()).contains("sparse_categorical_crossentropy",
                "categorical_crossentropy");
        assertThat(job.get("epochs").get("default").asInt()).isEqualTo(200);
        assertThat(schemas.get("TrainingOptimizer").get("properties").get("type").get("default").asString())
                .isEqualTo("adam");
        JsonNode predictions = api.http.get("/v3/api-docs").json().get("paths")
                .get("/api/v1/models/{id}/predictions").get("post");
        assertThat(predictions.get("requestBody").toString()).contains("PredictionRequest")
                .doesNotContain("JsonNode");
        assertThat(schemas.get("PredictionRequest").get("properties").has("instances")).isTrue();
        assertThat(predictions.get("responses").get("400").toString()).contains("instances[0]");
        assertThat(predictions.get("responses").get("404").toString()).contains("Model not found");
    }

    private String upload(byte[] csv, String name, String labels) {
        return upload(csv, name, labels, "");
    }

    private String upload(byte[] csv, String name, String labels, String more) {
        Http.Response r = api.http.post(DATASETS + "?name=" + name.replace(" ", "%20") + "&labels=" + labels + more,
                "text/csv", csv);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().get("id").asString();
    }

    private static byte[] resource(String path) {
        try (InputStream in = TabularTrainingTests.class.getResourceAsStream(path)) {
            assertThat(in).as(path).isNotNull();
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
