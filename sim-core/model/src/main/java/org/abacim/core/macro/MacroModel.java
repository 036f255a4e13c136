package org.abacim.core.macro;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.abacim.core.config.InvalidValueException;
import org.abacim.core.estimate.ComponentLibrary;
import org.abacim.core.estimate.ComponentLibrary.Estimate;
import org.abacim.core.estimate.ProcessScaling;
import org.abacim.core.units.Area;
import org.abacim.core.units.Capacitance;
import org.abacim.core.units.Dimension;
import org.abacim.core.units.Energy;
import org.abacim.core.units.Frequency;
import org.abacim.core.units.Length;
import org.abacim.core.units.Time;
import org.abacim.core.units.Units;

/**
 * Energy, area and speed of a compute-in-memory macro from its design parameters and the component estimators, with
 * nothing fitted to any macro. One pass multiplies every weight the macro holds by one full-precision input vector:
 * input bits go in {@code input.bitsPerCycle} at a time, row groups take turns, and each step every active row is
 * driven, the columns compute in their domain (charge, current, resistive or digital), and their results are
 * converted (or summed by adder trees) and shift-added into accumulators.
 *
 * <p>Capacitances come from the geometry: a row line spans its columns at the cell pitch (wire capacitance per
 * length) and drives each cell's access gate; a column line spans the active rows. Switching a capacitance C at V
 * draws C·V² from the supply. Logic, registers and ADCs are scaled from published references to the node and
 * supply ({@link ComponentLibrary}, {@link ProcessScaling}). Control, decoders, clocking and I/O registers are not
 * modelled; results say so through the component list, and the validation page notes it where a paper's total
 * includes them.
 */
public final class MacroModel {
    /** Component figures a macro file may give instead of estimating them, with the dimension each takes. */
    public static final Map<String, Dimension> GIVEN_KEYS = Map.of(
            "cellArea", Dimension.AREA,
            "adcEnergy", Dimension.ENERGY,
            "adcArea", Dimension.AREA);

    /** Width of a cell's access device, in feature sizes. */
    static final double ACCESS_WIDTH_F = 2;
    /**
     * A 1T1R or 1T1MTJ cell's area relative to the 6T SRAM cell at the node: its one access transistor is wider than a
     * 6T cell's (it carries the write current) and the device sits on a via, about a third of the 6T cell (assumption).
     */
    static final double ONE_TRANSISTOR_CELL_OF_6T = 2.0 / 6;

    private MacroModel() {}

