package io.tapeflow.models;

import io.micrometer.common.KeyValue;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.observation.Observation;
import io.tapeflow.datasets.DatasetStore;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import tools.jackson.databind.json.JsonMapper;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ModelsProperties.class)
class ModelsConfiguration {

    /** The tag that marks the observations, and so the meters, of the warm-up's own requests. */
    static final String WARM_UP_TAG = "tapeflow.warm-up";

    @Bean
    ModelService modelService(ModelRepository models, DatasetStore datasets, JsonMapper json,
            ModelsProperties settings) {
        return new ModelService(models, datasets, json, settings);
    }

    /**
     * The start-up warm-up's prediction requests are nobody's, but they run the metrics' code as a user's do:
     * Micrometer's meter handler, given first a tag on each observation of one (the server's
     * {@code http.server.requests}, whose context holds the request, and the security filter chain's, for which the
     * request context holds it), and {@link #warmUpRequestsUncounted} drops every meter so tagged: the timers, the
     * in-flight long-task timers and Spring Security's per-filter event counters. Left out of the observations
     * instead, they left the metrics' branches cold in the code C2 compiled for them: after 40 s of warm-up a user's
     * first 10 s of predictions ran at 2 900 requests/s, no faster than after 3 s, where observed they ran at
     * 5 200–5 800 (docs/benchmarks.md). Tagged at the start, not as the observation stops, so that the meters the
     * handler makes before then are dropped too. Replaces Spring Boot's handler (which backs off), keeping its
     * ignored meters.
     */
    @Bean
    DefaultMeterObservationHandler warmUpTaggingMeterObservationHandler(MeterRegistry registry,
            MetricsProperties properties) {
        return new DefaultMeterObservationHandler(registry, properties.getObservations().getIgnoredMeters()
                .toArray(DefaultMeterObservationHandler.IgnoredMeters[]::new)) {
            @Override
            public void onStart(Observation.Context context) {
                if (PredictionWarmUp.sentByWarmUp(request(context))) {
                    context.addLowCardinalityKeyValue(KeyValue.of(WARM_UP_TAG, "true"));
                }
                super.onStart(context);
            }
        };
    }

    @Bean
    MeterFilter warmUpRequestsUncounted() {
        return MeterFilter.deny(id -> id.getTag(WARM_UP_TAG) != null);
    }

    private static HttpServletRequest request(Observation.Context context) {
        return context instanceof ServerRequestObservationContext server ? server.getCarrier()
                : RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes current
                        ? current.getRequest() : null;
    }
}
