package io.tapeflow.web;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.stereotype.Component;

/**
 * Gives every endpoint's shared error responses ({@link ProblemResponses.NotFound}, {@link ProblemResponses.BadRequest})
 * an example of its own: a 404 names the resource of the path's first id and the path itself, and a 400 of an endpoint
 * that reads no body shows the refusal every endpoint makes, an unknown query parameter, with the parameters this one
 * takes. Examples an endpoint writes itself are left alone.
 */
@Component
class ProblemExamples implements OpenApiCustomizer {

    static final String EXAMPLE_ID = "0b6c3f0e-0000-4000-8000-000000000000";

    /** The resource each collection of the API holds, in the words of its 404s ({@code ApiException.notFound}). */
    private static final Map<String, String> RESOURCES = Map.of("datasets", "Dataset", "training-jobs",
            "Training job", "models", "Model", "evaluations", "Evaluation");

    @Override
    public void customise(OpenAPI openApi) {
        if (openApi.getPaths() == null) {
            return;
        }
        openApi.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
            if (operation.getResponses() == null) {
                return;
            }
            String instance = path.replaceAll("\\{[^}]+}", EXAMPLE_ID);
            replaceGeneric(operation.getResponses().get("404"), "Dataset not found", notFound(path, instance));
            if (method != PathItem.HttpMethod.POST && method != PathItem.HttpMethod.PUT) {
                replaceGeneric(operation.getResponses().get("400"), "source.samples",
                        unknownParameter(operation, instance));
            }
        }));
    }

    /** Replaces the shared example (recognised by {@code marker}) with this endpoint's; a new object per endpoint. */
    private static void replaceGeneric(ApiResponse response, String marker, Map<String, Object> example) {
        if (response == null || response.getContent() == null || example == null) {
            return;
        }
        MediaType problem = response.getContent().get(ProblemResponses.PROBLEM_JSON);
        if (problem == null || !String.valueOf(shown(problem)).contains(marker)) {
            return;
        }
        response.setContent(new Content().addMediaType(ProblemResponses.PROBLEM_JSON,
                new MediaType().schema(problem.getSchema()).example(example)));
    }

    private static Object shown(MediaType media) {
        if (media.getExample() != null) {
            return media.getExample();
        }
        return media.getExamples() == null ? null : media.getExamples().values().stream()
                .map(e -> String.valueOf(e.getValue())).toList();
    }

    /**
     * The resource of the path's first id, which is looked up first: where every id is unknown,
     * {@code /models/{id}/evaluations/{evaluationId}} answers that the model is not found.
     */
    static Map<String, Object> notFound(String path, String instance) {
        String[] segments = path.split("/");
        for (int i = 1; i < segments.length; i++) {
            if (segments[i].startsWith("{") && RESOURCES.containsKey(segments[i - 1])) {
                String resource = RESOURCES.get(segments[i - 1]);
                return problem(404, resource + " not found", "No " + resource.toLowerCase() + " with id " + EXAMPLE_ID,
                        instance, null);
            }
        }
        return null;
    }

    /** What {@link KnownParameters} answers to {@code ?colour=red} on this endpoint. */
    static Map<String, Object> unknownParameter(Operation operation, String instance) {
        List<String> known = new ArrayList<>();
        if (operation.getParameters() != null) {
            for (Parameter parameter : operation.getParameters()) {
                if ("query".equals(parameter.getIn())) {
                    known.add(parameter.getName());
                }
            }
        }
        known.sort(null); // as KnownParameters names them
        String message = "is not a query parameter of this endpoint, which "
                + (known.isEmpty() ? "takes no query parameters" : "takes only " + known);
        return problem(400, "Invalid request", "colour: " + message, instance,
                List.of(Map.of("field", "colour", "message", message)));
    }

    private static Map<String, Object> problem(int status, String title, String detail, String instance,
            List<Map<String, String>> errors) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "https://tapeflow.io/problems/" + status);
        problem.put("title", title);
        problem.put("status", status);
        problem.put("detail", detail);
        problem.put("instance", instance);
        if (errors != null) {
            problem.put("errors", errors);
        }
        return problem;
    }
}
