package org.abacim.core.units;

/** A data size in bits (1 B = 8 b; KB = 1000 B, KiB = 1024 B). */
public record DataSize(double bits) implements Comparable<DataSize> {
    public DataSize {
        if (!Double.isFinite(bits)) throw new UnitException("DataSize must be finite, was " + bits);
    }

    public static DataSize of(double bits) { return new DataSize(bits); }

    /** Parses text with a unit, like '64 KB'. */
    public static DataSize parse(String text) { return new DataSize(Units.parse(text, Dimension.DATA_SIZE)); }

    public DataSize plus(DataSize other) { return new DataSize(bits + other.bits); }

    public DataSize times(double factor) { return new DataSize(bits * factor); }

    public double dividedBy(DataSize other) { return bits / other.bits; }

    public double bytes() { return bits / 8; }

    @Override public int compareTo(DataSize other) { return Double.compare(bits, other.bits); }

    @Override public String toString() { return Units.format(bits, Dimension.DATA_SIZE); }
}
