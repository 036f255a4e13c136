package org.abacim.core.estimate;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import org.abacim.core.config.ConfigBinder;
import org.abacim.core.config.ConfigReader;
import org.abacim.core.units.Area;
import org.abacim.core.units.Capacitance;
import org.abacim.core.units.Energy;
import org.abacim.core.units.Length;
import org.abacim.core.units.Voltage;

/**
 * Component estimators: energy and area of logic, registers, wires, SRAM cells and ADCs at any node and supply,
 * each scaled from published reference figures ({@code components.yaml}, sources in
 * docs/reference/technology-scaling.md). An estimate carries the source it rests on, so a result can say which of
 * its components were estimated and from what.
 */
public final class ComponentLibrary {
    /** An energy per action and an area, with the data they rest on. */
    public record Estimate(Energy energy, Area area, String source) {}

    record Cost(Energy energy, Area area) {}

    record Logic(String source, Length node, Voltage supply, Cost add8, Cost add32, Cost mult8, Cost mult32,
                 Energy sram8KBRead64) {}

    record Cells(String source, Area nand2Area, Area flipFlopArea, double flipFlopEnergyInAdderBits) {}

    record Wires(String source, PerLength capacitancePerLength, PerLength gateCapacitancePerWidth) {}

    record SramCell(Length node, Area area) {}

    record Sram6t(String source, List<SramCell> cells) {}

    record Adc(String source, Energy walden, Energy thermalPerFourToEnob, Area area6EnobAt28nm,
               double areaPerEnobBit, double areaNodeExponent, double enobBelowBits) {}

    record Data(Logic logic, Cells cells, Wires wires, Sram6t sram6t, Adc adc) {}

    /** A capacitance per micrometre, written like {@code 0.2 fF/um}. */
    public record PerLength(double faradsPerMeter) {
        @JsonCreator
        static PerLength parse(String text) {
            String t = text.trim();
            int slash = t.lastIndexOf('/');
            if (slash < 0 || !t.substring(slash + 1).trim().equals("um")) {
                throw new IllegalArgumentException("expected a capacitance per micrometre like '0.2 fF/um', was '" + text + "'");
            }
            return new PerLength(Capacitance.parse(t.substring(0, slash).trim()).farads() / 1e-6);
        }

        public Capacitance times(Length length) { return Capacitance.of(faradsPerMeter * length.meters()); }
    }

    private static final Data DATA = load();

    private ComponentLibrary() {}

