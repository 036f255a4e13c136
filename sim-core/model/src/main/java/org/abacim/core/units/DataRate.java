package org.abacim.core.units;

/** A data rate in bits per second (1 B = 8 b). */
public record DataRate(double bitsPerSecond) implements Comparable<DataRate> {
    public DataRate {
        if (!Double.isFinite(bitsPerSecond)) throw new UnitException("DataRate must be finite, was " + bitsPerSecond);
    }

    public static DataRate of(double bitsPerSecond) { return new DataRate(bitsPerSecond); }

    /** Parses text with a unit, like '6.4 GB/s'. */
    public static DataRate parse(String text) { return new DataRate(Units.parse(text, Dimension.DATA_RATE)); }

    public DataRate plus(DataRate other) { return new DataRate(bitsPerSecond + other.bitsPerSecond); }

    public DataRate times(double factor) { return new DataRate(bitsPerSecond * factor); }

    public double dividedBy(DataRate other) { return bitsPerSecond / other.bitsPerSecond; }

    public double bytesPerSecond() { return bitsPerSecond / 8; }

    @Override public int compareTo(DataRate other) { return Double.compare(bitsPerSecond, other.bitsPerSecond); }

    @Override public String toString() { return Units.format(bitsPerSecond, Dimension.DATA_RATE); }
}
