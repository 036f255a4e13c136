package org.abacim.reram;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RowChunkSumsTest {

    /**
     * Each column sum equals Σ_r d_r·cells[r][c] (d² for variances) to float32 rounding, for 1-, 2-, 3- and 5-bit
     * digits (tabulated chunks of 4, 2 and 1 rows, and row by row), a last row block of odd size and widths that
     * are not a multiple of the column tile.
     */
    @ParameterizedTest
    @CsvSource({"1, 128, 300, false", "1, 37, 5, false", "2, 61, 260, true", "3, 17, 9, false", "5, 23, 11, true"})
    void sumsAreTheDigitWeightedRowSums(int digitBits, int rows, int width, boolean squared) {
        SplittableRandom random = new SplittableRandom(digitBits * 1000L + rows);
        float[] cells = cells(rows, width, random);
        RowChunkSums sums = new RowChunkSums(rows, width, digitBits, cells, squared);
        int cycles = 3, positions = 7;
        int[] inputs = inputs(positions, rows, digitBits * cycles, random);
        float[][] out = run(sums, inputs, cycles, positions, digitBits);
        int mask = (1 << digitBits) - 1;
        for (int t = 0; t < cycles; t++) {
            for (int p = 0; p < positions; p++) {
                for (int c = 0; c < width; c++) {
                    double exact = 0, magnitude = 0;
                    for (int r = 0; r < rows; r++) {
                        int d = (inputs[p * rows + r] >> (t * digitBits)) & mask;
                        double w = squared ? (double) d * d : d;
                        exact += w * cells[r * width + c];
                        magnitude += Math.abs(w * cells[r * width + c]);
                    }
                    // float32 additions, one per chunk: a relative error of at most rows · 2⁻²⁴ of the magnitudes.
                    assertEquals(exact, out[t][p * width + c], magnitude * rows * 0x1p-24 + 1e-30,
                            "cycle " + t + ", position " + p + ", column " + c);
                }
            }
        }
    }

    /**
     * A vector's sums do not depend on the other vectors of the call: each position alone, and with its cycles in
     * another call, gives the same bits as all of them together (what makes results independent of tiles and
     * threads): alone, a call has few enough vectors to make its entries as it goes rather than tabulate them, so
     * this also checks the two ways give the same bits. All-zero vectors sum to exactly zero.
     */
    @ParameterizedTest
    @CsvSource({"1, 128, 520", "2, 64, 129"})
    void aVectorsSumsDoNotDependOnTheOtherVectors(int digitBits, int rows, int width) {
        SplittableRandom random = new SplittableRandom(7);
        float[] cells = cells(rows, width, random);
        RowChunkSums sums = new RowChunkSums(rows, width, digitBits, cells, false);
        int cycles = 4, positions = 9;
        int[] inputs = inputs(positions, rows, digitBits * cycles, random);
        for (int r = 0; r < rows; r++) inputs[4 * rows + r] = 0; // one position drives no row
        float[][] together = run(sums, inputs, cycles, positions, digitBits);
        for (int p = 0; p < positions; p++) {
            int[] one = new int[rows];
            System.arraycopy(inputs, p * rows, one, 0, rows);
            float[][] alone = run(sums, one, cycles, 1, digitBits);
            for (int t = 0; t < cycles; t++) {
                float[] expected = new float[width];
                System.arraycopy(together[t], p * width, expected, 0, width);
                assertArrayEquals(expected, alone[t], "position " + p + ", cycle " + t);
            }
        }
        for (int t = 0; t < cycles; t++) {
            for (int c = 0; c < width; c++) assertEquals(0f, together[t][4 * width + c]);
        }
    }

    /**
     * The indices of all cycles of a position at once equal those made cycle by cycle (1-bit digits in chunks of four
     * rows, with a short last chunk; 2-bit digits), and codes made with the sums (those of a position with no digit set
     * converted once per column tile) equal the sums converted afterwards:
     * min(top, max(0, (int) (sum · gain + offset + ½))) in float32, column by column.
     */
    @ParameterizedTest
    @CsvSource({"1, 37, 300", "1, 128, 40", "2, 61, 260"})
    void indicesOfAllCyclesAndCodesMadeWithTheSumsAreTheSameAsOneByOne(int digitBits, int rows, int width) {
        SplittableRandom random = new SplittableRandom(11);
        float[] cells = cells(rows, width, random);
        RowChunkSums sums = new RowChunkSums(rows, width, digitBits, cells, false);
        int cycles = 8 / digitBits, positions = 5;
        int[] inputs = inputs(positions, rows, 8, random);
        for (int i = 0; i < rows; i++) inputs[i] = -inputs[i]; // a sign cycle's two's complement
        for (int i = 2 * rows; i < 3 * rows; i++) inputs[i] = 0; // a position with no digit set: the zero sums' codes
        int[] byCycle = new int[cycles * positions * sums.chunks()];
        int[] allCycles = new int[byCycle.length];
        for (int p = 0; p < positions; p++) {
            for (int t = 0; t < cycles; t++) {
                sums.index(inputs, p * rows, t * digitBits, byCycle, (t * positions + p) * sums.chunks());
            }
            sums.indexCycles(inputs, p * rows, cycles, positions, p, allCycles);
        }
        assertArrayEquals(byCycle, allCycles);

        float[] gain = new float[width], offset = new float[width];
        for (int c = 0; c < width; c++) {
            gain[c] = (float) (random.nextDouble(0.9, 1.1) / 3);
            offset[c] = (float) (random.nextGaussian() * 0.5 + 0.5);
        }
        int top = 63;
        float[][] sumsOut = new float[cycles][positions * width];
        float[][] codesOut = new float[cycles][positions * width];
        sums.columnSums(byCycle, cycles, positions, sumsOut, sums.scratch());
        sums.columnSums(byCycle, cycles, positions, codesOut, sums.scratch(), new RowChunkSums.Codes(gain, offset, top));
        for (int t = 0; t < cycles; t++) {
            for (int i = 0; i < positions * width; i++) {
                int c = i % width;
                assertEquals(Math.min(top, Math.max(0, (int) (sumsOut[t][i] * gain[c] + offset[c]))), codesOut[t][i],
                        "cycle " + t + ", value " + i);
            }
        }
    }

    private static float[][] run(RowChunkSums sums, int[] inputs, int cycles, int positions, int digitBits) {
        int rows = inputs.length / positions;
        int[] index = new int[cycles * positions * sums.chunks()];
        for (int t = 0; t < cycles; t++) {
            for (int p = 0; p < positions; p++) {
                sums.index(inputs, p * rows, t * digitBits, index, (t * positions + p) * sums.chunks());
            }
        }
        float[][] out = new float[cycles][positions * sums.width()];
        sums.columnSums(index, cycles, positions, out, sums.scratch());
        return out;
    }

    private static float[] cells(int rows, int width, SplittableRandom random) {
        float[] cells = new float[rows * width];
        // Conductances above G_min in level steps, some below it (negative) as variation makes them.
        for (int i = 0; i < cells.length; i++) cells[i] = (float) (random.nextDouble(-0.3, 3.5));
        return cells;
    }

    private static int[] inputs(int positions, int rows, int bits, SplittableRandom random) {
        int[] inputs = new int[positions * rows];
        // Sparse, as ReLU outputs are: half the inputs zero.
        for (int i = 0; i < inputs.length; i++) inputs[i] = random.nextBoolean() ? 0 : random.nextInt(1 << bits);
        return inputs;
    }
}
