package org.abacim.reram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.abacim.core.tech.ArrayGeometry;
import org.abacim.core.tech.SignEncoding;
import org.junit.jupiter.api.Test;

/** With ideal cells and a lossless ADC the crossbar arithmetic is the exact integer product (issue #5, item 4). */
class CrossbarNumericsTest {
    @Provide
    Arbitrary<SignEncoding> encodings() {
        return Arbitraries.of(CrossbarEncoding.OFFSET_UNIT_COLUMN, CrossbarEncoding.DIFFERENTIAL, CrossbarEncoding.UNSIGNED);
    }

    static long[] exact(int[] w, int rows, int cols, int[] x) {
        long[] y = new long[cols];
        for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) y[c] += (long) w[r * cols + c] * x[r];
        return y;
    }

    static int[] weights(SplittableRandom r, int n, int bits, SignEncoding e) {
        int max = e == CrossbarEncoding.UNSIGNED ? (1 << bits) - 1 : (1 << (bits - 1)) - 1;
        int min = e == CrossbarEncoding.UNSIGNED ? 0 : e == CrossbarEncoding.OFFSET_UNIT_COLUMN ? -max - 1 : -max;
        int[] w = new int[n];
        // Mix uniform values with extremes, where encodings and ADCs are most likely to go wrong.
        for (int i = 0; i < n; i++) w[i] = r.nextInt(4) == 0 ? (r.nextBoolean() ? max : min) : min + r.nextInt(max - min + 1);
        return w;
    }

    static int[] inputs(SplittableRandom r, int n, int bits, boolean signed) {
        int[] x = new int[n];
        for (int i = 0; i < n; i++) {
            x[i] = signed ? r.nextInt(1 << bits) - (1 << (bits - 1)) : r.nextInt(4) == 0 ? (1 << bits) - 1 : r.nextInt(1 << bits);
        }
        return x;
    }

    @Property(tries = 400, seed = "20261125")
    void losslessAdcGivesTheExactIntegerProduct(
            @ForAll @IntRange(min = 1, max = 40) int arrayRows, @ForAll @IntRange(min = 1, max = 12) int arrayCols,
            @ForAll @IntRange(min = 2, max = 9) int weightBits, @ForAll @IntRange(min = 1, max = 4) int bitsPerCell,
            @ForAll @IntRange(min = 1, max = 3) int dacBits, @ForAll @IntRange(min = 1, max = 8) int inputBits,
            @ForAll("encodings") SignEncoding encoding, @ForAll @IntRange(min = 1, max = 90) int rows,
            @ForAll @IntRange(min = 1, max = 7) int cols, @ForAll long seed) {
        Assume.that(dacBits <= inputBits);
        Assume.that(arrayCols >= (weightBits + bitsPerCell - 1) / bitsPerCell);
        ArrayGeometry g = new ArrayGeometry(arrayRows, arrayCols, weightBits, bitsPerCell, inputBits, dacBits, encoding);
        CrossbarNumerics n = new CrossbarNumerics(g, ReramDesign.losslessAdcBits(arrayRows, dacBits, bitsPerCell, encoding));
        SplittableRandom r = new SplittableRandom(seed);
        int[] w = weights(r, rows * cols, weightBits, encoding);
        int[] x = inputs(r, rows, inputBits, false);
        long[] expected = exact(w, rows, cols, x);
        assertThat(n.exact()).isTrue();
        assertThat(n.bitLevel(w, rows, cols, x, false)).containsExactly(expected);
        assertThat(n.multiply(w, rows, cols, x, false)).containsExactly(expected);
    }

    @Property(tries = 150, seed = "7")
    void signedInputsUseIsaacsSignCycle(@ForAll @IntRange(min = 1, max = 64) int arrayRows,
                                        @ForAll @IntRange(min = 2, max = 16) int inputBits,
                                        @ForAll @IntRange(min = 1, max = 100) int rows, @ForAll long seed) {
        ArrayGeometry g = new ArrayGeometry(arrayRows, 16, 16, 2, inputBits, 1, CrossbarEncoding.OFFSET_UNIT_COLUMN);
        CrossbarNumerics n = new CrossbarNumerics(g, ReramDesign.losslessAdcBits(arrayRows, 1, 2, CrossbarEncoding.OFFSET_UNIT_COLUMN));
        SplittableRandom r = new SplittableRandom(seed);
        int[] w = weights(r, rows * 2, 16, CrossbarEncoding.OFFSET_UNIT_COLUMN);
        int[] x = inputs(r, rows, inputBits, true);
        assertThat(n.bitLevel(w, rows, 2, x, true)).containsExactly(exact(w, rows, 2, x));
    }

    @Test
    void isaacGeometryIsExactWithItsEightBitAdc() {
        ReramDesign isaac = Presets.load("isaac");
        var n = isaac.numerics().orElseThrow();
        assertThat(n.exact()).isTrue();
        SplittableRandom r = new SplittableRandom(1);
        int[] w = weights(r, 300 * 20, 16, CrossbarEncoding.OFFSET_UNIT_COLUMN);
        int[] x = inputs(r, 300, 16, false);
        assertThat(((CrossbarNumerics) n).bitLevel(w, 300, 20, x, false)).containsExactly(exact(w, 300, 20, x));
    }

    @Test
    void aTooSmallAdcClipsColumnSums() {
        ArrayGeometry g = new ArrayGeometry(64, 8, 8, 2, 8, 1, CrossbarEncoding.DIFFERENTIAL);
        CrossbarNumerics fourBits = new CrossbarNumerics(g, 4);
        assertThat(fourBits.exact()).isFalse();
        int[] w = new int[64 * 2];
        java.util.Arrays.fill(w, 127);
        int[] x = new int[64];
        java.util.Arrays.fill(x, 255);
        long[] y = fourBits.multiply(w, 64, 2, x, false);
        // Every column sum of 64 maximal cells saturates at 15: far below the true 64 · 127 · 255.
        assertThat(y[0]).isLessThan(exact(w, 64, 2, x)[0] / 4).isPositive();
    }

    @Test
    void narrowerWeightsTakeFewerSlicesAndStayExact() {
        ArrayGeometry g = new ArrayGeometry(32, 32, 8, 4, 8, 1, CrossbarEncoding.DIFFERENTIAL);
        CrossbarNumerics eight = new CrossbarNumerics(g, ReramDesign.losslessAdcBits(32, 1, 4, CrossbarEncoding.DIFFERENTIAL));
        CrossbarNumerics four = (CrossbarNumerics) eight.forWeightBits(4);
        SplittableRandom r = new SplittableRandom(9);
        int[] w = weights(r, 32 * 8, 4, CrossbarEncoding.DIFFERENTIAL);
        int[] x = inputs(r, 32, 8, false);
        assertThat(four.bitLevel(w, 32, 8, x, false)).containsExactly(exact(w, 32, 8, x));
        assertThat(four.exact()).isTrue();
        // A 4-bit layer holds levels ±7 only.
        assertThatThrownBy(() -> four.multiply(new int[] {8}, 1, 1, new int[] {1}, false)).hasMessageContaining("weight 8 outside");
    }

    @Test
    void outOfRangeOperandsAreRefused() {
        ArrayGeometry g = new ArrayGeometry(8, 8, 4, 2, 4, 2, CrossbarEncoding.DIFFERENTIAL);
        CrossbarNumerics n = new CrossbarNumerics(g, 8);
        assertThatThrownBy(() -> n.multiply(new int[] {8}, 1, 1, new int[] {1}, false)).hasMessageContaining("weight 8 outside");
        assertThatThrownBy(() -> n.multiply(new int[] {1}, 1, 1, new int[] {16}, false)).hasMessageContaining("input 16 outside");
        assertThatThrownBy(() -> n.multiply(new int[] {1}, 1, 1, new int[] {1}, true)).hasMessageContaining("signed inputs need 1-bit DACs");
    }
}
