package io.tapeflow.models;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;

/**
 * Reads a parameter's nested {@code values} with the innermost lists of numbers as {@code float[]}, straight from
 * the token stream: a boxed number per value (BigDecimal, ~40 bytes, in lists) made a 5.9 M-parameter document
 * hundreds of megabytes on the heap while it was checked. Each number is rounded to float32 once from its text
 * ({@link Float#parseFloat} rounds correctly, as {@code BigDecimal.floatValue} does), so exports round-trip exactly.
 * Whatever is not a list of numbers is read as plain JSON values (lists, strings, maps) for {@link ModelCodec#check}
 * to name.
 */
final class NestedFloats extends ValueDeserializer<Object> {

    @Override
    public Object deserialize(JsonParser p, DeserializationContext ctxt) {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            return ctxt.readValue(p, Object.class);
        }
        JsonToken t = p.nextToken();
        if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
            return leaf(p, ctxt);
        }
        List<Object> list = new ArrayList<>();
        for (; t != JsonToken.END_ARRAY; t = p.nextToken()) {
            list.add(deserialize(p, ctxt));
        }
        return list;
    }

    /** From the first number of a list to its end: a float[], or a list if something else turns up in it. */
    private Object leaf(JsonParser p, DeserializationContext ctxt) {
        float[] values = new float[16];
        int n = 0;
        JsonToken t = p.currentToken();
        for (; t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT; t = p.nextToken()) {
            if (n == values.length) {
                values = Arrays.copyOf(values, n * 2);
            }
            values[n++] = Float.parseFloat(p.getString());
        }
        if (t == JsonToken.END_ARRAY) {
            return n == values.length ? values : Arrays.copyOf(values, n);
        }
        List<Object> mixed = new ArrayList<>(n + 1);
        for (int i = 0; i < n; i++) {
            mixed.add(values[i]);
        }
        for (; t != JsonToken.END_ARRAY; t = p.nextToken()) {
            mixed.add(deserialize(p, ctxt));
        }
        return mixed;
    }
}
