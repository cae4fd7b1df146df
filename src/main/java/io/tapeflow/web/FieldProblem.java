package io.tapeflow.web;

import io.swagger.v3.oas.annotations.media.Schema;

/** One entry of a problem body's {@code errors} list: the JSON path of the offending field and what is wrong. */
@Schema(description = "One offending field of a request")
public record FieldProblem(
        @Schema(description = "JSON path, query parameter or CSV position (rows[i].column)",
                example = "source.samples") String field,
        @Schema(description = "What is wrong with it", example = "must be greater than 0") String message) {
}
