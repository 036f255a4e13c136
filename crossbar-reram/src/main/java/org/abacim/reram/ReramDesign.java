package org.abacim.reram;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.abacim.core.config.InvalidValueException;
import org.abacim.core.analog.AdcModel;
import org.abacim.core.analog.MeasuredDevice;
import org.abacim.core.analog.InputStatistics;
import org.abacim.core.arch.Action;
import org.abacim.core.arch.Component;
import org.abacim.core.arch.Hierarchy;
import org.abacim.core.arch.Ledger;
import org.abacim.core.arch.Level;
import org.abacim.core.periphery.Peripherals;
import org.abacim.core.tech.ArrayGeometry;
import org.abacim.core.tech.CellWrites;
import org.abacim.core.tech.ArrayModel;
import org.abacim.core.tech.Design;
import org.abacim.core.tech.DesignInfo;
import org.abacim.core.tech.MvmActivity;
import org.abacim.core.tech.MvmNumerics;
import org.abacim.core.tech.OperandWrites;
import org.abacim.core.tech.Organization;
import org.abacim.core.tech.PlacementConstraint;
import org.abacim.core.tech.ProcessPoint;
import org.abacim.core.tech.SignEncoding;
import org.abacim.core.units.Area;
import org.abacim.core.units.DataRate;
import org.abacim.core.units.DataSize;
import org.abacim.core.units.Energy;
import org.abacim.core.units.Frequency;
import org.abacim.core.units.Power;
import org.abacim.core.units.Time;

/**
 * A ReRAM crossbar accelerator in ISAAC's organization: chip → tiles → IMAs → crossbars, each IMA with its ADCs,
 * DACs, sample-and-holds, shift-and-add units and registers; each tile with an eDRAM buffer, a bus, a share of a
 * router and its digital units.
 *
 * <p>Energy per action follows one rule: a unit's table power divided by the rate at which it performs that action
 * when the design is fully busy. Analog units act once per crossbar read cycle (a DAC drives its row, a
 * sample-and-hold holds its column, a crossbar reads); an ADC converts at its sample rate; IMA registers serve
 * each of their arrays once per read cycle; the IMA's shift-and-add units take every conversion; tile units act
 * once per clock (per bit for the buffer, bus and router, by their widths). Consequently a fully busy design draws
 * exactly its table power, and the energy ledger of an inference sums back to the table.
 */
public final class ReramDesign implements Design, ArrayModel {
    private final DesignInfo info;
    private final ReramParams p;
    private final ArrayGeometry geometry;
    private final Organization organization;
    private final Hierarchy hierarchy;
    private final int adcBits;
    private final double readCycleS;
    private final double adcRateHz;
    private final Component crossbar, adc, dac, sampleHold, imaShiftAdd, inputRegister, outputRegister, signBits;
    /** Rows whose column sum one conversion sees: a polarized fragment, else the whole column. */
    private final int conversionRows;

    /** Measured conductance states the numerics draw cells from (device.measured), or null. */
    private final MeasuredDevice measured;
    private final Optional<OperandWrites> operandWrites;

    public ReramDesign(DesignInfo info, ReramParams p) {
        this(info, p, null);
    }