    private static Data load() {
        String name = "components.yaml";
        try (InputStream in = ComponentLibrary.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("missing library data " + name);
            return ConfigBinder.bind(ConfigReader.read(name, in), Data.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Energy factor from the logic reference (Horowitz's 45 nm, 0.9 V) to {@code node} at {@code v}. */
    private static double logicEnergyScale(Length node, Voltage v) {
        return ProcessScaling.energyFactor(node, v) / ProcessScaling.energyFactor(DATA.logic().node(), DATA.logic().supply());
    }

    private static double logicAreaScale(Length node) {
        return ProcessScaling.areaFactor(node) / ProcessScaling.areaFactor(DATA.logic().node());
    }

    /**
     * A ripple adder of {@code bits}: energy per addition and area, linear in the width through Horowitz's 8- and
     * 32-bit adders, scaled to the node and supply.
     */
    public static Estimate adder(double bits, Length node, Voltage v) {
        Cost a8 = DATA.logic().add8(), a32 = DATA.logic().add32();
        double ePerBit = (a32.energy().joules() - a8.energy().joules()) / 24;
        double aPerBit = (a32.area().squareMeters() - a8.area().squareMeters()) / 24;
        double e = a8.energy().joules() + ePerBit * (bits - 8);
        double a = a8.area().squareMeters() + aPerBit * (bits - 8);
        // Below 8 bits the line's intercept would dominate: a narrow adder costs its bits at the per-bit rate.
        if (bits < 8) {
            e = a8.energy().joules() * bits / 8;
            a = a8.area().squareMeters() * bits / 8;
        }
        return new Estimate(Energy.of(e * logicEnergyScale(node, v)), Area.of(a * logicAreaScale(node)),
                DATA.logic().source());
    }

    /** An integer multiplier of {@code bits} × {@code bits}: energy and area grow with bits², through Horowitz's 8 and 32 bits. */
    public static Estimate multiplier(double bits, Length node, Voltage v) {
        Cost m8 = DATA.logic().mult8(), m32 = DATA.logic().mult32();
        double eExp = Math.log(m32.energy().joules() / m8.energy().joules()) / Math.log(4);
        double aExp = Math.log(m32.area().squareMeters() / m8.area().squareMeters()) / Math.log(4);
        double e = m8.energy().joules() * Math.pow(bits / 8, eExp);
        double a = m8.area().squareMeters() * Math.pow(bits / 8, aExp);
        return new Estimate(Energy.of(e * logicEnergyScale(node, v)), Area.of(a * logicAreaScale(node)),
                DATA.logic().source());
    }

    /** A register of {@code bits}: a clocked write costs as many adder bits, area as many flip-flops. */
    public static Estimate register(double bits, Length node, Voltage v) {
        Estimate perAdderBit = adder(8, node, v);
        double e = perAdderBit.energy().joules() / 8 * DATA.cells().flipFlopEnergyInAdderBits() * bits;
        double a = DATA.cells().flipFlopArea().squareMeters() * bits * logicAreaScale(node);
        return new Estimate(Energy.of(e), Area.of(a), DATA.logic().source() + "; " + DATA.cells().source());
    }

    /** The area of {@code count} two-input NAND gates (a gate-equivalent count) at {@code node}. */
    public static Area gates(double count, Length node) {
        return Area.of(DATA.cells().nand2Area().squareMeters() * count * logicAreaScale(node));
    }

    /** Interconnect capacitance of a wire of {@code length}. */
    public static Capacitance wire(Length length) {
        return DATA.wires().capacitancePerLength().times(length);
    }

    /** Gate capacitance of transistors of total width {@code width}. */
    public static Capacitance gate(Length width) {
        return DATA.wires().gateCapacitancePerWidth().times(width);
    }

    public static String wireSource() { return DATA.wires().source(); }

    /**
     * A high-density 6T SRAM cell at {@code node}: the published cells, log-log interpolated between nodes; beyond
     * the table the end node's area in F² is kept.
     */
    public static Area sram6tCell(Length node) {
        List<SramCell> cells = DATA.sram6t().cells();
        double nm = node.meters() * 1e9;
        for (int i = 1; i < cells.size(); i++) {
            double big = cells.get(i - 1).node().meters() * 1e9, small = cells.get(i).node().meters() * 1e9;
            if (nm <= big && nm >= small) {
                double t = Math.log(big / nm) / Math.log(big / small);
                double a = Math.log(cells.get(i - 1).area().squareMeters()), b = Math.log(cells.get(i).area().squareMeters());
                return Area.of(Math.exp((1 - t) * a + t * b));
            }
        }
        SramCell end = nm > cells.get(0).node().meters() * 1e9 ? cells.get(0) : cells.get(cells.size() - 1);
        double f2 = end.area().squareMeters() / Math.pow(end.node().meters(), 2);
        return Area.of(f2 * node.meters() * node.meters());
    }

    public static String sramSource() { return DATA.sram6t().source(); }

    /** The ENOB taken for an ADC of {@code bits} resolution inside a macro. */
    public static double adcEnob(int bits) {
        return Math.max(1, bits - DATA.adc().enobBelowBits());
    }

    /**
     * An ADC of {@code bits} inside a macro: energy per conversion from the survey's median SAR converter, a Walden
     * figure of merit per conversion step (2× per ENOB bit) plus the thermal-noise term (4× per bit, dominant above
     * about 11 ENOB), at the node's nominal supply and scaled by (V/V_nominal)². The survey's low-resolution floor
     * (about 1–4 pJ, flat below 8 ENOB) is a stand-alone converter's fixed overhead — references, clocking, I/O —
     * that a macro's column ADCs share, so it is left out (docs/reference/technology-scaling.md). Area on the
     * survey's best-decile SAR fit in ENOB and node.
     */
    public static Estimate adc(int bits, Length node, Voltage v) {
        Adc d = DATA.adc();
        double enob = adcEnob(bits);
        double nominal = ProcessScaling.nominalSupply(node).volts();
        double e = (d.walden().joules() * Math.pow(2, enob) + d.thermalPerFourToEnob().joules() * Math.pow(4, enob))
                * Math.pow(v.volts() / nominal, 2);
        double a = d.area6EnobAt28nm().squareMeters() * Math.pow(d.areaPerEnobBit(), enob - 6)
                * Math.pow(node.meters() / 28e-9, d.areaNodeExponent());
        return new Estimate(Energy.of(e), Area.of(a), d.source());
    }
}
