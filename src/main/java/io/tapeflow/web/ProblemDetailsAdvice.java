package io.tapeflow.web;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

import io.tapeflow.web.RequestSizeFilter.BodyTooLargeException;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.method.ParameterValidationResult;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.exc.InvalidTypeIdException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Turns every error into an RFC 9457 problem body. Client mistakes keep their 4xx status and name the field in
 * {@code errors}; anything unexpected is logged and answered with a 500 that leaks no internals. Spring MVC's own
 * errors (404, 405, 406, 415, ...) come through {@link ResponseEntityExceptionHandler} and get the same shape.
 */
@RestControllerAdvice
class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);
    private static final String TYPE_BASE = "https://tapeflow.io/problems/";
    /** Characters of one error's field or message, and of the detail, that a problem body quotes. */
    static final int MAX_MESSAGE = 1_000;
    static final int MAX_DETAIL = 4_000;

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ProblemDetail> api(ApiException e, HttpServletRequest request) {
        ProblemDetail body = body(e.status(), e.title(), e.getMessage(), e.errors(), request.getRequestURI());
        if (e.truncated() > 0) {
            body.setProperty("truncated", e.truncated());
        }
        return ResponseEntity.status(e.status()).body(body);
    }

    /** A chunked body past the limit, read without a request thread ({@link AsyncBodies}). */
    @ExceptionHandler(BodyTooLargeException.class)
    ResponseEntity<ProblemDetail> tooLarge(BodyTooLargeException e, HttpServletRequest request) {
        return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE).body(tooLarge(e, request.getRequestURI()));
    }

    private static ProblemDetail tooLarge(BodyTooLargeException e, String path) {
        return body(HttpStatus.CONTENT_TOO_LARGE, "Content too large", e.getMessage(), e.problems(), path);
    }

    @ExceptionHandler(DataIntegrityViolationException.class)
    ResponseEntity<ProblemDetail> conflict(DataIntegrityViolationException e, HttpServletRequest request) {
        log.info("Refused a change that would break a reference: {}", e.getMostSpecificCause().getMessage());
        return problem(HttpStatus.CONFLICT, "Conflict",
                "The change conflicts with other stored resources (for example, one that still refers to it)",
                List.of(), request);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e, HttpServletRequest request) {
        log.error("Unexpected error", e);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error",
                "The server failed to handle the request; it has been logged.", List.of(), request);
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<FieldProblem> errors = new ArrayList<>();
        e.getBindingResult().getFieldErrors()
                .forEach(fe -> errors.add(new FieldProblem(fe.getField(), fe.getDefaultMessage())));
        e.getBindingResult().getGlobalErrors()
                .forEach(ge -> errors.add(new FieldProblem(ge.getObjectName(), ge.getDefaultMessage())));
        return invalid(errors, request);
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<FieldProblem> errors = new ArrayList<>();
        for (ParameterValidationResult result : e.getParameterValidationResults()) {
            String name = result.getMethodParameter().getParameterName();
            for (MessageSourceResolvable error : result.getResolvableErrors()) {
                errors.add(new FieldProblem(name, error.getDefaultMessage()));
            }
        }
        return invalid(errors, request);
    }

    @Override
    protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException e, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        String name = e instanceof MethodArgumentTypeMismatchException m ? m.getName() : e.getPropertyName();
        return invalid(List.of(new FieldProblem(name, "must be " + expected(e.getRequiredType())
                + ", got '" + e.getValue() + "'")), request);
    }

    @Override
    protected ResponseEntity<Object> handleMissingServletRequestParameter(MissingServletRequestParameterException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return invalid(List.of(new FieldProblem(e.getParameterName(), "is required")), request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof BodyTooLargeException tooLarge) {
                return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE).body(tooLarge(tooLarge, path(request)));
            }
        }
        JacksonException jackson = find(e, JacksonException.class);
        FieldProblem problem = jackson != null ? describe(jackson)
                : new FieldProblem("body", e.getCause() == null ? "is required and must not be empty"
                        : "cannot be read: " + e.getMostSpecificCause().getMessage());
        return invalid(List.of(problem), request);
    }

    @Override
    protected ResponseEntity<Object> handleNoResourceFoundException(NoResourceFoundException e, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(body(HttpStatus.NOT_FOUND, "Not Found",
                "No endpoint " + e.getHttpMethod() + " " + path(request) + "; the API is under /api/v1 "
                        + "(see /swagger-ui.html)", List.of(), path(request)));
    }

    /** Gives Spring MVC's own problem bodies (404, 405, 406, 415, ...) our type URI and the request path. */
    @Override
    protected ResponseEntity<Object> createResponseEntity(Object body, HttpHeaders headers, HttpStatusCode status,
            WebRequest request) {
        if (body instanceof ProblemDetail pd) {
            if (pd.getType() == null || "about:blank".equals(pd.getType().toString())) {
                pd.setType(URI.create(TYPE_BASE + status.value()));
            }
            if (pd.getInstance() == null && path(request) != null) {
                pd.setInstance(body(status, "", "", List.of(), path(request)).getInstance());
            }
        }
        return super.createResponseEntity(body, headers, status, request);
    }

    private static FieldProblem describe(JacksonException e) {
        String field = field(e);
        if (e instanceof InvalidTypeIdException typeId) {
            String id = typeId.getTypeId();
            return new FieldProblem(field.isEmpty() ? "type" : field + ".type",
                    id == null ? "is required" : "'" + id + "' is not a known type: " + clean(e.getOriginalMessage()));
        }
        if (e instanceof UnrecognizedPropertyException unknown) {
            return new FieldProblem(field, "is not a known field; known fields: " + known(unknown.getKnownPropertyIds()));
        }
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null && !field.isEmpty()) {
            return new FieldProblem(field, "must be " + expected(mismatch.getTargetType()));
        }
        TokenStreamLocation at = e.getLocation();
        String where = at == null || at.getLineNr() < 0 ? ""
                : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
        return new FieldProblem(field.isEmpty() ? "body" : field,
                (field.isEmpty() ? "is not valid JSON: " : "") + clean(e.getOriginalMessage()) + where);
    }

    /** The JSON path of the failure in the request's own terms: {@code source.features[3][1]}. */
    private static String field(JacksonException e) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference ref : e.getPath()) {
            if (ref.getPropertyName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "of another type";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class
                || type == Short.class || type == short.class) {
            return "an integer";
        }
        if (type == Float.class || type == float.class || type == Double.class || type == double.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == UUID.class) {
            return "a UUID";
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        if (type.isEnum()) {
            return "one of " + List.of(type.getEnumConstants());
        }
        return "an object";
    }

    private static String known(Collection<Object> ids) {
        List<String> names = new ArrayList<>();
        ids.forEach(id -> names.add(String.valueOf(id)));
        names.sort(null);
        return String.join(", ", names);
    }

    /** Jackson names Java classes in its messages; a client knows only JSON. */
    private static String clean(String message) {
        if (message == null) {
            return "cannot be parsed";
        }
        return message.replaceAll(",? from `[^`]*`", "").replaceAll("`(?:[\\w$]+\\.)*([\\w$]+)`", "$1")
                .replaceAll("\\s*\\(for POJO property[^)]*\\)", "")
                .replaceAll("\\s*\\(start marker at \\[[^\\]]*\\]\\)", "")
                .replaceAll(": enable \\w+ to allow", "");
    }

    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        return null;
    }

    private ResponseEntity<Object> invalid(List<FieldProblem> errors, WebRequest request) {
        return ResponseEntity.status(HttpStatus.BAD_REQUEST)
                .body(body(HttpStatus.BAD_REQUEST, "Invalid request", ApiException.describe(errors), errors,
                        path(request)));
    }

    private static String path(WebRequest request) {
        return request instanceof ServletWebRequest servlet ? servlet.getRequest().getRequestURI() : null;
    }

    static ResponseEntity<ProblemDetail> problem(HttpStatus status, String title, String detail,
            List<FieldProblem> errors, HttpServletRequest request) {
        return ResponseEntity.status(status).body(body(status, title, detail, errors, request.getRequestURI()));
    }

    static ProblemDetail body(HttpStatusCode status, String title, String detail, List<FieldProblem> errors,
            String instance) {
        ProblemDetail pd = ProblemDetail.forStatusAndDetail(status, clip(detail, MAX_DETAIL));
        pd.setTitle(title);
        pd.setType(URI.create(TYPE_BASE + status.value()));
        if (instance != null) {
            try {
                pd.setInstance(URI.create(instance));
            } catch (IllegalArgumentException ignored) {
                // a path the URI grammar rejects is still answered, just without an instance
            }
        }
        // Every problem body is capped here, whoever collected the list (Spring's validation included): the first
        // MAX_ERRORS errors, each clipped, and how many more there were.
        int shown = Math.min(errors.size(), ApiException.MAX_ERRORS);
        if (shown > 0) {
            List<FieldProblem> listed = new ArrayList<>(shown);
            for (int i = 0; i < shown; i++) {
                FieldProblem e = errors.get(i);
                listed.add(new FieldProblem(clip(e.field(), MAX_MESSAGE), clip(e.message(), MAX_MESSAGE)));
            }
            pd.setProperty("errors", listed);
        }
        if (errors.size() > shown) {
            pd.setProperty("truncated", errors.size() - shown);
        }
        return pd;
    }

    /**
     * A message may quote what the client sent (a name, a value, the model's feature names), which can be megabytes:
     * a problem body stays a few kilobytes whatever it quotes.
     */
    static String clip(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        return text.substring(0, max) + "… (" + (text.length() - max) + " more characters)";
    }
}
