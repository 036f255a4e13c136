package org.abacim.core.tech;

import org.abacim.core.arch.Ledger;

/**
 * The cost side of one array and the periphery that serves it: what one matrix-vector multiply (all input cycles)
 * does, and how long it takes, when {@code rowsUsed} rows and {@code colsUsed} weight columns hold weights.
 */
public interface ArrayModel {
    /** Adds {@code times} such multiplies' actions to the ledger, every used row driven on every input cycle. */
    void countMvm(int rowsUsed, int colsUsed, double times, Ledger ledger);

    /** Seconds one multiply takes, from the first input slice to the last conversion. */
    double mvmSeconds(int rowsUsed, int colsUsed);

    /**
     * The same with what is known of the layer's inputs (the fraction of row-cycles with a non-zero digit, and
     * zero-skipping cycles). Technologies whose energy depends on it override this; the default ignores it.
     */
    default void countMvm(int rowsUsed, int colsUsed, double times, MvmActivity activity, Ledger ledger) {
        countMvm(rowsUsed, colsUsed, times, ledger);
    }

    /** Mean seconds one multiply takes on the layer's inputs (zero-skipping designs end early). */
    default double mvmSeconds(int rowsUsed, int colsUsed, MvmActivity activity) {
        return mvmSeconds(rowsUsed, colsUsed);
    }

    /**
     * Seconds to write the weights of one array with {@code rowsUsed} × {@code colsUsed} cells in use (programming,
     * once per model); NaN when the technology does not model writes.
     */
    default double writeSeconds(int rowsUsed, int colsUsed) {
        return Double.NaN;
    }
}
