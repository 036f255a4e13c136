package org.abacim.core.tech;

/**
 * What the cost model knows about one layer's inputs, measured on real data or else unknown (NaN): the fraction of
 * row-cycles whose input digit is non-zero, and the mean bit-serial cycles until a conversion group (a FORMS
 * fragment) and a whole array have no set input bit left. Designs without zero-skipping use only the first.
 */
public record MvmActivity(double rowDriveFraction, double groupCycles, double arrayCycles) {
    /** Nothing measured: every row driven on every cycle, cycle counts to be modelled by the design. */
    public static final MvmActivity ASSUMED = new MvmActivity(1.0, Double.NaN, Double.NaN);

    public boolean cyclesMeasured() {
        return Double.isFinite(groupCycles) && Double.isFinite(arrayCycles);
    }
}
