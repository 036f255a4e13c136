package org.abacim.core.units;

/** A power in watts. */
public record Power(double watts) implements Comparable<Power> {
    public Power {
        if (!Double.isFinite(watts)) throw new UnitException("Power must be finite, was " + watts);
    }

    public static Power of(double watts) { return new Power(watts); }

    /** Parses text with a unit, like '16 mW'. */
    public static Power parse(String text) { return new Power(Units.parse(text, Dimension.POWER)); }

    public Power plus(Power other) { return new Power(watts + other.watts); }

    public Power times(double factor) { return new Power(watts * factor); }

    public double dividedBy(Power other) { return watts / other.watts; }

    public static Power ofMilliwatts(double mw) { return new Power(mw * 1e-3); }

    public double milliwatts() { return watts * 1e3; }

    /** The energy spent at this power over a time. */
    public Energy over(Time time) { return new Energy(watts * time.seconds()); }

    @Override public int compareTo(Power other) { return Double.compare(watts, other.watts); }

    @Override public String toString() { return Units.format(watts, Dimension.POWER); }
}
