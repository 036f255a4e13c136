package org.imcsim.core.arch;

/**
 * How a SAR-type ADC's energy per conversion and area change with resolution, relative to a reference ADC the
 * preset takes from its paper. The curve is the one hwcomponents-library scales from ISAAC's ADC (4 b … 10 b:
 * 0.79/0.99/1.20/1.42/1.67/1.97/2.38 pJ and 361/477/627/845/1200/1828/3002 µm², see
 * shared/reference/published-parameters.md); only its ratios are used, so the preset's own reference is kept
 * exactly. Outside 4–10 bits the end ratios are extended geometrically.
 */
public final class AdcScaling {
    private static final int MIN_BITS = 4;
    private static final double[] ENERGY_PJ = {0.79, 0.99, 1.20, 1.42, 1.67, 1.97, 2.38};
    private static final double[] AREA_UM2 = {361, 477, 627, 845, 1200, 1828, 3002};

    private AdcScaling() {}

    /** Energy per conversion at {@code bits} divided by that at {@code referenceBits}. */
    public static double energyRatio(int bits, int referenceBits) {
        return curve(ENERGY_PJ, bits) / curve(ENERGY_PJ, referenceBits);
    }

    /** Area at {@code bits} divided by that at {@code referenceBits}. */
    public static double areaRatio(int bits, int referenceBits) {
        return curve(AREA_UM2, bits) / curve(AREA_UM2, referenceBits);
    }

    private static double curve(double[] table, int bits) {
        if (bits < 1 || bits > 16) throw new IllegalArgumentException("ADC resolution " + bits + " outside 1–16 bits");
        int last = table.length - 1;
        int index = bits - MIN_BITS;
        if (index < 0) return table[0] * Math.pow(table[0] / table[1], -index);
        if (index > last) return table[last] * Math.pow(table[last] / table[last - 1], index - last);
        return table[index];
    }
}
