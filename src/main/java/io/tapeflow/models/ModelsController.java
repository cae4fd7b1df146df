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
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;
import tools.jackson.databind.JsonNode;

@RestController
@RequestMapping("/api/v1/models")
@Tag(name = "Models", description = "Trained or imported models: parameters, predictions, plots, export and import")
class ModelsController {

    static final String SVG = "image/svg+xml";

    private final ModelService service;
    private final EvaluationService evaluations;

    ModelsController(ModelService service, EvaluationService evaluations) {
        this.service = service;
        this.evaluations = evaluations;
    }

    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "List models, newest first (without their parameters), optionally filtered")
    @ApiResponse(responseCode = "200", description = "One page")
    @ProblemResponses.BadRequest
    ModelPage list(
            @Parameter(description = "0-based page number", example = "0")
            @RequestParam(defaultValue = "0") @Min(0) @Max(1_000_000) int page,
            @Parameter(description = "Models per page", example = "20")
            @RequestParam(defaultValue = "20") @Min(1) @Max(100) int size,
            @Parameter(description = "The name (inherited from the job): exact, or a prefix ending in *",
                    example = "rings*") @RequestParam(required = false) String name,
            @Parameter(description = "Only models with this tag", example = "baseline")
            @RequestParam(required = false) String tag,
            @Parameter(description = "Only models trained on this dataset")
            @RequestParam(required = false) String datasetId) {
        return service.list(ListFilter.parse(name, tag, datasetId), page, size);
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Delete a model and its evaluation reports", description = """
            409 while a queued or running training job starts from it (its initialModelId): cancel that job or \
            wait. The job that trained the model keeps its modelId as history.""")
    @ApiResponse(responseCode = "204", description = "Deleted")
    @ProblemResponses.NotFound
    @ProblemResponses.Conflict
    ResponseEntity<Void> delete(@PathVariable UUID id) {
        service.delete(id);
        return ResponseEntity.noContent().build();
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
            mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = PredictionRequest.class),
            examples = {
                    @ExampleObject(name = "rows", value = "{\"instances\": [[1.0, 2.0], [-3.5, 0.25]]}"),
                    @ExampleObject(name = "columns", value = "{\"inputs\": {\"x1\": [1.0, -3.5], "
                            + "\"x2\": [2.0, 0.25]}}")}))
    @ApiResponse(responseCode = "200", description = "Predictions", content = @Content(
            schema = @Schema(implementation = PredictionResponse.class), examples = @ExampleObject(
            value = "{\"predictions\": [[0.93], [0.02]], \"classes\": [[1], [0]]}")))
    @ApiResponse(responseCode = "400", description = "An instance the model cannot take, naming it",
            content = @Content(mediaType = ProblemResponses.PROBLEM_JSON, examples = @ExampleObject(value = """
                    {"type": "https://tapeflow.io/problems/400", "title": "Invalid request", "status": 400,
                     "detail": "instances[0].colour: unknown category 'purple'; known: [blue, green, red]",
                     "instance": "/api/v1/models/0b6c3f0e-0000-4000-8000-000000000000/predictions",
                     "errors": [{"field": "instances[0].colour",
                                 "message": "unknown category 'purple'; known: [blue, green, red]"}]}""")))
    @ApiResponse(responseCode = "404", description = "No model with this id",
            content = @Content(mediaType = ProblemResponses.PROBLEM_JSON, examples = @ExampleObject(value = """
                    {"type": "https://tapeflow.io/problems/404", "title": "Model not found", "status": 404,
                     "detail": "No model with id 0b6c3f0e-0000-4000-8000-000000000000",
                     "instance": "/api/v1/models/0b6c3f0e-0000-4000-8000-000000000000/predictions"}""")))
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
        URI location = ServletUriComponentsBuilder.fromCurrentContextPath().path("/api/v1/models/{id}")
                .buildAndExpand(model.id()).toUri();
        return ResponseEntity.created(location).body(model);
    }

    @PostMapping(value = "/{id}/evaluations", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Score the model on a dataset and store the report", description = """
            The dataset needs the model's feature names in the same order and labels the model can be scored on \
            (binary: one column of 0/1; multi-class: class indices 0..K−1 or K one-hot columns; regression: one \
            column per output). Every row is scored. The report holds the model's loss; for classifiers accuracy, \
            per-class precision / recall / F1 / support, macro and weighted averages, the confusion matrix (rows = \
            true class), log loss and ROC AUC (one-vs-rest macro for multi-class), and the ROC curve for binary \
            models; for regressors MSE, RMSE, MAE and R². Values are scikit-learn's (1.2) definitions; a binary \
            classifier's class is 1 when p > 0.5. Undefined values (ROC AUC on rows of one class) are left out.""")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
            mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = EvaluationRequest.class),
            examples = @ExampleObject(value = "{\"datasetId\": \"1c9a2f3e-0000-4000-8000-000000000001\"}")))
    @ApiResponse(responseCode = "201", description = "Stored; Location names the report", content = @Content(
            schema = @Schema(implementation = EvaluationResponse.class),
            examples = @ExampleObject(value = EvaluationResponse.EXAMPLE)))
    @ApiResponse(responseCode = "422", description = "A model with several sigmoid outputs (multi-label) has no report",
            content = @Content(mediaType = ProblemResponses.PROBLEM_JSON,
                    schema = @Schema(implementation = ProblemResponses.Problem.class)))
    @ProblemResponses.BadRequest
    @ProblemResponses.NotFound
    ResponseEntity<EvaluationResponse> evaluate(@PathVariable UUID id, @RequestBody EvaluationRequest request) {
        EvaluationResponse report = evaluations.evaluate(id, request);
        URI location = ServletUriComponentsBuilder.fromCurrentRequest().path("/{evaluationId}")
                .buildAndExpand(report.id()).toUri();
        return ResponseEntity.created(location).body(report);
    }

    @GetMapping(value = "/{id}/evaluations", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "The model's evaluation reports, newest first (on datasets and on a job's validation rows)")
    @ApiResponse(responseCode = "200", description = "One page")
    @ProblemResponses.BadRequest
    @ProblemResponses.NotFound
    EvaluationPage evaluations(@PathVariable UUID id,
            @Parameter(description = "0-based page number", example = "0")
            @RequestParam(defaultValue = "0") @Min(0) @Max(1_000_000) int page,
            @Parameter(description = "Reports per page", example = "20")
            @RequestParam(defaultValue = "20") @Min(1) @Max(100) int size) {
        return evaluations.list(id, page, size);
    }

    @GetMapping(value = "/{id}/evaluations/{evaluationId}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "One evaluation report")
    @ApiResponse(responseCode = "200", description = "The report", content = @Content(
            schema = @Schema(implementation = EvaluationResponse.class),
            examples = @ExampleObject(value = EvaluationResponse.EXAMPLE)))
    @ProblemResponses.NotFound
    EvaluationResponse evaluation(@PathVariable UUID id, @PathVariable UUID evaluationId) {
        return evaluations.get(id, evaluationId);
    }

    @GetMapping(value = "/{id}/evaluations/{evaluationId}/confusion-matrix", produces = SVG)
    @Operation(summary = "SVG: a classifier's confusion matrix as a heat map with the counts (rows = true class)")
    @ApiResponse(responseCode = "200", description = "An SVG image",
            content = @Content(mediaType = SVG, schema = @Schema(type = "string")))
    @ProblemResponses.NotFound
    ResponseEntity<String> confusionMatrix(@PathVariable UUID id, @PathVariable UUID evaluationId) {
        return ResponseEntity.ok().contentType(MediaType.parseMediaType(SVG))
                .body(evaluations.confusionMatrixSvg(id, evaluationId));
    }

    @GetMapping(value = "/{id}/evaluations/{evaluationId}/roc", produces = SVG)
    @Operation(summary = "SVG: a binary classifier's ROC curve with the chance diagonal and the AUC",
            description = "404 for other models, and for a report on rows of a single class (no curve).")
    @ApiResponse(responseCode = "200", description = "An SVG image",
            content = @Content(mediaType = SVG, schema = @Schema(type = "string")))
    @ProblemResponses.NotFound
    ResponseEntity<String> roc(@PathVariable UUID id, @PathVariable UUID evaluationId) {
        return ResponseEntity.ok().contentType(MediaType.parseMediaType(SVG))
                .body(evaluations.rocSvg(id, evaluationId));
    }
}
