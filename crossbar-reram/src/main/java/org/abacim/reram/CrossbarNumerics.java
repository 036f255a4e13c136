package org.abacim.reram;

import java.util.Optional;
import org.abacim.core.analog.AdcModel;
import org.abacim.core.analog.Chip;
import org.abacim.core.analog.DeviceModel;
import org.abacim.core.analog.MeasuredDevice;
import org.abacim.core.tech.ArrayGeometry;
import org.abacim.core.tech.ExactProduct;
import org.abacim.core.tech.MvmNumerics;
import org.abacim.core.tech.ProgrammedLayer;
import org.abacim.core.units.Time;

/**
 * The integer arithmetic of ReRAM crossbars with bit-serial inputs, per array tile and input slice:
 * <ul>
 * <li>weights become cells of {@code bitsPerCell} bits: with ISAAC's offset encoding each weight is stored as
 * w + 2^(k−1); a column whose cells sum to more than half the range is stored flipped (2^b − 1 − cell), which keeps
 * its sums within half the range; a unit column (cells of 1) counts the input slice. Differential pairs store
 * the positive and negative magnitudes in two arrays; unsigned weights are stored as they are;</li>
 * <li>inputs are applied {@code dacBits} at a time (unsigned; signed inputs need 1-bit DACs, whose last cycle —
 * the two's-complement sign bit — is subtracted, as ISAAC does);</li>
 * <li>each column sum is converted by a saturating ADC of {@code adcBits}: codes above 2^n − 1 clip;</li>
 * <li>codes are shifted and added over weight slices and input slices; flipped columns are recovered from the
 * unit column; the weight offset is removed with the input sum, also from the unit column.</li>
 * </ul>
 * Partial sums of arrays stacked along the rows are added digitally. With ISAAC's lossless resolution rule no
 * code ever clips, and the result is the exact integer product. {@link #program} places a matrix on the arrays of
 * one simulated chip, with the device's non-idealities ({@link AnalogCrossbar}).
 */
public final class CrossbarNumerics implements MvmNumerics {
    private final ArrayGeometry g;
    private final int adcBits;
    private final long adcMax;
    private final AdcModel adc;
    private final DeviceModel device;

    /** Ideal devices, an error-free ADC of {@code adcBits} that clips. */
    public CrossbarNumerics(ArrayGeometry geometry, int adcBits) {
        this(geometry, AdcModel.ideal(adcBits), DeviceModel.perfect());
    }

    /** Polarized arrays get one sign per whole array column; see the constructor with fragments. */
    public CrossbarNumerics(ArrayGeometry geometry, AdcModel adc, DeviceModel device) {
        this(geometry, adc, device, geometry.rows());
    }

    /**
     * With the polarized encoding (FORMS) every fragment of {@code fragmentRows} rows of an array column holds
     * weights of one sign: cells store magnitudes, each fragment's column sum is converted on its own, and its sign
     * bit sets whether it is added or subtracted. Other encodings ignore {@code fragmentRows}.
     */
    public CrossbarNumerics(ArrayGeometry geometry, AdcModel adc, DeviceModel device, int fragmentRows) {
        this(geometry, adc, device, fragmentRows, false);
    }

    /**
     * With {@code zeroSkipping} (FORMS), a fragment's bit-serial cycles stop once none of its inputs has a set bit
     * left: the skipped conversions would have read zero, so only their ADC offset and read noise are saved.
     */
    public CrossbarNumerics(ArrayGeometry geometry, AdcModel adc, DeviceModel device, int fragmentRows,
                            boolean zeroSkipping) {
        this(geometry, adc, device, fragmentRows, zeroSkipping, (MeasuredDevice) null);
    }

    /**
     * With {@code measured} states (null: none), a cell draws its conductance from the measured level its design
     * level maps to, at {@code device.measuredTime} ({@link MeasuredDevice#cells}).
     */
    public CrossbarNumerics(ArrayGeometry geometry, AdcModel adc, DeviceModel device, int fragmentRows,
                            boolean zeroSkipping, MeasuredDevice measured) {
        this(geometry, adc, device, fragmentRows, zeroSkipping, measured, IrDrop.WireModel.NONE);
    }

