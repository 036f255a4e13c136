package org.abacim.mram;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.abacim.core.arch.Action;
import org.abacim.core.arch.Component;
import org.abacim.core.arch.Hierarchy;
import org.abacim.core.arch.Ledger;
import org.abacim.core.arch.Level;
import org.abacim.core.tech.ArrayGeometry;
import org.abacim.core.tech.ArrayModel;
import org.abacim.core.tech.Design;
import org.abacim.core.tech.DesignInfo;
import org.abacim.core.tech.MvmNumerics;
import org.abacim.core.tech.OperandWrites;
import org.abacim.core.tech.Organization;
import org.abacim.core.tech.ProcessPoint;
import org.abacim.core.units.Area;
import org.abacim.core.units.DataRate;
import org.abacim.core.units.DataSize;
import org.abacim.core.units.Energy;
import org.abacim.core.units.Frequency;
import org.abacim.core.units.Power;

/**
 * A chip of SOT-MRAM computational sub-arrays. The placer's array is one sub-array seen from its bit lines: a matrix
 * row (one input) is a bit line, and a weight's n bits sit on n word lines of that bit line; {@code inputBits} word
 * lines are kept for the input bit-planes. A multiply of a tile with R inputs and C weight word lines writes the m
 * input planes (m word-line writes of R cells, one write pulse each), then for every input plane and weight word line
 * opens the two rows, senses the AND on R bit lines, counts the ones and shifts the count into its output:
 * m·C dual-row reads one after another. Energy: the SOT writes of the input bits, each bit line's read current and
 * its sense amplifier, the bit-counter per counted bit, one shift-add per popcount, and the bank buffer for the
 * activations. Weights are written once (their cost is the programming cost, not an inference's).
 */
public final class SotMramDesign implements Design, ArrayModel {
    private final DesignInfo info;
    private final SotMramParams p;
    private final ArrayGeometry geometry;
    private final Organization organization;
    private final Hierarchy hierarchy;
    private final SenseMargin margin;
    private final double readS, writeS;
    private final Component array, senseAmps, logic;
    private final Optional<OperandWrites> operandWrites;

    public SotMramDesign(DesignInfo info, SotMramParams p) {
        this.info = info;
        this.p = p;
        SotMramParams.ArrayParams s = p.array();
        this.geometry = new ArrayGeometry(s.cols(), s.rows() - p.inputBits(), p.weights().bits(), 1,
                p.inputBits(), 1, BitPlaneEncoding.TWOS_COMPLEMENT);
        SotMramParams.OrganizationParams o = p.organization();
        this.organization = new Organization("mat", o.arraysPerMat(), o.matsPerBank(), o.banksPerChip());
        this.margin = SenseMargin.of(p.cell(), p.read(), p.senseAmp());
        this.readS = p.read().time().seconds();
        this.writeS = p.cell().writePulse().seconds();

        // A bit line with two rows open draws V²·G for one sense; with bits equally likely its mean G is G_P + G_AP.
        double v = p.read().voltage().volts();
        Energy bitLineSense = Energy.of(v * v * (margin.level(0) + margin.level(2)) / 2 * readS);
        long cells = (long) s.rows() * s.cols();
        // MTJ cells follow the feature size (their read and write energies are the device's); the rest is CMOS.
        ProcessPoint process = p.process();
        array = process.deviceCells(Component.of("mtj_array", o.arraysPerMat(),
                Power.of(s.cols() * bitLineSense.joules() / readS),
                p.cell().area().times(cells),
                Map.of(SotMramActions.ROW_PAIR_SENSE, bitLineSense, Action.CELL_WRITE, p.cell().writeEnergy()),
                p.cell().source()));
        senseAmps = process.cmos(Component.of("sense_amp", (double) o.arraysPerMat() * s.cols(),
                Power.of(p.senseAmp().energy().joules() / readS), p.senseAmp().area(),
                Map.of(SotMramActions.ROW_PAIR_SENSE, p.senseAmp().energy()), p.senseAmp().source()));
        logic = process.cmos(new Component("bit_counter_shifter", o.arraysPerMat(),
                Power.of((s.cols() * p.logic().bitCount().joules() + p.logic().shiftAdd().joules()) / readS),
                p.logic().area(), p.leakagePerArray(),
                Map.of(SotMramActions.BIT_COUNT, p.logic().bitCount(), Action.SHIFT_ADD, p.logic().shiftAdd()),
                p.logic().source()));
        Component buffer = process.cmos(Component.of("buffer", 1, Power.of(0), p.buffer().area(),
                Map.of(Action.BUFFER_READ, p.buffer().read(), Action.BUFFER_WRITE, p.buffer().write()),
                p.buffer().source()));
        this.hierarchy = new Hierarchy(List.of(
                new Level("chip", 1, List.of()),
                new Level("bank", o.banksPerChip(), List.of(buffer)),
                new Level("mat", o.matsPerBank(), List.of(array, senseAmps, logic))));
        // An activation written into the cells costs the same SOT write as an input bit-plane.
        this.operandWrites = Optional.ofNullable(p.cell().endurance()).map(e -> new OperandWrites(process.deviceCells(
                Component.of("operand_write", 1, Power.of(0), Area.of(0),
                        Map.of(Action.OPERAND_WRITE, p.cell().writeEnergy()), p.cell().source())),
                e, p.cell().enduranceSource()));
    }

    @Override
    public Optional<OperandWrites> operandWrites() {
        return operandWrites;
    }

    @Override
    public Optional<DataSize> bufferCapacity() {
        return Optional.ofNullable(p.buffer().size()).map(s -> s.times(p.organization().banksPerChip()));
    }

    public SotMramParams parameters() { return p; }

    public SenseMargin senseMargin() { return margin; }

    @Override
    public void countMvm(int rowsUsed, int colsUsed, double times, Ledger ledger) {
        int m = p.inputBits();
        ledger.add(array, Action.CELL_WRITE, (double) m * rowsUsed * times);
        double sensed = (double) m * colsUsed * rowsUsed * times;
        ledger.add(array, SotMramActions.ROW_PAIR_SENSE, sensed);
        ledger.add(senseAmps, SotMramActions.ROW_PAIR_SENSE, sensed);
        ledger.add(logic, SotMramActions.BIT_COUNT, sensed);
        ledger.add(logic, Action.SHIFT_ADD, (double) m * colsUsed * times);
    }

    /** The input planes written (one pulse per word line), then one dual-row read per input plane and weight row. */
    @Override
    public double mvmSeconds(int rowsUsed, int colsUsed) {
        int m = p.inputBits();
        return m * writeS + (double) m * colsUsed * readS;
    }

    /** Weights are written a word line at a time, every bit line of it at once. */
    @Override
    public double writeSeconds(int rowsUsed, int colsUsed) {
        return colsUsed * writeS;
    }

    @Override public DesignInfo info() { return info; }

    @Override public ArrayGeometry geometry() { return geometry; }

    @Override public Organization organization() { return organization; }

    @Override public Hierarchy hierarchy() { return hierarchy; }

    @Override public ArrayModel arrayModel() { return this; }

    @Override public Frequency clock() { return Frequency.of(1 / readS); }

    @Override public int activationBits() { return p.inputBits(); }

    @Override public Optional<DataRate> offChipBandwidth() { return Optional.empty(); }

    @Override
    public Optional<MvmNumerics> numerics() {
        return Optional.of(new BitwiseNumerics(geometry, margin));
    }

    @Override
    public Optional<ProcessPoint> process() {
        return Optional.of(p.process());
    }
}
