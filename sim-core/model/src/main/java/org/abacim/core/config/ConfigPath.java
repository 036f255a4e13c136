package org.abacim.core.config;

import java.util.ArrayList;
import java.util.List;

/** Dotted config paths: "array.rows", "components.adc.power", "layers[2].kernel". */
public final class ConfigPath {
    private ConfigPath() {}

    public static String child(String parent, String key) {
        return parent == null || parent.isEmpty() ? key : parent + "." + key;
    }

    public static String element(String parent, int index) {
        return (parent == null ? "" : parent) + "[" + index + "]";
    }

    /** "layers[2].kernel" → ["layers", "[2]", "kernel"]. */
    public static List<String> segments(String path) {
        List<String> out = new ArrayList<>();
        if (path == null || path.isEmpty()) return out;
        for (String dotted : path.split("\\.", -1)) {
            int bracket = dotted.indexOf('[');
            if (bracket < 0) {
                out.add(dotted);
                continue;
            }
            if (bracket > 0) out.add(dotted.substring(0, bracket));
            String rest = dotted.substring(bracket);
            while (!rest.isEmpty()) {
                int close = rest.indexOf(']');
                if (!rest.startsWith("[") || close < 0) {
                    out.add(rest);
                    break;
                }
                out.add(rest.substring(0, close + 1));
                rest = rest.substring(close + 1);
            }
        }
        return out;
    }

    public static boolean isIndex(String segment) {
        return segment.startsWith("[") && segment.endsWith("]") && segment.length() > 2
                && segment.substring(1, segment.length() - 1).chars().allMatch(Character::isDigit);
    }

    /** The index of "[2]"; an index too large for any list reads as {@link Integer#MAX_VALUE} (out of range). */
    public static int index(String segment) {
        String digits = segment.substring(1, segment.length() - 1);
        if (digits.length() > 9) return Integer.MAX_VALUE;
        return Integer.parseInt(digits);
    }
}
