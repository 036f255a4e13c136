package org.abacim.sram;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.abacim.core.arch.Action;
import org.abacim.core.arch.Component;
import org.abacim.core.arch.Hierarchy;
import org.abacim.core.arch.Ledger;
import org.abacim.core.arch.Level;
import org.abacim.core.arch.Provenance;
import org.abacim.core.config.InvalidValueException;
import org.abacim.core.periphery.Peripherals;
import org.abacim.core.placement.LayerPlacement;
import org.abacim.core.placement.TileClass;
import org.abacim.core.tech.ArrayGeometry;
import org.abacim.core.tech.CellWrites;
import org.abacim.core.tech.ArrayModel;
import org.abacim.core.tech.Design;
import org.abacim.core.tech.DesignInfo;
import org.abacim.core.tech.MvmActivity;
import org.abacim.core.tech.MvmNumerics;
import org.abacim.core.tech.Organization;
import org.abacim.core.tech.OperandWrites;
import org.abacim.core.tech.ProcessPoint;
import org.abacim.core.units.Area;
import org.abacim.core.units.DataRate;
import org.abacim.core.units.Energy;
import org.abacim.core.units.Frequency;
import org.abacim.core.units.Power;

/**
 * A chip of CAP-RAM macros. The mapper's array is one sub-array (the rows whose cells are connected to the MAC
 * circuits in the same cycle, by all the columns); a macro is {@code cellsPerMac} sub-arrays that take turns and
 * may hold several layers. A sub-array multiply takes one MAC cycle per DAC input slice: every active row's input
 * injected as charge, the charge of each weight's cells shared (binary-weighted across its columns), one
 * conversion per weight column; a layer with signed inputs takes one more, its sign cycle (known from an accuracy
 * run's measured activity: without one the cost is the unsigned one). Energy: the fitted sub-array read (in
 * full-array equivalents of rows × columns in use), one ADC conversion per weight column, digital adds across
 * sub-arrays and MAC cycles. Power with all units busy is one sub-array per macro working every cycle, so a busy
 * macro draws exactly the power its energies imply.
 */
public final class CapRamDesign implements Design, ArrayModel {
    private final DesignInfo info;
    private final CapRamParams p;
    private final ArrayGeometry geometry;
    private final Organization organization;
    private final Hierarchy hierarchy;
    private final int adcBits;
    private final double cycleS;
    private final Component subArray, adc, accumulator;
    private final Optional<OperandWrites> operandWrites;

    public CapRamDesign(DesignInfo info, CapRamParams p) {
        this.info = info;
        this.p = p;
        CapRamParams.ArrayParams m = p.array();
        this.geometry = new ArrayGeometry(m.activeRows(), m.cols(), p.weights().bits(), 1, p.inputBits(), m.dacBits(),
                p.weights().encoding());
        this.organization = new Organization("macro", m.cellsPerMac(), 1, p.organization().macrosPerChip(), true);
        this.adcBits = p.adc().bits().isAuto() ? losslessAdcBits(geometry) : p.adc().bits().fixed();
        if (adcBits > 16) {
            throw new InvalidValueException("adc.bits", "auto", "the lossless resolution of "
                    + "this macro's column sums is " + adcBits + " bits, beyond the ADC model's 1–16; set adc.bits");
        }
        this.cycleS = m.readCycle().seconds();

        // A sub-array works one cycle in cellsPerMac when the macro is busy.
        // Every figure here is CMOS (6T cells, MAC capacitors, the ADCs, logic): all scale by Stillmaker and Baas.
        ProcessPoint process = p.process();
        subArray = process.cmos(Component.of("sram_array", m.cellsPerMac(),
                Power.of(p.arrayRead().joules() / cycleS / m.cellsPerMac()),
                p.area().cell().times((double) m.activeRows() * m.cols()),
                Map.of(Action.ARRAY_READ, p.arrayRead()), p.area().source()));
        CapRamParams.Reference ref = p.adc().reference();
        Peripherals.AdcRatio ratio = Peripherals.adcRatio(adcBits, ref.bits(), process.reference().node(),
                process.reference().supply());
        double conversionJ = ref.energy().joules() * ratio.energy();
        // Every column has an ADC, but a weight's columns share one conversion: busy power is that of the ADCs in use.
        double busy = (double) geometry.weightsPerRow() / m.cols();
        Component scaledAdc = Component.of("adc", m.cols(), Power.of(conversionJ * busy / cycleS),
                ref.area().times(ratio.area()), Map.of(Action.ADC_CONVERT, Energy.of(conversionJ)), ref.source());
        if (adcBits != ref.bits()) {
            scaledAdc = scaledAdc.withProvenance(Provenance.scaled(Peripherals.adcScaling(adcBits, ref.bits())));
        }
        adc = process.cmos(Peripherals.adcOutsideData("adc", adcBits, ref.bits())
                .map(scaledAdc::withWarning).orElse(scaledAdc));
        accumulator = process.cmos(Component.of("accumulator", 1, Power.of(p.accumulate().joules() * geometry.weightsPerRow() / cycleS),
                Area.of(0), Map.of(Action.PARTIAL_SUM_ADD, p.accumulate()),
                "Assumed: a digital add per converted value (CAP-RAM publishes no figure)"));
        Component periphery = process.cmos(Component.of("periphery", 1, Power.of(0), p.area().periphery(), Map.of(),
                p.area().source()));
        this.hierarchy = new Hierarchy(List.of(
                new Level("chip", 1, List.of()),
                new Level("macro", p.organization().macrosPerChip(), List.of(subArray, adc, accumulator, periphery))));
        // An SRAM write drives bit lines: CMOS, scaled like the rest.
        this.operandWrites = Optional.ofNullable(p.write()).map(w -> new OperandWrites(process.cmos(Component.of(
                "operand_write", 1, Power.of(0), Area.of(0), Map.of(Action.OPERAND_WRITE, w.energy()), w.source())),
                w.endurance(), w.source()));
    }

