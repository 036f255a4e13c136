package org.imcsim.reram;

import java.util.SplittableRandom;
import org.imcsim.core.analog.ActivityCounter;
import org.imcsim.core.analog.AdcModel;
import org.imcsim.core.analog.AdcRange;
import org.imcsim.core.analog.Chip;
import org.imcsim.core.analog.DeviceModel;
import org.imcsim.core.analog.Streams;
import org.imcsim.core.tech.ArrayGeometry;
import org.imcsim.core.tech.ProgrammedLayer;

/**
 * A weight matrix programmed onto ReRAM crossbars of one simulated chip, computed in the analog domain.
 *
 * <p>The matrix is tiled as the mapper tiles it: arrays of {@code rows} word lines, each holding
 * {@code weightsPerRow} whole weights (their cells side by side) plus the unit column with offset encoding.
 * Conductances are in level steps ΔG: a cell at level l holds G_min + l (G_min = (levels − 1)/(on/off − 1)),
 * perturbed once per chip by programming variation, stuck-at faults and drift (draws keyed by chip, row block and
 * column block). Each input cycle, every column's current Σ d·G minus the G_min current of the driven rows (a
 * reference column, taken as nominal) is read with per-read noise σ·√(Σ d²G²), and converted by the array's ADC:
 * gain and offset errors, rounding to the ADC's step, saturation at 0 and its top code. Shift-and-add, flipped
 * columns, the unit column's offset correction, differential subtraction and the sign cycle of signed inputs are
 * then exactly as in {@link CrossbarNumerics#bitLevel}. Polarized arrays convert each fragment of rows on its own
 * (magnitudes in the cells, the fragment's sign bit applied digitally), with one ADC draw per fragment.
 */
final class AnalogCrossbar implements ProgrammedLayer {
    private final ArrayGeometry g;
    private final int rows;
    private final int cols;
    private final boolean signedInputs;
    private final boolean offsetEncoding;
    private final boolean differential;
    private final boolean polarized;
    /** Rows converted together: an array, or a polarized fragment (which has its own ADC draw). */
    private final int blockRows;
    /** Each row block stops converting once its inputs have no set bit left (FORMS). */
    private final boolean zeroSkipping;
    private final int slices;
    private final int cellMax;
    private final int inputSlices;
    private final int dacMask;
    private final long inputMask;
    private final long weightOffset;
    private final double gMin;
    private final double readNoise;
    private final AdcModel adc;
    private final double lsb;
    private final boolean measureOnly;
    private final int colBlocks;
    private final Block[] blocks;

    /** One array (and its negative twin for differential pairs). */
    private static final class Block {
        int r0, r1, c0, c1, cellCols;
        double[] pos, neg;   // [row in block × cell column] conductances in level steps
        double[] pos2, neg2; // squares, for read noise
        boolean[] flip;     // [weight in block × slices + slice]
        int[] sign;         // polarized: each weight column's fragment sign, ±1
        double gainPos = 1, offsetPos, gainNeg = 1, offsetNeg;
    }

