package org.abacim.core.units;

/** A current in amperes. */
public record Current(double amperes) implements Comparable<Current> {
    public Current {
        if (!Double.isFinite(amperes)) throw new UnitException("Current must be finite, was " + amperes);
    }

    public static Current of(double amperes) { return new Current(amperes); }

    /** Parses text with a unit, like '40 uA'. */
    public static Current parse(String text) { return new Current(Units.parse(text, Dimension.CURRENT)); }

    public Current plus(Current other) { return new Current(amperes + other.amperes); }

    public Current times(double factor) { return new Current(amperes * factor); }

    public double dividedBy(Current other) { return amperes / other.amperes; }

    @Override public int compareTo(Current other) { return Double.compare(amperes, other.amperes); }

    @Override public String toString() { return Units.format(amperes, Dimension.CURRENT); }
}
