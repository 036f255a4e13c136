package org.abacim.sram;

import java.util.Arrays;
import java.util.Optional;
import java.util.SplittableRandom;
import org.abacim.core.analog.ActivityCounter;
import org.abacim.core.analog.AdcRange;
import org.abacim.core.analog.Chip;
import org.abacim.core.analog.Streams;
import org.abacim.core.tech.ArrayGeometry;
import org.abacim.core.tech.ExactProduct;
import org.abacim.core.tech.MvmNumerics;
import org.abacim.core.tech.ProgrammedLayer;

/**
 * The arithmetic of a charge-domain SRAM macro. Per sub-array (the rows computing together) and input slice, each
 * weight's column sum Σ w·d is formed as charge — every active row injects its input slice d as charge onto the MAC
 * capacitors of the weight's cells, binary-weighted across the weight's columns (the top bit negative in two's
 * complement; positive and negative cells subtracted for paired cells) — and converted once by a signed ADC of
 * {@code adcBits}: codes −(2^(n−1)−1) … 2^(n−1)−1, one code per {@code lsb} of column sum. Slices are shifted and
 * sub-arrays added digitally. With a lossless ADC and ideal analog parts the result is the exact integer product.
 *
 * <p>Signed inputs (two's complement of {@code inputBits} m) take a sign cycle, as ISAAC's inputs take their last
 * cycle: x = u − 2^m·s with u = x mod 2^m applied in the usual slices and s = 1 where x &lt; 0, so Σ w·x =
 * Σ w·u − 2^m·Σ w·s. The sign cycle is one more MAC cycle per sub-array: the DAC injects one step where s = 1, the
 * same ADC converts, and the result is shifted by m and subtracted digitally. Every multiply of a signed layer runs
 * it (the macro's schedule is fixed; it skips nothing), and the cycles run are counted per sub-array read
 * ({@link ActivityCounter#arrayCycles}) for the cost model.
 *
 * <p>On a simulated chip ({@link #program}): each capacitor's mismatch scales its cell's share of the charge (drawn
 * once per chip); the charge-injection DAC bows by {@code injectionNonlinearity} input steps at mid-scale; each ADC
 * has an offset, a gain error and an INL bow of its own (drawn per chip; offset and gain removed by the two-step
 * calibration) and comparator noise on every conversion.
 */
public final class ChargeDomainNumerics implements MvmNumerics {
    private final ArrayGeometry g;
    private final int adcBits;
    private final long codeMax;
    private final long losslessMax;
    private final AdcRange range;
    private final CapRamParams.AnalogParams analog;

    public ChargeDomainNumerics(ArrayGeometry geometry, int adcBits, AdcRange range, CapRamParams.AnalogParams analog) {
        this.g = geometry;
        this.adcBits = adcBits;
        this.codeMax = (1L << (adcBits - 1)) - 1;
        this.range = range;
        this.analog = analog;
        this.losslessMax = maxColumnSum(geometry);
    }

    /** The largest |Σ w·d| one conversion can see: all active rows at the top input digit and the largest weight. */
    static long maxColumnSum(ArrayGeometry g) {
        long dMax = (1L << g.dacBits()) - 1;
        long wMax = g.signEncoding() == ChargeEncoding.PAIRED_CELLS ? (1L << (g.weightBits() - 1)) - 1
                : g.weightBits() == 1 ? 1 : 1L << (g.weightBits() - 1);
        return g.rows() * dMax * wMax;
    }

    private boolean lossless() {
        return codeMax >= losslessMax;
    }

    @Override
    public boolean exact() {
        return lossless() && analog.ideal();
    }

    /**
     * None: the macro skips no cycle, so zero-skipping cycles mean nothing here; the MAC cycles it does run (the
     * input slices and a signed layer's sign cycle) are counted by the arrays themselves.
     */
    @Override
    public Optional<CycleShape> cycleShape() {
        return Optional.empty();
    }

    /** MAC cycles one sub-array multiply takes: the input slices, and the sign cycle for signed inputs. */
    int macCycles(boolean signedInputs) {
        return g.inputCycles() + (signedInputs ? 1 : 0);
    }

    /** Adds {@code positions} multiplies of a {@code rows}-row matrix: each sub-array read and the cycles it ran. */
    private void countCycles(ActivityCounter a, int positions, int rows, boolean signedInputs) {
        long reads = (long) positions * ((rows + g.rows() - 1) / g.rows());
        int cycles = macCycles(signedInputs);
        a.arrayReads += reads;
        a.arrayCycles += reads * cycles;
        // A conversion group is the whole sub-array: every column converts on every cycle.
        a.groups += reads;
        a.groupCycles += reads * cycles;
    }