    AnalogCrossbar(ArrayGeometry g, AdcModel adc, DeviceModel device, int conversionRows, boolean zeroSkipping,
                   int[] w, int rows, int cols, boolean signedInputs, Chip chip) {
        this.g = g;
        this.zeroSkipping = zeroSkipping;
        this.rows = rows;
        this.cols = cols;
        this.signedInputs = signedInputs;
        this.adc = adc;
        this.offsetEncoding = g.signEncoding() == CrossbarEncoding.OFFSET_UNIT_COLUMN;
        this.differential = g.signEncoding() == CrossbarEncoding.DIFFERENTIAL;
        this.polarized = g.signEncoding() == CrossbarEncoding.POLARIZED;
        this.blockRows = conversionRows;
        this.slices = g.cellsPerWeight();
        this.cellMax = (1 << g.bitsPerCell()) - 1;
        this.inputSlices = g.inputCycles();
        this.dacMask = (1 << g.dacBits()) - 1;
        this.inputMask = g.inputBits() >= 32 ? 0xFFFF_FFFFL : (1L << g.inputBits()) - 1;
        this.weightOffset = 1L << (g.weightBits() - 1);
        this.gMin = device.gMinInSteps(cellMax + 1);
        this.readNoise = chip.nominal() ? 0 : device.readNoise();
        double losslessMax = (1L << ReramDesign.losslessAdcBits(conversionRows, g.dacBits(), g.bitsPerCell(), g.signEncoding())) - 1;
        double fullScale = switch (adc.range()) {
            case CLIPPED -> adc.maxCode();
            case FULL_SCALE -> losslessMax;
            case CALIBRATED -> Double.isFinite(chip.adcFullScale()) ? chip.adcFullScale() : losslessMax;
        };
        this.measureOnly = Double.isInfinite(chip.adcFullScale());
        this.lsb = Math.max(1, fullScale / adc.maxCode());
        int perArray = g.weightsPerRow();
        int rowBlocks = (rows + blockRows - 1) / blockRows;
        this.colBlocks = (cols + perArray - 1) / perArray;
        this.blocks = new Block[rowBlocks * colBlocks];
        for (int rb = 0; rb < rowBlocks; rb++) {
            for (int cb = 0; cb < colBlocks; cb++) {
                Block b = new Block();
                b.r0 = rb * blockRows;
                b.r1 = Math.min(rows, b.r0 + blockRows);
                b.c0 = cb * perArray;
                b.c1 = Math.min(cols, b.c0 + perArray);
                program(b, w, device, chip, Streams.random(chip.seed(), rb, cb));
                blocks[rb * colBlocks + cb] = b;
            }
        }
    }

    private void program(Block b, int[] w, DeviceModel device, Chip chip, SplittableRandom random) {
        int n = b.r1 - b.r0;
        int weights = b.c1 - b.c0;
        b.cellCols = weights * slices + (offsetEncoding ? 1 : 0);
        int[] levelPos = new int[n * b.cellCols];
        int[] levelNeg = differential ? new int[n * b.cellCols] : null;
        b.flip = new boolean[weights * slices];
        b.sign = new int[weights];
        for (int j = 0; j < weights; j++) {
            b.sign[j] = polarized ? CrossbarNumerics.fragmentSign(w, cols, b.r0, b.r1, b.c0 + j) : 1;
            for (int s = 0; s < slices; s++) {
                int shift = s * g.bitsPerCell();
                int col = j * slices + s;
                long sum = 0;
                for (int r = 0; r < n; r++) {
                    int wv = w[(b.r0 + r) * cols + b.c0 + j];
                    int level;
                    if (offsetEncoding) {
                        level = (int) (((wv + weightOffset) >> shift) & cellMax);
                    } else if (differential) {
                        level = (Math.max(wv, 0) >> shift) & cellMax;
                        levelNeg[r * b.cellCols + col] = (Math.max(-wv, 0) >> shift) & cellMax;
                    } else if (polarized) {
                        level = (Math.abs(wv) >> shift) & cellMax;
                    } else {
                        level = (wv >> shift) & cellMax;
                    }
                    levelPos[r * b.cellCols + col] = level;
                    sum += level;
                }
                // ISAAC stores a column flipped when its cells sum to more than half the range.
                if (offsetEncoding && 2 * sum > (long) n * cellMax) {
                    b.flip[col] = true;
                    for (int r = 0; r < n; r++) levelPos[r * b.cellCols + col] = cellMax - levelPos[r * b.cellCols + col];
                }
            }
        }
        if (offsetEncoding) for (int r = 0; r < n; r++) levelPos[r * b.cellCols + b.cellCols - 1] = 1;
        b.pos = conductances(levelPos, device, chip, random);
        b.gainPos = gain(chip, random);
        b.offsetPos = offset(chip, random);
        if (differential) {
            b.neg = conductances(levelNeg, device, chip, random);
            b.gainNeg = gain(chip, random);
            b.offsetNeg = offset(chip, random);
        }
        if (readNoise > 0) {
            b.pos2 = squares(b.pos);
            if (differential) b.neg2 = squares(b.neg);
        }
    }

