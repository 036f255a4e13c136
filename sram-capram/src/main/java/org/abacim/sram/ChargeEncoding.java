package org.abacim.sram;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import org.abacim.core.tech.SignEncoding;
import org.abacim.core.config.Keyed;

/** How CAP-RAM's cells hold signed weights in the charge domain ({@code weights.encoding}). */
public enum ChargeEncoding implements SignEncoding, Keyed {
    /**
     * Two's complement across adjacent cells, the top cell's contribution subtracted (the single-cell mode,
     * binary-weighted in the charge domain); 1-bit weights are ±1 (a cell of 1 is +1, of 0 is −1).
     */
    TWOS_COMPLEMENT("twos-complement"),
    /**
     * Sign and magnitude in pairs of cells side by side: the magnitude's bits once in positive cells and once in
     * negative cells, subtracted in the charge domain (the differential mode; 2-bit weights are ternary).
     */
    PAIRED_CELLS("paired-cells");

    private final String key;

    ChargeEncoding(String key) {
        this.key = key;
    }

    @Override
    public int cellsPerWeight(int weightBits, int bitsPerCell) {
        return this == PAIRED_CELLS ? 2 * SignEncoding.magnitudeCells(weightBits, bitsPerCell)
                : SignEncoding.wholeCells(weightBits, bitsPerCell);
    }

    @JsonValue
    @Override
    public String key() { return key; }

    @JsonCreator
    public static ChargeEncoding parse(String text) {
        return Keyed.parse(ChargeEncoding.class, text);
    }

    @Override
    public String toString() { return key; }
}
