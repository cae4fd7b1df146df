package io.tapeflow.datasets;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.swagger.v3.oas.annotations.media.DiscriminatorMapping;
import io.swagger.v3.oas.annotations.media.Schema;

/** Where a dataset's rows come from: one of the reference's generators, or values given inline. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = LinearSource.class, name = "linear"),
        @JsonSubTypes.Type(value = RingsSource.class, name = "rings"),
        @JsonSubTypes.Type(value = InlineSource.class, name = "inline"),
        @JsonSubTypes.Type(value = BlobsSource.class, name = "blobs")})
@Schema(description = "The rows' origin, chosen by `type`.",
        oneOf = {LinearSource.class, RingsSource.class, InlineSource.class, BlobsSource.class},
        discriminatorProperty = "type",
        discriminatorMapping = {
                @DiscriminatorMapping(value = "linear", schema = LinearSource.class),
                @DiscriminatorMapping(value = "rings", schema = RingsSource.class),
                @DiscriminatorMapping(value = "inline", schema = InlineSource.class),
                @DiscriminatorMapping(value = "blobs", schema = BlobsSource.class)})
sealed interface DatasetSource permits LinearSource, RingsSource, InlineSource, BlobsSource {
}
