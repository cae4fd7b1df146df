package io.tapeflow.models;

import java.net.URI;
import java.util.Map;
import java.util.UUID;

import io.tapeflow.web.ApiException;
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
class ModelsController {

    static final String SVG = "image/svg+xml";

    private final ModelService service;

    ModelsController(ModelService service) {
        this.service = service;
    }

    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    ModelPage list(@RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "20") int size) {
        if (page < 0 || page > 1_000_000) {
            throw ApiException.badRequest("page", "must be between 0 and 1000000, got " + page);
        }
        if (size < 1 || size > 100) {
            throw ApiException.badRequest("size", "must be between 1 and 100, got " + size);
        }
        return service.list(page, size);
    }

    @GetMapping(value = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    ModelResponse get(@PathVariable UUID id) {
        return service.get(id);
    }

    @PostMapping(value = "/{id}/predictions", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> predict(@PathVariable UUID id, @RequestBody JsonNode body,
            @RequestParam(defaultValue = "false") boolean explain) {
        return service.predict(id, body, explain);
    }

    @GetMapping(value = "/{id}/plot", produces = SVG)
    ResponseEntity<String> plot(@PathVariable UUID id) {
        return ResponseEntity.ok().contentType(MediaType.parseMediaType(SVG)).body(service.plot(id));
    }

    @GetMapping(value = "/{id}/export", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<ModelDocument> export(@PathVariable UUID id) {
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"model-" + id + ".json\"")
                .body(service.export(id));
    }

    /** Reads the body itself so decimals are rounded to float32 exactly once: an export imports bit-identically. */
    @PostMapping(value = "/import", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<ModelResponse> importModel(@RequestBody byte[] document) {
        ModelResponse model = service.importModel(document);
        return ResponseEntity.status(HttpStatus.CREATED).location(URI.create("/api/v1/models/" + model.id()))
                .body(model);
    }
}
