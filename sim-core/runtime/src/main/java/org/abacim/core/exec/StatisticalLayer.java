package org.abacim.core.exec;

import java.util.SplittableRandom;
import org.abacim.core.analog.ActivityCounter;
import org.abacim.core.tech.ProgrammedLayer;
import org.abacim.core.tensor.MatrixProducts;
import java.util.Arrays;

/**
 * A chip's layer in the statistical accuracy mode: one float32 product by the layer's folded weights (its static
 * non-idealities: programming variation, faults, drift — {@link ProgrammedLayer#foldedWeights}), then per output
 * channel the error its converters and reads made on calibration images, as a fitted model:
 * {@code out = y + a + b·y + σ·√v·z}. y is the folded product; v the position's conversion weight, 1 + Σ over
 * its row blocks and input cycles whose digits are not all zero of 4^(cycle's bit position) — a conversion of a zero
 * sum is exact, and the others' rounding errors are independent with the square of their cycle's significance as
 * weight, so the error's variance grows with v, which the inputs decide; a, b and σ² a least-squares line of the
 * bit-serial path's error (actual − y) against y weighted by 1/v and the weighted mean square of what it leaves; z a
 * standard normal drawn per output from the pass's stream (seeded by chip and image). What it does not model:
 * an error's dependence on more than y and v (saturation as a threshold, which digits were set), correlations
 * between outputs.
 */
public final class StatisticalLayer implements ProgrammedLayer {
    /** Fewer calibration positions than this per output channel: the layer's pooled fit for every channel. */
    static final int MIN_PER_CHANNEL = 64;

    private final MatrixProducts.FloatMatrix weights;
    private final int rows;
    private final int cols;
    private final double[] gain;   // 1 + b
    private final double[] offset; // a
    private final double[] sigma;
    private final Cycles cycles;

    StatisticalLayer(MatrixProducts.FloatMatrix weights, int rows, int cols, double[] gain, double[] offset, double[] sigma,
                     Cycles cycles) {
        this.weights = weights;
        this.rows = rows;
        this.cols = cols;
        this.gain = gain;
        this.offset = offset;
        this.sigma = sigma;
        this.cycles = cycles;
    }

    /**
     * How inputs are applied: rows converted together, input bits and bits per cycle (null: not bit-serial by rows,
     * every position's weight is 1).
     */
    record Cycles(int blockRows, int inputBits, int dacBits) {
        /** Per position, v = 1 + Σ_blocks Σ_cycles with a set digit 4^(cycle · dacBits), from im2col columns. */
        double[] weights(float[] columns, int rows, int positions) {
            double[] v = new double[positions];
            Arrays.fill(v, 1);
            int mask = (1 << dacBits) - 1;
            long inputMask = inputBits >= 32 ? 0xFFFF_FFFFL : (1L << inputBits) - 1;
            int cycles = (inputBits + dacBits - 1) / dacBits;
            long[] or = new long[positions];
            for (int r0 = 0; r0 < rows; r0 += blockRows) {
                Arrays.fill(or, 0);
                for (int r = r0, end = Math.min(rows, r0 + blockRows); r < end; r++) {
                    for (int p = 0, at = r * positions; p < positions; p++) or[p] |= ((long) (int) columns[at + p]) & inputMask;
                }
                for (int p = 0; p < positions; p++) {
                    if (or[p] == 0) continue;
                    for (int t = 0; t < cycles; t++) {
                        if (((or[p] >>> (t * dacBits)) & mask) != 0) v[p] += Math.scalb(1.0, 2 * t * dacBits);
                    }
                }
            }
            return v;
        }
    }

    private double[] positionWeights(float[] columns, int positions) {
        if (cycles == null) {
            double[] v = new double[positions];
            Arrays.fill(v, 1);
            return v;
        }
        return cycles.weights(columns, rows, positions);
    }

    /** The fitted error model per output channel: {gain 1 + b, offset a, σ}. */
    public double[][] model() {
        return new double[][] {gain.clone(), offset.clone(), sigma.clone()};
    }

