package org.abacim.sram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.abacim.core.analog.ActivityCounter;
import org.abacim.core.analog.AdcRange;
import org.abacim.core.analog.Chip;
import org.abacim.core.arch.Action;
import org.abacim.core.arch.Ledger;
import org.abacim.core.tech.ArrayGeometry;
import org.abacim.core.tech.MvmActivity;
import org.abacim.core.tech.SignEncoding;
import org.junit.jupiter.api.Test;

/** Signed inputs through the sign cycle: x = u − 2^m·s, one more MAC cycle per sub-array, subtracted digitally. */
class SignCycleTest {
    static final CapRamParams.AnalogParams IDEAL = ChargeDomainNumericsTest.IDEAL;

    static int[] signedInputs(SplittableRandom r, int n, int bits) {
        int[] x = new int[n];
        for (int i = 0; i < n; i++) x[i] = r.nextInt(1 << bits) - (1 << (bits - 1));
        return x;
    }

    @Property(tries = 200, seed = "34")
    void idealCellsWithALosslessAdcGiveTheIntegerProductOfSignedInputs(@ForAll @IntRange(min = 1, max = 6) int bits,
            @ForAll boolean paired, @ForAll @IntRange(min = 1, max = 150) int rows,
            @ForAll @IntRange(min = 1, max = 20) int cols, @ForAll @IntRange(min = 1, max = 3) int dacBits,
            @ForAll @IntRange(min = 3, max = 6) int inputBits, @ForAll long seed) {
        SignEncoding encoding = paired && bits >= 2 ? ChargeEncoding.PAIRED_CELLS : ChargeEncoding.TWOS_COMPLEMENT;
        ArrayGeometry g = new ArrayGeometry(64, 128, bits, 1, inputBits, dacBits, encoding);
        int adcBits = CapRamDesign.losslessAdcBits(g);
        SplittableRandom r = new SplittableRandom(seed);
        int[] w = ChargeDomainNumericsTest.weights(r, rows * cols, g);
        int positions = 3;
        int[] x = signedInputs(r, positions * rows, inputBits);
        for (AdcRange range : AdcRange.values()) {
            ChargeDomainNumerics n = new ChargeDomainNumerics(g, adcBits, range, IDEAL);
            // Every conversion simulated (the analog path) and the fast exact path.
            double[] slow = new double[positions * cols];
            n.program(w, rows, cols, true, ChargeDomainNumericsTest.SLOW_CHIP)
                    .multiply(x, positions, slow, new SplittableRandom(1), new ActivityCounter());
            double[] fast = new double[positions * cols];
            n.program(w, rows, cols, true, Chip.asDesigned()).multiply(x, positions, fast, new SplittableRandom(1), null);
            for (int p = 0; p < positions; p++) {
                int[] xp = Arrays.copyOfRange(x, p * rows, (p + 1) * rows);
                long[] expected = ChargeDomainNumericsTest.exact(w, rows, cols, xp);
                assertThat(n.multiply(w, rows, cols, xp, true)).containsExactly(expected);
                for (int c = 0; c < cols; c++) {
                    assertThat(slow[p * cols + c]).isEqualTo((double) expected[c]);
                    assertThat(fast[p * cols + c]).isEqualTo((double) expected[c]);
                }
            }
        }
    }

    /** The preset's sub-array: 64 rows, ternary weights in paired cells (64 weight columns), 3-bit inputs at once. */
    static final ArrayGeometry PRESET = new ArrayGeometry(64, 128, 2, 1, 3, 3, ChargeEncoding.PAIRED_CELLS);