    /** Every cell draws the same three numbers whatever is enabled, so studies that vary one effect share draws. */
    private double[] conductances(int[] levels, DeviceModel d, Chip chip, SplittableRandom random) {
        double[] out = new double[levels.length];
        double driftBase = d.drift().time().seconds() / d.drift().reference().seconds();
        for (int i = 0; i < levels.length; i++) {
            double nominal = gMin + levels[i];
            double u = random.nextDouble();
            double variation = random.nextGaussian();
            double driftDraw = random.nextGaussian();
            if (chip.nominal()) {
                out[i] = nominal;
                continue;
            }
            double value;
            if (u < d.stuckAtGmin()) {
                value = gMin;
            } else if (u < d.stuckAtGmin() + d.stuckAtGmax()) {
                value = gMin + cellMax;
            } else {
                double sigma = d.programming().sigma();
                value = d.programming().kind() == DeviceModel.VariationKind.LOGNORMAL
                        ? nominal * Math.exp(sigma * variation)
                        : Math.max(0, nominal * (1 + sigma * variation));
                if (!d.drift().none()) {
                    double nu = Math.max(0, d.drift().nu() + d.drift().nuSigma() * driftDraw);
                    value *= Math.pow(driftBase, -nu);
                }
            }
            out[i] = value;
        }
        return out;
    }

    private double gain(Chip chip, SplittableRandom random) {
        double n = random.nextGaussian();
        return chip.nominal() ? 1 : 1 + adc.gainSigma() * n;
    }

    private double offset(Chip chip, SplittableRandom random) {
        double n = random.nextGaussian();
        return chip.nominal() ? 0 : adc.offsetSigmaLsb() * n;
    }

    private static double[] squares(double[] a) {
        double[] s = new double[a.length];
        for (int i = 0; i < a.length; i++) s[i] = a[i] * a[i];
        return s;
    }

    @Override
    public void multiply(int[] inputs, int positions, double[] out, SplittableRandom noise, ActivityCounter activity) {
        if (inputs.length != positions * rows || out.length < positions * cols) {
            throw new IllegalArgumentException("inputs " + inputs.length + " for " + positions + " × " + rows
                    + " rows, outputs " + out.length);
        }
        java.util.Arrays.fill(out, 0, positions * cols, 0);
        int maxCells = 0;
        for (Block b : blocks) maxCells = Math.max(maxCells, b.cellCols);
        double[] sums = new double[maxCells];
        double[] vars = new double[maxCells];
        double[] values = new double[maxCells];
        double[] valuesNeg = differential ? new double[maxCells] : null;
        int[] active = new int[blockRows];
        int[] digit = new int[blockRows];
        int rowBlocks = blocks.length / colBlocks;
        for (int rb = 0; rb < rowBlocks; rb++) {
            int r0 = blocks[rb * colBlocks].r0;
            int r1 = blocks[rb * colBlocks].r1;
            for (int p = 0; p < positions; p++) {
                int base = p * rows;
                if (activity != null) {
                    for (int r = r0; r < r1; r++) if (inputs[base + r] == 0) activity.zeroInputs++;
                    activity.inputs += r1 - r0;
                }
                int slicesRun = inputSlices;
                if (zeroSkipping) {
                    long or = 0;
                    for (int r = r0; r < r1; r++) or |= inputs[base + r] & inputMask;
                    slicesRun = (64 - Long.numberOfLeadingZeros(or) + g.dacBits() - 1) / g.dacBits();
                    // Skipped cycles still count as row-cycles with a zero digit, as on the full path.
                    if (activity != null) activity.digits += (long) (inputSlices - slicesRun) * (r1 - r0);
                }
                for (int t = 0; t < slicesRun; t++) {
                    int shift = t * g.dacBits();
                    int n = 0;
                    long driven = 0;
                    for (int r = r0; r < r1; r++) {
                        int d = (inputs[base + r] >> shift) & dacMask;
                        if (d != 0) {
                            active[n] = r - r0;
                            digit[n++] = d;
                            driven += d;
                        }
                    }
                    if (activity != null) {
                        activity.digits += r1 - r0;
                        activity.nonZeroDigits += n;
                    }
                    double reference = gMin * driven;
                    double scale = (double) (1L << shift) * (signedInputs && t == inputSlices - 1 ? -1 : 1);
                    for (int cb = 0; cb < colBlocks; cb++) {
                        Block b = blocks[rb * colBlocks + cb];
                        read(b.pos, b.pos2, b.cellCols, active, digit, n, sums, vars);
                        convert(sums, vars, b.cellCols, reference, b.gainPos, b.offsetPos, noise, activity, values);
                        if (differential) {
                            read(b.neg, b.neg2, b.cellCols, active, digit, n, sums, vars);
                            convert(sums, vars, b.cellCols, reference, b.gainNeg, b.offsetNeg, noise, activity, valuesNeg);
                        }
                        double unit = offsetEncoding ? values[b.cellCols - 1] : 0;
                        int o = p * cols + b.c0;
                        for (int j = 0; j < b.c1 - b.c0; j++) {
                            double acc = 0;
                            for (int s = 0; s < slices; s++) {
                                int col = j * slices + s;
                                double v = b.flip[col] ? cellMax * unit - values[col] : values[col];
                                if (differential) v -= valuesNeg[col];
                                acc += v * (1L << (s * g.bitsPerCell()));
                            }
                            if (offsetEncoding) acc -= weightOffset * unit;
                            out[o + j] += b.sign[j] * acc * scale;
                        }
                    }
                }
            }
        }
    }

