package io.tapeflow.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class ApiKeysTests {

    @Test
    void matchesOnlyTheKeysWhoseHashesAreConfigured() {
        // printf %s "s3cret" | sha256sum
        ApiKeys keys = ApiKeys.of(List.of("  1EC1C26B50D5D3C58D9583181AF8076655FE00756BF7285940BA3670F99FCBA0 ",
                ApiKeys.sha256Hex("other")));
        assertThat(keys.enabled()).isTrue();
        assertThat(keys.matches("s3cret")).isTrue();
        assertThat(keys.matches("other")).isTrue();
        assertThat(keys.matches("s3cret ")).isFalse();
        assertThat(keys.matches("")).isFalse();
        assertThat(keys.matches("1ec1c26b50d5d3c58d9583181af8076655fe00756bf7285940ba3670f99fcba0"))
                .as("the hash is not a key").isFalse();
    }

    @Test
    void noHashesMeansOpen() {
        assertThat(ApiKeys.of(List.of()).enabled()).isFalse();
        assertThat(ApiKeys.of(List.of("", " ")).enabled()).as("an empty environment variable").isFalse();
    }

    @Test
    void aKeyConfiguredInPlaceOfItsHashStopsTheStart() {
        assertThatThrownBy(() -> ApiKeys.of(List.of("s3cret"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tapeflow.security.api-key-hashes[0]").hasMessageContaining("sha256sum");
    }
}
