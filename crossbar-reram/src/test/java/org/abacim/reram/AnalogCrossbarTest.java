package org.abacim.reram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.abacim.reram.CrossbarNumericsTest.exact;
import static org.abacim.reram.CrossbarNumericsTest.inputs;
import static org.abacim.reram.CrossbarNumericsTest.weights;

import java.util.Arrays;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.abacim.core.analog.ActivityCounter;
import org.abacim.core.analog.AdcModel;
import org.abacim.core.analog.AdcRange;
import org.abacim.core.analog.Chip;
import org.abacim.core.analog.DeviceModel;
import org.abacim.core.tech.ArrayGeometry;
import org.abacim.core.tech.ExactProduct;
import org.abacim.core.tech.ProgrammedLayer;
import org.abacim.core.tech.SignEncoding;
import org.abacim.core.units.Resistance;
import org.abacim.core.units.Time;
import org.junit.jupiter.api.Test;

/** The analog crossbar path: exact where it must be, and each non-ideality doing what its model says (issue #5). */
class AnalogCrossbarTest {
    /** The chip as designed, every conversion simulated (no fast path). */
    static final Chip SLOW_NOMINAL = new Chip(0, true, Double.NaN, true);

    @Provide
    Arbitrary<SignEncoding> encodings() {
        return Arbitraries.of(CrossbarEncoding.OFFSET_UNIT_COLUMN, CrossbarEncoding.DIFFERENTIAL, CrossbarEncoding.UNSIGNED);
    }

    static DeviceModel device(double onOff) {
        return device(onOff, 0, 0, 0, 1, 0);
    }

    /** A device with no programming variation and the given read noise, stuck-at fractions and drift (t/t0, ν). */
    static DeviceModel device(double onOff, double readNoise, double stuckMin, double stuckMax, double driftTime,
                              double nu) {
        return new DeviceModel(Resistance.of(1e4), Resistance.of(1e4 * onOff),
                new DeviceModel.Variation(DeviceModel.VariationKind.LOGNORMAL, 0), readNoise, stuckMin, stuckMax,
                new DeviceModel.Drift(Time.of(driftTime), Time.of(1), nu, 0, 0, Time.of(250e-9), false), "none", Time.of(0),
                "test");
    }

    static double[] run(ProgrammedLayer layer, int[] x, int positions, int cols, long noiseSeed) {
        double[] out = new double[positions * cols];
        layer.multiply(x, positions, out, new SplittableRandom(noiseSeed), new ActivityCounter());
        return out;
    }

    static double[] asDoubles(long[] v) {
        return Arrays.stream(v).asDoubleStream().toArray();
    }

    @Property(tries = 300, seed = "20261125")
    void nominalCellsWithALosslessAdcGiveTheIntegerProductEvenWithFiniteOnOffRatio(
            @ForAll @IntRange(min = 1, max = 40) int arrayRows, @ForAll @IntRange(min = 1, max = 12) int arrayCols,
            @ForAll @IntRange(min = 2, max = 9) int weightBits, @ForAll @IntRange(min = 1, max = 4) int bitsPerCell,
            @ForAll @IntRange(min = 1, max = 3) int dacBits, @ForAll @IntRange(min = 1, max = 8) int inputBits,
            @ForAll("encodings") SignEncoding encoding, @ForAll @IntRange(min = 1, max = 90) int rows,
            @ForAll @IntRange(min = 1, max = 7) int cols, @ForAll @IntRange(min = 1, max = 3) int positions,
            @ForAll @IntRange(min = 2, max = 100) int onOff, @ForAll long seed) {
        Assume.that(dacBits <= inputBits);
        Assume.that(arrayCols >= (weightBits + bitsPerCell - 1) / bitsPerCell);
        ArrayGeometry g = new ArrayGeometry(arrayRows, arrayCols, weightBits, bitsPerCell, inputBits, dacBits, encoding);
        int lossless = ReramDesign.losslessAdcBits(arrayRows, dacBits, bitsPerCell, encoding);
        SplittableRandom r = new SplittableRandom(seed);
        int[] w = weights(r, rows * cols, weightBits, encoding);
        int[] x = inputs(r, rows * positions, inputBits, false);
        double[] expected = new double[positions * cols];
        for (int p = 0; p < positions; p++) {
            long[] y = exact(w, rows, cols, Arrays.copyOfRange(x, p * rows, (p + 1) * rows));
            for (int c = 0; c < cols; c++) expected[p * cols + c] = y[c];
        }
        // Variation switched on but the chip as designed: the slow path, every conversion, G_min subtracted.
        DeviceModel d = device(onOff).withProgramming(new DeviceModel.Variation(DeviceModel.VariationKind.GAUSSIAN, 0.3));
        for (AdcRange range : AdcRange.values()) {
            CrossbarNumerics n = new CrossbarNumerics(g, new AdcModel(lossless, range, 0, 0), d);
            ProgrammedLayer slow = n.program(w, rows, cols, false, SLOW_NOMINAL);
            assertThat(slow).isInstanceOf(AnalogCrossbar.class);
            assertThat(run(slow, x, positions, cols, 1)).containsExactly(expected);
            ProgrammedLayer fast = n.program(w, rows, cols, false, Chip.asDesigned());
            assertThat(fast).isInstanceOf(ExactProduct.class);
            assertThat(run(fast, x, positions, cols, 1)).containsExactly(expected);
        }
    }

