package io.tapeflow.datasets;

/** What a CSV upload does with an empty cell in a feature column (a missing label is always refused). */
enum MissingPolicy {
    /** A 400 naming the row and column: today's behaviour and the default. */
    REFUSE("refuse"),
    /** Numeric columns: the mean of the present values; boolean and categorical: the most frequent value. */
    MEAN("mean"),
    /** Every column: its most frequent value, ties broken by the sorted order (smallest first). */
    MOST_FREQUENT("most_frequent");

    static final String API_NAMES = "refuse, mean, most_frequent";

    private final String apiName;

    MissingPolicy(String apiName) {
        this.apiName = apiName;
    }

    String apiName() {
        return apiName;
    }

    /** The policy named by the query parameter; null means the default. */
    static MissingPolicy of(String name) {
        if (name == null) {
            return REFUSE;
        }
        for (MissingPolicy policy : values()) {
            if (policy.apiName.equals(name)) {
                return policy;
            }
        }
        throw io.tapeflow.web.ApiException.badRequest("missing", "must be one of " + API_NAMES + ", got '"
                + (name.length() <= 40 ? name : name.substring(0, 40) + "…") + "'");
    }
}
