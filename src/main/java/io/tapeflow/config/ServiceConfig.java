package io.tapeflow.config;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.tapeflow.datasets.DatasetLimits;
import io.tapeflow.web.RequestLimits;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.type.LogicalType;

/** Service-wide settings: the limits, how strictly JSON is read, and the OpenAPI document's header. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({DatasetLimits.class, RequestLimits.class})
public class ServiceConfig {

    /**
     * JSON is read strictly: numbers must be JSON numbers (no "12" strings, no 1.5 for an integer), no key twice in
     * an object, and the parser's own limits stop pathological documents (deep nesting, thousand-digit numbers,
     * huge names) early; the body size itself is {@code RequestSizeFilter}'s job.
     */
    @Bean
    JsonMapperBuilderCustomizer strictJson() {
        // Jackson 3 fixes a mapper's stream factory when its builder is created, so the parser limits are set as the
        // process-wide defaults, before Spring Boot builds its mapper (this customizer is one of its inputs).
        StreamReadConstraints.overrideDefaultStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(64)
                .maxNumberLength(64)
                .maxNameLength(1_000)
                .build());
        return builder -> {
            // Schubfach: the shortest decimal that reads back as the same float, several times faster than the
            // JDK 17 Float.toString that Jackson 3.1 still uses by default (high in the predictions profile).
            builder.enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER);
            // A key given twice is a 400, not "the last one wins": in imported parameters or a prediction instance
            // the first value would be silently dropped. Every mapper rebuilt from this one (imports) inherits it.
            builder.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
            for (LogicalType type : new LogicalType[] {LogicalType.Integer, LogicalType.Float, LogicalType.Boolean}) {
                builder.withCoercionConfig(type, config -> {
                    config.setCoercion(CoercionInputShape.String, CoercionAction.Fail);
                    config.setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
                });
            }
            builder.withCoercionConfig(LogicalType.Integer,
                    config -> config.setCoercion(CoercionInputShape.Float, CoercionAction.Fail));
        };
    }

    @Bean
    OpenAPI tapeflowOpenApi() {
        return new OpenAPI().info(new Info()
                .title("Tapeflow")
                .version("v1")
                .description("Trains small neural networks over HTTP with its own autodiff engine. "
                        + "Every error is RFC 9457 problem JSON.")
                .license(new License().name("Apache-2.0")));
    }
}