    /**
     * With {@code wires} (resistances in units of 1/ΔG), simulated chips see IR drop on their word and bit lines and
     * the access device in series with each cell ({@link IrDrop}); the chip as designed does not.
     */
    CrossbarNumerics(ArrayGeometry geometry, AdcModel adc, DeviceModel device, int fragmentRows,
                     boolean zeroSkipping, IrDrop.WireModel wires) {
        this(geometry, adc, device, fragmentRows, zeroSkipping, null, wires);
    }

    CrossbarNumerics(ArrayGeometry geometry, AdcModel adc, DeviceModel device, int fragmentRows,
                     boolean zeroSkipping, MeasuredDevice measured, IrDrop.WireModel wires) {
        this.measured = measured;
        this.cells = measured == null ? null
                : measured.cells(1 << geometry.bitsPerCell(), device.measuredTime().seconds());
        this.g = geometry;
        this.wires = wires;
        this.zeroSkipping = zeroSkipping;
        this.adc = adc;
        this.device = device;
        this.adcBits = adc.bits();
        this.adcMax = adc.maxCode();
        if (fragmentRows < 1 || fragmentRows > geometry.rows() || geometry.rows() % fragmentRows != 0) {
            throw new IllegalArgumentException("fragments of " + fragmentRows + " rows do not divide the array's "
                    + geometry.rows() + " rows");
        }
        this.fragmentRows = g.signEncoding() == CrossbarEncoding.POLARIZED ? fragmentRows : g.rows();
    }

    private final int fragmentRows;
    private final boolean zeroSkipping;
    private final MeasuredDevice measured;
    private final MeasuredDevice.Cells cells;
    private final IrDrop.WireModel wires;

    @Override
    public MvmNumerics forWeightBits(int bits) {
        return new CrossbarNumerics(g.withWeightBits(bits), adc, device, fragmentRows, zeroSkipping, measured, wires);
    }

    @Override
    public Optional<CycleShape> cycleShape() {
        return Optional.of(new CycleShape(fragmentRows, g.rows(), g.inputBits(), g.dacBits()));
    }

    /** Rows whose column sum one conversion sees: a fragment (polarized) or a whole array. */
    int conversionRows() { return fragmentRows; }

    private boolean lossless() {
        return adcBits >= ReramDesign.losslessAdcBits(fragmentRows, g.dacBits(), g.bitsPerCell(), g.signEncoding());
    }

    @Override
    public boolean exact() {
        return lossless() && device.ideal() && cells == null && adc.errorFree() && !wires.any();
    }

    @Override
    public Optional<Time> driftReference() {
        // Measured states are kept from programming on; the analytic drift from its verification time t0.
        return Optional.of(measured != null ? Time.of(0) : device.drift().reference());
    }

