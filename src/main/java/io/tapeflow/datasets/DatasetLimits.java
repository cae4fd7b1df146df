package io.tapeflow.datasets;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How large a dataset may be. A dataset is held in memory whole while it is created and trained on, so these bound
 * the memory one request can claim: {@code maxValues} floats take {@code 4 × maxValues} bytes.
 *
 * @param maxRows     rows per dataset
 * @param maxFeatures feature columns per dataset
 * @param maxLabels   label columns per dataset
 * @param maxValues   rows × (features + labels) per dataset
 * @param maxCategories distinct values of one categorical column: each is a one-hot feature column (or a class),
 *                    so a column of ids or free text is refused rather than blown up into thousands of columns
 */
@ConfigurationProperties("tapeflow.limits")
public record DatasetLimits(
        @DefaultValue("100000") int maxRows,
        @DefaultValue("1024") int maxFeatures,
        @DefaultValue("16") int maxLabels,
        @DefaultValue("10000000") long maxValues,
        @DefaultValue("256") int maxCategories) {
}
