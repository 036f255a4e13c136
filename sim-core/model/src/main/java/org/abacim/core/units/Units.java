package org.abacim.core.units;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses "100 ns", "0.0012 mm^2", "16 mW", "1.28 GHz", "6.4 GB/s" into SI values and formats them back.
 * A number must carry its unit: a bare number for a physical quantity is refused.
 */
public final class Units {
    private Units() {}

    private static final Pattern QUANTITY =
            Pattern.compile("\\s*([-+]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][-+]?\\d+)?)\\s*([^\\s\\d].*?)?\\s*");

    private static final Map<String, Double> PREFIXES = Map.ofEntries(
            Map.entry("", 1.0), Map.entry("f", 1e-15), Map.entry("p", 1e-12), Map.entry("n", 1e-9),
            Map.entry("u", 1e-6), Map.entry("\u00b5", 1e-6), Map.entry("\u03bc", 1e-6), Map.entry("m", 1e-3),
            Map.entry("k", 1e3), Map.entry("K", 1e3), Map.entry("M", 1e6), Map.entry("G", 1e9), Map.entry("T", 1e12));

    /** The largest magnitude of a quantity in SI units (1e30): large enough for anything physical, small enough to sum. */
    public static final double MAX_MAGNITUDE = 1e30;

    /** Parses text such as "100 ns" as a quantity of the given dimension and returns its value in SI units. */
    public static double parse(String text, Dimension expected) {
        if (text == null) {
            throw new UnitException("expected " + expected.description() + " with a unit, like '" + expected.example() + "'");
        }
        Matcher m = QUANTITY.matcher(text);
        if (!m.matches()) {
            throw new UnitException("'" + text + "' is not " + expected.description()
                    + "; expected a number and a unit, like '" + expected.example() + "'");
        }
        double number = Double.parseDouble(m.group(1));
        String unit = m.group(2);
        if (unit == null || unit.isBlank()) {
            throw new UnitException("'" + text + "' has no unit; expected " + expected.description()
                    + " like '" + expected.example() + "'");
        }
        Double scale = scaleOf(unit.trim(), expected);
        if (scale == null) {
            throw new UnitException("'" + unit.trim() + "' is not a unit of " + expected.description()
                    + " (SI unit " + expected.siUnit() + "); expected something like '" + expected.example() + "'");
        }
        double value = number * scale;
        if (!Double.isFinite(value)) {
            throw new UnitException("'" + text + "' is not a finite " + expected.description().replaceFirst("^an? ", ""));
        }
        if (Math.abs(value) > MAX_MAGNITUDE) {
            // Sums and products of such values overflow to infinity; no device or chip comes near.
            throw new UnitException("'" + text + "' is beyond any physical value; at most " + MAX_MAGNITUDE + " "
                    + expected.siUnit() + " in magnitude");
        }
        return value;
    }

    /**
     * Seconds in the unprefixed time units used for retention and drift (a year is the Julian 365.25 days, a month
     * a twelfth of it).
     */
    private static Double longTime(String unit) {
        return switch (unit) {
            case "s", "sec" -> 1.0;
            case "min" -> 60.0;
            case "h" -> 3600.0;
            case "day", "days" -> 86_400.0;
            case "month", "months" -> 2_629_800.0;
            case "year", "years" -> 31_557_600.0;
            default -> null;
        };
    }

    /** The SI multiplier of a unit symbol with prefix, or null when the symbol is not of that dimension. */
    private static Double scaleOf(String unit, Dimension d) {
        return switch (d) {
            case ENERGY -> prefixed(unit, "J", 1);
            case POWER -> prefixed(unit, "W", 1);
            case TIME -> longTime(unit) != null ? longTime(unit) : prefixed(unit, "s", 1);
            case FREQUENCY -> prefixed(unit, "Hz", 1) != null ? prefixed(unit, "Hz", 1) : prefixed(unit, "S/s", 1);
            case AREA -> area(unit);
            case DATA_SIZE -> dataSize(unit);
            case DATA_RATE -> unit.endsWith("/s") ? dataSize(unit.substring(0, unit.length() - 2)) : null;
            case VOLTAGE -> prefixed(unit, "V", 1);
            case CURRENT -> prefixed(unit, "A", 1);
            case RESISTANCE -> {
                Double s = prefixed(unit, "Ohm", 1);
                if (s == null) s = prefixed(unit, "ohm", 1);
                if (s == null) s = prefixed(unit, "\u03a9", 1);
                yield s;
            }
            case CONDUCTANCE -> prefixed(unit, "S", 1);
            case CAPACITANCE -> prefixed(unit, "F", 1);
            case LENGTH -> prefixed(unit.replace("\u00b5", "u"), "m", 1);
        };
    }

    private static Double prefixed(String unit, String base, int power) {
        if (!unit.endsWith(base)) return null;
        Double prefix = PREFIXES.get(unit.substring(0, unit.length() - base.length()));
        return prefix == null ? null : Math.pow(prefix, power);
    }

    private static Double area(String unit) {
        String u = unit.replace("\u00b2", "^2");
        if (u.endsWith("m^2")) return prefixed(u.substring(0, u.length() - 2), "m", 2);
        if (u.endsWith("m2")) return prefixed(u.substring(0, u.length() - 1), "m", 2);
        return null;
    }

    /** Bits and bytes with decimal prefixes (1 KB = 1000 B; use KiB, MiB for binary). Returns bits. */
    private static Double dataSize(String unit) {
        for (String[] base : new String[][] {{"bit", "1"}, {"b", "1"}, {"B", "8"}}) {
            if (!unit.endsWith(base[0])) continue;
            String prefix = unit.substring(0, unit.length() - base[0].length());
            double perUnit = Double.parseDouble(base[1]);
            if (prefix.endsWith("i") && prefix.length() == 2) {
                int exponent = "KMGT".indexOf(Character.toUpperCase(prefix.charAt(0))) + 1;
                if (exponent > 0) return perUnit * Math.pow(1024, exponent);
                continue;
            }
            Double p = PREFIXES.get(prefix);
            if (p != null && p >= 1) return perUnit * p;
        }
        return null;
    }

    /** Formats an SI value with an engineering prefix and the dimension's unit: 1.6e-12 J → "1.6 pJ". */
    public static String format(double si, Dimension d) {
        if (d == Dimension.AREA) {
            return trim(si * 1e6) + " mm^2";
        }
        if (si == 0 || !Double.isFinite(si)) return trim(si) + " " + d.siUnit();
        String[] prefixes = {"f", "p", "n", "u", "m", "", "k", "M", "G", "T"};
        int index = (int) Math.floor(Math.log10(Math.abs(si)) / 3) + 5;
        index = Math.max(0, Math.min(prefixes.length - 1, index));
        double scaled = si / Math.pow(1000, index - 5);
        return trim(scaled) + " " + prefixes[index] + d.siUnit();
    }

    private static String trim(double v) {
        String s = String.format(Locale.ROOT, "%.6g", v);
        if (s.contains("e") || s.contains("E")) return s;
        if (s.contains(".")) s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
        return s;
    }
}
