package org.abacim.core.config;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * An enum whose constants configs and results write as keys ({@code inter-layer}, {@code offset-unit-column}). Its
 * {@code @JsonCreator} delegates to {@link #parse}, so every keyed enum refuses an unknown key with the same message
 * listing the keys it takes.
 */
public interface Keyed {
    /** How configs and results write the constant; by default its name in lower case with dashes (PULSE_COUNT → pulse-count). */
    default String key() {
        return ((Enum<?>) this).name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The constant of {@code type} written as {@code text}; otherwise "expected a, b or c". */
    static <E extends Enum<E> & Keyed> E parse(Class<E> type, String text) {
        for (E e : type.getEnumConstants()) if (e.key().equals(text)) return e;
        throw new IllegalArgumentException("expected " + alternatives(type));
    }

    /** The keys of {@code type}, as a reader would list them: "a, b or c". */
    static <E extends Enum<E> & Keyed> String alternatives(Class<E> type) {
        List<String> keys = Arrays.stream(type.getEnumConstants()).map(Keyed::key).toList();
        return keys.size() == 1 ? keys.get(0)
                : String.join(", ", keys.subList(0, keys.size() - 1)) + " or " + keys.get(keys.size() - 1);
    }
}
