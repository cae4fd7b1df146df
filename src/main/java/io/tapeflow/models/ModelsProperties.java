package io.tapeflow.models;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The {@code tapeflow.models.*} settings.
 *
 * @param maxInstances     instances in one prediction call
 * @param maxExplainValues gradients one {@code explain=true} call may answer (instances × outputs × inputs): a
 *                         million is ~4 MB in the engine and ~12 MB of JSON, the size of the largest request
 * @param cacheBytes       memory the loaded models may hold (4 bytes a parameter plus a little); the least recently
 *                         used ones are dropped past it and read again from the database when asked for
 */
@ConfigurationProperties("tapeflow.models")
public record ModelsProperties(@DefaultValue("10000") int maxInstances,
        @DefaultValue("1000000") long maxExplainValues,
        @DefaultValue("256MB") DataSize cacheBytes) {

    public ModelsProperties {
        // the engine indexes an explanation with ints
        if (maxExplainValues < 1 || maxExplainValues > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("tapeflow.models.max-explain-values must be 1 to "
                    + (Integer.MAX_VALUE - 8) + ", got " + maxExplainValues);
        }
        if (cacheBytes.toBytes() < 0) {
            throw new IllegalArgumentException("tapeflow.models.cache-bytes must not be negative");
        }
    }
}
