package org.abacim.core.units;

/** A time in seconds. */
public record Time(double seconds) implements Comparable<Time> {
    public Time {
        if (!Double.isFinite(seconds)) throw new UnitException("Time must be finite, was " + seconds);
    }

    public static Time of(double seconds) { return new Time(seconds); }

    /** Parses text with a unit, like '100 ns'. */
    public static Time parse(String text) { return new Time(Units.parse(text, Dimension.TIME)); }

    public Time plus(Time other) { return new Time(seconds + other.seconds); }

    public Time times(double factor) { return new Time(seconds * factor); }

    public double dividedBy(Time other) { return seconds / other.seconds; }

    public static Time ofNanoseconds(double ns) { return new Time(ns * 1e-9); }

    public double nanoseconds() { return seconds * 1e9; }

    @Override public int compareTo(Time other) { return Double.compare(seconds, other.seconds); }

    @Override public String toString() { return Units.format(seconds, Dimension.TIME); }
}
