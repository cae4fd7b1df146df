package io.tapeflow.web;

import java.util.List;
import java.util.UUID;

import org.springframework.http.HttpStatus;

/**
 * An error a client caused, mapped once by {@link ProblemDetailsAdvice} to an RFC 9457 body. Features throw the
 * factory methods' results instead of building responses by hand.
 */
public class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String title;
    private final List<FieldProblem> errors;

    public ApiException(HttpStatus status, String title, String detail, List<FieldProblem> errors) {
        super(detail);
        this.status = status;
        this.title = title;
        this.errors = List.copyOf(errors);
    }

    public static ApiException notFound(String resource, Object id) {
        return new ApiException(HttpStatus.NOT_FOUND, resource + " not found",
                "No " + resource.toLowerCase() + " with id " + id, List.of());
    }

    /**
     * The id a request names in {@code field}, or a 400 when it is missing or not a UUID (an unknown one is the
     * caller's 404); {@code what} names the kind of id in the message ("a dataset id").
     */
    public static UUID requireId(String field, String value, String what) {
        if (value == null || value.isBlank()) {
            throw badRequest(field, "is required");
        }
        try {
            return UUID.fromString(value.trim());
        } catch (IllegalArgumentException e) {
            throw badRequest(field, "must be " + what + " (a UUID), got '" + value + "'");
        }
    }

    public static ApiException badRequest(String field, String message) {
        return new ApiException(HttpStatus.BAD_REQUEST, "Invalid request", field + ": " + message,
                List.of(new FieldProblem(field, message)));
    }

    public static ApiException badRequest(List<FieldProblem> errors) {
        return new ApiException(HttpStatus.BAD_REQUEST, "Invalid request", describe(errors), errors);
    }

    public static ApiException unprocessable(String field, String message) {
        return new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "Request cannot be processed",
                field + ": " + message, List.of(new FieldProblem(field, message)));
    }

    public static ApiException conflict(String detail) {
        return new ApiException(HttpStatus.CONFLICT, "Conflict", detail, List.of());
    }

    public static ApiException tooLarge(String field, String message) {
        return new ApiException(HttpStatus.CONTENT_TOO_LARGE, "Content too large", field + ": " + message,
                List.of(new FieldProblem(field, message)));
    }

    static String describe(List<FieldProblem> errors) {
        StringBuilder sb = new StringBuilder();
        for (FieldProblem e : errors) {
            if (!sb.isEmpty()) {
                sb.append("; ");
            }
            sb.append(e.field()).append(": ").append(e.message());
        }
        return sb.toString();
    }

    public HttpStatus status() {
        return status;
    }

    public String title() {
        return title;
    }

    public List<FieldProblem> errors() {
        return errors;
    }
}
