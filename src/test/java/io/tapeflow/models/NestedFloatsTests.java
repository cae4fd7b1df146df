package io.tapeflow.models;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** Issue #14: parameter values are read as float[] rows, rounded exactly as the BigDecimal path rounded them. */
class NestedFloatsTests {

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

    private static Object values(String json) {
        return JSON.readValue("{\"shape\": [2], \"values\": " + json + "}", ModelDocument.Parameter.class).values();
    }

    @Test
    void innermostListsOfNumbersAreFloatArrays() {
        Object v = values("[[1, 2.5], [-3e-2, 0]]");
        assertThat(v).isInstanceOf(List.class);
        assertThat((float[]) ((List<?>) v).get(0)).containsExactly(1f, 2.5f);
        assertThat((float[]) ((List<?>) v).get(1)).containsExactly(-0.03f, 0f);
        assertThat((float[]) values("[1, 2]")).containsExactly(1f, 2f);
    }

    @Test
    void anythingElseStaysPlainJsonForTheCheckToName() {
        assertThat(values("\"rO0ABXNy\"")).isEqualTo("rO0ABXNy");
        assertThat((List<?>) values("[1, \"x\", [2]]")).hasSize(3).element(1).isEqualTo("x");
        assertThat((List<?>) values("[]")).isEmpty();
        assertThat(ModelCodec.check(new ModelDocument("tapeflow-model", 2, null, null, null, null))).isNotEmpty();
    }

    @Test
    void eachNumberIsRoundedOnceLikeBigDecimalFloatValue() {
        Random random = new Random(7);
        StringBuilder json = new StringBuilder("[");
        String[] texts = new String[5_000];
        for (int i = 0; i < texts.length; i++) {
            texts[i] = random.nextInt(3) == 0 ? Float.toString(Float.intBitsToFloat(random.nextInt()))
                    : new BigDecimal(random.nextGaussian()).round(new java.math.MathContext(1 + random.nextInt(20)))
                            .toString();
            if (texts[i].contains("N") || texts[i].contains("I")) {
                texts[i] = "0.1";
            }
            json.append(i == 0 ? "" : ",").append(texts[i]);
        }
        float[] read = (float[]) values(json.append(']').toString());
        for (int i = 0; i < texts.length; i++) {
            assertThat(Float.floatToRawIntBits(read[i])).as(texts[i])
                    .isEqualTo(Float.floatToRawIntBits(new BigDecimal(texts[i]).floatValue()));
        }
    }
}
