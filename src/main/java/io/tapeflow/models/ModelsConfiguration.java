package io.tapeflow.models;

import io.micrometer.common.KeyValue;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.observation.ObservationFilter;
import io.tapeflow.datasets.DatasetStore;
import jakarta.servlet.http.HttpServletRequest;
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

    /** The tag that marks the start-up warm-up's own requests, whose meters are then dropped. */
    static final String WARM_UP_TAG = "tapeflow.warm-up";

    /**
     * The start-up warm-up's prediction requests are nobody's, but they run the metrics' code as a user's do: each
     * observation of one (the server's {@code http.server.requests}, whose context holds the request, and the
     * security filter chain's, for which the request context holds it) is tagged when it stops, and
     * {@link #warmUpRequestsUncounted} drops the meters so tagged. Left out of the observations instead, they left
     * the metrics' branches cold in the code C2 compiled for them, and a user's first predictions then ran at a
     * quarter of full speed however long the warm-up had run (2 900 against 10 100 requests/s in the first 10 s).
     */
    @Bean
    ObservationFilter warmUpRequestsTagged() {
        return context -> {
            HttpServletRequest request = context instanceof ServerRequestObservationContext server
                    ? server.getCarrier()
                    : RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes current
                            ? current.getRequest() : null;
            return PredictionWarmUp.sentByWarmUp(request)
                    ? context.addLowCardinalityKeyValue(KeyValue.of(WARM_UP_TAG, "true")) : context;
        };
    }

    @Bean
    MeterFilter warmUpRequestsUncounted() {
        return MeterFilter.deny(id -> id.getTag(WARM_UP_TAG) != null);
    }
}
