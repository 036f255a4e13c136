package org.abacim.core.analog;

import org.apache.commons.math3.special.Erf;
import org.abacim.core.config.Check;
import org.abacim.core.config.Key;

/**
 * A statistical model of a layer's input activations, for zero-skipping cycle counts when no data is run: each
 * input is zero with probability {@code zeroFraction} (ReLU outputs, padding), otherwise its magnitude is
 * half-normal with the full-scale code (2^bits − 1) at {@code peakSigmas} standard deviations (a layer's input
 * range calibrated to its largest activations), and inputs are independent. Measured activity replaces it.
 */
public record InputStatistics(
        @Key(doc = "probability that an input is zero (ReLU outputs, padding)", unit = "fraction") double zeroFraction,
        @Key(doc = "the full-scale code at this many σ of the half-normal magnitudes", unit = "σ") double peakSigmas,
        @Key(doc = "where the assumption comes from") String source) {
    public InputStatistics {
        Check.that(zeroFraction >= 0 && zeroFraction <= 1, "zeroFraction", zeroFraction, "a fraction from 0 to 1");
        Check.that(peakSigmas > 0 && peakSigmas <= 64, "peakSigmas", peakSigmas, "a number of σ above 0, at most 64");
        Check.that(source != null && !source.isBlank(), "source", source, "say where the assumption comes from");
    }

    /** P(an input needs at most {@code cycles} cycles of {@code dacBits} bits), i.e. P(value < 2^(cycles·dacBits)). */
    public double cycleCdf(int cycles, int inputBits, int dacBits) {
        int bits = cycles * dacBits;
        if (bits >= inputBits) return 1;
        double sigma = ((1L << inputBits) - 1) / peakSigmas;
        // A non-zero input is the half-normal magnitude h rounded up; it fits in `bits` bits when h ≤ 2^bits − 1.
        double fits = Erf.erf(((1L << bits) - 1) / (sigma * Math.sqrt(2)));
        return zeroFraction + (1 - zeroFraction) * fits;
    }

    /** Expected cycles until the largest of {@code n} independent inputs has no set bit left: Σ_c 1 − F(c)^n. */
    public double expectedCycles(int n, int inputBits, int dacBits) {
        int total = (inputBits + dacBits - 1) / dacBits;
        double expected = 0;
        for (int c = 0; c < total; c++) expected += 1 - Math.pow(cycleCdf(c, inputBits, dacBits), n);
        return expected;
    }
}
