package org.abacim.reram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.abacim.reram.AnalogCrossbarTest.run;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.abacim.core.analog.AdcModel;
import org.abacim.core.analog.AdcRange;
import org.abacim.core.analog.Chip;
import org.abacim.core.analog.DeviceModel;
import org.abacim.core.tech.ArrayGeometry;
import org.abacim.core.tech.ProgrammedLayer;
import org.abacim.core.units.Resistance;
import org.abacim.core.units.Time;
import org.junit.jupiter.api.Test;

/** Conductance drift over time, the 1/f read noise that grows with it, and global drift compensation (issue #33). */
class DriftTest {
    /** Unsigned 2-bit weights in one 2-bit cell each, 1-bit inputs: a column's output is its cells' sum above G_min. */
    static final ArrayGeometry ONE_CELL = new ArrayGeometry(64, 16, 2, 2, 1, 1, CrossbarEncoding.UNSIGNED);
    static final AdcModel IDEAL = new AdcModel(12, AdcRange.IDEAL, 0, 0);
    static final double YEAR = 31_557_600;

    static DeviceModel device(double sigma, double readNoise, double nu, double nuSigma, double flicker,
                              boolean compensate) {
        return new DeviceModel(Resistance.of(1e4), Resistance.of(1e5),
                new DeviceModel.Variation(DeviceModel.VariationKind.LOGNORMAL, sigma), readNoise, 0, 0,
                new DeviceModel.Drift(Time.of(1), Time.of(1), nu, nuSigma, flicker, Time.of(250e-9), compensate),
                "none", Time.of(0), "test");
    }

