package org.abacim.mram;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.abacim.core.analog.ActivityCounter;
import org.abacim.core.analog.Chip;
import org.abacim.core.tech.ArrayGeometry;
import org.abacim.core.tech.ExactProduct;
import org.abacim.core.tech.MvmNumerics;
import org.abacim.core.tech.ProgrammedLayer;

/**
 * The arithmetic of a bit-wise SOT-MRAM engine: weights and inputs as two's-complement bit-planes, and
 * Σ_r w_r·x_r = Σ_i Σ_j s_i·s_j·2^(i+j) · popcount(AND(I_i, W_j)) with s = −1 for each top (sign) bit. A sub-array's
 * bit lines are the matrix rows one read covers: the input plane I_i and the weight plane W_j of one output sit on
 * two word lines, one dual-row read ANDs them on every bit line and the bit-counter counts the ones. A matrix taller
 * than a sub-array is cut into row tiles whose popcounts add. 1-bit weights are ±1 (a 1 is +1): then
 * Σ w·x = 2·Σ_i s_i 2^i popcount(AND(I_i, W)) − Σ x, Σ x being known digitally from the inputs written.
 *
 * <p>Sense-margin errors ({@link SenseMargin}): each sensed bit is wrong with the probability of its pair's state
 * (both cells 1, one, none), drawn per read from the read-noise stream — a popcount gains or loses the flipped bits.
 * With no spread the engine is the exact integer product.
 */
public final class BitwiseNumerics implements MvmNumerics {
    private final ArrayGeometry g;
    private final SenseMargin margin;
    /** P(wrong bit) of an AND read with 2, 1 and 0 of its cells holding 1. */
    private final double p11, p10, p00;

    public BitwiseNumerics(ArrayGeometry geometry, SenseMargin margin) {
        this.g = geometry;
        this.margin = margin;
        this.p11 = margin.errorProbability(SenseMargin.Logic.AND, 2);
        this.p10 = margin.errorProbability(SenseMargin.Logic.AND, 1);
        this.p00 = margin.errorProbability(SenseMargin.Logic.AND, 0);
    }

    public SenseMargin margin() { return margin; }

    @Override
    public MvmNumerics forWeightBits(int bits) {
        return new BitwiseNumerics(g.withWeightBits(bits), margin);
    }

    @Override
    public boolean exact() { return margin.errorFree(); }

    @Override
    public long[] multiply(int[] w, int rows, int cols, int[] x, boolean signedInputs) {
        check(w, rows, cols, x, signedInputs);
        long[] y = new long[cols];
        for (int r = 0; r < rows; r++) {
            long xr = x[r];
            if (xr == 0) continue;
            for (int c = 0; c < cols; c++) y[c] += w[r * cols + c] * xr;
        }
        return y;
    }

    /** The product computed plane by plane through popcounts, without errors (tested equal to the integer product). */
    public long[] bitLevel(int[] w, int rows, int cols, int[] x, boolean signedInputs) {
        check(w, rows, cols, x, signedInputs);
        double[] out = new double[cols];
        new Planes(w, rows, cols, signedInputs, false).multiply(x, 1, out, null, null);
        long[] y = new long[cols];
        for (int c = 0; c < cols; c++) y[c] = (long) out[c];
        return y;
    }

    @Override
    public ProgrammedLayer program(int[] w, int rows, int cols, boolean signedInputs, Chip chip) {
        check(w, rows, cols, new int[rows], signedInputs);
        if (exact() && !chip.everyConversion()) return new ExactProduct(w, rows, cols, g);
        return new Planes(w, rows, cols, signedInputs, !exact());
    }

    private void check(int[] w, int rows, int cols, int[] x, boolean signedInputs) {
        if (w.length != rows * cols || x.length != rows) {
            throw new IllegalArgumentException("weights " + w.length + " and inputs " + x.length + " do not make a "
                    + rows + " × " + cols + " product");
        }
        int n = g.weightBits();
        for (int v : w) {
            boolean ok = n == 1 ? v == 1 || v == -1 : v >= -(1 << (n - 1)) && v < (1 << (n - 1));
            if (!ok) throw new IllegalArgumentException("weight " + v + " outside the " + n + "-bit range"
                    + (n == 1 ? " (1-bit weights are ±1)" : ""));
        }
        int m = g.inputBits();
        for (int v : x) {
            boolean ok = signedInputs ? v >= -(1 << (m - 1)) && v < (1 << (m - 1)) : v >= 0 && v < (1L << m);
            if (!ok) throw new IllegalArgumentException("input " + v + " outside the " + m + "-bit "
                    + (signedInputs ? "signed" : "unsigned") + " range");
        }
    }

