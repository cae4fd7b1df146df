package io.tapeflow.models;

import java.net.URI;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tapeflow.web.ProblemResponses;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

@RestController
@RequestMapping("/api/v1/models")
@Tag(name = "Models", description = "Trained or imported models: parameters, predictions, plots, export and import")
class ModelsController {

    static final String SVG = "image/svg+xml";

    private final ModelService service;

    ModelsController(ModelService service) {
        this.service = service;
    }

    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "List models, newest first (without their parameters)")
    @ApiResponse(responseCode = "200", description = "One page")
    @ProblemResponses.BadRequest
    ModelPage list(
            @Parameter(description = "0-based page number", example = "0")
            @RequestParam(defaultValue = "0") @Min(0) @Max(1_000_000) int page,
            @Parameter(description = "Models per page", example = "20")
            @RequestParam(defaultValue = "20") @Min(1) @Max(100) int size) {
        return service.list(page, size);
    }

    @GetMapping(value = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "A model: architecture, signature, named parameters, training metrics, job and dataset")
    @ApiResponse(responseCode = "200", description = "The model")
    @ProblemResponses.NotFound
    ModelResponse get(@PathVariable UUID id) {
        return service.get(id);
    }

    @PostMapping(value = "/{id}/predictions", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Predict: TF Serving's row ({instances}) or column ({inputs}) format", description = """
            Rows: `{"instances": [[x1, x2], ...]}` or `[{"x1": .., "x2": ..}]` → `{"predictions": [[...], ...]}`. \
            Columns: `{"inputs": {"x1": [...], "x2": [...]}}` (or a list of rows) → `{"outputs": ...}`. \
            A classifier adds `classes` (threshold 0.5); `explain=true` adds `inputGradients[i][j][k]` = \
            ∂output_j/∂input_k of instance i, from the engine's tape. At most `tapeflow.models.max-instances`.""")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
            mediaType = MediaType.APPLICATION_JSON_VALUE, examples = {
                    @ExampleObject(name = "rows", value = "{\"instances\": [[1.0, 2.0], [-3.5, 0.25]]}"),
                    @ExampleObject(name = "columns", value = "{\"inputs\": {\"x1\": [1.0, -3.5], "
                            + "\"x2\": [2.0, 0.25]}}")}))
    @ApiResponse(responseCode = "200", description = "Predictions", content = @Content(
            schema = @Schema(implementation = PredictionResponse.class), examples = @ExampleObject(
            value = "{\"predictions\": [[0.93], [0.02]], \"classes\": [[1], [0]]}")))
    @ProblemResponses.BadRequest
    @ProblemResponses.NotFound
    PredictionResponse predict(@PathVariable UUID id, @RequestBody JsonNode body,
            @Parameter(description = "Add the input gradients") @RequestParam(defaultValue = "false")
            boolean explain) {
        return service.predict(id, body, explain);
    }

    @GetMapping(value = "/{id}/plot", produces = SVG)
    @Operation(summary = "SVG: decision regions (2-feature classifier) or fitted lines over the data")
    @ApiResponse(responseCode = "200", description = "An SVG image")
    @ProblemResponses.NotFound
    ResponseEntity<String> plot(@PathVariable UUID id) {
        return ResponseEntity.ok().contentType(MediaType.parseMediaType(SVG)).body(service.plot(id));
    }

    @GetMapping(value = "/{id}/export", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "The model as a self-describing JSON document that POST /models/import takes back")
    @ApiResponse(responseCode = "200", description = "The document")
    @ProblemResponses.NotFound
    ResponseEntity<ModelDocument> export(@PathVariable UUID id) {
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"model-" + id + ".json\"")
                .body(service.export(id));
    }

    /** Reads the body itself so decimals are rounded to float32 exactly once: an export imports bit-identically. */
    @PostMapping(value = "/import", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Import an exported model under a new id; predictions are bit-identical to the original's")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
            mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = ModelDocument.class)))
    @ApiResponse(responseCode = "201", description = "Imported; Location names the new model")
    @ProblemResponses.BadRequest
    ResponseEntity<ModelResponse> importModel(@RequestBody byte[] document) {
        ModelResponse model = service.importModel(document);
        return ResponseEntity.status(HttpStatus.CREATED).location(URI.create("/api/v1/models/" + model.id()))
                .body(model);
    }
}
