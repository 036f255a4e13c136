package org.abacim.mram;

import org.abacim.core.tech.SignEncoding;

/** SOT-MRAM's weights: two's-complement bit-planes, one cell per bit (1-bit weights are ±1). */
public enum BitPlaneEncoding implements SignEncoding {
    TWOS_COMPLEMENT;

    @Override public String key() { return "twos-complement"; }

    @Override
    public int cellsPerWeight(int weightBits, int bitsPerCell) {
        return SignEncoding.wholeCells(weightBits, bitsPerCell);
    }

    @Override
    public String toString() { return key(); }
}
