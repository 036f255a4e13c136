package org.abacim.core.tech;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.abacim.core.arch.Action;
import org.abacim.core.arch.Component;
import org.abacim.core.arch.Hierarchy;
import org.abacim.core.arch.Ledger;
import org.abacim.core.arch.Level;
import org.abacim.core.units.Area;
import org.abacim.core.units.DataRate;
import org.abacim.core.units.Energy;
import org.abacim.core.units.Frequency;
import org.abacim.core.units.Power;

/**
 * A design small enough to cost by hand: round energies per action, 1 µs per input cycle, two array groups of one
 * array each on a chip. Used by the engine tests.
 */
public final class ToyDesign implements Design, ArrayModel {
    public static final double CYCLE_S = 1e-6;
    final ArrayGeometry geometry;
    final Component adc = Component.of("adc", 1, Power.ofMilliwatts(1), Area.ofSquareMillimeters(0.01),
            Map.of(Action.ADC_CONVERT, Energy.ofPicojoules(2)), "toy");
    final Component dac;
    final Component buffer = Component.of("buffer", 1, Power.ofMilliwatts(2), Area.ofSquareMillimeters(0.1),
            Map.of(Action.BUFFER_READ, Energy.ofPicojoules(0.1), Action.BUFFER_WRITE, Energy.ofPicojoules(0.1)), "toy");
    final Component relu = Component.of("relu", 1, Power.ofMilliwatts(0.1), Area.ofSquareMillimeters(0.001),
            Map.of(Action.ACTIVATION, Energy.ofPicojoules(0.5)), "toy");
    final Hierarchy hierarchy;

    final int groupsPerChip;
    /** Writing activations into the arrays: empty unless made by {@link #writing}. */
    private Optional<OperandWrites> operandWrites = Optional.empty();
    private double rowWriteS = Double.NaN;

    public ToyDesign(int rows, int cols) {
        this(rows, cols, 2);
    }

    /** A toy chip of {@code groupsPerChip} array groups of one array each. */
    public ToyDesign(int rows, int cols, int groupsPerChip) {
        this(rows, cols, groupsPerChip, TestEncoding.UNSIGNED);
    }

    /** The same with another sign encoding (for placement tests). */
    public ToyDesign(int rows, int cols, int groupsPerChip, SignEncoding encoding) {
        this(new ArrayGeometry(rows, cols, 1, 1, 2, 1, encoding), groupsPerChip);
    }

    /** A toy chip of arrays of any geometry (weights of several bits in cells of several bits). */
    public ToyDesign(ArrayGeometry geometry, int groupsPerChip) {
        this.groupsPerChip = groupsPerChip;
        this.geometry = geometry;
        int rows = geometry.rows();
        dac = Component.of("dac", rows, Power.ofMilliwatts(0.5), Area.ofSquareMillimeters(0.001),
                Map.of(Action.ROW_DRIVE, Energy.ofPicojoules(1)), "toy");
        hierarchy = new Hierarchy(List.of(
                new Level("chip", 1, List.of()),
                new Level("tile", 1, List.of(buffer, relu)),
                new Level("group", groupsPerChip, List.of(adc, dac))));
    }

    /**
     * A toy whose cells can be written every inference: {@code energyPj} per cell, rows one after another in
     * {@code rowSeconds} each, {@code endurance} writes per cell.
     */
    public static ToyDesign writing(int rows, int cols, double energyPj, double rowSeconds, double endurance) {
        ToyDesign d = new ToyDesign(rows, cols);
        d.operandWrites = Optional.of(new OperandWrites(Component.of("operand_write", 1, Power.of(0), Area.of(0),
                Map.of(Action.OPERAND_WRITE, Energy.ofPicojoules(energyPj)), "toy write"), endurance, "toy endurance"));
        d.rowWriteS = rowSeconds;
        return d;
    }

    @Override public Optional<OperandWrites> operandWrites() { return operandWrites; }

    @Override public double writeSeconds(int rowsUsed, int colsUsed) { return rowsUsed * rowWriteS; }

    @Override
    public void countMvm(int rowsUsed, int colsUsed, double times, Ledger ledger) {
        ledger.add(dac, Action.ROW_DRIVE, rowsUsed * geometry.inputCycles() * times);
        ledger.add(adc, Action.ADC_CONVERT, colsUsed * geometry.inputCycles() * times);
    }

    @Override
    public double mvmSeconds(int rowsUsed, int colsUsed) {
        return geometry.inputCycles() * CYCLE_S;
    }

    @Override public DesignInfo info() { return new DesignInfo("toy", "toy", "hand-costed", "the test"); }

    @Override public ArrayGeometry geometry() { return geometry; }

    @Override public Organization organization() { return new Organization("group", 1, groupsPerChip, 1); }

    @Override public Hierarchy hierarchy() { return hierarchy; }

    @Override public ArrayModel arrayModel() { return this; }

    @Override public Frequency clock() { return Frequency.ofGigahertz(1); }

    @Override public int activationBits() { return 2; }

    /** Toy designs with more than one chip would need a link; tests that span chips give the toy one. */
    @Override public Optional<DataRate> offChipBandwidth() { return Optional.empty(); }
}
