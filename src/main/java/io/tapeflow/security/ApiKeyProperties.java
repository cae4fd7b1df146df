package io.tapeflow.security;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code tapeflow.security.*} settings.
 *
 * @param apiKeyHashes SHA-256 hashes (64 hex digits) of the API keys clients may present; empty means the API is
 *                     open, as on a laptop. The keys themselves are never configured, so a leaked configuration
 *                     file does not leak a key. Make one with {@code printf %s "$KEY" | sha256sum}.
 */
@ConfigurationProperties("tapeflow.security")
public record ApiKeyProperties(@DefaultValue List<String> apiKeyHashes) {
}