    static int[] unsignedWeights(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] w = new int[n];
        for (int i = 0; i < n; i++) w[i] = r.nextInt(4);
        return w;
    }

    static double[] allOnesRead(DeviceModel d, int[] w, Chip chip) {
        ProgrammedLayer layer = new CrossbarNumerics(ONE_CELL, IDEAL, d).program(w, 64, 16, false, chip);
        int[] ones = new int[64];
        Arrays.fill(ones, 1);
        return run(layer, ones, 1, 16, 1);
    }

    @Test
    void atTheReferenceTimeConductancesAreAsProgrammed() {
        int[] w = unsignedWeights(64 * 16, 3);
        Chip chip = new Chip(11, false, Double.NaN, false);
        double[] undrifted = allOnesRead(device(0.1, 0, 0, 0, 0, false), w, chip);
        // ν drawn (mean 0.06, σ 0.02) but read at t0 = 1 s: G(t0) = G.
        assertThat(allOnesRead(device(0.1, 0, 0.06, 0.02, 0, false), w, chip.at(1))).containsExactly(undrifted);
        assertThat(allOnesRead(device(0.1, 0, 0.06, 0.02, 0, false), w, chip)).containsExactly(undrifted);
    }

    @Test
    void exponentsAreDrawnPerDeviceAndDeterministically() {
        int[] w = unsignedWeights(64 * 16, 4);
        DeviceModel d = device(0, 0, 0.06, 0.03, 0, false);
        Chip chip = new Chip(12, false, Double.NaN, false).at(YEAR);
        double[] a = allOnesRead(d, w, chip);
        assertThat(allOnesRead(d, w, chip)).containsExactly(a);
        assertThat(allOnesRead(d, w, chip.withSeed(13))).isNotEqualTo(a);
        // With σ_ν > 0 the columns drift by different factors; a uniform ν scales every column by (t/t0)^−ν.
        double[] nominal = allOnesRead(device(0, 0, 0, 0, 0, false), w, chip);
        double[] uniform = allOnesRead(device(0, 0, 0.06, 0, 0, false), w, chip);
        double factor = Math.pow(YEAR, -0.06);
        double[] ratios = new double[16];
        for (int c = 0; c < 16; c++) {
            // Every cell, G_min included, is scaled, and so is the reference column's G_min current (mean ν).
            assertThat(uniform[c]).isCloseTo(nominal[c] * factor, within(1e-3));
            ratios[c] = a[c] / uniform[c];
        }
        assertThat(Arrays.stream(ratios).max().orElseThrow() - Arrays.stream(ratios).min().orElseThrow())
                .isGreaterThan(0.005);
    }

    @Test
    void compensationRestoresTheMeanColumnCurrentOfAUniformDrift() {
        int[] w = unsignedWeights(64 * 16, 5);
        Chip chip = new Chip(14, false, Double.NaN, false);
        double[] atReference = allOnesRead(device(0.1, 0, 0.05, 0, 0, false), w, chip);
        double[] drifted = allOnesRead(device(0.1, 0, 0.05, 0, 0, false), w, chip.at(YEAR));
        double[] compensated = allOnesRead(device(0.1, 0, 0.05, 0, 0, true), w, chip.at(YEAR));
        double reference = Arrays.stream(atReference).sum();
        assertThat(Arrays.stream(drifted).sum() / reference).isLessThan(0.5);
        assertThat(Arrays.stream(compensated).sum() / reference).isCloseTo(1, within(1e-6));
        // Compensation is off at t0: there is nothing to restore.
        assertThat(allOnesRead(device(0.1, 0, 0.05, 0, 0, true), w, chip.at(1))).containsExactly(atReference);
    }

    @Test
    void flickerNoiseGrowsWithTimeAsTheFormulaSays() {
        DeviceModel.Drift d = device(0, 0, 0, 0, 0.01, false).drift();
        double second = d.at(Time.of(1)).flickerSigma();
        double year = d.at(Time.of(YEAR)).flickerSigma();
        assertThat(second).isCloseTo(0.01 * Math.sqrt(Math.log((1 + 250e-9) / 500e-9)), within(1e-15));
        assertThat(year).isCloseTo(0.01 * Math.sqrt(Math.log((YEAR + 250e-9) / 500e-9)), within(1e-15));
        // Measured: the spread of a column's reads grows by the same factor, √(ln(t/2t_read)) ≈ 1.48 from 1 s to a year.
        int[] w = unsignedWeights(64 * 16, 6);
        double ratio = readSpread(w, YEAR) / readSpread(w, 1);
        assertThat(ratio).isCloseTo(year / second, within(0.1));
        assertThat(device(0, 0, 0, 0, 0, false).drift().flickerSigma()).isZero();
    }

    private static double readSpread(int[] w, double t) {
        DeviceModel d = device(0, 0, 0, 0, 0.02, false);
        ProgrammedLayer layer = new CrossbarNumerics(ONE_CELL, IDEAL, d).program(w, 64, 16, false,
                new Chip(15, false, Double.NaN, false).at(t));
        int[] ones = new int[64];
        Arrays.fill(ones, 1);
        double sum = 0;
        double squares = 0;
        int reads = 2000;
        for (int k = 0; k < reads; k++) {
            double y = run(layer, ones, 1, 16, 100 + k)[0];
            sum += y;
            squares += y * y;
        }
        double mean = sum / reads;
        return Math.sqrt(squares / reads - mean * mean);
    }

    @Test
    void whiteAndOneOverFNoiseAddInQuadrature() {
        int[] w = unsignedWeights(64 * 16, 7);
        Chip chip = new Chip(16, false, Double.NaN, false).at(3600);
        int[] ones = new int[64];
        Arrays.fill(ones, 1);
        double[] spread = new double[3];
        DeviceModel[] devices = {device(0, 0.03, 0, 0, 0, false), device(0, 0, 0, 0, 0.01, false),
                device(0, 0.03, 0, 0, 0.01, false)};
        for (int i = 0; i < 3; i++) {
            ProgrammedLayer layer = new CrossbarNumerics(ONE_CELL, IDEAL, devices[i]).program(w, 64, 16, false, chip);
            double sum = 0, squares = 0;
            for (int k = 0; k < 2000; k++) {
                double y = run(layer, ones, 1, 16, 500 + k)[0];
                sum += y;
                squares += y * y;
            }
            spread[i] = Math.sqrt(squares / 2000 - sum * sum / 2000 / 2000);
        }
        assertThat(spread[2]).isCloseTo(Math.hypot(spread[0], spread[1]), within(0.08 * spread[2]));
    }
}
