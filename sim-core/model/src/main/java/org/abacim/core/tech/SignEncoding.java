package org.abacim.core.tech;

/**
 * How signed weights sit in cells that only hold non-negative values: what the mapper needs to know to tile a weight
 * matrix. Each technology defines the encodings its arrays support (an enum implementing this, bound from its config
 * by key): the crossbars' offset with a unit column, differential pairs and polarized fragments; CAP-RAM's two's
 * complement and paired cells; SOT-MRAM's two's-complement bit-planes.
 */
public interface SignEncoding {
    /** The config value that selects it ({@code differential}). */
    String key();

    /** Cells (array columns) one weight of {@code weightBits} takes in cells of {@code bitsPerCell}. */
    int cellsPerWeight(int weightBits, int bitsPerCell);

    /** Columns each array needs besides the weights' own (ISAAC's unit column). */
    default int extraColumnsPerArray() { return 0; }

    /** Arrays needed per array's worth of weights (2 for differential pairs, one array per sign). */
    default int arraysPerMatrix() { return 1; }

    /** Whether only non-negative weights can be stored (no sign at all). */
    default boolean unsignedOnly() { return false; }

    /** Cells for all of a weight's bits, sign included: two's complement, an offset, or unsigned values. */
    static int wholeCells(int weightBits, int bitsPerCell) {
        return (weightBits + bitsPerCell - 1) / bitsPerCell;
    }

    /**
     * Cells for a weight's magnitude only, where the sign lives elsewhere (the array of a differential pair, a
     * fragment's sign bit); weights are symmetric, |w| ≤ 2^(bits−1) − 1, so a 5-bit weight fits one 4-bit cell.
     */
    static int magnitudeCells(int weightBits, int bitsPerCell) {
        return Math.max(1, (weightBits - 1 + bitsPerCell - 1) / bitsPerCell);
    }
}
