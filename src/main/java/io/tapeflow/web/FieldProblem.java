package io.tapeflow.web;

/** One entry of a problem body's {@code errors} list: the JSON path of the offending field and what is wrong. */
public record FieldProblem(String field, String message) {
}
