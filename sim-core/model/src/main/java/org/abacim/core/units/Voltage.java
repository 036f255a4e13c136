package org.abacim.core.units;

/** A voltage in volts. */
public record Voltage(double volts) implements Comparable<Voltage> {
    public Voltage {
        if (!Double.isFinite(volts)) throw new UnitException("Voltage must be finite, was " + volts);
    }

    public static Voltage of(double volts) { return new Voltage(volts); }

    /** Parses text with a unit, like '1.2 V'. */
    public static Voltage parse(String text) { return new Voltage(Units.parse(text, Dimension.VOLTAGE)); }

    public Voltage plus(Voltage other) { return new Voltage(volts + other.volts); }

    public Voltage times(double factor) { return new Voltage(volts * factor); }

    public double dividedBy(Voltage other) { return volts / other.volts; }

    @Override public int compareTo(Voltage other) { return Double.compare(volts, other.volts); }

    @Override public String toString() { return Units.format(volts, Dimension.VOLTAGE); }
}
