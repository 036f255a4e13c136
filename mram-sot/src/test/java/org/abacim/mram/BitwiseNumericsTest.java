package org.abacim.mram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.abacim.core.analog.Chip;
import org.abacim.core.tech.ArrayGeometry;
import org.junit.jupiter.api.Test;

/** Σ 2^(i+j) · popcount(AND(I_i, W_j)) is the integer product; sense errors move popcounts as their odds say. */
class BitwiseNumericsTest {
    private static final SenseMargin IDEAL = new SenseMargin(1 / 6e3, 1 / 12e3, 0, 0, 0);

    static long[] exact(int[] w, int rows, int cols, int[] x) {
        long[] y = new long[cols];
        for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) y[c] += (long) w[r * cols + c] * x[r];
        return y;
    }

    @Property(tries = 300, seed = "20261126")
    void bitPlanesAndPopcountsGiveTheExactProduct(
            @ForAll @IntRange(min = 1, max = 200) int bitLines, @ForAll @IntRange(min = 1, max = 8) int weightBits,
            @ForAll @IntRange(min = 1, max = 9) int inputBits, @ForAll boolean signedInputs,
            @ForAll @IntRange(min = 1, max = 300) int rows, @ForAll @IntRange(min = 1, max = 6) int cols,
            @ForAll long seed) {
        ArrayGeometry g = new ArrayGeometry(bitLines, 16, weightBits, 1, inputBits, 1, BitPlaneEncoding.TWOS_COMPLEMENT);
        BitwiseNumerics n = new BitwiseNumerics(g, IDEAL);
        SplittableRandom r = new SplittableRandom(seed);
        int[] w = new int[rows * cols];
        for (int i = 0; i < w.length; i++) {
            // Two's complement range, extremes included; 1-bit weights are ±1.
            w[i] = weightBits == 1 ? (r.nextBoolean() ? 1 : -1) : r.nextInt(1 << weightBits) - (1 << (weightBits - 1));
        }
        int[] x = new int[rows];
        for (int i = 0; i < rows; i++) {
            x[i] = signedInputs ? r.nextInt(1 << inputBits) - (1 << (inputBits - 1)) : r.nextInt(1 << inputBits);
        }
        long[] expected = exact(w, rows, cols, x);
        assertThat(n.exact()).isTrue();
        assertThat(n.bitLevel(w, rows, cols, x, signedInputs)).containsExactly(expected);
        assertThat(n.multiply(w, rows, cols, x, signedInputs)).containsExactly(expected);
    }

    @Test
    void senseErrorsShiftPopcountsByTheirExpectedAmount() {
        // Every weight and input 1: every read is an AND of two ones, lost with probability p11.
        SenseMargin noisy = new SenseMargin(1 / 6e3, 1 / 12e3, 0.1, 0.1, 0);
        double p11 = noisy.errorProbability(SenseMargin.Logic.AND, 2);
        assertThat(p11).isBetween(1e-3, 0.2);
        ArrayGeometry g = new ArrayGeometry(256, 16, 2, 1, 1, 1, BitPlaneEncoding.TWOS_COMPLEMENT);
        BitwiseNumerics n = new BitwiseNumerics(g, noisy);
        int rows = 256;
        int[] w = new int[rows];
        java.util.Arrays.fill(w, 1);
        int[] x = new int[rows];
        java.util.Arrays.fill(x, 1);
        var layer = n.program(w, rows, 1, false, new Chip(1, false, Double.NaN, true));
        SplittableRandom noise = new SplittableRandom(7);
        double sum = 0;
        int reads = 4000;
        double[] out = new double[1];
        for (int t = 0; t < reads; t++) {
            layer.multiply(x, 1, out, noise, null);
            sum += out[0];
        }
        // Weight 1 = bit-plane 0 only (bit 1, the sign plane, is all 0 and ANDs to 0 with p00 ≈ 0).
        double p10 = noisy.errorProbability(SenseMargin.Logic.AND, 1);
        double expected = rows * (1 - p11) - rows * 2 * p10; // the sign plane's false ones count −2 each
        assertThat(sum / reads).isCloseTo(expected, within(4 * Math.sqrt(rows * p11 * (1 - p11) / reads) + 0.05));
        assertThat(sum / reads).isLessThan(rows);
    }

    @Test
    void binomialDrawsHaveTheirMean() {
        SplittableRandom r = new SplittableRandom(3);
        for (double p : new double[] {1e-4, 0.01, 0.3}) {
            double sum = 0;
            for (int t = 0; t < 20_000; t++) sum += BitwiseNumerics.binomial(512, p, r);
            assertThat(sum / 20_000).as("p = " + p).isCloseTo(512 * p, within(4 * Math.sqrt(512 * p / 20_000) + 1e-3));
        }
        assertThat(BitwiseNumerics.binomial(0, 0.5, r)).isZero();
        assertThat(BitwiseNumerics.binomial(10, 0, r)).isZero();
    }

    @Test
    void outOfRangeOperandsAreRefused() {
        ArrayGeometry g = new ArrayGeometry(8, 8, 2, 1, 4, 1, BitPlaneEncoding.TWOS_COMPLEMENT);
        BitwiseNumerics n = new BitwiseNumerics(g, IDEAL);
        assertThatThrownBy(() -> n.multiply(new int[] {2}, 1, 1, new int[] {1}, false)).hasMessageContaining("weight 2 outside");
        assertThatThrownBy(() -> n.multiply(new int[] {1}, 1, 1, new int[] {16}, false)).hasMessageContaining("input 16 outside");
        BitwiseNumerics binary = (BitwiseNumerics) n.forWeightBits(1);
        assertThatThrownBy(() -> binary.multiply(new int[] {0}, 1, 1, new int[] {1}, false)).hasMessageContaining("±1");
    }
}