    @Test
    void theSignCycleIsOneMoreConversionPerSubArrayAndColumnWithItsDigitsCounted() {
        ChargeDomainNumerics n = new ChargeDomainNumerics(PRESET, 7, AdcRange.CLIPPED, IDEAL);
        int rows = 130; // three sub-arrays: 64 + 64 + 2 rows
        int cols = 5;
        SplittableRandom r = new SplittableRandom(7);
        int[] w = ChargeDomainNumericsTest.weights(r, rows * cols, PRESET);
        int[] x = signedInputs(r, 2 * rows, 3);
        ActivityCounter signed = new ActivityCounter();
        n.program(w, rows, cols, true, ChargeDomainNumericsTest.SLOW_CHIP)
                .multiply(x, 2, new double[2 * cols], new SplittableRandom(1), signed);
        // 2 positions × 3 sub-arrays = 6 reads of 2 cycles (one 3-bit slice and the sign cycle), 5 columns each.
        assertThat(signed.arrayReads).isEqualTo(6);
        assertThat(signed.arrayCycles).isEqualTo(12);
        assertThat(signed.meanArrayCycles()).isEqualTo(2);
        assertThat(signed.conversions).isEqualTo(6 * 2 * 5);
        long negative = 0;
        long nonZeroSlices = 0;
        for (int v : x) {
            if (v < 0) negative++;
            if ((v & 7) != 0) nonZeroSlices++;
        }
        assertThat(signed.digits).isEqualTo(2L * 2 * rows); // a slice digit and a sign digit per input
        assertThat(signed.nonZeroDigits).isEqualTo(nonZeroSlices + negative);

        // The exact path counts the same cycles and digits without converting.
        ChargeDomainNumerics lossless = new ChargeDomainNumerics(PRESET, CapRamDesign.losslessAdcBits(PRESET),
                AdcRange.CLIPPED, IDEAL);
        ActivityCounter exact = new ActivityCounter();
        lossless.program(w, rows, cols, true, Chip.asDesigned()).multiply(x, 2, new double[2 * cols],
                new SplittableRandom(1), exact);
        assertThat(exact.arrayCycles).isEqualTo(12);
        assertThat(exact.digits).isEqualTo(signed.digits);
        assertThat(exact.nonZeroDigits).isEqualTo(signed.nonZeroDigits);
        assertThat(exact.conversions).isZero();

        // Unsigned inputs: the one slice only.
        int[] u = new int[2 * rows];
        for (int i = 0; i < u.length; i++) u[i] = x[i] & 7;
        ActivityCounter unsigned = new ActivityCounter();
        n.program(w, rows, cols, false, ChargeDomainNumericsTest.SLOW_CHIP)
                .multiply(u, 2, new double[2 * cols], new SplittableRandom(1), unsigned);
        assertThat(unsigned.arrayCycles).isEqualTo(6);
        assertThat(unsigned.conversions).isEqualTo(6 * 5);
    }

    @Test
    void theSignCyclesConversionsGoThroughTheSameAdcAndDrawTheSameNoiseForTheSameSeed() {
        // The calibration study's analog parts (docs/design/capram.md), offset and gain calibrated away.
        CapRamParams.AnalogParams analog = ChargeDomainNumericsTest.analog(0.002, 0.02, 0.2, 3, 0.02, 0.5,
                CapRamParams.Calibration.TWO_STEP);
        ChargeDomainNumerics n = new ChargeDomainNumerics(PRESET, 7, AdcRange.CLIPPED, analog);
        int rows = 8; // |Σ w·u| ≤ 8 · 4 = 32: within the ±63 codes, nothing clips
        int cols = 64;
        SplittableRandom r = new SplittableRandom(3);
        int[] w = ChargeDomainNumericsTest.weights(r, rows * cols, PRESET);
        // Only inputs of −4: the slice u = 4 and the sign digit 1, so Σ w·x = 4·Σw − 8·Σw.
        int[] x = new int[rows];
        Arrays.fill(x, -4);
        Chip chip = new Chip(11, false, Double.NaN, true);
        double[] a = new double[cols];
        double[] b = new double[cols];
        n.program(w, rows, cols, true, chip).multiply(x, 1, a, new SplittableRandom(5), null);
        n.program(w, rows, cols, true, chip).multiply(x, 1, b, new SplittableRandom(5), null);
        assertThat(a).containsExactly(b);
        double[] other = new double[cols];
        n.program(w, rows, cols, true, chip).multiply(x, 1, other, new SplittableRandom(6), null);
        assertThat(other).isNotEqualTo(a);
        // After calibration a conversion errs by less than 2 LSB (the paper's figure; ChargeDomainNumericsTest), and
        // the sign cycle's error is multiplied by its shift 2^3: within 2 + 8 · 2 of the exact value.
        long[] expected = ChargeDomainNumericsTest.exact(w, rows, cols, x);
        double worst = 0;
        for (int c = 0; c < cols; c++) worst = Math.max(worst, Math.abs(a[c] - expected[c]));
        assertThat(worst).isGreaterThan(0).isLessThan(18);
    }

