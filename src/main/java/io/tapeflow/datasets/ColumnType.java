package io.tapeflow.datasets;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * What a CSV column holds, inferred at upload: numeric if every present cell is a number, boolean if every present
 * cell is true/false (any case), categorical otherwise. Generated and inline columns are numeric.
 */
@Schema(type = "string", allowableValues = {"numeric", "boolean", "categorical"})
public enum ColumnType {
    NUMERIC("numeric"),
    BOOLEAN("boolean"),
    CATEGORICAL("categorical");

    private final String apiName;

    ColumnType(String apiName) {
        this.apiName = apiName;
    }

    @JsonValue
    public String apiName() {
        return apiName;
    }

    @JsonCreator
    public static ColumnType fromApiName(String name) {
        for (ColumnType type : values()) {
            if (type.apiName.equals(name)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown column type '" + name + "'; known: numeric, boolean, categorical");
    }
}
