package io.tapeflow.models;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** The {@code tapeflow.models.*} settings. @param maxInstances instances in one prediction call */
@ConfigurationProperties("tapeflow.models")
public record ModelsProperties(@DefaultValue("10000") int maxInstances) {
}
