package org.abacim.core.network;

import java.util.Optional;

/**
 * The uniform grid a quantized layer's weights already lie on: every weight is an integer multiple of one layer-wide
 * {@code step} within ±(2^(bits−1) − 1). A layer compressed to 4 bits is stored as 4-bit codes — in fewer cells than
 * the design's full weight width — and the integer reference multiplies those exact codes. Found from the weights
 * themselves, so it holds for the project's weight maps and for quantized weights a user brings alike.
 *
 * @param bits the fewest signed bits whose levels hold every weight (at least 2: ternary and binary weights)
 * @param step the weight one integer level stands for
 */
public record WeightGrid(int bits, double step) {
    /** How far from an integer a weight / step may be and still count as on the grid (float32 rounding). */
    private static final double TOLERANCE = 1e-3;

    /**
     * The narrowest grid of fewer than {@code maxBits} bits that holds all of {@code weights}, or empty when there is
     * none (float weights, or a grid as wide as the design's weights, which the design stores as it is). An all-zero
     * layer lies on the 2-bit grid.
     */
    public static Optional<WeightGrid> below(float[] weights, int maxBits) {
        double max = 0;
        for (float w : weights) max = Math.max(max, Math.abs(w));
        if (maxBits <= 2) return Optional.empty();
        if (max == 0) return Optional.of(new WeightGrid(2, 1));
        for (int bits = 2; bits < maxBits && bits <= 16; bits++) {
            int levels = (1 << (bits - 1)) - 1;
            // The largest weight sits on level j ≤ levels; the step is then max / j. Levels of narrower grids were
            // tried already, so only j above them are new candidates.
            int from = bits == 2 ? 1 : (1 << (bits - 2));
            for (int j = from; j <= levels; j++) {
                double step = max / j;
                if (onGrid(weights, step)) return Optional.of(new WeightGrid(bits, step));
            }
        }
        return Optional.empty();
    }

    private static boolean onGrid(float[] weights, double step) {
        for (float w : weights) {
            double q = w / step;
            if (Math.abs(q - Math.rint(q)) > TOLERANCE) return false;
        }
        return true;
    }
}
