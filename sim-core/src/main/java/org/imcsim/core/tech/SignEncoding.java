package org.imcsim.core.tech;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.stream.Collectors;

/** How signed weights sit in cells that only hold non-negative conductances. */
public enum SignEncoding {
    /** ISAAC: weights stored with a bias, plus one unit column per array for the digital correction. */
    OFFSET_UNIT_COLUMN("offset-unit-column", 1, 1),
    /** Positive and negative parts in two arrays, subtracted after conversion. */
    DIFFERENTIAL("differential", 0, 2),
    /** FORMS: every fragment of a column holds weights of one sign; one sign bit per fragment. */
    POLARIZED("polarized", 0, 1),
    /** Weights are non-negative (or binary codes handled digitally). */
    UNSIGNED("unsigned", 0, 1),
    /**
     * Two's complement across adjacent cells, the top cell's contribution subtracted (CAP-RAM's single-cell mode,
     * binary-weighted in the charge domain); 1-bit weights are ±1 (a cell of 1 is +1, of 0 is −1).
     */
    TWOS_COMPLEMENT("twos-complement", 0, 1),
    /**
     * Sign and magnitude in pairs of cells side by side: the magnitude's bits once in positive cells and once in
     * negative cells, subtracted in the charge domain (CAP-RAM's differential mode; 2-bit weights are ternary).
     */
    PAIRED_CELLS("paired-cells", 0, 1);

    private final String key;
    private final int extraColumnsPerArray;
    private final int arraysPerMatrix;

    SignEncoding(String key, int extraColumnsPerArray, int arraysPerMatrix) {
        this.key = key;
        this.extraColumnsPerArray = extraColumnsPerArray;
        this.arraysPerMatrix = arraysPerMatrix;
    }

    /** Columns each array needs besides the weights' own (ISAAC's unit column). */
    public int extraColumnsPerArray() { return extraColumnsPerArray; }

    /**
     * Cells one weight of {@code weightBits} takes in cells of {@code bitsPerCell}: its bits; only its magnitude bits
     * (all but the sign; weights are symmetric, |w| ≤ 2^(bits−1) − 1) where the sign lives elsewhere — the array of a
     * differential pair, a polarized fragment's sign bit — and those twice for paired cells. A 5-bit weight thus
     * fits one 4-bit cell of a differential pair.
     */
    public int cellsPerWeight(int weightBits, int bitsPerCell) {
        int magnitude = Math.max(1, (weightBits - 1 + bitsPerCell - 1) / bitsPerCell);
        return switch (this) {
            case PAIRED_CELLS -> 2 * magnitude;
            case DIFFERENTIAL, POLARIZED -> magnitude;
            default -> (weightBits + bitsPerCell - 1) / bitsPerCell;
        };
    }

    /** Arrays needed per array's worth of weights (2 for differential pairs). */
    public int arraysPerMatrix() { return arraysPerMatrix; }

    @JsonValue
    public String key() { return key; }

    @JsonCreator
    public static SignEncoding parse(String text) {
        for (SignEncoding e : values()) if (e.key.equals(text)) return e;
        throw new IllegalArgumentException("expected one of: "
                + Arrays.stream(values()).map(SignEncoding::key).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() { return key; }
}
