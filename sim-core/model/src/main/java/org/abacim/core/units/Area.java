package org.abacim.core.units;

/** An area in square meters. */
public record Area(double squareMeters) implements Comparable<Area> {
    public Area {
        if (!Double.isFinite(squareMeters)) throw new UnitException("Area must be finite, was " + squareMeters);
    }

    public static Area of(double squareMeters) { return new Area(squareMeters); }

    /** Parses text with a unit, like '0.0012 mm^2'. */
    public static Area parse(String text) { return new Area(Units.parse(text, Dimension.AREA)); }

    public Area plus(Area other) { return new Area(squareMeters + other.squareMeters); }

    public Area times(double factor) { return new Area(squareMeters * factor); }

    public double dividedBy(Area other) { return squareMeters / other.squareMeters; }

    public static Area ofSquareMillimeters(double mm2) { return new Area(mm2 * 1e-6); }

    public static Area ofSquareMicrometers(double um2) { return new Area(um2 * 1e-12); }

    public double squareMillimeters() { return squareMeters * 1e6; }

    public double squareMicrometers() { return squareMeters * 1e12; }

    @Override public int compareTo(Area other) { return Double.compare(squareMeters, other.squareMeters); }

    @Override public String toString() { return Units.format(squareMeters, Dimension.AREA); }
}