    public static MacroResult evaluate(MacroSpec m) {
        List<String> warnings = new ArrayList<>();
        Map<String, Energy> energy = new LinkedHashMap<>();
        Map<String, Area> area = new LinkedHashMap<>();
        Map<String, String> provenance = new LinkedHashMap<>();
        MacroSpec.Process t = m.process();
        MacroSpec.Array a = m.array();
        Length node = t.node();
        double v = t.supply().volts();
        double f = node.meters();
        ProcessScaling.outsideData(node, t.supply()).ifPresent(warnings::add);

        // Speed: the clock as published, carried to this supply by the alpha-power law.
        double clockHz = m.clock().hertz() / ProcessScaling.delayRatio(t.supply(), t.clockSupply());
        int weightColumns = m.weights().columnsPerWeight() > 0 ? m.weights().columnsPerWeight()
                : (m.weights().bits() + a.bitsPerCell() - 1) / a.bitsPerCell();
        if (a.cols() < weightColumns) {
            throw new InvalidValueException("array.cols", a.cols(), "at least the " + weightColumns
                    + " columns one " + m.weights().bits() + "-bit weight takes in " + a.bitsPerCell() + "-bit cells");
        }
        double weightsPerRow = Math.floor((double) a.cols() / weightColumns);
        double macs = (double) a.rows() * weightsPerRow * a.count();
        int inputSteps = (m.input().bits() + m.input().bitsPerCycle() - 1) / m.input().bitsPerCycle();
        int rowGroups = (a.rows() + a.activeRows() - 1) / a.activeRows();
        boolean digital = m.compute() == MacroSpec.Compute.DIGITAL;
        int merged = m.readout().columnsPerConversion();
        double conversionsPerStep = digital ? 0 : Math.ceil((double) a.cols() / merged);
        double adcs = digital ? 0 : m.readout().adcsPerArray() == 0 ? conversionsPerStep : m.readout().adcsPerArray();
        double rounds = digital ? 1 : Math.ceil(conversionsPerStep / adcs);
        double steps = (double) inputSteps * rowGroups;
        double arrayTurns = (double) a.count() / a.activeCount();
        double passSeconds = steps * arrayTurns * rounds * a.readCycles() / clockHz;

        // Geometry.
        Area cell = cellArea(m, provenance);
        Length pitch = Length.of(Math.sqrt(cell.squareMeters()));
        Capacitance rowLine = ComponentLibrary.wire(pitch).plus(ComponentLibrary.gate(Length.of(ACCESS_WIDTH_F * f
                * (m.cell().kind() == MacroSpec.CellKind.SRAM ? 2 : 1)))).times(a.cols());
        Capacitance columnLine = ComponentLibrary.wire(pitch).plus(ComponentLibrary.gate(Length.of(f))).times(a.activeRows());
        double dIn = m.input().density(), dW = m.weights().density();
        int sliceBits = m.input().bitsPerCycle();
        double sliceMax = (1 << Math.min(sliceBits, 30)) - 1;
        double meanSlice = dIn * sliceMax; // the mean slice value, in units of the slice's LSB

        // Row drive: a row line switches once per driven step (binary), or once per pulse (pulse count); a multi-bit
        // binary slice is a DAC per row that drives its line once and charges its capacitor array.
        double drivesPerRow = switch (m.input().encoding()) {
            case PULSE_COUNT -> meanSlice;
            case PULSE_WIDTH -> 1 - Math.pow(1 - dIn, sliceBits); // on unless every bit of the slice is 0
            case BINARY -> sliceBits == 1 ? dIn : 1;
        };
        double rowDrive = a.activeRows() * drivesPerRow * rowLine.farads() * v * v * steps * a.count();
        energy.put("row_drivers", Energy.of(rowDrive));
        provenance.put("row_drivers", "estimated: row line " + fmt(rowLine) + " (" + ComponentLibrary.wireSource() + ")");
        if (sliceBits > 1 && m.input().encoding() == MacroSpec.InputEncoding.BINARY) {
            // A capacitive DAC of 2^b unit capacitors of minimum gate size per row.
            double dac = sliceMax * ComponentLibrary.gate(Length.of(ACCESS_WIDTH_F * f)).farads() * v * v;
            energy.put("dacs", Energy.of(dac * a.activeRows() * steps * a.count()));
            area.put("dacs", ComponentLibrary.gates(sliceMax / 4 + 4, node).times(a.rows() * (double) a.count()));
            provenance.put("dacs", "estimated: capacitive DAC of " + (int) sliceMax + " minimum-gate units per row");
        }

        // Column compute.
        double compute;
        String computeNote;
        switch (m.compute()) {
            case CHARGE -> {
                double cellCap = m.cell().capacitance().farads();
                compute = (a.activeRows() * (double) a.cols() * cellCap * dIn * dW + a.cols() * columnLine.farads())
                        * v * v;
                computeNote = "estimated: cell capacitors " + fmt(m.cell().capacitance()) + " charged where input and weight bits are 1, column lines "
                        + fmt(columnLine) + " shared each step";
            }
            case CURRENT -> {
                // Precharged column lines discharge in proportion to the column's sum, then are restored: C·V·ΔV,
                // with the mean ΔV the mean normalised sum (input and weight bit densities) times the supply.
                compute = a.cols() * columnLine.farads() * v * v * dIn * dW;
                computeNote = "estimated: column lines " + fmt(columnLine) + " discharged by cell currents and restored";
            }
            case RESISTIVE -> {
                MacroSpec.Cell c = m.cell();
                double vr = c.readVoltage().volts();
                double g = dW / c.onResistance().ohms() + (1 - dW) / c.offResistance().ohms();
                double level = meanSlice; // pulses (pulse count) or the slice's level (binary), in LSB units
                compute = a.activeRows() * (double) a.cols() * vr * vr * g * a.readPulse().seconds() * level
                        + a.cols() * columnLine.farads() * vr * vr;
                computeNote = "estimated: cell currents V²·G·t at " + c.readVoltage() + ", mean conductance "
                        + fmt(g * 1e6) + " uS, pulse " + a.readPulse();
            }
            case DIGITAL -> {
                // Per step: a product per active row and tree input, then adder trees summing them — one per column
                // of 1-bit products, or one per weight of (slice + weight)-bit products.
                boolean perWeight = m.readout().adderTree() == MacroSpec.AdderTree.WEIGHT;
                Estimate bit = ComponentLibrary.adder(1, node, t.supply());
                int firstWidth = perWeight ? sliceBits + m.weights().bits() : sliceBits;
                double trees = perWeight ? weightsPerRow : a.cols();
                double tree = 0;
                double treeArea = 0;
                int width = firstWidth;
                for (double n = a.activeRows(); n > 1; n = Math.ceil(n / 2)) {
                    double adders = Math.floor(n / 2);
                    Estimate add = ComponentLibrary.adder(width, node, t.supply());
                    tree += adders * add.energy().joules();
                    treeArea += adders * add.area().squareMeters();
                    width++;
                }
                double products = a.activeRows() * (double) a.cols() * sliceBits * bit.energy().joules() / 4;
                // Horowitz's adders switch on random operands (each bit toggles half the time); a tree's inputs are
                // product bits, set with probability p = input density × weight density, toggling 2p(1 − p) of the
                // time between steps: the tree's switching scales by 2p(1 − p) / 0.5.
                double p = dIn * dW;
                double activity = 4 * p * (1 - p);
                compute = trees * tree * activity + products;
                area.put("adder_trees", Area.of(trees * treeArea * a.count()));
                provenance.put("adder_trees", "estimated: " + (a.activeRows() - 1) + " adders per "
                        + (perWeight ? "weight" : "column") + ", " + bit.source());
                computeNote = String.format(Locale.ROOT, "estimated: bitwise products and adder trees at %.2f of "
                        + "random-operand switching (%s)", activity, bit.source());
            }
            default -> throw new IllegalStateException();
        }
        energy.put(digital ? "adder_trees" : "array", Energy.of(compute * steps * a.count()));
        provenance.put(digital ? "adder_trees" : "array", computeNote);

        // Readout: ADC conversions, then a shift-add into an accumulator per conversion.
        int accBits = m.readout().outputBits() > 0 ? m.readout().outputBits()
                : Math.min(48, (digital ? log2ceil(a.activeRows()) + sliceBits : m.readout().bits())
                        + m.weights().bits() + m.input().bits());
        double conversionsPerPass = conversionsPerStep * steps * a.count();
        if (!digital) {
            int bits = m.readout().bits();
            Estimate adc = ComponentLibrary.adc(bits, node, t.supply());
            Energy perConversion = given(m, "adcEnergy", adc.energy(), Energy.class, provenance, "adcs",
                    "estimated: " + bits + "-bit ADC, ENOB " + ComponentLibrary.adcEnob(bits) + ", " + adc.source());
            Area adcArea = given(m, "adcArea", adc.area(), Area.class, provenance, "adcs_area", "estimated: " + adc.source());
            if (m.readout().architecture() == MacroSpec.AdcArchitecture.FLASH) {
                // A flash converter has 2^b − 1 comparators where a SAR has one and a capacitor DAC.
                adcArea = m.given().containsKey("adcArea") ? adcArea : adcArea.times(Math.max(1, ((1 << bits) - 1) / (2.0 * bits)));
            }
            energy.put("adcs", perConversion.times(conversionsPerPass));
            area.put("adcs", adcArea.times(adcs * a.count()));
            Estimate add = ComponentLibrary.adder(accBits, node, t.supply());
            Estimate reg = ComponentLibrary.register(accBits, node, t.supply());
            energy.put("shift_add", Energy.of((add.energy().joules() + reg.energy().joules()) * conversionsPerPass));
            area.put("shift_add", Area.of((add.area().squareMeters() + reg.area().squareMeters()) * adcs * a.count()));
            provenance.put("shift_add", "estimated: " + accBits + "-bit adder and register per conversion, " + add.source());
        } else {
            // Weight bits in separate columns are combined by a shift-add tree, then accumulated over input steps.
            int columnBits = log2ceil(a.activeRows()) + sliceBits;
            int combined = m.readout().adderTree() == MacroSpec.AdderTree.WEIGHT ? 1 : weightColumns;
            Estimate combine = ComponentLibrary.adder(columnBits + weightColumns, node, t.supply());
            Estimate add = ComponentLibrary.adder(accBits, node, t.supply());
            Estimate reg = ComponentLibrary.register(accBits, node, t.supply());
            double outputsPerStep = weightsPerRow * a.count();
            double combineEnergy = (combined - 1) * combine.energy().joules() * outputsPerStep * steps;
            double accumulate = (add.energy().joules() + reg.energy().joules()) * outputsPerStep * steps;
            energy.put("shift_add", Energy.of(combineEnergy + accumulate));
            area.put("shift_add", Area.of(((combined - 1) * combine.area().squareMeters() + add.area().squareMeters()
                    + reg.area().squareMeters()) * outputsPerStep));
            provenance.put("shift_add", "estimated: weight-bit shift-add tree and " + accBits + "-bit accumulator per output, "
                    + add.source());
        }

        // Area: cells, and a driver per row sized to its line (a fanout-4 inverter chain: about a third of the load
        // in minimum-gate input capacitances).
        area.put("cells", cell.times((double) a.rows() * a.cols() * a.count()));
        double driverGates = 1 + rowLine.farads() / (3 * ComponentLibrary.gate(Length.of(4 * f)).farads());
        area.put("row_drivers", ComponentLibrary.gates(driverGates, node).times((double) a.rows() * a.count()));
        return new MacroResult(m.name(), macs, Time.of(passSeconds), Frequency.of(clockHz), energy, area, provenance,
                warnings);
    }