    @Override
    public void multiply(int[] inputs, int positions, double[] out, SplittableRandom readNoise, ActivityCounter activity) {
        float[] columns = new float[positions * rows];
        for (int p = 0; p < positions; p++) {
            for (int r = 0; r < rows; r++) columns[r * positions + p] = inputs[p * rows + r];
        }
        multiplyColumns(columns, positions, out, readNoise);
    }

    /** {@code out} [positions × cols] from im2col {@code columns} [rows × positions], noise from {@code noise}. */
    void multiplyColumns(float[] columns, int positions, double[] out, SplittableRandom noise) {
        MatrixProducts.installed().sgemmTransA(positions, columns, weights, out);
        double[] v = positionWeights(columns, positions);
        for (int p = 0, i = 0; p < positions; p++) {
            double spread = Math.sqrt(v[p]);
            for (int c = 0; c < cols; c++, i++) out[i] = out[i] * gain[c] + offset[c] + spread * sigma[c] * noise.nextGaussian();
        }
    }

    /** Sums of one layer's calibration: per output channel, the folded product y against the bit-serial error e. */
    static final class Fit {
        final MatrixProducts.FloatMatrix weights;
        final int rows;
        final int cols;
        final Cycles cycles;
        // per channel, each term weighted by 1/v: Σw, Σwy, Σwy², Σwe, Σwe·y, Σwe², and the count n
        final double[][] sums;

        Fit(MatrixProducts.FloatMatrix weights, int rows, int cols, Cycles cycles) {
            this.weights = weights;
            this.rows = rows;
            this.cols = cols;
            this.cycles = cycles;
            this.sums = new double[7][cols];
        }

        Fit empty() {
            return new Fit(weights, rows, cols, cycles);
        }

        /** Adds one product: {@code columns} [rows × positions], the path's outputs {@code actual} [positions × cols]. */
        void add(float[] columns, int positions, double[] actual) {
            double[] y = new double[positions * cols];
            MatrixProducts.installed().sgemmTransA(positions, columns, weights, y);
            double[] v = cycles == null ? null : cycles.weights(columns, rows, positions);
            for (int p = 0, i = 0; p < positions; p++) {
                double w = v == null ? 1 : 1 / v[p];
                for (int c = 0; c < cols; c++, i++) {
                    double e = actual[i] - y[i];
                    sums[0][c] += w;
                    sums[1][c] += w * y[i];
                    sums[2][c] += w * y[i] * y[i];
                    sums[3][c] += w * e;
                    sums[4][c] += w * e * y[i];
                    sums[5][c] += w * e * e;
                    sums[6][c]++;
                }
            }
        }

        void merge(Fit other) {
            for (int k = 0; k < 7; k++) for (int c = 0; c < cols; c++) sums[k][c] += other.sums[k][c];
        }

        StatisticalLayer layer() {
            double[] pooled = new double[7];
            for (int k = 0; k < 7; k++) for (int c = 0; c < cols; c++) pooled[k] += sums[k][c];
            double[] gain = new double[cols], offset = new double[cols], sigma = new double[cols];
            double[] s = new double[7];
            for (int c = 0; c < cols; c++) {
                for (int k = 0; k < 7; k++) s[k] = sums[k][c];
                double[] m = line(s[6] >= MIN_PER_CHANNEL ? s : pooled);
                gain[c] = 1 + m[0];
                offset[c] = m[1];
                sigma[c] = m[2];
            }
            return new StatisticalLayer(weights, rows, cols, gain, offset, sigma, cycles);
        }

        /** {b, a, σ} of e ≈ a + b·y from the weighted sums (σ per unit of v). */
        private static double[] line(double[] s) {
            double n = s[0];
            if (n == 0) return new double[] {0, 0, 0};
            double count = s[6];
            double my = s[1] / n, me = s[3] / n;
            double vy = s[2] / n - my * my;
            double cov = s[4] / n - me * my;
            double ve = s[5] / n - me * me;
            double b = vy > 1e-12 * Math.max(1, my * my) ? cov / vy : 0;
            double a = me - b * my;
            double residual = Math.max(0, ve - b * cov);
            // Σw·r² ≈ σ²·count when r² ≈ σ²·v: σ per unit of v.
            return new double[] {b, a, Math.sqrt(residual * n / Math.max(1, count - 2))};
        }
    }
}
