package io.tapeflow.nn;

import java.util.Locale;

/** Lower-case, underscore-separated names of enum constants, as the API spells them ({@code truncated_normal}). */
final class Names {

    private Names() {
    }

    static String of(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT);
    }

    static <E extends Enum<E>> E parse(Class<E> type, String name, String what) {
        for (E e : type.getEnumConstants()) {
            if (of(e).equals(name)) {
                return e;
            }
        }
        StringBuilder known = new StringBuilder();
        for (E e : type.getEnumConstants()) {
            known.append(known.length() == 0 ? "" : ", ").append(of(e));
        }
        throw new IllegalArgumentException("Unknown " + what + " '" + name + "'; expected one of: " + known);
    }
}