    /** Counts the sign cycle's digits (one per row, set where the input is negative) for inputs not simulated. */
    private static void countSignDigits(int[] inputs, int positions, int rows, ActivityCounter a) {
        for (int i = 0; i < positions * rows; i++) if (inputs[i] < 0) a.nonZeroDigits++;
        a.digits += (long) positions * rows;
    }

    /**
     * Weight range of the encoding: two's complement (1 bit: ±1) or sign and magnitude in paired cells; inputs
     * of {@code inputBits}, two's complement when signed.
     */
    private void check(int[] w, int rows, int cols, int[] x, boolean signedInputs) {
        if (w.length != rows * cols) throw new IllegalArgumentException("weights " + w.length + " for " + rows + "×" + cols);
        int b = g.weightBits();
        long lo;
        long hi;
        if (g.signEncoding() == ChargeEncoding.PAIRED_CELLS) {
            hi = (1L << (b - 1)) - 1;
            lo = -hi;
        } else if (b == 1) {
            hi = 1;
            lo = -1;
        } else {
            hi = (1L << (b - 1)) - 1;
            lo = -(1L << (b - 1));
        }
        for (int v : w) {
            if (v < lo || v > hi || (b == 1 && g.signEncoding() == ChargeEncoding.TWOS_COMPLEMENT && v == 0)) {
                throw new IllegalArgumentException("weight " + v + " does not fit " + b + "-bit " + g.signEncoding()
                        + " weights (" + (b == 1 ? "±1" : lo + " … " + hi) + ")");
            }
        }
        long xMin = signedInputs ? -(1L << (g.inputBits() - 1)) : 0;
        long xMax = signedInputs ? (1L << (g.inputBits() - 1)) - 1 : (1L << g.inputBits()) - 1;
        for (int v : x) {
            if (v < xMin || v > xMax) {
                throw new IllegalArgumentException("input " + v + " outside " + xMin + " … " + xMax + " ("
                        + g.inputBits() + "-bit " + (signedInputs ? "signed" : "unsigned") + " inputs)");
            }
        }
    }

    /** One code per lsb of column sum: 1 when the codes reach the largest sum, else spread or calibrated. */
    private double lsb(double fullScale) {
        return switch (range) {
            case CLIPPED -> 1;
            case FULL_SCALE -> Math.max(1, (double) losslessMax / codeMax);
            case CALIBRATED -> Math.max(1, (Double.isFinite(fullScale) ? fullScale : losslessMax) / codeMax);
            case IDEAL -> 1;
        };
    }

    private long code(double sum, double lsb) {
        if (range == AdcRange.IDEAL) return Math.round(sum / lsb); // integer sums pass whole, unclipped
        return Math.max(-codeMax, Math.min(codeMax, Math.round(sum / lsb)));
    }

    @Override
    public long[] multiply(int[] w, int rows, int cols, int[] x, boolean signedInputs) {
        check(w, rows, cols, x, signedInputs);
        long[] y = new long[cols];
        double lsb = lsb(Double.NaN);
        int slices = g.inputCycles();
        int mask = (1 << g.dacBits()) - 1;
        int m = g.inputBits();
        int digitsMask = (1 << m) - 1; // u = x mod 2^m: a signed input's two's complement digits
        for (int r0 = 0; r0 < rows; r0 += g.rows()) {
            int r1 = Math.min(rows, r0 + g.rows());
            for (int t = 0; t < slices; t++) {
                int shift = t * g.dacBits();
                for (int c = 0; c < cols; c++) {
                    long sum = 0;
                    for (int r = r0; r < r1; r++) sum += (long) w[r * cols + c] * (((x[r] & digitsMask) >> shift) & mask);
                    y[c] += Math.round(code(sum, lsb) * lsb) << shift;
                }
            }
            if (!signedInputs) continue;
            // The sign cycle: Σ w·s converted, shifted by m and subtracted.
            for (int c = 0; c < cols; c++) {
                long sum = 0;
                for (int r = r0; r < r1; r++) if (x[r] < 0) sum += w[r * cols + c];
                y[c] -= Math.round(code(sum, lsb) * lsb) << m;
            }
        }
        return y;
    }

    @Override
    public ProgrammedLayer program(int[] w, int rows, int cols, boolean signedInputs, Chip chip) {
        check(w, rows, cols, new int[rows], signedInputs);
        if (lossless() && (chip.nominal() || analog.ideal()) && !chip.everyConversion()) {
            return new Exact(new ExactProduct(w, rows, cols, g), rows, signedInputs);
        }
        return new Programmed(w, rows, cols, signedInputs, chip);
    }

    /** The exact product, with the MAC cycles (and a signed layer's sign digits) the macro would have run counted. */
    private final class Exact implements ProgrammedLayer {
        private final ExactProduct product;
        private final int rows;
        private final boolean signedInputs;

        Exact(ExactProduct product, int rows, boolean signedInputs) {
            this.product = product;
            this.rows = rows;
            this.signedInputs = signedInputs;
        }