    @Property(tries = 200, seed = "11")
    void aClippingAdcOnNominalCellsMatchesTheIntegerBitLevelModel(
            @ForAll @IntRange(min = 4, max = 64) int arrayRows, @ForAll @IntRange(min = 1, max = 8) int adcBits,
            @ForAll("encodings") SignEncoding encoding, @ForAll @IntRange(min = 1, max = 150) int rows,
            @ForAll @IntRange(min = 1, max = 5) int cols, @ForAll long seed) {
        ArrayGeometry g = new ArrayGeometry(arrayRows, 8, 8, 2, 8, 1, encoding);
        CrossbarNumerics n = new CrossbarNumerics(g, new AdcModel(adcBits, AdcRange.CLIPPED, 0, 0), device(17));
        SplittableRandom r = new SplittableRandom(seed);
        int[] w = weights(r, rows * cols, 8, encoding);
        int[] x = inputs(r, rows, 8, false);
        double[] analog = run(n.program(w, rows, cols, false, SLOW_NOMINAL), x, 1, cols, 1);
        assertThat(analog).containsExactly(asDoubles(n.bitLevel(w, rows, cols, x, false)));
    }

    @Test
    void signedInputsThroughTheAnalogPathUseTheSignCycle() {
        ArrayGeometry g = new ArrayGeometry(32, 16, 8, 2, 8, 1, CrossbarEncoding.OFFSET_UNIT_COLUMN);
        CrossbarNumerics n = new CrossbarNumerics(g, new AdcModel(7, AdcRange.CLIPPED, 0, 0), device(17));
        SplittableRandom r = new SplittableRandom(3);
        int[] w = weights(r, 70 * 3, 8, CrossbarEncoding.OFFSET_UNIT_COLUMN);
        int[] x = inputs(r, 70, 8, true);
        assertThat(run(n.program(w, 70, 3, true, SLOW_NOMINAL), x, 1, 3, 1)).containsExactly(asDoubles(exact(w, 70, 3, x)));
    }

    @Test
    void cellsStuckAtTheExtremesReadAsZeroOrFullWeights() {
        ArrayGeometry g = new ArrayGeometry(16, 8, 4, 2, 4, 1, CrossbarEncoding.UNSIGNED);
        int[] w = {3, 9, 12, 1, 5, 0};
        int[] x = {2, 7, 15};
        DeviceModel allMin = device(10, 0, 1, 0, 1, 0);
        CrossbarNumerics n = new CrossbarNumerics(g, new AdcModel(6, AdcRange.CLIPPED, 0, 0), allMin);
        assertThat(run(n.program(w, 3, 2, false, new Chip(5, false, Double.NaN, false)), x, 1, 2, 1)).containsExactly(0, 0);
        DeviceModel allMax = device(10, 0, 0, 1, 1, 0);
        n = new CrossbarNumerics(g, new AdcModel(6, AdcRange.CLIPPED, 0, 0), allMax);
        // Every weight reads as 15 (all cells at the top level): 15 · Σx = 15 · 24.
        assertThat(run(n.program(w, 3, 2, false, new Chip(5, false, Double.NaN, false)), x, 1, 2, 1))
                .containsExactly(360, 360);
    }

