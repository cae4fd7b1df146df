package io.tapeflow.models;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.tapeflow.web.ApiException;
import io.tapeflow.web.FieldProblem;

/**
 * The filters {@code GET /training-jobs} and {@code GET /models} share: {@code name} (exact, or a prefix when it ends
 * with {@code *}: {@code name=rings*}), one {@code tag} (exact) and {@code datasetId}. Each is optional; all given
 * must hold.
 *
 * @param name       the exact name, or the prefix when {@code namePrefix}; null for any
 * @param namePrefix whether {@code name} is a prefix
 */
public record ListFilter(String name, boolean namePrefix, String tag, UUID datasetId) {

    public static final ListFilter NONE = new ListFilter(null, false, null, null);

    /** Parses the query parameters; a 400 naming each one that is malformed. */
    public static ListFilter parse(String name, String tag, String datasetId) {
        List<FieldProblem> errors = new ArrayList<>();
        boolean prefix = name != null && name.endsWith("*");
        String n = prefix ? name.substring(0, name.length() - 1) : name;
        if (n != null && n.isEmpty()) {
            n = null; // name=* matches every name, and no name too
        }
        Labels.checkName(n, "name", errors);
        if (tag != null) {
            String problem = Labels.tagProblem(tag);
            if (problem != null) {
                errors.add(new FieldProblem("tag", problem));
            }
        }
        UUID dataset = null;
        if (datasetId != null) {
            try {
                dataset = UUID.fromString(datasetId.trim());
            } catch (IllegalArgumentException e) {
                errors.add(new FieldProblem("datasetId", "must be a dataset id (a UUID), got '" + datasetId + "'"));
            }
        }
        if (!errors.isEmpty()) {
            throw ApiException.badRequest(errors);
        }
        return new ListFilter(n, prefix && n != null, tag, dataset);
    }

    /**
     * Appends {@code AND ...} conditions on the columns {@code name}, {@code tags} and {@code dataset_id} to
     * {@code where}, and their values to {@code params} in order.
     */
    public void appendTo(StringBuilder where, List<Object> params) {
        if (name != null) {
            if (namePrefix) {
                where.append(" AND name LIKE ? ESCAPE '!'");
                params.add(escapeLike(name) + "%");
            } else {
                where.append(" AND name = ?");
                params.add(name);
            }
        }
        if (tag != null) {
            where.append(" AND tags LIKE ? ESCAPE '!'");
            params.add("%\"" + escapeLike(tag) + "\"%");
        }
        if (datasetId != null) {
            where.append(" AND dataset_id = ?");
            params.add(datasetId);
        }
    }

    private static String escapeLike(String s) {
        return s.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }
}
