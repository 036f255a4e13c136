package org.abacim.reram;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.abacim.core.analog.ActivityCounter;
import org.abacim.core.analog.AdcModel;
import org.abacim.core.analog.AdcRange;
import org.abacim.core.analog.Chip;
import org.abacim.core.analog.DeviceModel;
import org.abacim.core.analog.MeasuredDevice;
import org.abacim.core.analog.Streams;
import org.abacim.core.tech.ArrayGeometry;
import org.abacim.core.tech.ProgrammedLayer;

/**
 * A weight matrix programmed onto ReRAM crossbars of one simulated chip, computed in the analog domain.
 *
 * <p>The matrix is tiled as the mapper tiles it: arrays of {@code rows} word lines, each holding
 * {@code weightsPerRow} whole weights (their cells side by side) plus the unit column with offset encoding.
 * Conductances are in level steps ΔG: a cell at level l holds G_min + l (G_min = (levels − 1)/(on/off − 1)),
 * perturbed once per chip by programming variation, stuck-at faults and drift (draws keyed by chip, row block and
 * column block). Each input cycle, every column's current Σ d·G minus the G_min current of the driven rows (a
 * reference column: nominal, or drifted with the mean exponent ν when the cells drift) is read with per-read noise σ·√(Σ d²G²), and converted by the array's ADC:
 * gain and offset errors, rounding to the ADC's step, saturation at 0 and its top code. Shift-and-add, flipped
 * columns, the unit column's offset correction, differential subtraction and the sign cycle of signed inputs are
 * then exactly as in {@link CrossbarNumerics#bitLevel}. Polarized arrays convert each fragment of rows on its own
 * (magnitudes in the cells, the fragment's sign bit applied digitally), with one ADC draw per fragment.
 *
 * <p>The column sums of every input cycle of a row block come from {@link RowChunkSums}: the digits of each
 * output position and cycle index tabulated sums of the block's cells above G_min (all its arrays side by side), in
 * float32 additions whose order depends only on the digits — not on how many positions a call holds, the thread or
 * the CPU; so do the read-noise variances. Conversions then run in the order the hardware makes them.
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
    /** Measured conductance states replacing programming variation and drift, or null. */
    private final MeasuredDevice.Cells measured;
    /** σ scale of a read's noise: the white relative σ, or 1 when the squares below already hold 1/f noise too. */
    private final double readNoise;
    /** What a cell's squared conductance is multiplied by in the read-noise variances (white² + 1/f², or 1). */
    private final double noiseFactor;
    /** With the PCM fit: √ln((t + t_read)/(2·t_read)), each cell's 1/f σ being its Q times this; else 0. */
    private final double flickerGrowth;
    /** The white read noise's relative σ (0 for the chip as designed). */
    private final double white;
    private final DeviceModel.Drift drift;
    /** Global drift compensation: the layer's outputs are multiplied by this (1 without compensation). */
    private final double compensation;
    /** All-ones reads of the layer's columns (cells above G_min) as verified at t0 and as drifted to t. */
    private double readAtReference, readNow;
    private final AdcModel adc;
    private final double lsb;
    private final boolean measureOnly;
    private final int colBlocks;
    private final Block[] blocks;
    /** Per row block: cells above G_min of all its arrays side by side (rows × cellsPerRowBlock), float32. */
    private final RowChunkSums[] cellSums;
    /** Per row block, with read noise: the cells' squared conductances, same layout, summed with squared digits. */
    private final RowChunkSums[] squareSums;
    /** Per row block: each cell column's converter gain and offset, for the codes made as the sums are. */
    private final RowChunkSums.Codes[] codes;
    private final int cellsPerRowBlock;
    /** This chip's wires in units of 1/ΔG (none for the chip as designed). */
    private final IrDrop.WireModel wires;
    /** G_min through an access device: what the reference column draws per unit of input. */
    private final double gMinReference;
    /** The reference column's G_min as read (drifted with the mean exponent when the cells drift). */
    private final double referenceG;
    /** Positions × conversion values kept per input cycle at once (bounds memory for large feature maps). */
    private static final int TILE_VALUES = 1 << 20;

    /** One array (and its negative twin for differential pairs). */
    private static final class Block {
        int r0, r1, c0, c1, cellCols;
        int posAt, negAt;   // first column of its cells (and its twin's) in the row block's matrix
        double[] pos, neg;   // [row in block × cell column] conductances above G_min, in level steps
        int[] levelPos, levelNeg; // [row in block × cell column] the levels programmed (for column calibration)
        // What a unit digit on each row adds to each column's sum: the cell above G_min, or with line resistance
        // the array's transfer matrix less the reference column's G_min (the network is linear in its inputs).
        double[] posRead, negRead;
        boolean[] flip;     // [weight in block × slices + slice]
        int[] sign;         // polarized: each weight column's fragment sign, ±1
        double[] cellWeight; // [cell column]: what its converted value adds to its weight's output (sign, slice, flip)
        double[] unitWeight; // [weight]: what the unit column's value adds to it (flipped columns, offset encoding)
        double gainPos = 1, offsetPos, gainNeg = 1, offsetNeg;
    }

    AnalogCrossbar(ArrayGeometry g, AdcModel adc, DeviceModel device, MeasuredDevice.Cells measured,
                   int conversionRows, boolean zeroSkipping,
                   int[] w, int rows, int cols, boolean signedInputs, Chip chip, IrDrop.WireModel wires) {
        this.g = g;
        this.wires = chip.nominal() ? IrDrop.WireModel.NONE : wires;
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
        this.measured = measured;
        this.gMin = measured != null ? measured.gMinSteps() : device.gMinInSteps(cellMax + 1);
        double flicker = chip.nominal() ? 0 : device.drift().flickerSigma();
        double white = chip.nominal() ? 0 : device.readNoise();
        // With the PCM fit each cell's 1/f σ depends on its programmed conductance: its variance is made per cell.
        this.flickerGrowth = chip.nominal() || device.drift().fit() != DeviceModel.Drift.Fit.PCM ? 0
                : device.drift().flickerGrowth();
        this.white = white;
        this.drift = device.drift();
        // Without 1/f noise the variances are the squared conductances, scaled by the white σ (as before 1/f noise).
        this.readNoise = flicker == 0 && flickerGrowth == 0 ? white : 1;
        this.noiseFactor = flicker == 0 ? 1 : white * white + flicker * flicker;
        // The reference column's G_min cells drift with the mean exponent at G_min, as conductances() draws them.
        this.referenceG = device.drift().none() ? gMin
                : gMin * Math.pow(device.drift().time().seconds() / device.drift().reference().seconds(),
                        -device.drift().meanNu(gMin / (gMin + cellMax)));
        this.gMinReference = this.wires.withAccess(referenceG);
        double losslessMax = (1L << ReramDesign.losslessAdcBits(conversionRows, g.dacBits(), g.bitsPerCell(), g.signEncoding())) - 1;
        double fullScale = switch (adc.range()) {
            case CLIPPED -> adc.maxCode();
            case FULL_SCALE -> losslessMax;
            case CALIBRATED -> Double.isFinite(chip.adcFullScale()) ? chip.adcFullScale() : losslessMax;
            case IDEAL -> adc.maxCode(); // one unit per unit of column sum, nothing rounded or clipped
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
                if (this.wires.any()) wire(b);
                if (b.posRead == null) {
                    b.posRead = b.pos;
                    b.negRead = b.neg;
                }
                blocks[rb * colBlocks + cb] = b;
            }
        }
        // Global drift compensation: an all-ones read of every column at t0 (kept when programming was verified) over
        // the same read now, applied to the layer's outputs after conversion (noiseless reads, averaged).
        this.compensation = device.drift().compensate() && !chip.nominal() && readNow != 0 && readNow != readAtReference
                ? readAtReference / readNow : 1;
        int perRowBlock = 0;
        for (int cb = 0; cb < colBlocks; cb++) perRowBlock += blocks[cb].cellCols * (differential ? 2 : 1);
        this.cellsPerRowBlock = perRowBlock;
        this.cellSums = new RowChunkSums[rowBlocks];
        this.squareSums = readNoise > 0 ? new RowChunkSums[rowBlocks] : null;
        this.codes = new RowChunkSums.Codes[rowBlocks];
        for (int rb = 0; rb < rowBlocks; rb++) {
            int n = blocks[rb * colBlocks].r1 - blocks[rb * colBlocks].r0;
            float[] cells = new float[n * perRowBlock];
            float[] squares = readNoise > 0 ? new float[n * perRowBlock] : null;
            int at = 0;
            for (int cb = 0; cb < colBlocks; cb++) {
                Block b = blocks[rb * colBlocks + cb];
                b.posAt = at;
                at = place(b.posRead, b.pos, b.levelPos, b.cellCols, n, cells, squares, perRowBlock, at);
                if (differential) {
                    b.negAt = at;
                    at = place(b.negRead, b.neg, b.levelNeg, b.cellCols, n, cells, squares, perRowBlock, at);
                }
                b.levelPos = null;
                b.levelNeg = null;
            }
            cellSums[rb] = new RowChunkSums(n, perRowBlock, g.dacBits(), cells, false);
            codes[rb] = codes(rb, perRowBlock);
            if (squares != null) squareSums[rb] = new RowChunkSums(n, perRowBlock, g.dacBits(), squares, true);
        }
    }

    /** Each cell column's converter gain per ADC step and offset + ½ in float32: what its codes are made with. */
    private RowChunkSums.Codes codes(int rowBlock, int width) {
        float[] gainPerLsb = new float[width];
        float[] offsetHalf = new float[width];
        for (int cb = 0; cb < colBlocks; cb++) {
            Block b = blocks[rowBlock * colBlocks + cb];
            for (int twin = 0; twin < (differential ? 2 : 1); twin++) {
                int first = twin == 0 ? b.posAt : b.negAt;
                Arrays.fill(gainPerLsb, first, first + b.cellCols, (float) ((twin == 0 ? b.gainPos : b.gainNeg) / lsb));
                Arrays.fill(offsetHalf, first, first + b.cellCols, (float) ((twin == 0 ? b.offsetPos : b.offsetNeg) + 0.5));
            }
        }
        return new RowChunkSums.Codes(gainPerLsb, offsetHalf, (int) adc.maxCode());
    }

    /**
     * Puts each cell of an array in series with its access device (the reference column's G_min too, so a nominal
     * cell at level 0 still reads zero) and, with line resistance, builds its wire network.
     */
    private void wire(Block b) {
        int n = b.r1 - b.r0;
        for (double[] cells : differential ? new double[][] {b.pos, b.neg} : new double[][] {b.pos}) {
            for (int i = 0; i < cells.length; i++) cells[i] = wires.withAccess(referenceG + cells[i]) - gMinReference;
        }
        if (!wires.wires()) return;
        b.posRead = perRowSums(IrDrop.Array.converged(n, b.cellCols, absolute(b.pos), wires));
        if (differential) b.negRead = perRowSums(IrDrop.Array.converged(n, b.cellCols, absolute(b.neg), wires));
        if (wires.calibrateColumns()) {
            calibrateColumns(b.posRead, b.levelPos, n, b.cellCols);
            if (differential) calibrateColumns(b.negRead, b.levelNeg, n, b.cellCols);
        }
    }

    /**
     * Column calibration on the chip (wires.calibrateColumns): each column is read once with every row driven, and
     * its sums are scaled so that read equals the sum of the levels programmed into it — a per-column trim of the
     * converter's reference. It undoes the column's mean IR drop (and its cells' summed programming error); what it
     * cannot undo is that the drop depends on which rows are driven.
     */
    private static void calibrateColumns(double[] read, int[] levels, int n, int cols) {
        for (int j = 0; j < cols; j++) {
            double target = 0;
            double measured = 0;
            for (int i = 0; i < n; i++) {
                target += levels[i * cols + j];
                measured += read[i * cols + j];
            }
            if (target <= 0 || measured <= 0) continue;
            double scale = target / measured;
            for (int i = 0; i < n; i++) read[i * cols + j] *= scale;
        }
    }

    /** A wired array's sum per unit digit on each row: its transfer matrix less the reference column's G_min. */
    private double[] perRowSums(IrDrop.Array net) {
        double[] perRow = new double[net.rows * net.cols];
        for (int i = 0; i < net.rows; i++) {
            for (int j = 0; j < net.cols; j++) perRow[i * net.cols + j] = net.transfer(i, j) - gMinReference;
        }
        return perRow;
    }

    private double[] absolute(double[] aboveReference) {
        double[] g = new double[aboveReference.length];
        for (int i = 0; i < g.length; i++) g[i] = aboveReference[i] + gMinReference;
        return g;
    }

    /**
     * Copies one array's per-row sums ({@code read}: cells above G_min, or through the wires) into a row block's
     * matrix at column {@code at}, and the read-noise variances of its cells ({@code aboveGmin}); returns the next
     * free column.
     */
    private int place(double[] read, double[] aboveGmin, int[] levels, int cellCols, int n, float[] cells,
                      float[] squares, int width, int at) {
        double gMax = gMin + cellMax;
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < cellCols; c++) {
                double g = aboveGmin[r * cellCols + c];
                cells[r * width + at + c] = (float) read[r * cellCols + c];
                if (squares != null) {
                    // The cell's whole conductance: above the reference column's as read (drifted, through access).
                    double whole = g + gMinReference;
                    if (flickerGrowth > 0) {
                        // PCM fit: the 1/f σ of a cell programmed to level l is Q(G_l/G_max) times the growth.
                        double f = drift.flickerQ((gMin + levels[r * cellCols + c]) / gMax) * flickerGrowth;
                        squares[r * width + at + c] = (float) ((white * white + f * f) * whole * whole);
                    } else {
                        squares[r * width + at + c] = noiseFactor == 1 ? (float) (whole * whole)
                                : (float) (noiseFactor * whole * whole);
                    }
                }
            }
        }
        return at + cellCols;
    }

    /**
     * Whether this chip's layer is linear in its inputs: an ideal, error-free conversion and no read noise. Then
     * every cycle, cell slice and sign correction folds into one effective weight per row and output.
     */
    boolean foldable() {
        return adc.range() == AdcRange.IDEAL && !measureOnly
                && (readNoise == 0) && allConversionsErrorFree();
    }

    private boolean allConversionsErrorFree() {
        for (Block b : blocks) {
            if (b.gainPos != 1 || b.offsetPos != 0 || (differential && (b.gainNeg != 1 || b.offsetNeg != 0))) return false;
        }
        return true;
    }

    /**
     * The effective weights (rows × cols, row-major) of a {@link #foldable} layer: output j of an input x is
     * Σ_r x_r·W[r][j], exactly what the cycle-by-cycle path computes for it up to rounding.
     */
    double[] effectiveWeights() {
        double[] eff = new double[rows * cols];
        for (Block b : blocks) {
            int n = b.r1 - b.r0;
            for (int r = 0; r < n; r++) {
                double unit = offsetEncoding ? b.posRead[r * b.cellCols + b.cellCols - 1] : 0;
                for (int j = 0, col = 0; j < b.c1 - b.c0; j++) {
                    double acc = b.unitWeight[j] * unit;
                    for (int s = 0; s < slices; s++, col++) {
                        double v = b.posRead[r * b.cellCols + col];
                        if (differential) v -= b.negRead[r * b.cellCols + col];
                        acc += b.cellWeight[col] * v;
                    }
                    eff[(b.r0 + r) * cols + b.c0 + j] = compensation == 1 ? acc : acc * compensation;
                }
            }
        }
        return eff;
    }

    @Override
    public float[] foldedWeights() {
        double[] effective = effectiveWeights();
        float[] single = new float[effective.length];
        for (int i = 0; i < single.length; i++) single[i] = (float) effective[i];
        return single;
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
        b.cellWeight = new double[weights * slices];
        b.unitWeight = new double[weights];
        for (int j = 0; j < weights; j++) {
            double unit = offsetEncoding ? -weightOffset : 0;
            for (int s = 0; s < slices; s++) {
                int col = j * slices + s;
                double significance = 1L << (s * g.bitsPerCell());
                b.cellWeight[col] = b.sign[j] * (b.flip[col] ? -significance : significance);
                if (b.flip[col]) unit += cellMax * significance;
            }
            b.unitWeight[j] = b.sign[j] * unit;
        }
        b.pos = conductances(levelPos, device, chip, random);
        if (wires.calibrateColumns() && wires.wires() || flickerGrowth > 0) {
            b.levelPos = levelPos;
            b.levelNeg = levelNeg;
        }
        b.gainPos = gain(chip, random);
        b.offsetPos = offset(chip, random);
        if (differential) {
            b.neg = conductances(levelNeg, device, chip, random);
            b.gainNeg = gain(chip, random);
            b.offsetNeg = offset(chip, random);
        }
    }

    /**
     * Each cell's conductance above G_min (what its column reads once the reference column's current is subtracted),
     * in level steps: a nominal cell is its level exactly. Every cell draws the same three numbers whatever is
     * enabled, so studies that vary one effect share draws.
     */
    private double[] conductances(int[] levels, DeviceModel d, Chip chip, SplittableRandom random) {
        double[] out = new double[levels.length];
        double driftBase = d.drift().time().seconds() / d.drift().reference().seconds();
        boolean drifts = !d.drift().none();
        // The reference column's G_min cells drift too, averaged over many cells: with the mean exponent at G_min.
        double gMax = gMin + cellMax;
        double reference = drifts ? gMin * Math.pow(driftBase, -d.drift().meanNu(gMin / gMax)) : gMin;
        for (int i = 0; i < levels.length; i++) {
            double nominal = gMin + levels[i];
            double u = random.nextDouble();
            double variation = random.nextGaussian();
            double driftDraw = random.nextGaussian();
            if (chip.nominal()) {
                out[i] = levels[i];
                continue;
            }
            double value;
            if (u < d.stuckAtGmin()) {
                value = gMin;
                readNow += read(value, reference);
            } else if (u < d.stuckAtGmin() + d.stuckAtGmax()) {
                value = gMin + cellMax;
                readAtReference += read(value, gMin);
                readNow += read(value, reference);
            } else if (measured != null) {
                value = measured.draw(levels[i], variation);
                readAtReference += read(value, gMin);
                readNow += read(value, reference);
            } else {
                double sigma = d.programming().sigma();
                value = d.programming().kind() == DeviceModel.VariationKind.LOGNORMAL
                        ? nominal * Math.exp(sigma * variation)
                        : Math.max(0, nominal * (1 + sigma * variation));
                readAtReference += read(value, gMin);
                if (drifts) {
                    double nu = d.drift().nu(nominal / gMax, driftDraw);
                    value *= Math.pow(driftBase, -nu);
                }
                readNow += read(value, reference);
            }
            out[i] = value - reference;
        }
        return out;
    }

    /**
     * What a cell of conductance {@code g} adds to an all-ones read once the reference column ({@code reference}) is
     * subtracted, each through its access device: the compensation's reads see what the column sees (without line
     * resistance, whose drop the compensation does not model).
     */
    private double read(double g, double reference) {
        return wires.withAccess(g) - wires.withAccess(reference);
    }

    private double gain(Chip chip, SplittableRandom random) {
        double n = random.nextGaussian();
        return chip.nominal() ? 1 : 1 + adc.gainSigma() * n;
    }

    private double offset(Chip chip, SplittableRandom random) {
        double n = random.nextGaussian();
        return chip.nominal() ? 0 : adc.offsetSigmaLsb() * n;
    }

    @Override
    public void multiply(int[] inputs, int positions, double[] out, SplittableRandom noise, ActivityCounter activity) {
        if (inputs.length != positions * rows || out.length < positions * cols) {
            throw new IllegalArgumentException("inputs " + inputs.length + " for " + positions + " × " + rows
                    + " rows, outputs " + out.length);
        }
        Arrays.fill(out, 0, positions * cols, 0);
        int maxCells = 0;
        for (Block b : blocks) maxCells = Math.max(maxCells, b.cellCols);
        double[] values = new double[maxCells];
        double[] valuesNeg = differential ? new double[maxCells] : null;
        int width = cellsPerRowBlock;
        int tile = Math.max(1, Math.min(positions, TILE_VALUES / (width * inputSlices)));
        float[][] sums = new float[inputSlices][tile * width];
        float[][] vars = readNoise > 0 ? new float[inputSlices][tile * width] : null;
        int[] index = new int[inputSlices * tile * cellSums[0].chunks()];
        RowChunkSums.Scratch scratch = cellSums[0].scratch();
        int[][] nonZero = activity != null ? new int[inputSlices][tile] : null;
        double[] weighted = new double[tile * width];
        // Σ_t significance·code is an integer of magnitude at most (2^inputBits − 1)·top: exact in float32 below 2²⁴.
        float[] cycleSums = (double) inputMask * adc.maxCode() < (1 << 24) ? new float[tile * width] : null;
        int rowBlocks = blocks.length / colBlocks;
        // Nothing counted, no noise, real codes: all conversions of a cycle at once, then the shift-and-add.
        boolean plain = activity == null && readNoise == 0 && !measureOnly && adc.range() != AdcRange.IDEAL;
        for (int rb = 0; rb < rowBlocks; rb++) {
            int r0 = blocks[rb * colBlocks].r0;
            int r1 = blocks[rb * colBlocks].r1;
            int n = r1 - r0;
            for (int p0 = 0; p0 < positions; p0 += tile) {
                int pn = Math.min(tile, positions - p0);
                // Every input cycle's column sums for this tile of positions: the digits' chunk indices, then lookups.
                RowChunkSums blockSums = cellSums[rb];
                for (int p = 0; p < pn; p++) blockSums.indexCycles(inputs, (p0 + p) * rows + r0, inputSlices, pn, p, index);
                for (int t = 0; t < inputSlices && nonZero != null; t++) {
                    int shift = t * g.dacBits();
                    for (int p = 0; p < pn; p++) {
                        int base = (p0 + p) * rows + r0;
                        int count = 0;
                        for (int r = 0; r < n; r++) if (((inputs[base + r] >> shift) & dacMask) != 0) count++;
                        nonZero[t][p] = count;
                    }
                }
                if (vars != null) squareSums[rb].columnSums(index, inputSlices, pn, vars, scratch);
                // The plain case's codes are made with the sums, while they are in cache.
                blockSums.columnSums(index, inputSlices, pn, sums, scratch, plain ? codes[rb] : null);
                if (plain) {
                    shiftAndAdd(inputs, p0, pn, r0, r1, sums, cycleSums, weighted, out);
                    continue;
                }
                for (int p = 0; p < pn; p++) {
                    int base = (p0 + p) * rows;
                    if (activity != null) {
                        for (int r = r0; r < r1; r++) if (inputs[base + r] == 0) activity.zeroInputs++;
                        activity.inputs += n;
                    }
                    int slicesRun = inputSlices;
                    if (zeroSkipping) {
                        long or = 0;
                        for (int r = r0; r < r1; r++) or |= inputs[base + r] & inputMask;
                        slicesRun = (64 - Long.numberOfLeadingZeros(or) + g.dacBits() - 1) / g.dacBits();
                        // Skipped cycles still count as row-cycles with a zero digit, as on the full path.
                        if (activity != null) activity.digits += (long) (inputSlices - slicesRun) * n;
                    }
                    int row = p * width;
                    for (int t = 0; t < slicesRun; t++) {
                        if (activity != null) {
                            activity.digits += n;
                            activity.nonZeroDigits += nonZero[t][p];
                        }
                        int shift = t * g.dacBits();
                        double scale = (double) (1L << shift) * (signedInputs && t == inputSlices - 1 ? -1 : 1);
                        float[] sum = sums[t];
                        float[] var = vars == null ? null : vars[t];
                        for (int cb = 0; cb < colBlocks; cb++) {
                            Block b = blocks[rb * colBlocks + cb];
                            convert(sum, var, row + b.posAt, b.cellCols, b.gainPos, b.offsetPos, noise, activity, values);
                            if (differential) {
                                convert(sum, var, row + b.negAt, b.cellCols, b.gainNeg, b.offsetNeg, noise, activity, valuesNeg);
                            }
                            double unit = offsetEncoding ? values[b.cellCols - 1] : 0;
                            int o = (p0 + p) * cols + b.c0;
                            for (int j = 0, col = 0; j < b.c1 - b.c0; j++) {
                                // Shift-and-add of the weight's slices, flipped columns, offset and fragment sign.
                                double acc = b.unitWeight[j] * unit;
                                for (int s = 0; s < slices; s++, col++) {
                                    double v = differential ? values[col] - valuesNeg[col] : values[col];
                                    acc += b.cellWeight[col] * v;
                                }
                                out[o + j] += acc * scale;
                            }
                        }
                    }
                }
            }
        }
        if (compensation != 1) for (int i = 0; i < positions * cols; i++) out[i] *= compensation;
    }

    /**
     * The plain case's digital side for a tile of positions, from the codes of every input cycle
     * ({@link RowChunkSums.Codes}): first each column's codes weighted by their cycle's significance and summed over the
     * cycles that ran (whole rows at once), then per weight its slices, flipped columns, unit column and fragment
     * sign, times the ADC step. Codes and significances are integers, so the reordering is exact — and so is summing
     * them in float32 while every sum stays below 2²⁴, which Java 17's compiler vectorises (float × float + float),
     * where the double sum needs a scalar float-to-double conversion per code.
     */
    private void shiftAndAdd(int[] inputs, int p0, int pn, int r0, int r1, float[][] codes, float[] cycleSums,
                             double[] weighted, double[] out) {
        int width = cellsPerRowBlock;
        if (cycleSums != null) Arrays.fill(cycleSums, 0, pn * width, 0f);
        else Arrays.fill(weighted, 0, pn * width, 0);
        int rowBlock = r0 / blockRows;
        for (int p = 0; p < pn; p++) {
            int slicesRun = inputSlices;
            if (zeroSkipping) {
                long or = 0;
                for (int r = r0; r < r1; r++) or |= inputs[(p0 + p) * rows + r] & inputMask;
                slicesRun = (64 - Long.numberOfLeadingZeros(or) + g.dacBits() - 1) / g.dacBits();
            }
            for (int t = 0; t < slicesRun; t++) {
                double significance = (double) (1L << (t * g.dacBits())) * (signedInputs && t == inputSlices - 1 ? -1 : 1);
                float[] c = codes[t];
                if (cycleSums != null) {
                    float exact = (float) significance;
                    for (int i = p * width, end = i + width; i < end; i++) cycleSums[i] += exact * c[i];
                } else {
                    for (int i = p * width, end = i + width; i < end; i++) weighted[i] += significance * c[i];
                }
            }
        }
        if (cycleSums != null) for (int i = 0, end = pn * width; i < end; i++) weighted[i] = cycleSums[i];
        for (int p = 0; p < pn; p++) {
            int row = p * width;
            for (int cb = 0; cb < colBlocks; cb++) {
                Block b = blocks[rowBlock * colBlocks + cb];
                int pos = row + b.posAt;
                int neg = row + b.negAt;
                double unit = offsetEncoding ? weighted[pos + b.cellCols - 1] : 0;
                int o = (p0 + p) * cols + b.c0;
                for (int j = 0, col = 0; j < b.c1 - b.c0; j++) {
                    double acc = b.unitWeight[j] * unit;
                    for (int s = 0; s < slices; s++, col++) {
                        double v = differential ? weighted[pos + col] - weighted[neg + col] : weighted[pos + col];
                        acc += b.cellWeight[col] * v;
                    }
                    out[o + j] += acc * lsb;
                }
            }
        }
    }

    /**
     * The ADC on one array's columns ({@code sums[at…at+cellCols)}, column sums above G_min): read noise, gain and
     * offset error, rounding to its step, saturation at 0 and its top code; values in sum units. An ideal range
     * passes the sums on unrounded.
     */
    private void convert(float[] sums, float[] vars, int at, int cellCols, double gain, double offsetLsb,
                         SplittableRandom noise, ActivityCounter activity, double[] values) {
        long top = adc.maxCode();
        double gainPerLsb = gain / lsb;
        boolean ideal = adc.range() == AdcRange.IDEAL;
        for (int c = 0; c < cellCols; c++) {
            double analog = sums[at + c];
            if (readNoise > 0) analog += readNoise * Math.sqrt(vars[at + c]) * noise.nextGaussian();
            if (measureOnly) {
                if (activity != null) activity.maxColumnSum = Math.max(activity.maxColumnSum, analog);
                values[c] = analog;
                continue;
            }
            double x = analog * gainPerLsb + offsetLsb;
            if (ideal) {
                if (activity != null) {
                    activity.conversions++;
                    activity.maxColumnSum = Math.max(activity.maxColumnSum, analog);
                }
                values[c] = x * lsb;
                continue;
            }
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
