package org.abacim.core.units;

/** A capacitance in farads. */
public record Capacitance(double farads) implements Comparable<Capacitance> {
    public Capacitance {
        if (!Double.isFinite(farads)) throw new UnitException("Capacitance must be finite, was " + farads);
    }

    public static Capacitance of(double farads) { return new Capacitance(farads); }

    /** Parses text with a unit, like '1 fF'. */
    public static Capacitance parse(String text) { return new Capacitance(Units.parse(text, Dimension.CAPACITANCE)); }

    public Capacitance plus(Capacitance other) { return new Capacitance(farads + other.farads); }

    public Capacitance times(double factor) { return new Capacitance(farads * factor); }

    public double dividedBy(Capacitance other) { return farads / other.farads; }

    @Override public int compareTo(Capacitance other) { return Double.compare(farads, other.farads); }

    @Override public String toString() { return Units.format(farads, Dimension.CAPACITANCE); }
}