    /** A design whose cells take {@code measured} states (loaded from {@code device.measured}; null: none). */
    public ReramDesign(DesignInfo info, ReramParams p, MeasuredDevice measured) {
        this.measured = measured;
        this.info = info;
        this.p = p;
        ReramParams.ArrayParams a = p.array();
        this.geometry = new ArrayGeometry(a.rows(), a.cols(), p.weightBits(), a.bitsPerCell(), p.inputBits(),
                a.dacBits(), a.signEncoding(), a.signEncoding() == CrossbarEncoding.POLARIZED ? a.fragmentRows() : a.rows());
        ReramParams.OrganizationParams o = p.organization();
        this.organization = new Organization("ima", o.arraysPerIma(), o.imasPerTile(), o.tilesPerChip());
        this.conversionRows = geometry.fragmentRows();
        this.adcBits = p.adc().bits().isAuto()
                ? losslessAdcBits(conversionRows, a.dacBits(), a.bitsPerCell(), a.signEncoding())
                : p.adc().bits().fixed();
        if (adcBits > 16) {
            throw new InvalidValueException("adc.bits", "auto", "the lossless resolution for " + conversionRows
                    + " rows per conversion, " + a.dacBits() + "-bit DACs and " + a.bitsPerCell() + " bits per cell is "
                    + adcBits + " bits, beyond the ADC model's 1–16; set adc.bits, or convert fewer rows or cell bits at once");
        }
        this.readCycleS = a.readCycle().seconds();
        this.adcRateHz = p.adc().sampleRate().hertz();

        ReramParams.ImaComponents ima = p.ima();
        int arrays = o.arraysPerIma();
        double cellScale = (double) a.rows() * a.cols() / ((double) ima.crossbar().rows() * ima.crossbar().cols());
        Power crossbarPower = ima.crossbar().power().times(cellScale / ima.crossbar().instances());
        ProcessPoint process = p.process();
        // The crossbar's cells follow the feature size; everything else in the tables is CMOS (see ProcessPoint).
        crossbar = process.deviceCells(Component.of("crossbar", arrays, crossbarPower,
                ima.crossbar().area().times(cellScale / ima.crossbar().instances()),
                Map.of(Action.ARRAY_READ, Energy.of(crossbarPower.watts() * readCycleS)), ima.crossbar().source()));

        adc = process.cmos(Peripherals.adc(p.adc().reference(), adcBits, p.adc().sampleRate(),
                (double) arrays * p.adc().perArray(), process.reference().node(), process.reference().supply()));
        Time readCycle = a.readCycle();
        dac = process.cmos(Peripherals.perPeriod("dac", ima.dac(), (double) arrays * a.rows(), Action.ROW_DRIVE,
                readCycle));
        sampleHold = process.cmos(Peripherals.perPeriod("sample_hold", ima.sampleHold(), (double) arrays * a.cols(),
                Action.SAMPLE_HOLD, readCycle));
        imaShiftAdd = process.cmos(Peripherals.sharedRate("ima_shift_add", ima.shiftAdd(), Action.SHIFT_ADD,
                (double) arrays * p.adc().perArray() * adcRateHz));
        double arrayCyclesPerSecond = arrays / readCycleS;
        inputRegister = process.cmos(Peripherals.sharedRate("ima_input_register", ima.inputRegister(),
                Action.INPUT_REGISTER, arrayCyclesPerSecond));
        outputRegister = process.cmos(Peripherals.sharedRate("ima_output_register", ima.outputRegister(),
                Action.OUTPUT_REGISTER, arrayCyclesPerSecond));
        // Polarized fragments keep one sign bit per fragment of each weight column, read with each conversion;
        // the register's power is shared by the IMA's conversions like the shift-and-add units'.
        long signBitsPerIma = a.signEncoding() == CrossbarEncoding.POLARIZED
                ? (long) arrays * (a.rows() / a.fragmentRows()) * geometry.weightsPerRow() : 0;
        Power signStorePower = ima.signBit().powerEach().times(signBitsPerIma);
        double conversionsPerSecond = (double) arrays * p.adc().perArray() * adcRateHz;
        signBits = process.cmos(Component.of("sign_bits", signBitsPerIma, ima.signBit().powerEach(), ima.signBit().areaEach(),
                Map.of(ReramActions.SIGN_BIT_READ, Energy.of(signStorePower.watts() / conversionsPerSecond)),
                ima.signBit().source()));

        ReramParams.TileComponents t = p.tile();
        Time clock = p.clock().period();
        Component edram = process.cmos(Peripherals.buffer("edram", t.edram(), p.clock()));
        Component bus = process.cmos(Peripherals.bus("bus", t.bus(), p.clock()));
        Component router = process.cmos(Peripherals.router("router", t.router(), p.clock()));
        Component activation = process.cmos(Peripherals.perPeriod("activation_unit", t.activation(),
                t.activation().instances(), Action.ACTIVATION, clock));
        Component tileShiftAdd = process.cmos(Peripherals.perPeriod("tile_shift_add", t.shiftAdd(),
                t.shiftAdd().instances(), Action.PARTIAL_SUM_ADD, clock));
        Component maxPool = process.cmos(Peripherals.perPeriod("maxpool", t.maxPool(), t.maxPool().instances(),
                Action.POOL, clock));
        Component tileOutput = process.cmos(Peripherals.perPeriod("tile_output_register", t.outputRegister(),
                t.outputRegister().instances(), Action.OUTPUT_BUFFER, clock));
        // Off-chip links follow their I/O standard and pads, not the logic node: kept as published.
        Component offChip = Peripherals.offChipLink("offchip_link", p.chip().offChip());

        this.hierarchy = new Hierarchy(List.of(
                new Level("chip", 1, List.of(offChip)),
                new Level("tile", o.tilesPerChip(),
                        List.of(edram, bus, router, activation, tileShiftAdd, maxPool, tileOutput)),
                new Level("ima", o.imasPerTile(),
                        List.of(crossbar, adc, dac, sampleHold, imaShiftAdd, inputRegister, outputRegister, signBits))));
        // Writing activations into the cells: the device's energy per cell, kept at another node as cell energies are.
        this.operandWrites = Optional.ofNullable(p.write()).map(w -> new OperandWrites(process.deviceCells(
                Component.of("operand_write", 1, Power.of(0), Area.of(0), Map.of(Action.OPERAND_WRITE, w.energy()),
                        w.source())), w.endurance(), w.source()));
    }

