package io.tapeflow.models;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.tapeflow.web.FieldProblem;

/**
 * The optional {@code name} and free-form {@code tags} of a training job, which its model inherits: checked one way
 * for both, and stored one way ({@code name}, and {@code tags} as the JSON array text {@code ["a","b"]}).
 *
 * <p>A name is 1 to {@value #MAX_NAME} characters without control characters. Tags: at most {@value #MAX_TAGS},
 * each 1 to {@value #MAX_TAG} characters without control characters, quotes or backslashes (so the stored text needs
 * no escaping and a filter on one tag is a {@code LIKE} on its quoted form); duplicates are dropped, order kept.
 */
public final class Labels {

    public static final int MAX_NAME = 200;
    public static final int MAX_TAGS = 20;
    public static final int MAX_TAG = 50;

    private Labels() {
    }

    /** Adds a problem for {@code field} unless the name is null or valid. */
    public static void checkName(String name, String field, List<FieldProblem> errors) {
        if (name == null) {
            return;
        }
        if (name.isBlank() || name.length() > MAX_NAME) {
            errors.add(new FieldProblem(field, "must be 1 to " + MAX_NAME + " characters and not blank, got "
                    + name.length()));
        } else if (hasControl(name)) {
            errors.add(new FieldProblem(field, "must not contain control characters"));
        }
    }

    /** The tags without duplicates (empty for null), adding a problem per bad tag. */
    public static List<String> checkTags(List<String> tags, String field, List<FieldProblem> errors) {
        if (tags == null) {
            return List.of();
        }
        if (tags.size() > MAX_TAGS) {
            errors.add(new FieldProblem(field, "at most " + MAX_TAGS + " tags, got " + tags.size()));
            return List.of();
        }
        Set<String> out = new LinkedHashSet<>();
        for (int i = 0; i < tags.size(); i++) {
            String problem = tagProblem(tags.get(i));
            if (problem != null) {
                errors.add(new FieldProblem(field + "[" + i + "]", problem));
            } else {
                out.add(tags.get(i));
            }
        }
        return List.copyOf(out);
    }

    /** Why a tag is refused, or null when it is a valid tag. */
    static String tagProblem(String tag) {
        if (tag == null || tag.isBlank() || tag.length() > MAX_TAG) {
            return "a tag is 1 to " + MAX_TAG + " characters and not blank";
        }
        if (hasControl(tag) || tag.indexOf('"') >= 0 || tag.indexOf('\\') >= 0) {
            return "a tag has no control characters, quotes or backslashes";
        }
        return null;
    }

    /** The stored form of checked tags: null for none. */
    public static String column(List<String> tags) {
        if (tags == null || tags.isEmpty()) {
            return null;
        }
        return "[\"" + String.join("\",\"", tags) + "\"]";
    }

    /** The tags of a stored column (empty for null). */
    public static List<String> tags(String column) {
        if (column == null || column.length() < 4) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String t : column.substring(2, column.length() - 2).split("\",\"", -1)) {
            out.add(t);
        }
        return List.copyOf(out);
    }

    static boolean hasControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }
}
