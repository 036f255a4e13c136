package org.abacim.reram;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import org.abacim.core.tech.SignEncoding;
import org.abacim.core.config.Keyed;

/** How a crossbar holds signed weights in conductances ({@code array.signEncoding}). */
public enum CrossbarEncoding implements SignEncoding, Keyed {
    /** ISAAC: weights stored with a bias, plus one unit column per array for the digital correction. */
    OFFSET_UNIT_COLUMN("offset-unit-column", 1, 1),
    /** Positive and negative parts in two arrays, subtracted after conversion. */
    DIFFERENTIAL("differential", 0, 2),
    /** FORMS: every fragment of a column holds weights of one sign; one sign bit per fragment. */
    POLARIZED("polarized", 0, 1),
    /** Weights are non-negative. */
    UNSIGNED("unsigned", 0, 1);

    private final String key;
    private final int extraColumnsPerArray;
    private final int arraysPerMatrix;

    CrossbarEncoding(String key, int extraColumnsPerArray, int arraysPerMatrix) {
        this.key = key;
        this.extraColumnsPerArray = extraColumnsPerArray;
        this.arraysPerMatrix = arraysPerMatrix;
    }

    @Override
    public int cellsPerWeight(int weightBits, int bitsPerCell) {
        return this == DIFFERENTIAL || this == POLARIZED ? SignEncoding.magnitudeCells(weightBits, bitsPerCell)
                : SignEncoding.wholeCells(weightBits, bitsPerCell);
    }

    @Override public int extraColumnsPerArray() { return extraColumnsPerArray; }

    @Override public int arraysPerMatrix() { return arraysPerMatrix; }

    @Override public boolean unsignedOnly() { return this == UNSIGNED; }

    @JsonValue
    @Override
    public String key() { return key; }

    @JsonCreator
    public static CrossbarEncoding parse(String text) {
        return Keyed.parse(CrossbarEncoding.class, text);
    }

    @Override
    public String toString() { return key; }
}
