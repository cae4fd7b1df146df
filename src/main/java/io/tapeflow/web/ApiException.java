package io.tapeflow.web;

import java.util.List;
import java.util.UUID;

import org.springframework.http.HttpStatus;

/**
 * An error a client caused, mapped once by {@link ProblemDetailsAdvice} to an RFC 9457 body. Features throw the
 * factory methods' results instead of building responses by hand.
 */
public class ApiException extends RuntimeException {

    /**
     * Field errors one problem body lists: the first ones, and {@code truncated} says how many more there were. A
     * model import with a million bad layers once answered 150 MB of errors; 100 are more than any client reads,
     * and validators that loop over big inputs stop collecting once they have this many ({@link #enough}).
     */
    public static final int MAX_ERRORS = 100;
    /** Errors spelt out in {@code detail}; the {@code errors} list has the rest. */
    static final int MAX_DESCRIBED = 10;

    private final HttpStatus status;
    private final String title;
    private final List<FieldProblem> errors;
    private final int truncated;

    public ApiException(HttpStatus status, String title, String detail, List<FieldProblem> errors) {
        super(detail);
        this.status = status;
        this.title = title;
        this.errors = List.copyOf(errors.subList(0, Math.min(errors.size(), MAX_ERRORS)));
        this.truncated = errors.size() - this.errors.size();
    }

    /** Whether a validator has collected as many errors as a problem body shows, so it may stop looking. */
    public static boolean enough(List<FieldProblem> errors) {
        return errors.size() >= MAX_ERRORS;
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

    /** The first {@value #MAX_DESCRIBED} errors as one sentence, and how many more there are. */
    static String describe(List<FieldProblem> errors) {
        StringBuilder sb = new StringBuilder();
        int described = Math.min(errors.size(), MAX_DESCRIBED);
        for (int i = 0; i < described; i++) {
            FieldProblem e = errors.get(i);
            if (!sb.isEmpty()) {
                sb.append("; ");
            }
            sb.append(e.field()).append(": ").append(e.message());
        }
        if (errors.size() > described) {
            sb.append("; and ").append(errors.size() - described).append(" more");
        }
        return sb.toString();
    }

    public HttpStatus status() {
        return status;
    }

    public String title() {
        return title;
    }

    /** At most {@link #MAX_ERRORS}. */
    public List<FieldProblem> errors() {
        return errors;
    }

    /** How many errors were found beyond {@link #errors()}. */
    public int truncated() {
        return truncated;
    }
}