    /**
     * ISAAC's rule for the resolution that converts a column sum without loss: log2(rows) + v + w bits, less one
     * when v or w is 1, less one more with the unit-column encoding (it keeps the sum's top bit zero). The unit
     * column itself counts up to rows·(2^v − 1), which with 1-bit cells needs one bit more than the rule gives;
     * the larger of the two is taken (for ISAAC both are 8).
     */
    public static int losslessAdcBits(int rows, int dacBits, int bitsPerCell, SignEncoding encoding) {
        int log2Rows = 32 - Integer.numberOfLeadingZeros(Math.max(1, rows - 1));
        int bits = log2Rows + dacBits + bitsPerCell;
        if (dacBits == 1 || bitsPerCell == 1) bits -= 1;
        if (encoding == CrossbarEncoding.OFFSET_UNIT_COLUMN) {
            bits -= 1;
            long unitMax = (long) rows * ((1L << dacBits) - 1);
            bits = Math.max(bits, 64 - Long.numberOfLeadingZeros(unitMax));
        }
        return Math.max(1, bits);
    }

    /** The ADC resolution in use (the lossless one when {@code adc.bits} is auto). */
    public int adcBits() { return adcBits; }

    @Override
    public void countMvm(int rowsUsed, int colsUsed, double times, Ledger ledger) {
        countMvm(rowsUsed, colsUsed, times, MvmActivity.ASSUMED, ledger);
    }

    /**
     * A 1-bit DAC drives its row only for a set bit, and a read draws current only through driven rows: with
     * measured activity both scale by the fraction of non-zero input digits (array reads are then counted in
     * full-array equivalents). Every fragment of every used column is converted on each of its cycles: all input
     * cycles, or with zero-skipping only until its inputs have no set bit left (measured, or from the input
     * statistics); registers work while any fragment of the array is still running.
     */
    @Override
    public void countMvm(int rowsUsed, int colsUsed, double times, MvmActivity activity, Ledger ledger) {
        Cycles c = cycles(rowsUsed, activity);
        double converted = geometry.convertedColumns(colsUsed) * c.fragments() * c.fragmentCycles() * times;
        double rowCycles = geometry.inputCycles() * times * activity.rowDriveFraction();
        ledger.add(dac, Action.ROW_DRIVE, rowsUsed * rowCycles);
        ledger.add(crossbar, Action.ARRAY_READ, rowCycles);
        ledger.add(sampleHold, Action.SAMPLE_HOLD, converted);
        ledger.add(adc, Action.ADC_CONVERT, converted);
        ledger.add(imaShiftAdd, Action.SHIFT_ADD, converted);
        if (geometry.signEncoding() == CrossbarEncoding.POLARIZED) ledger.add(signBits, ReramActions.SIGN_BIT_READ, converted);
        ledger.add(inputRegister, Action.INPUT_REGISTER, c.arrayCycles() * times);
        ledger.add(outputRegister, Action.OUTPUT_REGISTER, c.arrayCycles() * times);
    }

    /** Each input cycle takes a crossbar read, overlapped with converting the previous cycle's columns. */
    @Override
    public double mvmSeconds(int rowsUsed, int colsUsed) {
        return mvmSeconds(rowsUsed, colsUsed, MvmActivity.ASSUMED);
    }

