package org.abacim.core.exec;

import java.util.SplittableRandom;
import org.abacim.core.analog.ActivityCounter;
import org.abacim.core.tech.ProgrammedLayer;
import org.abacim.core.tensor.MatrixProducts;

/**
 * A chip's layer in the statistical accuracy mode: one float32 product by the layer's folded weights (its static
 * non-idealities: programming variation, faults, drift — {@link ProgrammedLayer#foldedWeights}), then per output
 * channel the error its converters and reads made on calibration images, as a fitted model:
 * {@code out = y + a + b·y + σ·z}, y the folded product, a and b a least-squares line of the bit-serial path's error
 * (actual − y) against y, σ the standard deviation of what the line leaves, z a standard normal drawn per output from
 * the pass's stream (seeded by chip and image). What it does not model: an error's dependence on anything but y
 * (which digits were set, saturation as a threshold), correlations between outputs.
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

    StatisticalLayer(MatrixProducts.FloatMatrix weights, int rows, int cols, double[] gain, double[] offset, double[] sigma) {
        this.weights = weights;
        this.rows = rows;
        this.cols = cols;
        this.gain = gain;
        this.offset = offset;
        this.sigma = sigma;
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
        for (int p = 0, i = 0; p < positions; p++) {
            for (int c = 0; c < cols; c++, i++) out[i] = out[i] * gain[c] + offset[c] + sigma[c] * noise.nextGaussian();
        }
    }

    /** Sums of one layer's calibration: per output channel, the folded product y against the bit-serial error e. */
    static final class Fit {
        final MatrixProducts.FloatMatrix weights;
        final int rows;
        final int cols;
        // per channel: n, Σy, Σy², Σe, Σe·y, Σe²
        final double[][] sums;

        Fit(MatrixProducts.FloatMatrix weights, int rows, int cols) {
            this.weights = weights;
            this.rows = rows;
            this.cols = cols;
            this.sums = new double[6][cols];
        }

        Fit empty() {
            return new Fit(weights, rows, cols);
        }

        /** Adds one product: {@code columns} [rows × positions], the path's outputs {@code actual} [positions × cols]. */
        void add(float[] columns, int positions, double[] actual) {
            double[] y = new double[positions * cols];
            MatrixProducts.installed().sgemmTransA(positions, columns, weights, y);
            for (int p = 0, i = 0; p < positions; p++) {
                for (int c = 0; c < cols; c++, i++) {
                    double e = actual[i] - y[i];
                    sums[0][c]++;
                    sums[1][c] += y[i];
                    sums[2][c] += y[i] * y[i];
                    sums[3][c] += e;
                    sums[4][c] += e * y[i];
                    sums[5][c] += e * e;
                }
            }
        }

        void merge(Fit other) {
            for (int k = 0; k < 6; k++) for (int c = 0; c < cols; c++) sums[k][c] += other.sums[k][c];
        }

        StatisticalLayer layer() {
            double[] pooled = new double[6];
            for (int k = 0; k < 6; k++) for (int c = 0; c < cols; c++) pooled[k] += sums[k][c];
            double[] gain = new double[cols], offset = new double[cols], sigma = new double[cols];
            double[] s = new double[6];
            for (int c = 0; c < cols; c++) {
                for (int k = 0; k < 6; k++) s[k] = sums[k][c];
                double[] m = line(s[0] >= MIN_PER_CHANNEL ? s : pooled);
                gain[c] = 1 + m[0];
                offset[c] = m[1];
                sigma[c] = m[2];
            }
            return new StatisticalLayer(weights, rows, cols, gain, offset, sigma);
        }

        /** {b, a, σ} of e ≈ a + b·y from the sums. */
        private static double[] line(double[] s) {
            double n = s[0];
            if (n == 0) return new double[] {0, 0, 0};
            double my = s[1] / n, me = s[3] / n;
            double vy = s[2] / n - my * my;
            double cov = s[4] / n - me * my;
            double ve = s[5] / n - me * me;
            double b = vy > 1e-12 * Math.max(1, my * my) ? cov / vy : 0;
            double a = me - b * my;
            double residual = Math.max(0, ve - b * cov);
            return new double[] {b, a, Math.sqrt(residual * n / Math.max(1, n - 2))};
        }
    }
}
