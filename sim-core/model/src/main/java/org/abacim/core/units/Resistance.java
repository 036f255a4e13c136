package org.abacim.core.units;

/** A resistance in ohms. */
public record Resistance(double ohms) implements Comparable<Resistance> {
    public Resistance {
        if (!Double.isFinite(ohms)) throw new UnitException("Resistance must be finite, was " + ohms);
    }

    public static Resistance of(double ohms) { return new Resistance(ohms); }

    /** Parses text with a unit, like '10 kOhm'. */
    public static Resistance parse(String text) { return new Resistance(Units.parse(text, Dimension.RESISTANCE)); }

    public Resistance plus(Resistance other) { return new Resistance(ohms + other.ohms); }

    public Resistance times(double factor) { return new Resistance(ohms * factor); }

    public double dividedBy(Resistance other) { return ohms / other.ohms; }

    @Override public int compareTo(Resistance other) { return Double.compare(ohms, other.ohms); }

    @Override public String toString() { return Units.format(ohms, Dimension.RESISTANCE); }
}
