package io.tapeflow.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits on every HTTP request.
 *
 * @param maxRequestBytes largest request body read, JSON or CSV (a plain number is bytes; "16MB" works too)
 */
@ConfigurationProperties("tapeflow.limits")
public record RequestLimits(@DefaultValue("16MB") DataSize maxRequestBytes) {
}
