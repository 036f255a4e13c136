package org.abacim.sram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.abacim.core.analog.ActivityCounter;
import org.abacim.core.analog.AdcRange;
import org.abacim.core.analog.Chip;
import org.abacim.core.tech.ArrayGeometry;
import org.abacim.core.tech.SignEncoding;
import org.junit.jupiter.api.Test;

/** The charge-domain arithmetic: exact when ideal and lossless, each non-ideality doing what its model says. */
class ChargeDomainNumericsTest {
    static final Chip SLOW_CHIP = new Chip(5, false, Double.NaN, true);

    static CapRamParams.AnalogParams analog(double mismatch, double injection, double noise, double offset,
                                            double gain, double inl, CapRamParams.Calibration calibration) {
        return new CapRamParams.AnalogParams(mismatch, injection, noise, offset, gain, inl, calibration, "test");
    }

    static final CapRamParams.AnalogParams IDEAL = analog(0, 0, 0, 0, 0, 0, CapRamParams.Calibration.TWO_STEP);

    static int[] weights(SplittableRandom r, int n, ArrayGeometry g) {
        int b = g.weightBits();
        int[] w = new int[n];
        for (int i = 0; i < n; i++) {
            if (g.signEncoding() == ChargeEncoding.TWOS_COMPLEMENT && b == 1) {
                w[i] = r.nextBoolean() ? 1 : -1;
            } else if (g.signEncoding() == ChargeEncoding.PAIRED_CELLS) {
                int hi = (1 << (b - 1)) - 1;
                w[i] = r.nextInt(2 * hi + 1) - hi;
            } else {
                w[i] = r.nextInt(1 << b) - (1 << (b - 1));
            }
        }
        return w;
    }