    /**
     * The sub-arrays of a macro share its MAC circuits and ADCs: a copy's sub-arrays within one macro run in turn,
     * macros in parallel. Layers pack sub-arrays into macros in placement order, so each copy's place is known; the
     * copy with the most sub-arrays in one macro sets the time.
     */
    @Override
    public double multiplySeconds(LayerPlacement layer, long firstArray, MvmActivity inputs) {
        double slowest = 0;
        double inTurn = 0;
        for (TileClass t : layer.tiles()) {
            double seconds = mvmSeconds(t.rows(), t.cols(), inputs);
            slowest = Math.max(slowest, seconds);
            inTurn += t.count() * seconds;
        }
        long most = mostArraysInOneGroup(firstArray, layer.arraysPerCopy(), layer.replication(),
                organization.arraysPerGroup());
        return Math.max(slowest, inTurn * most / layer.arraysPerCopy());
    }

    /** The most arrays any one copy has in a single group, copies laid out one after another from {@code start}. */
    static long mostArraysInOneGroup(long start, long arraysPerCopy, int copies, int arraysPerGroup) {
        long most = 0;
        for (int j = 0; j < copies; j++) {
            long from = start + j * arraysPerCopy;
            long to = from + arraysPerCopy;
            for (long g = from / arraysPerGroup; g * arraysPerGroup < to; g++) {
                most = Math.max(most, Math.min(to, (g + 1) * arraysPerGroup) - Math.max(from, g * arraysPerGroup));
            }
            if (most == Math.min(arraysPerCopy, arraysPerGroup)) break; // cannot get worse
        }
        return most;
    }

    /**
     * The resolution that converts any sub-array column sum without loss: the largest |Σ w·x| over the active rows
     * for one input slice, signed.
     */
    public static int losslessAdcBits(ArrayGeometry g) {
        long max = ChargeDomainNumerics.maxColumnSum(g);
        return 64 - Long.numberOfLeadingZeros(2 * max); // codes −max … max
    }

    public int adcBits() { return adcBits; }

    public CapRamParams parameters() { return p; }

    @Override
    public void countMvm(int rowsUsed, int colsUsed, double times, Ledger ledger) {
        countMvm(rowsUsed, colsUsed, times, geometry.inputCycles(), ledger);
    }

    /**
     * With measured activity, the MAC cycles the arrays ran per multiply: the input slices, and one more for a
     * signed layer's sign cycle (the cycle count alone; the macro skips nothing, so digit density does not enter).
     */
    @Override
    public void countMvm(int rowsUsed, int colsUsed, double times, MvmActivity activity, Ledger ledger) {
        countMvm(rowsUsed, colsUsed, times, macCycles(activity), ledger);
    }

    /** A sub-array read, a conversion per weight column and, after the first, a digital add per cycle. */
    private void countMvm(int rowsUsed, int colsUsed, double times, double cycles, Ledger ledger) {
        double slices = cycles * times;
        ledger.add(subArray, Action.ARRAY_READ, slices * rowsUsed * colsUsed / ((double) geometry.rows() * geometry.cols()));
        double conversions = Math.ceil((double) colsUsed / geometry.cellsPerWeight()) * slices;
        ledger.add(adc, Action.ADC_CONVERT, conversions);
        // Input slices after the first (and the sign cycle) are shifted and added digitally.
        if (cycles > 1) {
            ledger.add(accumulator, Action.PARTIAL_SUM_ADD, conversions * (cycles - 1) / cycles);
        }
    }

    /** MAC cycles per multiply: measured on an accuracy run, else the input slices (the unsigned cost). */
    private double macCycles(MvmActivity activity) {
        return activity.cyclesMeasured() ? activity.arrayCycles() : geometry.inputCycles();
    }

    /** One MAC cycle per input slice, whatever is in use: injection, charge sharing and conversion are fixed. */
    @Override
    public double mvmSeconds(int rowsUsed, int colsUsed) {
        return geometry.inputCycles() * cycleS;
    }

    /** The MAC cycles run, measured (a signed layer's sign cycle included) or the input slices. */
    @Override
    public double mvmSeconds(int rowsUsed, int colsUsed, MvmActivity activity) {
        return macCycles(activity) * cycleS;
    }

    @Override public DesignInfo info() { return info; }

    @Override public ArrayGeometry geometry() { return geometry; }

    @Override public Organization organization() { return organization; }

    @Override public Hierarchy hierarchy() { return hierarchy; }

    @Override public ArrayModel arrayModel() { return this; }

    @Override public Frequency clock() { return Frequency.of(1 / cycleS); }

    @Override public int activationBits() { return p.inputBits(); }

    @Override public Optional<DataRate> offChipBandwidth() { return Optional.empty(); }

    @Override
    public Optional<MvmNumerics> numerics() {
        return Optional.of(new ChargeDomainNumerics(geometry, adcBits, p.adc().range(), p.analog()));
    }

    @Override
    public Optional<OperandWrites> operandWrites() {
        return operandWrites;
    }

    /** An SRAM row is written at once; rows one after another. */
    @Override
    public double writeSeconds(int rowsUsed, int colsUsed) {
        return CellWrites.arraySeconds(p.write(), rowsUsed);
    }

    @Override
    public Optional<ProcessPoint> process() {
        return Optional.of(p.process());
    }
}
