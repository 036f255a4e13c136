package org.abacim.reram;

import java.util.Optional;
import org.abacim.core.tech.PlacementConstraint;

/**
 * FORMS's rule for polarized arrays: they hold magnitudes and one sign per fragment, so every fragment of
 * {@code fragmentRows} consecutive rows (an array's row tiles are whole fragments) of every output column must hold
 * weights of one sign; and since fragments are fixed runs of rows, only whole columns (filters) may be compacted.
 */
record PolarizedFragments(int fragmentRows) implements PlacementConstraint {
    @Override
    public Optional<String> violation(float[] w, int outputs) {
        int k = w.length / outputs;
        for (int o = 0; o < outputs; o++) {
            for (int r0 = 0; r0 < k; r0 += fragmentRows) {
                boolean pos = false;
                boolean neg = false;
                for (int r = r0; r < Math.min(k, r0 + fragmentRows); r++) {
                    pos |= w[o * k + r] > 0;
                    neg |= w[o * k + r] < 0;
                }
                if (pos && neg) {
                    return Optional.of("weights of output " + o + " mix signs in rows " + r0 + "–"
                            + (Math.min(k, r0 + fragmentRows) - 1) + "; polarized arrays need every fragment of "
                            + fragmentRows + " rows to hold one sign (compress the model with a polarize projection of "
                            + "fragment " + fragmentRows + ")");
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public boolean allowsRowCompaction() { return false; }
}