        @Override
        public void multiply(int[] inputs, int positions, double[] out, SplittableRandom noise, ActivityCounter activity) {
            product.multiply(inputs, positions, out, noise, activity);
            if (activity == null) return;
            if (signedInputs) countSignDigits(inputs, positions, rows, activity);
            countCycles(activity, positions, rows, signedInputs);
        }

        @Override
        public boolean linear() {
            return true;
        }

        @Override
        public void multiplyColumns(float[] columns, int positions, double[] out) {
            product.multiplyColumns(columns, positions, out);
        }
    }

    /** A matrix on the sub-arrays of one simulated chip. */
    private final class Programmed implements ProgrammedLayer {
        private final int rows;
        private final int cols;
        private final double[] effective; // [row × col]: the weight as its capacitors hold it
        private final double[] gain;      // [row tile × col]: per ADC, after calibration
        private final double[] offset;    // LSB
        private final double[] inlSign;
        private final double lsb;
        private final boolean measureOnly;
        private final boolean nominal;
        private final boolean signedInputs;

        Programmed(int[] w, int rows, int cols, boolean signedInputs, Chip chip) {
            this.rows = rows;
            this.cols = cols;
            this.signedInputs = signedInputs;
            this.nominal = chip.nominal();
            this.measureOnly = Double.isInfinite(chip.adcFullScale());
            this.lsb = lsb(chip.adcFullScale());
            int tiles = (rows + g.rows() - 1) / g.rows();
            effective = new double[rows * cols];
            gain = new double[tiles * cols];
            offset = new double[tiles * cols];
            inlSign = new double[tiles * cols];
            int perArray = g.weightsPerRow();
            double sigma = nominal ? 0 : analog.capacitorMismatch();
            boolean calibrated = analog.calibration() == CapRamParams.Calibration.TWO_STEP;
            for (int rt = 0; rt < tiles; rt++) {
                for (int cb = 0; cb * perArray < cols; cb++) {
                    SplittableRandom r = Streams.random(chip.seed(), rt, cb);
                    for (int c = cb * perArray; c < Math.min(cols, (cb + 1) * perArray); c++) {
                        // Every draw is made whatever the settings, so settings share their random numbers.
                        for (int row = rt * g.rows(); row < Math.min(rows, (rt + 1) * g.rows()); row++) {
                            effective[row * cols + c] = effectiveWeight(w[row * cols + c], r, sigma);
                        }
                        double gn = r.nextGaussian();
                        double on = r.nextGaussian();
                        double s = r.nextBoolean() ? 1 : -1;
                        int k = rt * cols + c;
                        gain[k] = nominal || calibrated ? 1 : 1 + analog.adcGain() * gn;
                        offset[k] = nominal || calibrated ? 0 : analog.adcOffset() * on;
                        inlSign[k] = s;
                    }
                }
            }
        }

        /** The charge a weight's cells take per unit input: each cell's binary weight times its capacitor's share. */
        private double effectiveWeight(int v, SplittableRandom r, double sigma) {
            int b = g.weightBits();
            double sum = 0;
            if (g.signEncoding() == ChargeEncoding.PAIRED_CELLS) {
                int magnitude = Math.abs(v);
                for (int j = 0; j < b - 1; j++) {
                    double pos = 1 + sigma * r.nextGaussian();
                    double neg = 1 + sigma * r.nextGaussian();
                    if ((magnitude >> j & 1) != 0) sum += (v > 0 ? pos : -neg) * (1 << j);
                }
            } else if (b == 1) {
                sum = v * (1 + sigma * r.nextGaussian());
            } else {
                for (int j = 0; j < b; j++) {
                    double cap = 1 + sigma * r.nextGaussian();
                    if ((v >> j & 1) != 0) sum += (j == b - 1 ? -1 : 1) * cap * (1L << j);
                }
            }
            return sum;
        }

        /** The charge an input slice d injects, in input steps: the DAC's bow peaks at mid-scale. */
        private double injected(int d, int dMax) {
            if (nominal || analog.injectionNonlinearity() == 0 || dMax == 0) return d;
            return d + analog.injectionNonlinearity() * 4.0 * d * (dMax - d) / ((double) dMax * dMax);
        }