    /** A layer's weights as bit-planes, per output, weight bit and row tile (bit lines of one sub-array). */
    private final class Planes implements ProgrammedLayer {
        private final int rows, cols, tiles, words;
        private final boolean signedInputs, errors;
        private final long[][][] weightPlanes; // [c][j] → tile-major words
        private final int[] tileRows;

        Planes(int[] w, int rows, int cols, boolean signedInputs, boolean errors) {
            this.rows = rows;
            this.cols = cols;
            this.signedInputs = signedInputs;
            this.errors = errors;
            int perTile = g.rows();
            this.tiles = (rows + perTile - 1) / perTile;
            this.words = (perTile + 63) / 64;
            this.tileRows = new int[tiles];
            for (int t = 0; t < tiles; t++) tileRows[t] = Math.min(perTile, rows - t * perTile);
            int n = g.weightBits();
            weightPlanes = new long[cols][n][tiles * words];
            for (int r = 0; r < rows; r++) {
                int t = r / perTile;
                int word = t * words + (r % perTile) / 64;
                long bit = 1L << (r % 64);
                for (int c = 0; c < cols; c++) {
                    int v = w[r * cols + c];
                    int code = n == 1 ? (v > 0 ? 1 : 0) : v & ((1 << n) - 1);
                    for (int j = 0; j < n; j++) if (((code >> j) & 1) != 0) weightPlanes[c][j][word] |= bit;
                }
            }
        }

        @Override
        public void multiply(int[] inputs, int positions, double[] out, SplittableRandom readNoise,
                             ActivityCounter activity) {
            int m = g.inputBits();
            int n = g.weightBits();
            int perTile = g.rows();
            long[][] inputPlanes = new long[m][tiles * words];
            for (int p = 0; p < positions; p++) {
                for (long[] plane : inputPlanes) Arrays.fill(plane, 0);
                long sumX = 0;
                for (int r = 0; r < rows; r++) {
                    int v = inputs[p * rows + r];
                    sumX += v;
                    int code = v & (int) ((1L << m) - 1);
                    int word = (r / perTile) * words + (r % perTile) / 64;
                    long bit = 1L << (r % 64);
                    for (int i = 0; i < m; i++) if (((code >> i) & 1) != 0) inputPlanes[i][word] |= bit;
                }
                for (int c = 0; c < cols; c++) {
                    long acc = 0;
                    for (int j = 0; j < n; j++) {
                        long[] wp = weightPlanes[c][j];
                        long signJ = n > 1 && j == n - 1 ? -1 : 1;
                        for (int i = 0; i < m; i++) {
                            long[] xp = inputPlanes[i];
                            long signI = signedInputs && i == m - 1 ? -1 : 1;
                            long count = 0;
                            for (int t = 0; t < tiles; t++) {
                                int ones = 0;
                                int differ = 0;
                                for (int k = t * words; k < (t + 1) * words; k++) {
                                    ones += Long.bitCount(xp[k] & wp[k]);
                                    if (errors) differ += Long.bitCount(xp[k] ^ wp[k]);
                                }
                                if (errors) {
                                    int none = tileRows[t] - ones - differ;
                                    ones += -binomial(ones, p11, readNoise) + binomial(differ, p10, readNoise)
                                            + binomial(none, p00, readNoise);
                                }
                                count += ones;
                            }
                            acc += signI * signJ * (count << (i + j));
                        }
                    }
                    // 1-bit weights are ±1: Σ w·x = 2·Σ_{w=+1} x − Σ x.
                    out[p * cols + c] = n == 1 ? 2 * acc - sumX : acc;
                }
            }
            if (activity != null) ExactProduct.countInputs(inputs, positions, rows, m, 1, activity);
        }
    }

    /** Binomial(n, p) by inversion (n·p small, the usual case) or its normal approximation. */
    static int binomial(int n, double p, SplittableRandom random) {
        if (n == 0 || p <= 0) return 0;
        if (p >= 1) return n;
        double mean = n * p;
        if (mean > 30) {
            double k = Math.rint(mean + Math.sqrt(mean * (1 - p)) * random.nextGaussian());
            return (int) Math.max(0, Math.min(n, k));
        }
        double q = 1 - p;
        double pmf = Math.pow(q, n);
        double cdf = pmf;
        double u = random.nextDouble();
        int k = 0;
        while (u > cdf && k < n) {
            pmf *= (double) (n - k) / (k + 1) * p / q;
            k++;
            cdf += pmf;
        }
        return k;
    }
}
