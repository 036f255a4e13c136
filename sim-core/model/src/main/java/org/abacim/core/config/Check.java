package org.abacim.core.config;

import java.util.Objects;

/** Validation for config records' compact constructors: each check names the field and the value it refused. */
public final class Check {
    private Check() {}

    public static int positive(String field, int value) {
        if (value <= 0) throw new InvalidValueException(field, value, "must be positive");
        return value;
    }

    public static double positive(String field, double value) {
        if (!(value > 0) || !Double.isFinite(value)) throw new InvalidValueException(field, value, "must be positive");
        return value;
    }

    public static double nonNegative(String field, double value) {
        if (!(value >= 0) || !Double.isFinite(value)) {
            throw new InvalidValueException(field, value, "must be zero or positive");
        }
        return value;
    }

    public static int between(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw new InvalidValueException(field, value, "must be between " + min + " and " + max);
        }
        return value;
    }

    public static double between(String field, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new InvalidValueException(field, value, "must be between " + min + " and " + max);
        }
        return value;
    }

    public static <T> T present(String field, T value) {
        if (value == null) throw new InvalidValueException(field, "(missing)", "a value is required");
        return value;
    }

    public static void that(boolean condition, String field, Object value, String problem) {
        if (!condition) throw new InvalidValueException(field, value, problem);
    }

    /**
     * A name that also names files (a design, a comparison, a sweep): letters, digits, '.', '_', '+' and '-', starting
     * with a letter or digit, at most 100 characters; so it can neither leave an output folder nor hide in it.
     */
    public static String plainName(String field, String value) {
        if (value == null || !value.matches("[A-Za-z0-9][A-Za-z0-9._+-]{0,99}")) {
            throw new InvalidValueException(field, value, "must be a plain name: letters, digits, '.', '_', '+' or '-', "
                    + "starting with a letter or digit, at most 100 characters (it names output files)");
        }
        return value;
    }

    /** Compares quantities by their SI value, for unit records. */
    public static <Q extends Comparable<Q>> Q positive(String field, Q value, Q zero) {
        Objects.requireNonNull(value, field);
        if (value.compareTo(zero) <= 0) throw new InvalidValueException(field, value, "must be positive");
        return value;
    }
}