    @Test
    void driftScalesConductancesByThePowerLaw() {
        ArrayGeometry g = new ArrayGeometry(64, 8, 8, 2, 8, 1, CrossbarEncoding.DIFFERENTIAL);
        DeviceModel drifting = device(1e8, 0, 0, 0, 1000, 0.05);
        CrossbarNumerics n = new CrossbarNumerics(g, new AdcModel(12, AdcRange.CLIPPED, 0, 0), drifting);
        SplittableRandom r = new SplittableRandom(9);
        int[] w = weights(r, 64 * 4, 8, CrossbarEncoding.DIFFERENTIAL);
        int[] x = inputs(r, 64, 8, false);
        double[] y = run(n.program(w, 64, 4, false, new Chip(1, false, Double.NaN, false)), x, 1, 4, 1);
        long[] e = exact(w, 64, 4, x);
        double factor = Math.pow(1000, -0.05); // 0.708
        for (int c = 0; c < 4; c++) {
            // Each conversion rounds to the nearest code: at most half an LSB per slice and cycle off the scaled sum.
            // The 7 magnitude bits sit in 4 cells of 2 bits (slice weights 1 + 4 + 16 + 64 = 85), the 8 input cycles
            // weigh 1 + 2 + … + 128 = 255, and the pair has two arrays: 0.5 × 85 × 255 × 2 = 21,675 at most
            // (measured: 5,716 on the largest of these four sums, 141,197).
            assertThat(y[c]).isCloseTo(e[c] * factor, within(0.5 * 85 * 255 * 2));
            assertThat(Math.abs(y[c])).isLessThan(Math.abs(e[c]) * 0.8 + 255 * 255);
        }
    }

    @Test
    void variationIsDrawnPerChipAndReproducible() {
        ArrayGeometry g = new ArrayGeometry(128, 128, 8, 2, 8, 1, CrossbarEncoding.OFFSET_UNIT_COLUMN);
        SplittableRandom r = new SplittableRandom(4);
        int[] w = weights(r, 200 * 10, 8, CrossbarEncoding.OFFSET_UNIT_COLUMN);
        int[] x = inputs(r, 200 * 4, 8, false);
        double[] a = varied(g, 0.1, w, x, 42);
        assertThat(varied(g, 0.1, w, x, 42)).containsExactly(a);
        assertThat(varied(g, 0.1, w, x, 43)).isNotEqualTo(a);
        // Without variation the chip is exact; with it the error is set by σ: in the linear regime of small σ,
        // halving σ halves the mean error (each cell's conductance moves by G·σ·N to first order).
        assertThat(meanError(varied(g, 0, w, x, 42), w, x)).isZero();
        double tenth = meanError(a, w, x);
        double twentieth = meanError(varied(g, 0.05, w, x, 42), w, x);
        assertThat(twentieth / tenth).isCloseTo(0.5, within(0.05));
    }

    private static double[] varied(ArrayGeometry g, double sigma, int[] w, int[] x, long chip) {
        DeviceModel d = device(17).withProgramming(new DeviceModel.Variation(DeviceModel.VariationKind.LOGNORMAL, sigma));
        CrossbarNumerics n = new CrossbarNumerics(g, new AdcModel(8, AdcRange.CLIPPED, 0, 0), d);
        return run(n.program(w, 200, 10, false, new Chip(chip, false, Double.NaN, false)), x, 4, 10, 1);
    }