        @Override
        public void multiply(int[] inputs, int positions, double[] out, SplittableRandom noise, ActivityCounter activity) {
            Arrays.fill(out, 0, positions * cols, 0);
            int slices = g.inputCycles();
            int cycles = macCycles(signedInputs);
            int m = g.inputBits();
            int digitsMask = (1 << m) - 1; // u = x mod 2^m: a signed input's two's complement digits
            int dMax = (1 << g.dacBits()) - 1;
            double[] q = new double[g.rows()];
            for (int p = 0; p < positions; p++) {
                int base = p * rows;
                for (int r0 = 0, rt = 0; r0 < rows; r0 += g.rows(), rt++) {
                    int r1 = Math.min(rows, r0 + g.rows());
                    if (activity != null) {
                        for (int r = r0; r < r1; r++) if (inputs[base + r] == 0) activity.zeroInputs++;
                        activity.inputs += r1 - r0;
                    }
                    for (int t = 0; t < cycles; t++) {
                        boolean signCycle = t == slices;
                        int shift = t * g.dacBits();
                        for (int r = r0; r < r1; r++) {
                            int x = inputs[base + r];
                            // The sign cycle injects one step where the input is negative.
                            int d = signCycle ? (x < 0 ? 1 : 0) : ((x & digitsMask) >> shift) & dMax;
                            q[r - r0] = injected(d, dMax);
                            if (activity != null && d != 0) activity.nonZeroDigits++;
                        }
                        if (activity != null) activity.digits += r1 - r0;
                        for (int c = 0; c < cols; c++) {
                            double value = convert(q, r0, r1, rt, c, noise, activity);
                            if (signCycle) {
                                out[p * cols + c] -= value * (1L << m);
                            } else {
                                out[p * cols + c] += value * (1L << shift);
                            }
                        }
                    }
                }
            }
            if (activity != null) countCycles(activity, positions, rows, signedInputs);
        }

        /** One conversion: column {@code c}'s charge from rows [r0, r1) of row tile {@code rt}, through its ADC. */
        private double convert(double[] q, int r0, int r1, int rt, int c, SplittableRandom noise, ActivityCounter activity) {
            double sum = 0;
            for (int r = r0; r < r1; r++) sum += q[r - r0] * effective[r * cols + c];
            if (measureOnly) {
                if (activity != null) activity.maxColumnSum = Math.max(activity.maxColumnSum, Math.abs(sum));
                return sum;
            }
            int k = rt * cols + c;
            double x = sum * gain[k] / lsb + offset[k];
            double inl = nominal ? 0 : analog.adcInl();
            x += inlSign[k] * inl * (1 - Math.min(1, (x / codeMax) * (x / codeMax)));
            double n = noise.nextGaussian(); // drawn on every conversion, used or not
            x += (nominal ? 0 : analog.comparatorNoise()) * n;
            long code = Math.max(-codeMax, Math.min(codeMax, Math.round(x)));
            if (activity != null) {
                activity.conversions++;
                activity.codeSum += Math.abs(code);
                if (Math.abs(x) > codeMax + 0.5) activity.saturatedConversions++;
                activity.maxColumnSum = Math.max(activity.maxColumnSum, Math.abs(sum));
            }
            return range == AdcRange.IDEAL ? x * lsb : code * lsb;
        }
    }

    /** The ADC resolution in use. */
    public int adcBits() { return adcBits; }

    /**
     * The error of one sub-array's conversions on a chip, in LSB: {@code vectors} random input vectors and weights
     * through one full sub-array, each column's output against the exact sum (within the ADC's range), in LSB.
     * Returns {rms, max}.
     */
    public double[] macErrorLsb(Chip chip, int vectors, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int rows = g.rows();
        int cols = g.weightsPerRow();
        int[] w = new int[rows * cols];
        int b = g.weightBits();
        long hi = g.signEncoding() == ChargeEncoding.PAIRED_CELLS || b > 1 ? (1L << (b - 1)) - 1 : 1;
        for (int i = 0; i < w.length; i++) {
            int v = (int) (r.nextLong(2 * hi + 1) - hi);
            if (b == 1 && v == 0) v = 1;
            w[i] = v;
        }
        // One input slice: inputs within the DAC's range.
        int dMax = (1 << g.dacBits()) - 1;
        int[] x = new int[vectors * rows];
        for (int i = 0; i < x.length; i++) x[i] = r.nextInt(dMax + 1);
        ProgrammedLayer layer = new Programmed(w, rows, cols, false, chip);
        double[] out = new double[vectors * cols];
        layer.multiply(x, vectors, out, new SplittableRandom(seed + 1), null);
        double lsb = lsb(chip.adcFullScale());
        double sq = 0;
        double max = 0;
        for (int p = 0; p < vectors; p++) {
            for (int c = 0; c < cols; c++) {
                long sum = 0;
                for (int row = 0; row < rows; row++) sum += (long) w[row * cols + c] * x[p * rows + row];
                // Against the exact sum in LSB: quantization included, as an ADC's error is quoted.
                double err = (out[p * cols + c] - Math.max(-codeMax * lsb, Math.min(codeMax * lsb, sum))) / lsb;
                sq += err * err;
                max = Math.max(max, Math.abs(err));
            }
        }
        return new double[] {Math.sqrt(sq / ((double) vectors * cols)), max};
    }
}
