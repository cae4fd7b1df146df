package io.tapeflow.models;

import io.micrometer.observation.ObservationPredicate;
import io.tapeflow.datasets.DatasetStore;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import tools.jackson.databind.json.JsonMapper;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ModelsProperties.class)
class ModelsConfiguration {

    @Bean
    ModelService modelService(ModelRepository models, DatasetStore datasets, JsonMapper json,
            ModelsProperties settings) {
        return new ModelService(models, datasets, json, settings);
    }

    /**
     * The start-up warm-up's prediction requests are nobody's: no observation of them is recorded, neither
     * {@code http.server.requests} (its context holds the request: it starts before the request context is set)
     * nor the security filter chain's (the request context's request).
     */
    @Bean
    ObservationPredicate warmUpRequestsUnobserved() {
        return (name, context) -> !PredictionWarmUp.sentByWarmUp(
                context instanceof ServerRequestObservationContext server ? server.getCarrier()
                        : RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes current
                                ? current.getRequest() : null);
    }
}
