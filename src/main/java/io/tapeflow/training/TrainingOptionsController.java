package io.tapeflow.training;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tapeflow.web.ApiException;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code GET /training-jobs/options}: what a training request may contain, so a form (the dashboard's) needs no copy
 * of the rules. The allowed values are the validator's own sets, the limits this replica's configuration, and the
 * defaults what the validator fills into a request that leaves them out: one definition of each, so a value or a
 * field added to the validator shows up here without an edit.
 */
@RestController
@Tag(name = "Training jobs")
class TrainingOptionsController {

    /** A dataset shape every model and loss accepts: two rows, one feature, labels 0 and 1. */
    private static final DataShape PROBE_DATA = new DataShape(2, 1, 1, new float[] {0f, 1f});
    private static final UUID PROBE_ID = new UUID(0, 0);

    private final TrainingJobValidator validator;
    private final TrainingProperties.Limits limits;
    private final JsonMapper json;

    TrainingOptionsController(TrainingProperties settings, JsonMapper json) {
        this.validator = new TrainingJobValidator(settings);
        this.limits = settings.limits();
        this.json = json;
    }

    @GetMapping(value = "/api/v1/training-jobs/options", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "The request's fields: allowed values, limits and defaults (defaults that depend on another "
            + "field are given per value of that field)")
    @ApiResponse(responseCode = "200", description = "The options")
    Map<String, Object> options() {
        ObjectNode defaults = (ObjectNode) filled("{\"model\": {}}");
        defaults.remove("datasetId");
        defaults.putNull("seed"); // drawn per job when left out
        defaults.putNull("earlyStopping"); // off unless asked for
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("defaults", defaults);
        options.put("lossByOutput", perValue(TrainingJobValidator.OUTPUTS,
                output -> filled("{\"model\": {\"output\": \"" + output + "\"}}").get("loss")));
        options.put("optimizers", perValue(TrainingJobValidator.OPTIMIZERS,
                type -> filled("{\"model\": {}, \"optimizer\": {\"type\": \"" + type + "\"}}").get("optimizer")));
        options.put("earlyStopping", filled("{\"model\": {}, \"earlyStopping\": {}}").get("earlyStopping"));
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("model.type", sorted(TrainingJobValidator.MODEL_TYPES));
        values.put("model.activation", sorted(TrainingJobValidator.ACTIVATIONS));
        values.put("model.output", sorted(TrainingJobValidator.OUTPUTS));
        values.put("model.initializer", sorted(TrainingJobValidator.INITIALIZERS));
        values.put("loss", sorted(TrainingJobValidator.LOSSES));
        values.put("optimizer.type", sorted(TrainingJobValidator.OPTIMIZERS));
        values.put("execution", sorted(TrainingJobValidator.EXECUTIONS));
        values.put("earlyStopping.monitor", sorted(TrainingJobValidator.MONITORS));
        options.put("values", values);
        Map<String, Object> ranges = new LinkedHashMap<>();
        ranges.put("epochs", Map.of("min", 1, "max", limits.maxEpochs()));
        ranges.put("batchSize", Map.of("min", 1, "max", limits.maxBatchSize()));
        ranges.put("model.hiddenLayers", Map.of("maxItems", limits.maxHiddenLayers(), "min", 1,
                "max", limits.maxHiddenWidth()));
        ranges.put("maxRuntimeSeconds", Map.of("min", 1, "max", limits.maxRuntimeSeconds()));
        options.put("limits", ranges);
        options.put("budget", Map.of("maxWork", limits.maxWork(), "maxMemoryBytes", limits.maxMemoryBytes(),
                "maxExpectedSeconds", limits.maxExpectedSeconds()));
        return options;
    }

    /** The request as the validator completes it; read from JSON so new request fields need no edit here. */
    private JsonNode filled(String request) {
        ObjectNode body = (ObjectNode) json.readTree(request);
        body.put("datasetId", PROBE_ID.toString());
        TrainingJobRequest parsed = json.treeToValue(body, TrainingJobRequest.class);
        return json.valueToTree(validator.validate(parsed, PROBE_ID, PROBE_DATA));
    }

    /** One default per value of the field it depends on; a value the probe data cannot show is left out. */
    private static Map<String, JsonNode> perValue(Set<String> values, java.util.function.Function<String, JsonNode> f) {
        Map<String, JsonNode> result = new LinkedHashMap<>();
        for (String value : sorted(values)) {
            try {
                result.put(value, f.apply(value));
            } catch (ApiException | IllegalArgumentException e) {
                // e.g. an output whose default loss needs labels the probe does not have: no default to show
            }
        }
        return result;
    }

    private static List<String> sorted(Set<String> values) {
        return values.stream().sorted().toList();
    }
}
