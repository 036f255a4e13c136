package org.imcsim.reram;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.imcsim.core.arch.Action;
import org.imcsim.core.arch.AdcScaling;
import org.imcsim.core.arch.Component;
import org.imcsim.core.arch.Hierarchy;
import org.imcsim.core.arch.Ledger;
import org.imcsim.core.arch.Level;
import org.imcsim.core.tech.ArrayGeometry;
import org.imcsim.core.tech.ArrayModel;
import org.imcsim.core.tech.Design;
import org.imcsim.core.tech.DesignInfo;
import org.imcsim.core.tech.Organization;
import org.imcsim.core.tech.SignEncoding;
import org.imcsim.core.units.Area;
import org.imcsim.core.units.DataRate;
import org.imcsim.core.units.Energy;
import org.imcsim.core.units.Frequency;
import org.imcsim.core.units.Power;

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
    private final Component crossbar, adc, dac, sampleHold, imaShiftAdd, inputRegister, outputRegister;

    public ReramDesign(DesignInfo info, ReramParams p) {
        this.info = info;
        this.p = p;
        ReramParams.ArrayParams a = p.array();
        this.geometry = new ArrayGeometry(a.rows(), a.cols(), p.weightBits(), a.bitsPerCell(), p.inputBits(),
                a.dacBits(), a.signEncoding());
        ReramParams.OrganizationParams o = p.organization();
        this.organization = new Organization("ima", o.arraysPerIma(), o.imasPerTile(), o.tilesPerChip());
        this.adcBits = p.adc().bits().isAuto() ? losslessAdcBits(a.rows(), a.dacBits(), a.bitsPerCell(), a.signEncoding())
                : p.adc().bits().fixed();
        this.readCycleS = a.readCycle().seconds();
        this.adcRateHz = p.adc().sampleRate().hertz();
        double clockPeriodS = p.clock().period().seconds();

        ReramParams.ImaComponents ima = p.ima();
        int arrays = o.arraysPerIma();
        double cellScale = (double) a.rows() * a.cols() / ((double) ima.crossbar().rows() * ima.crossbar().cols());
        Power crossbarPower = ima.crossbar().power().times(cellScale / ima.crossbar().instances());
        crossbar = Component.of("crossbar", arrays, crossbarPower,
                ima.crossbar().area().times(cellScale / ima.crossbar().instances()),
                Map.of(Action.ARRAY_READ, Energy.of(crossbarPower.watts() * readCycleS)), ima.crossbar().source());

        ReramParams.AdcReference ref = p.adc().reference();
        double conversionJ = ref.power().watts() / ref.instances() / ref.sampleRate().hertz()
                * AdcScaling.energyRatio(adcBits, ref.bits());
        adc = Component.of("adc", (double) arrays * p.adc().perArray(), Power.of(conversionJ * adcRateHz),
                ref.area().times(AdcScaling.areaRatio(adcBits, ref.bits()) / ref.instances()),
                Map.of(Action.ADC_CONVERT, Energy.of(conversionJ)),
                ref.source() + "; scaled to " + adcBits + " bits by the hwcomponents-library ADC curve");

        dac = perReadCycle("dac", ima.dac(), (double) arrays * a.rows(), Action.ROW_DRIVE);
        sampleHold = perReadCycle("sample_hold", ima.sampleHold(), (double) arrays * a.cols(), Action.SAMPLE_HOLD);
        double conversionsPerSecond = (double) arrays * p.adc().perArray() * adcRateHz;
        imaShiftAdd = Component.of("ima_shift_add", ima.shiftAdd().instances(), ima.shiftAdd().powerEach(),
                ima.shiftAdd().areaEach(),
                Map.of(Action.SHIFT_ADD, Energy.of(ima.shiftAdd().power().watts() / conversionsPerSecond)),
                ima.shiftAdd().source());
        double arrayCyclesPerSecond = arrays / readCycleS;
        inputRegister = Component.of("ima_input_register", ima.inputRegister().instances(),
                ima.inputRegister().powerEach(), ima.inputRegister().areaEach(),
                Map.of(Action.INPUT_REGISTER, Energy.of(ima.inputRegister().power().watts() / arrayCyclesPerSecond)),
                ima.inputRegister().source());
        outputRegister = Component.of("ima_output_register", ima.outputRegister().instances(),
                ima.outputRegister().powerEach(), ima.outputRegister().areaEach(),
                Map.of(Action.OUTPUT_REGISTER, Energy.of(ima.outputRegister().power().watts() / arrayCyclesPerSecond)),
                ima.outputRegister().source());

        ReramParams.TileComponents t = p.tile();
        ReramParams.BufferRow e = t.edram();
        double edramBitJ = e.power().watts() / e.instances() * clockPeriodS / e.accessWidth().bits();
        Component edram = Component.of("edram", e.instances(), e.power().times(1.0 / e.instances()),
                e.area().times(1.0 / e.instances()),
                Map.of(Action.BUFFER_READ, Energy.of(edramBitJ), Action.BUFFER_WRITE, Energy.of(edramBitJ)), e.source());
        Component bus = Component.of("bus", 1, t.bus().power(), t.bus().area(),
                Map.of(Action.BUS_TRANSFER, Energy.of(t.bus().power().watts() * clockPeriodS / t.bus().wires())),
                t.bus().source());
        ReramParams.RouterRow r = t.router();
        Component router = Component.of("router", 1.0 / r.tilesSharing(), r.power(), r.area(),
                Map.of(Action.ROUTER_TRANSFER, Energy.of(r.power().watts() * clockPeriodS / (r.ports() * r.flit().bits()))),
                r.source());
        Component activation = perClock("activation_unit", t.activation(), Action.ACTIVATION, clockPeriodS);
        Component tileShiftAdd = perClock("tile_shift_add", t.shiftAdd(), Action.PARTIAL_SUM_ADD, clockPeriodS);
        Component maxPool = perClock("maxpool", t.maxPool(), Action.POOL, clockPeriodS);
        Component tileOutput = perClock("tile_output_register", t.outputRegister(), Action.OUTPUT_BUFFER, clockPeriodS);

        ReramParams.LinkRow link = p.chip().offChip();
        double linkBitsPerSecond = link.links() * link.bandwidthPerLink().bitsPerSecond();
        Component offChip = Component.of("offchip_link", 1, link.power(), link.area(),
                Map.of(Action.OFFCHIP_TRANSFER, Energy.of(link.power().watts() / linkBitsPerSecond)), link.source());

        this.hierarchy = new Hierarchy(List.of(
                new Level("chip", 1, List.of(offChip)),
                new Level("tile", o.tilesPerChip(),
                        List.of(edram, bus, router, activation, tileShiftAdd, maxPool, tileOutput)),
                new Level("ima", o.imasPerTile(),
                        List.of(crossbar, adc, dac, sampleHold, imaShiftAdd, inputRegister, outputRegister))));
    }

    private Component perReadCycle(String name, ReramParams.Row row, double count, Action action) {
        return Component.of(name, count, row.powerEach(), row.areaEach(),
                Map.of(action, Energy.of(row.powerEach().watts() * readCycleS)), row.source());
    }

    private static Component perClock(String name, ReramParams.Row row, Action action, double clockPeriodS) {
        return Component.of(name, row.instances(), row.powerEach(), row.areaEach(),
                Map.of(action, Energy.of(row.powerEach().watts() * clockPeriodS)), row.source());
    }

    /**
     * ISAAC's rule for the resolution that converts a column sum without loss: log2(rows) + v + w bits, less one
     * when v or w is 1, less one more with the unit-column encoding (it keeps the sum's top bit zero).
     */
    public static int losslessAdcBits(int rows, int dacBits, int bitsPerCell, SignEncoding encoding) {
        int log2Rows = 32 - Integer.numberOfLeadingZeros(Math.max(1, rows - 1));
        int bits = log2Rows + dacBits + bitsPerCell;
        if (dacBits == 1 || bitsPerCell == 1) bits -= 1;
        if (encoding == SignEncoding.OFFSET_UNIT_COLUMN) bits -= 1;
        return Math.max(1, bits);
    }

    /** The ADC resolution in use (the lossless one when {@code adc.bits} is auto). */
    public int adcBits() { return adcBits; }

    @Override
    public void countMvm(int rowsUsed, int colsUsed, double times, Ledger ledger) {
        double cycles = geometry.inputCycles() * times;
        double converted = geometry.convertedColumns(colsUsed);
        ledger.add(dac, Action.ROW_DRIVE, rowsUsed * cycles);
        ledger.add(crossbar, Action.ARRAY_READ, cycles);
        ledger.add(sampleHold, Action.SAMPLE_HOLD, converted * cycles);
        ledger.add(adc, Action.ADC_CONVERT, converted * cycles);
        ledger.add(imaShiftAdd, Action.SHIFT_ADD, converted * cycles);
        ledger.add(inputRegister, Action.INPUT_REGISTER, cycles);
        ledger.add(outputRegister, Action.OUTPUT_REGISTER, cycles);
    }

    /** Each input cycle takes a crossbar read, overlapped with converting the previous cycle's columns. */
    @Override
    public double mvmSeconds(int rowsUsed, int colsUsed) {
        double conversionS = geometry.convertedColumns(colsUsed) / (p.adc().perArray() * adcRateHz);
        return geometry.inputCycles() * Math.max(readCycleS, conversionS);
    }

    @Override public DesignInfo info() { return info; }

    @Override public ArrayGeometry geometry() { return geometry; }

    @Override public Organization organization() { return organization; }

    @Override public Hierarchy hierarchy() { return hierarchy; }

    @Override public ArrayModel arrayModel() { return this; }

    @Override public Frequency clock() { return p.clock(); }

    @Override public int activationBits() { return p.inputBits(); }

    @Override
    public Optional<DataRate> offChipBandwidth() {
        ReramParams.LinkRow link = p.chip().offChip();
        return Optional.of(link.bandwidthPerLink().times(link.links()));
    }

    public ReramParams parameters() { return p; }
}
