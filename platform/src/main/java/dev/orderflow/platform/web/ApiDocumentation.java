package dev.orderflow.platform.web;

import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;

/**
 * The problems every operation of every service can answer, in its OpenAPI document: whatever the controllers
 * declare, these come from the platform ({@link ProblemDetailsAdvice}, {@link RequestBodyLimit}, the firewall), so
 * they are added here once. A controller adds those of its own ({@code @ApiResponse}).
 */
class ApiDocumentation implements OpenApiCustomizer {

    static final String PROBLEM = "Problem";

    @Override
    public void customise(io.swagger.v3.oas.models.OpenAPI api) {
        api.getComponents().addSchemas(PROBLEM, problemSchema());
        api.getPaths().values().forEach(path -> path.readOperations().forEach(ApiDocumentation::addProblems));
    }

    private static void addProblems(Operation operation) {
        ApiResponses responses = operation.getResponses();
        responses.putIfAbsent(
                "400",
                problem("Bad Request: a malformed, out-of-range or missing parameter, header or body field;"
                        + " the offending fields are named (at most 20, with errorCount)"));
        if (operation.getRequestBody() != null) {
            responses.putIfAbsent("413", problem("Content Too Large: a body over the service's limit (64 KB)"));
            responses.putIfAbsent("415", problem("Unsupported Media Type: a body that is not application/json"));
        }
        responses.putIfAbsent("500", problem("Internal Server Error: a failure the service did not foresee"));
        responses.putIfAbsent(
                "503",
                problem("Service Unavailable: the service's database is unreachable; Retry-After says when to try"
                        + " again (with the same Idempotency-Key, for a placement)"));
    }

    static ApiResponse problem(String description) {
        return new ApiResponse()
                .description(description)
                .content(new Content()
                        .addMediaType(
                                org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                                new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM))));
    }

    /** RFC 9457, with the members this platform adds to a 400. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    private static Schema<?> problemSchema() {
        Schema fieldProblem = new Schema<>()
                .type("object")
                .properties(Map.of(
                        "field", new Schema<>().type("string").example("items[0].quantity"),
                        "message", new Schema<>().type("string").example("must be greater than or equal to 1")));
        return new Schema<>()
                .type("object")
                .description("An RFC 9457 problem (application/problem+json)")
                .properties(Map.of(
                        "type", new Schema<>().type("string").example("about:blank"),
                        "title", new Schema<>().type("string").example("Bad Request"),
                        "status", new Schema<>().type("integer").example(400),
                        "detail", new Schema<>().type("string").example("Invalid request: items[0].quantity"),
                        "instance", new Schema<>().type("string").example("/api/orders"),
                        "errors",
                                new Schema<>()
                                        .type("array")
                                        .items(fieldProblem)
                                        .description("400 only: the offending fields, at most 20"),
                        "errorCount", new Schema<>().type("integer").description("400 only: how many fields offended"),
                        "errorsOmitted",
                                new Schema<>()
                                        .type("integer")
                                        .description("400 only: how many were left out of errors")));
    }
}