    private static double meanError(double[] y, int[] w, int[] x) {
        double error = 0;
        for (int p = 0; p < 4; p++) {
            long[] e = exact(w, 200, 10, Arrays.copyOfRange(x, p * 200, (p + 1) * 200));
            for (int c = 0; c < 10; c++) error += Math.abs(y[p * 10 + c] - e[c]);
        }
        return error / 40;
    }

    @Test
    void readNoiseAveragesOutAndDependsOnlyOnItsStream() {
        ArrayGeometry g = new ArrayGeometry(64, 8, 8, 2, 8, 1, CrossbarEncoding.DIFFERENTIAL);
        DeviceModel noisy = device(100, 0.05, 0, 0, 1, 0);
        CrossbarNumerics n = new CrossbarNumerics(g, new AdcModel(12, AdcRange.CLIPPED, 0, 0), noisy);
        SplittableRandom r = new SplittableRandom(5);
        int[] w = weights(r, 64, 8, CrossbarEncoding.DIFFERENTIAL);
        int[] x = inputs(r, 64, 8, false);
        ProgrammedLayer layer = n.program(w, 64, 1, false, new Chip(1, false, Double.NaN, false));
        assertThat(run(layer, x, 1, 1, 7)).containsExactly(run(layer, x, 1, 1, 7));
        assertThat(run(layer, x, 1, 1, 7)).isNotEqualTo(run(layer, x, 1, 1, 8));
        double sum = 0;
        int reads = 400;
        for (int k = 0; k < reads; k++) sum += run(layer, x, 1, 1, k)[0];
        double expected = exact(w, 64, 1, x)[0];
        assertThat(sum / reads).isCloseTo(expected, within(Math.abs(expected) * 0.01 + 300));
    }

    @Test
    void fewerAdcBitsWithFullScaleRangeLoseLowBitsInsteadOfClipping() {
        ArrayGeometry g = new ArrayGeometry(128, 16, 8, 2, 8, 1, CrossbarEncoding.UNSIGNED);
        SplittableRandom r = new SplittableRandom(6);
        int[] w = weights(r, 128 * 2, 8, CrossbarEncoding.UNSIGNED);
        int[] x = inputs(r, 128, 8, false);
        long e = exact(w, 128, 2, x)[0];
        double clipped = run(new CrossbarNumerics(g, new AdcModel(5, AdcRange.CLIPPED, 0, 0), device(17))
                .program(w, 128, 2, false, SLOW_NOMINAL), x, 1, 2, 1)[0];
        double full = run(new CrossbarNumerics(g, new AdcModel(5, AdcRange.FULL_SCALE, 0, 0), device(17))
                .program(w, 128, 2, false, SLOW_NOMINAL), x, 1, 2, 1)[0];
        assertThat(Math.abs(full - e)).isLessThan(Math.abs(clipped - e));
        assertThat(full).isCloseTo(e, within(e * 0.1));
    }

    static int[] polarizedWeights(SplittableRandom r, int rows, int cols, int bits, int fragment) {
        int max = (1 << (bits - 1)) - 1;
        int[] w = new int[rows * cols];
        for (int r0 = 0; r0 < rows; r0 += fragment) {
            for (int c = 0; c < cols; c++) {
                int sign = r.nextBoolean() ? 1 : -1;
                for (int row = r0; row < Math.min(rows, r0 + fragment); row++) {
                    w[row * cols + c] = sign * (r.nextInt(4) == 0 ? max : r.nextInt(max + 1));
                }
            }
        }
        return w;
    }