    @Test
    void inputsBeyondTheSignedRangeAreRefused() {
        ChargeDomainNumerics n = new ChargeDomainNumerics(PRESET, 7, AdcRange.CLIPPED, IDEAL);
        assertThat(n.multiply(new int[] {1}, 1, 1, new int[] {-4}, true)).containsExactly(-4);
        assertThatThrownBy(() -> n.multiply(new int[] {1}, 1, 1, new int[] {-5}, true))
                .hasMessageContaining("input -5 outside -4 … 3 (3-bit signed inputs)");
        assertThatThrownBy(() -> n.multiply(new int[] {1}, 1, 1, new int[] {4}, true))
                .hasMessageContaining("input 4 outside -4 … 3");
        assertThatThrownBy(() -> n.multiply(new int[] {1}, 1, 1, new int[] {-1}, false))
                .hasMessageContaining("input -1 outside 0 … 7 (3-bit unsigned inputs)");
    }

    @Test
    void measuredCyclesSetTheCostAndAssumedActivityKeepsTheUnsignedOne() {
        CapRamDesign d = Presets.load("capram");
        Ledger assumed = new Ledger();
        d.countMvm(64, 128, 1, assumed);
        Ledger viaAssumed = new Ledger();
        d.countMvm(64, 128, 1, MvmActivity.ASSUMED, viaAssumed);
        assertThat(viaAssumed.energyJ()).isEqualTo(assumed.energyJ());
        // An unsigned layer measures the one slice it ran: the same cost to the last digit.
        Ledger unsigned = new Ledger();
        d.countMvm(64, 128, 1, new MvmActivity(0.5, 1, 1), unsigned);
        assertThat(unsigned.energyJ()).isEqualTo(assumed.energyJ());
        // A signed layer: two cycles, so twice the sub-array reads and conversions (64 weight columns each) and a
        // digital add per column for the second cycle; twice the time.
        Ledger signed = new Ledger();
        d.countMvm(64, 128, 1, new MvmActivity(0.5, 2, 2), signed);
        assertThat(signed.count(Action.ARRAY_READ)).isEqualTo(2 * assumed.count(Action.ARRAY_READ));
        assertThat(signed.count(Action.ADC_CONVERT)).isEqualTo(128);
        assertThat(signed.count(Action.PARTIAL_SUM_ADD)).isEqualTo(64);
        assertThat(assumed.count(Action.PARTIAL_SUM_ADD)).isZero();
        // Energy: 2 × (31.2225 pJ read + 64 × 2.3472 pJ conversions) + 64 × 0.05 pJ adds [preset].
        assertThat(signed.energyJ()).isCloseTo(2 * assumed.energyJ() + 64 * 0.05e-12, within(1e-18));
        assertThat(assumed.energyJ()).isCloseTo(31.2225e-12 + 64 * 2.3472e-12, within(1e-18));
        assertThat(d.mvmSeconds(64, 128, new MvmActivity(0.5, 2, 2))).isEqualTo(2 * d.mvmSeconds(64, 128));
        assertThat(d.mvmSeconds(64, 128, MvmActivity.ASSUMED)).isEqualTo(d.mvmSeconds(64, 128));
    }
}
