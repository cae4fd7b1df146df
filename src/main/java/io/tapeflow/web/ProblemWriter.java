package io.tapeflow.web;

import java.io.IOException;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a problem body straight to the servlet response, for answers given before Spring MVC sees the request
 * (security filters), in the same shape {@link ProblemDetailsAdvice} gives everything else.
 */
public final class ProblemWriter {

    private ProblemWriter() {
    }

    public static void write(HttpServletRequest request, HttpServletResponse response, JsonMapper json,
            HttpStatus status, String title, String detail) throws IOException {
        response.setStatus(status.value());
        response.setContentType(ProblemResponses.PROBLEM_JSON);
        json.writeValue(response.getOutputStream(),
                ProblemDetailsAdvice.body(status, title, detail, List.of(), request.getRequestURI()));
    }
}
