package io.tapeflow.models;

import io.tapeflow.datasets.DatasetStore;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ModelsProperties.class)
class ModelsConfiguration {

    @Bean
    ModelService modelService(ModelRepository models, DatasetStore datasets, JsonMapper json,
            ModelsProperties settings) {
        return new ModelService(models, datasets, json, settings);
    }
}
