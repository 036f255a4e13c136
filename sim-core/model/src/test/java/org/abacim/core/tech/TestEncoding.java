package org.abacim.core.tech;

/** Sign encodings for engine and placer tests on toy designs (technologies define their own). */
public enum TestEncoding implements SignEncoding {
    /** Non-negative weights, all bits in cells. */
    UNSIGNED,
    /** One array per sign, magnitudes in cells. */
    DIFFERENTIAL,
    /** Magnitudes in one array, each fragment's sign elsewhere. */
    POLARIZED;

    @Override public String key() { return name().toLowerCase(java.util.Locale.ROOT); }

    @Override
    public int cellsPerWeight(int weightBits, int bitsPerCell) {
        return this == UNSIGNED ? SignEncoding.wholeCells(weightBits, bitsPerCell)
                : SignEncoding.magnitudeCells(weightBits, bitsPerCell);
    }

    @Override public int arraysPerMatrix() { return this == DIFFERENTIAL ? 2 : 1; }

    @Override public boolean unsignedOnly() { return this == UNSIGNED; }
}