    @Override
    public String refusesTime(Time time) {
        if (measured == null) return null;
        try {
            measured.cells(1 << g.bitsPerCell(), time.seconds());
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    @Override
    public ProgrammedLayer program(int[] w, int rows, int cols, boolean signedInputs, Chip chip) {
        check(w, rows, cols, new int[rows], signedInputs);
        // A lossless ADC on exactly programmed, noiseless cells collapses to the integer product.
        if (g.signEncoding() == CrossbarEncoding.POLARIZED) fragmentSigns(w, rows, cols);
        // A chip read at a time of its own sees its devices as they have aged by then (measured states at that time).
        DeviceModel aged = chip.timed() ? device.at(Time.of(chip.timeS())) : device;
        MeasuredDevice.Cells cellsNow = measured != null && chip.timed()
                ? measured.cells(1 << g.bitsPerCell(), aged.measuredTime().seconds()) : cells;
        boolean exactHere = lossless() && aged.ideal() && adc.errorFree() && !wires.any();
        if (lossless() && (chip.nominal() || exactHere) && !chip.everyConversion()) return new ExactProduct(w, rows, cols, g);
        AnalogCrossbar analog = new AnalogCrossbar(g, adc, aged, cellsNow, fragmentRows, zeroSkipping, w, rows, cols, signedInputs,
                chip, wires);
        // Static non-idealities through ideal converters are linear: one effective weight matrix per chip.
        if (analog.foldable() && !chip.everyConversion()) return new FoldedCrossbar(analog, rows, cols, g);
        return analog;
    }

    @Override
    public long[] multiply(int[] w, int rows, int cols, int[] x, boolean signedInputs) {
        check(w, rows, cols, x, signedInputs);
        if (g.signEncoding() == CrossbarEncoding.POLARIZED) fragmentSigns(w, rows, cols);
        long[] y = new long[cols];
        if (lossless()) {
            // Provably exact: the same integers, without walking the bits (tested equal to the slow path).
            for (int r = 0; r < rows; r++) {
                long xr = x[r];
                if (xr == 0) continue;
                for (int c = 0; c < cols; c++) y[c] += w[r * cols + c] * xr;
            }
            return y;
        }
        return bitLevel(w, rows, cols, x, signedInputs);
    }

    /** The full bit-level computation, every column sum through the ADC. */
    public long[] bitLevel(int[] w, int rows, int cols, int[] x, boolean signedInputs) {
        check(w, rows, cols, x, signedInputs);
        int k = g.weightBits();
        int b = g.bitsPerCell();
        int v = g.dacBits();
        int m = g.inputBits();
        int cellMax = (1 << b) - 1;
        int slices = g.cellsPerWeight();
        int inputSlices = (m + v - 1) / v;
        int dacMask = (1 << v) - 1;
        long offset = 1L << (k - 1);
        long[] y = new long[cols];
        int[] d = new int[g.rows()];
        boolean polarized = g.signEncoding() == CrossbarEncoding.POLARIZED;
        if (polarized) fragmentSigns(w, rows, cols);
        for (int r0 = 0; r0 < rows; r0 += fragmentRows) {
            int r1 = Math.min(rows, r0 + fragmentRows);
            for (int c = 0; c < cols; c++) {
                long acc = 0;
                int fragmentSign = polarized ? fragmentSign(w, cols, r0, r1, c) : 1;
                for (int s = 0; s < slices; s++) {
                    int shift = s * b;
                    // Cells of this weight slice down the rows of this array; flip decided from the weights alone.
                    int[] pos = new int[r1 - r0];
                    int[] neg = g.signEncoding() == CrossbarEncoding.DIFFERENTIAL ? new int[r1 - r0] : null;
                    long cellSum = 0;
                    for (int r = r0; r < r1; r++) {
                        int wv = w[r * cols + c];
                        if (g.signEncoding() == CrossbarEncoding.OFFSET_UNIT_COLUMN) {
                            pos[r - r0] = (int) (((wv + offset) >> shift) & cellMax);
                        } else if (neg != null) {
                            pos[r - r0] = (Math.max(wv, 0) >> shift) & cellMax;
                            neg[r - r0] = (Math.max(-wv, 0) >> shift) & cellMax;
                        } else if (polarized) {
                            pos[r - r0] = (Math.abs(wv) >> shift) & cellMax;
                        } else {
                            pos[r - r0] = (wv >> shift) & cellMax;
                        }
                        cellSum += pos[r - r0];
                    }
                    boolean flip = g.signEncoding() == CrossbarEncoding.OFFSET_UNIT_COLUMN
                            && 2 * cellSum > (long) (r1 - r0) * cellMax;
                    if (flip) for (int i = 0; i < pos.length; i++) pos[i] = cellMax - pos[i];
                    for (int t = 0; t < inputSlices; t++) {
                        for (int r = r0; r < r1; r++) d[r - r0] = (x[r] >> (t * v)) & dacMask;
                        long sum = 0;
                        long unit = 0;
                        long sumNeg = 0;
                        for (int i = 0; i < r1 - r0; i++) {
                            sum += (long) d[i] * pos[i];
                            unit += d[i];
                            if (neg != null) sumNeg += (long) d[i] * neg[i];
                        }
                        long code = adc(sum);
                        long value = flip ? cellMax * adc(unit) - code : code;
                        if (neg != null) value -= adc(sumNeg);
                        long weight = (1L << shift) << (t * v);
                        boolean signCycle = signedInputs && t == inputSlices - 1;
                        acc += signCycle ? -value * weight : value * weight;
                    }
                }
                if (g.signEncoding() == CrossbarEncoding.OFFSET_UNIT_COLUMN) {
                    // Σ x from the unit column (one conversion per input slice), times the stored offset.
                    long inputSum = 0;
                    for (int t = 0; t < inputSlices; t++) {
                        long unit = 0;
                        for (int r = r0; r < r1; r++) unit += (x[r] >> (t * v)) & dacMask;
                        long weight = 1L << (t * v);
                        boolean signCycle = signedInputs && t == inputSlices - 1;
                        inputSum += signCycle ? -adc(unit) * weight : adc(unit) * weight;
                    }
                    acc -= offset * inputSum;
                }
                y[c] += fragmentSign * acc;
            }
        }
        return y;
    }

    /** The sign bit of one fragment: all its non-zero weights must share it (all-zero fragments count as +). */
    static int fragmentSign(int[] w, int cols, int r0, int r1, int c) {
        int sign = 0;
        for (int r = r0; r < r1; r++) {
            int s = Integer.signum(w[r * cols + c]);
            if (s == 0) continue;
            if (sign != 0 && s != sign) {
                throw new IllegalArgumentException("weights in rows " + r0 + "–" + (r1 - 1) + " of column " + c
                        + " mix signs; polarized arrays need polarized weights (every fragment one sign)");
            }
            sign = s;
        }
        return sign < 0 ? -1 : 1;
    }

    /** Checks every fragment of every column (throws on the first that mixes signs). */
    void fragmentSigns(int[] w, int rows, int cols) {
        for (int r0 = 0; r0 < rows; r0 += fragmentRows) {
            for (int c = 0; c < cols; c++) fragmentSign(w, cols, r0, Math.min(rows, r0 + fragmentRows), c);
        }
    }

    private long adc(long columnSum) {
        return Math.min(columnSum, adcMax);
    }

    private void check(int[] w, int rows, int cols, int[] x, boolean signedInputs) {
        if (w.length != rows * cols || x.length != rows) {
            throw new IllegalArgumentException("weights " + w.length + " for " + rows + "×" + cols + ", inputs " + x.length);
        }
        if (signedInputs && g.dacBits() != 1) {
            throw new IllegalArgumentException("signed inputs need 1-bit DACs (the sign cycle is subtracted)");
        }
        int m = g.inputBits();
        long lo = signedInputs ? -(1L << (m - 1)) : 0;
        long hi = signedInputs ? (1L << (m - 1)) - 1 : (1L << m) - 1;
        for (int xv : x) {
            if (xv < lo || xv > hi) throw new IllegalArgumentException("input " + xv + " outside " + m + "-bit range");
        }
        long wMax = (1L << (g.weightBits() - 1)) - 1;
        long wMin = g.signEncoding() == CrossbarEncoding.OFFSET_UNIT_COLUMN ? -wMax - 1
                : g.signEncoding() == CrossbarEncoding.UNSIGNED ? 0 : -wMax;
        if (g.signEncoding() == CrossbarEncoding.UNSIGNED) wMax = (1L << g.weightBits()) - 1;
        for (int wv : w) {
            if (wv < wMin || wv > wMax) {
                throw new IllegalArgumentException("weight " + wv + " outside the " + g.weightBits() + "-bit "
                        + g.signEncoding() + " range");
            }
        }
    }
}