    /** Column sums Σ d·G over the driven rows, and with read noise their variances' Σ d²·G². */
    private void read(double[] gs, double[] g2, int cellCols, int[] active, int[] digit, int n, double[] sums, double[] vars) {
        java.util.Arrays.fill(sums, 0, cellCols, 0);
        for (int k = 0; k < n; k++) {
            int row = active[k] * cellCols;
            int d = digit[k];
            if (d == 1) {
                for (int c = 0; c < cellCols; c++) sums[c] += gs[row + c];
            } else {
                for (int c = 0; c < cellCols; c++) sums[c] += d * gs[row + c];
            }
        }
        if (readNoise == 0) return;
        java.util.Arrays.fill(vars, 0, cellCols, 0);
        for (int k = 0; k < n; k++) {
            int row = active[k] * cellCols;
            double d2 = (double) digit[k] * digit[k];
            for (int c = 0; c < cellCols; c++) vars[c] += d2 * g2[row + c];
        }
    }

    /** The ADC: gain and offset error, rounding to its step, saturation at 0 and the top code; values in sum units. */
    private void convert(double[] sums, double[] vars, int cellCols, double reference, double gain, double offsetLsb,
                         SplittableRandom noise, ActivityCounter activity, double[] values) {
        long top = adc.maxCode();
        double gainPerLsb = gain / lsb;
        for (int c = 0; c < cellCols; c++) {
            double analog = sums[c] - reference;
            if (readNoise > 0) analog += readNoise * Math.sqrt(vars[c]) * noise.nextGaussian();
            if (measureOnly) {
                if (activity != null) activity.maxColumnSum = Math.max(activity.maxColumnSum, analog);
                values[c] = analog;
                continue;
            }
            double x = analog * gainPerLsb + offsetLsb;
            // Round half up to the nearest code, saturating at 0 and the top code (Math.round, without its cost).
            long code = x <= 0 ? 0 : x >= top ? top : (long) (x + 0.5);
            if (activity != null) {
                activity.conversions++;
                activity.codeSum += code;
                if (x > top + 0.5) activity.saturatedConversions++;
                activity.maxColumnSum = Math.max(activity.maxColumnSum, analog);
            }
            values[c] = code * lsb;
        }
    }
}