    /**
     * The array reads while any of its fragments runs; the ADCs shared by the array convert every fragment's
     * cycles. Without zero-skipping: every cycle, a read overlapped with converting the previous cycle's columns.
     */
    @Override
    public double mvmSeconds(int rowsUsed, int colsUsed, MvmActivity activity) {
        Cycles c = cycles(rowsUsed, activity);
        double conversions = geometry.convertedColumns(colsUsed) * c.fragments() * c.fragmentCycles();
        double conversionS = conversions / (p.adc().perArray() * adcRateHz);
        if (!p.array().zeroSkipping()) return c.arrayCycles() * Math.max(readCycleS, conversionS / c.arrayCycles());
        return Math.max(c.arrayCycles() * readCycleS, conversionS);
    }

    /** Fragments per used column, and the mean input cycles of a fragment and of the whole array. */
    private record Cycles(int fragments, double fragmentCycles, double arrayCycles) {}

    private Cycles cycles(int rowsUsed, MvmActivity activity) {
        int fragments = (rowsUsed + conversionRows - 1) / conversionRows;
        int full = geometry.inputCycles();
        if (!p.array().zeroSkipping()) return new Cycles(fragments, full, full);
        if (activity.cyclesMeasured()) return new Cycles(fragments, activity.groupCycles(), activity.arrayCycles());
        InputStatistics s = p.inputStatistics();
        return new Cycles(fragments, s.expectedCycles(Math.min(rowsUsed, conversionRows), p.inputBits(), geometry.dacBits()),
                s.expectedCycles(rowsUsed, p.inputBits(), geometry.dacBits()));
    }

    @Override public DesignInfo info() { return info; }

    @Override public ArrayGeometry geometry() { return geometry; }

    @Override
    public List<PlacementConstraint> placementConstraints() {
        return geometry.signEncoding() == CrossbarEncoding.POLARIZED
                ? List.of(new PolarizedFragments(geometry.fragmentRows())) : List.of();
    }

    @Override public Organization organization() { return organization; }

    @Override public Hierarchy hierarchy() { return hierarchy; }

    @Override public ArrayModel arrayModel() { return this; }

    @Override public Frequency clock() { return p.clock(); }

    @Override public int activationBits() { return p.inputBits(); }

    @Override
    public Optional<DataRate> offChipBandwidth() {
        return Optional.of(p.chip().offChip().bandwidth());
    }

    public ReramParams parameters() { return p; }

    @Override
    public Optional<MvmNumerics> numerics() {
        ReramParams.AdcParams a = p.adc();
        return Optional.of(new CrossbarNumerics(geometry,
                new AdcModel(adcBits, a.range(), a.offsetSigma(), a.gainSigma()), p.device(), conversionRows,
                p.array().zeroSkipping(), measured, wireModel()));
    }

    /**
     * The wires in the numerics' units: resistances times one level step ΔG = (1/rOn − 1/rOff) / (levels − 1), so
     * they meet conductances counted in level steps. Unlike the rest of the cell, here the absolute resistances
     * matter, not only their ratio. With measured states the step is theirs (in siemens, right after programming).
     */
    IrDrop.WireModel wireModel() {
        ReramParams.Wires w = p.wires();
        if (w.ideal()) return IrDrop.WireModel.NONE;
        int levels = 1 << p.array().bitsPerCell();
        double step = measured != null ? measured.cells(levels, p.device().measuredTime().seconds()).stepSiemens()
                : (1 / p.device().rOn().ohms() - 1 / p.device().rOff().ohms()) / (levels - 1);
        return new IrDrop.WireModel(p.wordLineSegment().ohms() * step, p.bitLineSegment().ohms() * step,
                w.access().ohms() * step, w.calibrateColumns());
    }

    @Override
    public Optional<OperandWrites> operandWrites() {
        return operandWrites;
    }

    /** Rows written one after another, every cell of a row at once (no verify pulses beyond the row time). */
    @Override
    public double writeSeconds(int rowsUsed, int colsUsed) {
        return CellWrites.arraySeconds(p.write(), rowsUsed);
    }

    @Override
    public Optional<DataSize> bufferCapacity() {
        return Optional.of(p.tile().edram().size().times(p.organization().tilesPerChip()));
    }

    @Override
    public Optional<ProcessPoint> process() {
        return Optional.of(p.process());
    }
}
