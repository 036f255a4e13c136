package org.abacim.core.units;

/** A length in meters. */
public record Length(double meters) implements Comparable<Length> {
    public Length {
        if (!Double.isFinite(meters)) throw new UnitException("Length must be finite, was " + meters);
    }

    public static Length of(double meters) { return new Length(meters); }

    /** Parses text with a unit, like '65 nm'. */
    public static Length parse(String text) { return new Length(Units.parse(text, Dimension.LENGTH)); }

    public Length plus(Length other) { return new Length(meters + other.meters); }

    public Length times(double factor) { return new Length(meters * factor); }

    public double dividedBy(Length other) { return meters / other.meters; }

    @Override public int compareTo(Length other) { return Double.compare(meters, other.meters); }

    @Override public String toString() { return Units.format(meters, Dimension.LENGTH); }
}