    @Property(tries = 200, seed = "5")
    void polarizedFragmentsAreExactWithALosslessAdcAndMatchTheBitLevelModelWhenClipping(
            @ForAll @IntRange(min = 0, max = 3) int fragmentLog2, @ForAll @IntRange(min = 1, max = 4) int bitsPerCell,
            @ForAll @IntRange(min = 1, max = 80) int rows, @ForAll @IntRange(min = 1, max = 6) int cols,
            @ForAll @IntRange(min = 1, max = 6) int adcBits, @ForAll long seed) {
        int fragment = 1 << fragmentLog2;
        ArrayGeometry g = new ArrayGeometry(16, 16, 8, bitsPerCell, 8, 1, CrossbarEncoding.POLARIZED);
        SplittableRandom r = new SplittableRandom(seed);
        int[] w = polarizedWeights(r, rows, cols, 8, fragment);
        int[] x = inputs(r, rows, 8, false);
        int lossless = ReramDesign.losslessAdcBits(fragment, 1, bitsPerCell, CrossbarEncoding.POLARIZED);
        CrossbarNumerics exactAdc = new CrossbarNumerics(g, new AdcModel(lossless, AdcRange.CLIPPED, 0, 0), device(17), fragment);
        double[] expected = asDoubles(exact(w, rows, cols, x));
        assertThat(asDoubles(exactAdc.bitLevel(w, rows, cols, x, false))).containsExactly(expected);
        assertThat(run(exactAdc.program(w, rows, cols, false, SLOW_NOMINAL), x, 1, cols, 1)).containsExactly(expected);
        // Zero-skipping stops a fragment's cycles once its inputs have no set bit left: nothing changes.
        CrossbarNumerics skipping = new CrossbarNumerics(g, new AdcModel(lossless, AdcRange.CLIPPED, 0, 0), device(17),
                fragment, true);
        assertThat(run(skipping.program(w, rows, cols, false, SLOW_NOMINAL), x, 1, cols, 1)).containsExactly(expected);
        CrossbarNumerics clipping = new CrossbarNumerics(g, new AdcModel(adcBits, AdcRange.CLIPPED, 0, 0), device(17), fragment);
        assertThat(run(clipping.program(w, rows, cols, false, SLOW_NOMINAL), x, 1, cols, 1))
                .containsExactly(asDoubles(clipping.bitLevel(w, rows, cols, x, false)));
    }

    /**
     * Programming variation, stuck-at cells and drift read through ideal converters are linear in the inputs: the
     * folded chip (one effective weight matrix) gives what the cycle-by-cycle path gives, for every encoding, signed
     * inputs and zero-skipping; and ideal converters do not round (a varied chip's outputs are not integers).
     */
    @Property(tries = 60, seed = "19")
    void staticNonIdealitiesThroughIdealConvertersFoldIntoEffectiveWeights(
            @ForAll @IntRange(min = 0, max = 3) int encoding, @ForAll @IntRange(min = 1, max = 300) int rows,
            @ForAll @IntRange(min = 1, max = 40) int cols, @ForAll boolean signedInputs, @ForAll long seed) {
        SignEncoding e = new SignEncoding[] {CrossbarEncoding.OFFSET_UNIT_COLUMN, CrossbarEncoding.DIFFERENTIAL,
                CrossbarEncoding.POLARIZED, CrossbarEncoding.UNSIGNED}[encoding];
        ArrayGeometry g = new ArrayGeometry(64, 64, 8, 2, 8, 1, e);
        SplittableRandom r = new SplittableRandom(seed);
        int[] w = e == CrossbarEncoding.POLARIZED ? polarizedWeights(r, rows, cols, 8, 16) : weights(r, rows * cols, 8, e);
        int positions = 3;
        int[] x = inputs(r, rows * positions, 8, signedInputs);
        DeviceModel d = device(17, 0, 0.01, 0.01, 100, 0.05)
                .withProgramming(new DeviceModel.Variation(DeviceModel.VariationKind.LOGNORMAL, 0.1));
        CrossbarNumerics n = new CrossbarNumerics(g, new AdcModel(8, AdcRange.IDEAL, 0, 0), d,
                e == CrossbarEncoding.POLARIZED ? 16 : 64, e == CrossbarEncoding.POLARIZED);
        ProgrammedLayer folded = n.program(w, rows, cols, signedInputs, new Chip(seed, false, Double.NaN, false));
        ProgrammedLayer cycles = n.program(w, rows, cols, signedInputs, new Chip(seed, false, Double.NaN, true));
        assertThat(folded).isInstanceOf(FoldedCrossbar.class);
        assertThat(cycles).isInstanceOf(AnalogCrossbar.class);
        double[] a = run(folded, x, positions, cols, 1);
        double[] b = run(cycles, x, positions, cols, 1);
        double largest = 1;
        for (double v : b) largest = Math.max(largest, Math.abs(v));
        // float32 column sums on the cycle path, double on the folded one.
        for (int i = 0; i < a.length; i++) assertThat(a[i]).isCloseTo(b[i], within(1e-5 * largest));
        double[] nominal = asDoubles(exact(w, rows, cols, java.util.Arrays.copyOfRange(x, 0, rows)));
        boolean anyFraction = false;
        for (int c = 0; c < cols; c++) anyFraction |= a[c] != Math.rint(a[c]);
        Assume.that(java.util.Arrays.stream(nominal).anyMatch(v -> v != 0));
        assertThat(anyFraction).isTrue();
    }

