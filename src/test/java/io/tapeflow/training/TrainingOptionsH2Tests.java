package io.tapeflow.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.tapeflow.support.H2WebTest;
import io.tapeflow.support.Http;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * GET /training-jobs/options says what the validator accepts: its own value sets, this replica's limits, and
 * defaults that, sent back as a request, give the same job as leaving them out.
 */
@H2WebTest
class TrainingOptionsH2Tests {

    @LocalServerPort
    int port;

    @Autowired
    TrainingProperties settings;

    @Test
    void valuesAndLimitsAreTheValidatorsAndTheConfiguration() {
        JsonNode options = new Http(port).get("/api/v1/training-jobs/options").json();
        assertThat(strings(options.get("values").get("loss"))).containsExactlyElementsOf(
                TrainingJobValidator.LOSSES.stream().sorted().toList());
        assertThat(Set.copyOf(strings(options.get("values").get("model.output"))))
                .isEqualTo(TrainingJobValidator.OUTPUTS);
        assertThat(options.get("limits").get("epochs").get("max").asInt())
                .isEqualTo(settings.limits().maxEpochs());
        assertThat(options.get("limits").get("model.hiddenLayers").get("maxItems").asInt())
                .isEqualTo(settings.limits().maxHiddenLayers());
        assertThat(options.get("lossByOutput").get("sigmoid").asString()).isEqualTo("binary_crossentropy");
        assertThat(options.get("optimizers").get("adam").get("beta2").asDouble()).isEqualTo(0.999);
        assertThat(options.get("defaults").get("seed").isNull()).isTrue();
        assertThat(options.get("defaults").has("datasetId")).isFalse();
    }

    @Test
    void theDefaultsSentBackAreAcceptedAsTheyAre() {
        Http http = new Http(port);
        JsonNode options = http.get("/api/v1/training-jobs/options").json();
        Http.Response dataset = http.postJson("/api/v1/datasets", """
                {"name": "options", "seed": 1, "source": {"type": "linear", "samples": 20}}""");
        ObjectNode request = (ObjectNode) options.get("defaults").deepCopy();
        request.put("datasetId", dataset.json().get("id").asString());
        request.remove("seed");
        request.remove("earlyStopping");
        Http.Response dryRun = http.postJson("/api/v1/training-jobs?dryRun=true", request.toString());
        assertThat(dryRun.status()).as(dryRun.toString()).isEqualTo(200);
        JsonNode filled = dryRun.json().get("request");
        assertThat(filled.get("model")).isEqualTo(options.get("defaults").get("model"));
        assertThat(filled.get("optimizer")).isEqualTo(options.get("defaults").get("optimizer"));
        assertThat(filled.get("epochs")).isEqualTo(options.get("defaults").get("epochs"));
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asString()));
        return out;
    }
}
