package org.abacim.core.units;

/** A frequency (or a sample rate) in hertz. */
public record Frequency(double hertz) implements Comparable<Frequency> {
    public Frequency {
        if (!Double.isFinite(hertz)) throw new UnitException("Frequency must be finite, was " + hertz);
    }

    public static Frequency of(double hertz) { return new Frequency(hertz); }

    /** Parses text with a unit, like '1.2 GHz'. */
    public static Frequency parse(String text) { return new Frequency(Units.parse(text, Dimension.FREQUENCY)); }

    public Frequency plus(Frequency other) { return new Frequency(hertz + other.hertz); }

    public Frequency times(double factor) { return new Frequency(hertz * factor); }

    public double dividedBy(Frequency other) { return hertz / other.hertz; }

    public static Frequency ofGigahertz(double ghz) { return new Frequency(ghz * 1e9); }

    /** One period of this frequency. */
    public Time period() { return new Time(1 / hertz); }

    @Override public int compareTo(Frequency other) { return Double.compare(hertz, other.hertz); }

    @Override public String toString() { return Units.format(hertz, Dimension.FREQUENCY); }
}
