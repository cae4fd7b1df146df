package io.tapeflow.web;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

/**
 * OpenAPI documentation of the error responses, one annotation per status, so every endpoint shows the same
 * RFC 9457 body with a real example.
 */
public final class ProblemResponses {

    public static final String PROBLEM_JSON = "application/problem+json";

    private ProblemResponses() {
    }

    @Target(ElementType.METHOD)
    @Retention(RetentionPolicy.RUNTIME)
    @ApiResponse(responseCode = "400", description = "Invalid request: malformed JSON, a wrong type, a value out of "
            + "range or over a limit; `errors` names each field",
            content = @Content(mediaType = PROBLEM_JSON, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(value = """
                            {"type": "https://tapeflow.io/problems/400", "title": "Invalid request", "status": 400,
                             "detail": "source.samples: must be greater than 0", "instance": "/api/v1/datasets",
                             "errors": [{"field": "source.samples", "message": "must be greater than 0"}]}""")))
    public @interface BadRequest {
    }

    @Target(ElementType.METHOD)
    @Retention(RetentionPolicy.RUNTIME)
    @ApiResponse(responseCode = "404", description = "No resource with this id",
            content = @Content(mediaType = PROBLEM_JSON, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(value = """
                            {"type": "https://tapeflow.io/problems/404", "title": "Dataset not found", "status": 404,
                             "detail": "No dataset with id 0b6c3f0e-0000-4000-8000-000000000000",
                             "instance": "/api/v1/datasets/0b6c3f0e-0000-4000-8000-000000000000"}""")))
    public @interface NotFound {
    }

    @Target(ElementType.METHOD)
    @Retention(RetentionPolicy.RUNTIME)
    @ApiResponse(responseCode = "409", description = "The resource is in use or in a state that forbids this",
            content = @Content(mediaType = PROBLEM_JSON, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(value = """
                            {"type": "https://tapeflow.io/problems/409", "title": "Conflict", "status": 409,
                             "detail": "The dataset is still referenced by other resources"}""")))
    public @interface Conflict {
    }

    @Target(ElementType.METHOD)
    @Retention(RetentionPolicy.RUNTIME)
    @ApiResponse(responseCode = "408", description = "The body did not arrive within tapeflow.limits.upload-timeout",
            content = @Content(mediaType = PROBLEM_JSON, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(value = """
                            {"type": "https://tapeflow.io/problems/408", "title": "Request timeout", "status": 408,
                             "detail": "body: must arrive within 60 s (tapeflow.limits.upload-timeout)",
                             "errors": [{"field": "body",
                                         "message": "must arrive within 60 s (tapeflow.limits.upload-timeout)"}]}""")))
    public @interface RequestTimeout {
    }

    @Target(ElementType.METHOD)
    @Retention(RetentionPolicy.RUNTIME)
    @ApiResponse(responseCode = "413", description = "The body is larger than tapeflow.limits.max-request-bytes",
            content = @Content(mediaType = PROBLEM_JSON, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(value = """
                            {"type": "https://tapeflow.io/problems/413", "title": "Content too large", "status": 413,
                             "detail": "body: must be at most 16777216 bytes (tapeflow.limits.max-request-bytes)",
                             "errors": [{"field": "body",
                                         "message": "must be at most 16777216 bytes (tapeflow.limits.max-request-bytes)"}]}""")))
    public @interface TooLarge {
    }

    @Target(ElementType.METHOD)
    @Retention(RetentionPolicy.RUNTIME)
    @ApiResponse(responseCode = "415", description = "The Content-Type is not one this endpoint reads",
            content = @Content(mediaType = PROBLEM_JSON, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(value = """
                            {"type": "https://tapeflow.io/problems/415", "title": "Unsupported Media Type",
                             "status": 415, "detail": "Content-Type 'text/plain' is not supported."}""")))
    public @interface UnsupportedMediaType {
    }

    /** The shape of every error body (RFC 9457), for the OpenAPI document only. */
    @Schema(name = "Problem", description = "RFC 9457 problem details")
    public record Problem(
            @Schema(description = "Identifies the kind of problem", example = "https://tapeflow.io/problems/400")
            String type,
            @Schema(description = "Short summary of the kind", example = "Invalid request") String title,
            @Schema(description = "The HTTP status", example = "400") int status,
            @Schema(description = "What went wrong in this request",
                    example = "source.samples: must be greater than 0") String detail,
            @Schema(description = "The request path", example = "/api/v1/datasets") String instance,
            @Schema(description = "Present for validation errors: one entry per offending field")
            java.util.List<FieldProblem> errors) {
    }
}