    /** Read noise or converter errors make a layer nonlinear: it is not folded. */
    @Test
    void readNoiseOrConverterErrorsAreNotFolded() {
        ArrayGeometry g = new ArrayGeometry(64, 64, 8, 2, 8, 1, CrossbarEncoding.OFFSET_UNIT_COLUMN);
        SplittableRandom r = new SplittableRandom(3);
        int[] w = weights(r, 100 * 5, 8, CrossbarEncoding.OFFSET_UNIT_COLUMN);
        Chip chip = new Chip(9, false, Double.NaN, false);
        assertThat(new CrossbarNumerics(g, new AdcModel(8, AdcRange.IDEAL, 0, 0), device(17, 0.01, 0, 0, 1, 0))
                .program(w, 100, 5, false, chip)).isInstanceOf(AnalogCrossbar.class);
        assertThat(new CrossbarNumerics(g, new AdcModel(8, AdcRange.IDEAL, 0.5, 0), device(17))
                .program(w, 100, 5, false, chip)).isInstanceOf(AnalogCrossbar.class);
        DeviceModel varied = device(17).withProgramming(new DeviceModel.Variation(DeviceModel.VariationKind.LOGNORMAL, 0.1));
        assertThat(new CrossbarNumerics(g, new AdcModel(8, AdcRange.CLIPPED, 0, 0), varied)
                .program(w, 100, 5, false, chip)).isInstanceOf(AnalogCrossbar.class);
        assertThat(new CrossbarNumerics(g, new AdcModel(8, AdcRange.IDEAL, 0, 0), varied)
                .program(w, 100, 5, false, chip)).isInstanceOf(FoldedCrossbar.class);
    }

    @Test
    void smallerFragmentsNeedFewerAdcBits() {
        // FORMS's point: a fragment's column sum is small. 2-bit cells, 1-bit inputs: 8 rows need 5 bits, 128 need 9.
        assertThat(ReramDesign.losslessAdcBits(8, 1, 2, CrossbarEncoding.POLARIZED)).isEqualTo(5);
        assertThat(ReramDesign.losslessAdcBits(4, 1, 2, CrossbarEncoding.POLARIZED)).isEqualTo(4);
        assertThat(ReramDesign.losslessAdcBits(128, 1, 2, CrossbarEncoding.POLARIZED)).isEqualTo(9);
    }

    @Test
    void weightsThatMixSignsWithinAFragmentAreRefused() {
        ArrayGeometry g = new ArrayGeometry(8, 8, 8, 2, 8, 1, CrossbarEncoding.POLARIZED);
        CrossbarNumerics n = new CrossbarNumerics(g, new AdcModel(5, AdcRange.CLIPPED, 0, 0), device(17), 4);
        int[] w = {3, -1, 2, 2, 0, 0, 0, 0};          // 8 rows × 1 column: rows 0–3 mix signs
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> n.program(w, 8, 1, false, Chip.asDesigned()))
                .hasMessageContaining("rows 0–3 of column 0 mix signs");
        int[] ok = {3, 1, 0, 2, -4, -1, 0, -7};        // each fragment one sign
        assertThat(n.multiply(ok, 8, 1, new int[] {1, 2, 3, 4, 5, 6, 7, 8}, false))
                .containsExactly(3 + 2 + 8 - 20 - 6 - 56);
    }
}
