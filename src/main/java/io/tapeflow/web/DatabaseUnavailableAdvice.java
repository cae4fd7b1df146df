package io.tapeflow.web;

import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * A database that cannot be reached is the server's trouble, not the client's, and a passing one: 503 with
 * {@code Retry-After}, so clients and load balancers retry (on another replica) rather than report a bug. Runs
 * before {@link ProblemDetailsAdvice}, whose catch-all would otherwise answer 500.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class DatabaseUnavailableAdvice {

    private static final Logger log = LoggerFactory.getLogger(DatabaseUnavailableAdvice.class);

    private final DatabaseHealth health;

    DatabaseUnavailableAdvice(DatabaseHealth health) {
        this.health = health;
    }

    @ExceptionHandler({DataAccessResourceFailureException.class, TransientDataAccessException.class,
            RecoverableDataAccessException.class, CannotCreateTransactionException.class})
    ResponseEntity<ProblemDetail> unavailable(Exception e, HttpServletRequest request) {
        log.warn("{} {}: the database is unavailable: {}", request.getMethod(), request.getRequestURI(),
                e.getMessage());
        health.failed(e);
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "5")
                .body(ProblemDetailsAdvice.body(HttpStatus.SERVICE_UNAVAILABLE, "Service unavailable",
                        "The database cannot be reached right now; try again in a few seconds.", List.of(),
                        request.getRequestURI()));
    }
}
