package io.tapeflow.web;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits on every HTTP request.
 *
 * @param maxRequestBytes largest request body read, JSON or CSV (a plain number is bytes; "16MB" works too)
 * @param uploadTimeout   how long a CSV upload's body may take to arrive, from the start of its handling to its last
 *                        byte; a slower one is a 408 (16 MB in 60 s is 2.2 Mbit/s)
 */
@ConfigurationProperties("tapeflow.limits")
public record RequestLimits(@DefaultValue("16MB") DataSize maxRequestBytes,
        @DefaultValue("60s") Duration uploadTimeout) {
}