    static long[] exact(int[] w, int rows, int cols, int[] x) {
        long[] y = new long[cols];
        for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) y[c] += (long) w[r * cols + c] * x[r];
        return y;
    }

    @Property(tries = 200, seed = "8")
    void idealCellsWithALosslessAdcGiveTheIntegerProduct(@ForAll @IntRange(min = 1, max = 6) int bits,
            @ForAll boolean paired, @ForAll @IntRange(min = 1, max = 150) int rows,
            @ForAll @IntRange(min = 1, max = 20) int cols, @ForAll @IntRange(min = 1, max = 3) int dacBits,
            @ForAll long seed) {
        SignEncoding encoding = paired && bits >= 2 ? ChargeEncoding.PAIRED_CELLS : ChargeEncoding.TWOS_COMPLEMENT;
        ArrayGeometry g = new ArrayGeometry(64, 128, bits, 1, 3, dacBits, encoding);
        int adcBits = CapRamDesign.losslessAdcBits(g);
        SplittableRandom r = new SplittableRandom(seed);
        int[] w = weights(r, rows * cols, g);
        int[] x = new int[rows];
        for (int i = 0; i < rows; i++) x[i] = r.nextInt(8);
        long[] expected = exact(w, rows, cols, x);
        for (AdcRange range : AdcRange.values()) {
            ChargeDomainNumerics n = new ChargeDomainNumerics(g, adcBits, range, IDEAL);
            assertThat(n.exact()).isTrue();
            assertThat(n.multiply(w, rows, cols, x, false)).containsExactly(expected);
            double[] out = new double[cols];
            n.program(w, rows, cols, false, SLOW_CHIP).multiply(x, 1, out, new SplittableRandom(1), new ActivityCounter());
            for (int c = 0; c < cols; c++) assertThat(out[c]).isEqualTo((double) expected[c]);
        }
    }

    @Test
    void theSevenBitAdcSaturatesOrCoarsensLargeColumnSums() {
        ArrayGeometry g = new ArrayGeometry(64, 128, 2, 1, 3, 3, ChargeEncoding.PAIRED_CELLS);
        int[] w = new int[64];
        int[] x = new int[64];
        java.util.Arrays.fill(w, 1);
        java.util.Arrays.fill(x, 7); // Σ = 448, beyond the 7-bit codes' ±63
        assertThat(new ChargeDomainNumerics(g, 7, AdcRange.CLIPPED, IDEAL).multiply(w, 64, 1, x, false)).containsExactly(63);
        // Spread over the largest possible sum: one code per 448/63 units, so 448 comes back exactly, 10 does not.
        assertThat(new ChargeDomainNumerics(g, 7, AdcRange.FULL_SCALE, IDEAL).multiply(w, 64, 1, x, false)).containsExactly(448);
        int[] small = new int[64];
        small[0] = 7;
        small[1] = 3;
        long[] y = new ChargeDomainNumerics(g, 7, AdcRange.FULL_SCALE, IDEAL).multiply(w, 64, 1, small, false);
        assertThat(y[0]).isEqualTo(Math.round(Math.round(10 / (448.0 / 63)) * (448.0 / 63)));
    }

    @Test
    void twoStepCalibrationRemovesOffsetAndGainLeavingLessThanTwoLsb() {
        ArrayGeometry g = new ArrayGeometry(64, 128, 2, 1, 3, 3, ChargeEncoding.PAIRED_CELLS);
        // Assumed analog parts (docs/design/capram.md): 0.2 % capacitor mismatch, 0.02-step injection bow, 0.2 LSB
        // comparator noise, 3 LSB offset and 2 % gain σ per ADC, 0.5 LSB INL.
        CapRamParams.AnalogParams raw = analog(0.002, 0.02, 0.2, 3, 0.02, 0.5, CapRamParams.Calibration.NONE);
        CapRamParams.AnalogParams calibrated = analog(0.002, 0.02, 0.2, 3, 0.02, 0.5, CapRamParams.Calibration.TWO_STEP);
        Chip chip = new Chip(11, false, Double.NaN, true);
        double[] before = new ChargeDomainNumerics(g, 7, AdcRange.FULL_SCALE, raw).macErrorLsb(chip, 200, 3);
        double[] after = new ChargeDomainNumerics(g, 7, AdcRange.FULL_SCALE, calibrated).macErrorLsb(chip, 200, 3);
        assertThat(before[0]).isGreaterThan(1.5);
        assertThat(after[1]).isLessThan(2); // the paper: error < 2 LSB after calibration
        assertThat(after[0]).isLessThan(before[0] / 2);
    }

    @Test
    void capacitorMismatchErrorGrowsWithItsSigmaAndIsDrawnPerChip() {
        ArrayGeometry g = new ArrayGeometry(64, 128, 4, 1, 3, 3, ChargeEncoding.TWOS_COMPLEMENT);
        int bits = CapRamDesign.losslessAdcBits(g);
        double small = new ChargeDomainNumerics(g, bits, AdcRange.CLIPPED,
                analog(0.01, 0, 0, 0, 0, 0, CapRamParams.Calibration.TWO_STEP)).macErrorLsb(new Chip(1, false, Double.NaN, true), 50, 2)[0];
        double large = new ChargeDomainNumerics(g, bits, AdcRange.CLIPPED,
                analog(0.04, 0, 0, 0, 0, 0, CapRamParams.Calibration.TWO_STEP)).macErrorLsb(new Chip(1, false, Double.NaN, true), 50, 2)[0];
        assertThat(large).isGreaterThan(3 * small).isGreaterThan(0);
        double otherChip = new ChargeDomainNumerics(g, bits, AdcRange.CLIPPED,
                analog(0.04, 0, 0, 0, 0, 0, CapRamParams.Calibration.TWO_STEP)).macErrorLsb(new Chip(2, false, Double.NaN, true), 50, 2)[0];
        assertThat(otherChip).isNotEqualTo(large);
    }

    @Test
    void outOfRangeSignedInputsAndWeightsAreRefused() {
        ArrayGeometry g = new ArrayGeometry(64, 128, 2, 1, 3, 3, ChargeEncoding.PAIRED_CELLS);
        ChargeDomainNumerics n = new ChargeDomainNumerics(g, 7, AdcRange.CLIPPED, IDEAL);
        assertThatThrownBy(() -> n.multiply(new int[] {1}, 1, 1, new int[] {-5}, true)).hasMessageContaining("outside -4 … 3");
        assertThatThrownBy(() -> n.multiply(new int[] {2}, 1, 1, new int[] {1}, false))
                .hasMessageContaining("weight 2 does not fit 2-bit paired-cells weights (-1 … 1)");
    }
}
