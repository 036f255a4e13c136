package org.abacim.core.units;

/** An energy in joules. */
public record Energy(double joules) implements Comparable<Energy> {
    public Energy {
        if (!Double.isFinite(joules)) throw new UnitException("Energy must be finite, was " + joules);
    }

    public static Energy of(double joules) { return new Energy(joules); }

    /** Parses text with a unit, like '1.6 pJ'. */
    public static Energy parse(String text) { return new Energy(Units.parse(text, Dimension.ENERGY)); }

    public Energy plus(Energy other) { return new Energy(joules + other.joules); }

    public Energy times(double factor) { return new Energy(joules * factor); }

    public double dividedBy(Energy other) { return joules / other.joules; }

    public static Energy ofPicojoules(double pj) { return new Energy(pj * 1e-12); }

    public double picojoules() { return joules * 1e12; }

    @Override public int compareTo(Energy other) { return Double.compare(joules, other.joules); }

    @Override public String toString() { return Units.format(joules, Dimension.ENERGY); }
}
