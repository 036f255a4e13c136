package org.abacim.core.tech;

/**
 * What the mapper needs to know about one array: its size, how weights and inputs are sliced, and the sign encoding.
 *
 * @param rows word lines that take inputs
 * @param cols bit lines available for weights (extra columns of the sign encoding come on top)
 * @param weightBits bits of one stored weight
 * @param bitsPerCell bits one cell holds
 * @param inputBits bits of one input activation
 * @param dacBits bits applied to a row per input cycle (1 = bit-serial)
 * @param fragmentRows rows of a column whose weights share one sign and are converted together (polarized arrays,
 *     FORMS); equal to {@code rows} for every other encoding
 */
public record ArrayGeometry(int rows, int cols, int weightBits, int bitsPerCell, int inputBits, int dacBits,
                            SignEncoding signEncoding, int fragmentRows) {
    /** Fragments are whole columns. */
    public ArrayGeometry(int rows, int cols, int weightBits, int bitsPerCell, int inputBits, int dacBits,
                         SignEncoding signEncoding) {
        this(rows, cols, weightBits, bitsPerCell, inputBits, dacBits, signEncoding, rows);
    }

    public ArrayGeometry {
        if (fragmentRows <= 0 || fragmentRows > rows || rows % fragmentRows != 0) {
            throw new IllegalArgumentException("fragments of " + fragmentRows + " rows do not divide the array's "
                    + rows + " rows");
        }
        if (rows <= 0 || cols <= 0 || weightBits <= 0 || bitsPerCell <= 0 || inputBits <= 0 || dacBits <= 0) {
            throw new IllegalArgumentException("array geometry sizes must be positive");
        }
        if (signEncoding.cellsPerWeight(weightBits, bitsPerCell) > cols) {
            throw new IllegalArgumentException("a " + weightBits + "-bit weight needs "
                    + signEncoding.cellsPerWeight(weightBits, bitsPerCell) + " cells of " + bitsPerCell
                    + " bits, more than the " + cols + " columns of an array");
        }
    }

    /** The same arrays holding weights of {@code bits} (a layer quantized narrower than the design). */
    public ArrayGeometry withWeightBits(int bits) {
        return new ArrayGeometry(rows, cols, bits, bitsPerCell, inputBits, dacBits, signEncoding, fragmentRows);
    }

    /** Cells (columns) one weight spans: 16-bit weights in 2-bit cells take 8. */
    public int cellsPerWeight() { return signEncoding.cellsPerWeight(weightBits, bitsPerCell); }

    /** Whole weights side by side in one array row; a weight's cells never straddle two arrays. */
    public int weightsPerRow() { return cols / cellsPerWeight(); }

    /** Input cycles per matrix-vector multiply: 16-bit inputs through 1-bit DACs take 16. */
    public int inputCycles() { return (inputBits + dacBits - 1) / dacBits; }

    /** Columns converted per array per cycle when every weight column is in use. */
    public int convertedColumns(int usedCols) { return usedCols + signEncoding.extraColumnsPerArray(); }

    /** Weights one array holds when full (per sign, for differential pairs). */
    public long weightsPerArray() { return (long) rows * weightsPerRow(); }
}
