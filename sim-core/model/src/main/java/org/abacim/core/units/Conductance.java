package org.abacim.core.units;

/** A conductance in siemens. */
public record Conductance(double siemens) implements Comparable<Conductance> {
    public Conductance {
        if (!Double.isFinite(siemens)) throw new UnitException("Conductance must be finite, was " + siemens);
    }

    public static Conductance of(double siemens) { return new Conductance(siemens); }

    /** Parses text with a unit, like '12.5 uS'. */
    public static Conductance parse(String text) { return new Conductance(Units.parse(text, Dimension.CONDUCTANCE)); }

    @Override public int compareTo(Conductance other) { return Double.compare(siemens, other.siemens); }

    @Override public String toString() { return Units.format(siemens, Dimension.CONDUCTANCE); }
}