    private static Area cellArea(MacroSpec m, Map<String, String> provenance) {
        Area sram = ComponentLibrary.sram6tCell(m.process().node());
        Area estimate = m.cell().kind() == MacroSpec.CellKind.SRAM
                ? sram.times(m.cell().transistors() / 6.0) : sram.times(ONE_TRANSISTOR_CELL_OF_6T);
        return given(m, "cellArea", estimate, Area.class, provenance, "cells",
                "estimated: " + (m.cell().kind() == MacroSpec.CellKind.SRAM ? m.cell().transistors() + "T"
                        : "one-transistor") + " cell from the 6T SRAM cell at the node (" + ComponentLibrary.sramSource() + ")");
    }

    /** A given figure when the macro file has one (noting its source), else the estimate. */
    private static <Q> Q given(MacroSpec m, String key, Q estimate, Class<Q> type, Map<String, String> provenance,
                               String component, String estimatedNote) {
        MacroSpec.Given g = m.given().get(key);
        if (g == null) {
            provenance.put(component, estimatedNote);
            return estimate;
        }
        double si = Units.parse(g.value(), GIVEN_KEYS.get(key));
        provenance.put(component, "given: " + g.value() + " (" + g.source() + ")");
        if (type == Area.class) return type.cast(Area.of(si));
        if (type == Energy.class) return type.cast(Energy.of(si));
        throw new IllegalArgumentException(type.getName());
    }

    private static int log2ceil(int n) {
        return 32 - Integer.numberOfLeadingZeros(Math.max(1, n - 1));
    }

    private static String fmt(Capacitance c) { return c.toString(); }

    private static String fmt(double v) { return String.format(Locale.ROOT, "%.3g", v); }
}
