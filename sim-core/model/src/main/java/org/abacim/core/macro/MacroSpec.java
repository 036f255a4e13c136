package org.abacim.core.macro;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.TreeSet;
import org.abacim.core.config.Check;
import org.abacim.core.config.ConfigBinder;
import org.abacim.core.config.ConfigDocument;
import org.abacim.core.config.ConfigException;
import org.abacim.core.config.ConfigReader;
import org.abacim.core.config.InvalidValueException;
import org.abacim.core.config.Keyed;
import org.abacim.core.estimate.ProcessScaling;
import org.abacim.core.units.Capacitance;
import org.abacim.core.units.Frequency;
import org.abacim.core.units.Length;
import org.abacim.core.units.Resistance;
import org.abacim.core.units.Time;
import org.abacim.core.units.UnitException;
import org.abacim.core.units.Units;
import org.abacim.core.units.Voltage;

/**
 * A compute-in-memory macro described by its published design parameters, in the hierarchy vocabulary every
 * technology shares ({@code process.*}, {@code clock}, {@code cell.*}, {@code array.*}, {@code input.*}, {@code weights.*},
 * {@code readout.*}). {@link MacroModel} derives its energy, area and speed from these and the component estimators;
 * {@code given} replaces an estimator by a figure the paper publishes for that component, with its source.
 */
public record MacroSpec(String name, Process process, Frequency clock, Cell cell, Array array, Compute compute,
                        InputScheme input, Weights weights, Readout readout, Map<String, Given> given) {

    /** Process node and supply; {@code clockSupply} is the supply at which {@code clock} was published. */
    public record Process(Length node, Voltage supply, Voltage clockSupply) {
        public Process {
            Check.that(node.meters() >= 1e-9 && node.meters() <= 1e-6, "node", node, "a process node from 1 nm to 1 um");
            Check.that(supply.volts() > 0.2 && supply.volts() <= 5, "supply", supply, "a supply from 0.2 V to 5 V");
            Check.that(clockSupply.volts() > 0.2 && clockSupply.volts() <= 5, "clockSupply", clockSupply,
                    "a supply from 0.2 V to 5 V");
        }
    }

    /** The storage device. */
    public enum CellKind implements Keyed {
        SRAM, RERAM, MRAM;

        @JsonCreator
        static CellKind parse(String text) { return Keyed.parse(CellKind.class, text); }
    }

    /**
     * One cell: its device, transistors (SRAM: its area scales from the 6T cell by this count), the compute
     * capacitor of a charge-domain cell (0 when the cell has none), and for resistive cells the read voltage and
     * the on/off resistances.
     */
    public record Cell(CellKind kind, int transistors, Capacitance capacitance, Voltage readVoltage,
                       Resistance onResistance, Resistance offResistance) {
        public Cell {
            Check.between("transistors", transistors, 1, 24);
            Check.that(capacitance.farads() >= 0 && capacitance.farads() < 1e-12, "capacitance", capacitance,
                    "a cell capacitance from 0 to 1 pF");
            Check.that(onResistance.ohms() > 0 && offResistance.ohms() >= onResistance.ohms(), "offResistance",
                    offResistance, "at least onResistance (" + onResistance + ")");
        }
    }

    /**
     * The array: rows × cols cells of {@code bitsPerCell} bits; {@code activeRows} compute at once (row groups take
     * turns, the last one possibly partial); the macro has {@code count} arrays of which {@code activeCount} compute at once (the others take
     * turns); one compute step takes {@code readCycles} clock cycles; resistive reads apply their voltage for
     * {@code readPulse}.
     */
    public record Array(int rows, int cols, int activeRows, int bitsPerCell, int count, int activeCount, int readCycles,
                        Time readPulse) {
        public Array {
            Check.between("rows", rows, 1, 65536);
            Check.between("cols", cols, 1, 65536);
            Check.between("activeRows", activeRows, 1, 65536);
            Check.that(activeRows <= rows, "activeRows", activeRows, "at most array.rows (" + rows + ")");
            Check.between("bitsPerCell", bitsPerCell, 1, 8);
            Check.between("count", count, 1, 1 << 20);
            Check.that(activeCount >= 1 && activeCount <= count && count % activeCount == 0, "activeCount", activeCount,
                    "a divisor of array.count (" + count + ")");
            Check.between("readCycles", readCycles, 1, 1 << 16);
            Check.positive("readPulse", readPulse, Time.of(0));
        }
    }

    /** How a column forms its dot product. */
    public enum Compute implements Keyed {
        /** Charge sharing on cell capacitors (or the bit lines) — Jia, Wang's C-2C. */
        CHARGE,
        /** Bit-line discharge by cell currents — read-bit-line SRAM CIM. */
        CURRENT,
        /** Currents through resistive cells, Ohm's and Kirchhoff's laws — ReRAM, MRAM. */
        RESISTIVE,
        /** Bitwise products summed by adder trees — digital SRAM CIM, no ADC. */
        DIGITAL;

        @JsonCreator
        static Compute parse(String text) { return Keyed.parse(Compute.class, text); }
    }

    /** How an input slice is applied to its row. */
    public enum InputEncoding implements Keyed {
        /** Binary: a slice of b bits drives its row at one of 2^b levels (b = 1: on or off). */
        BINARY,
        /** Pulse count: a slice of value k fires k read pulses in one step (temporal coding). */
        PULSE_COUNT,
        /** Pulse width: a slice of value k holds its row on for k time units, one transition per step. */
        PULSE_WIDTH;

        @JsonCreator
        static InputEncoding parse(String text) { return Keyed.parse(InputEncoding.class, text); }
    }

    /** Input bits, applied {@code bitsPerCycle} per step; {@code density}: fraction of input bits that are 1. */
    public record InputScheme(int bits, int bitsPerCycle, InputEncoding encoding, double density) {
        public InputScheme {
            Check.between("bits", bits, 1, 32);
            Check.between("bitsPerCycle", bitsPerCycle, 1, 16);
            Check.that(bitsPerCycle <= bits, "bitsPerCycle", bitsPerCycle, "at most input.bits (" + bits + ")");
            Check.between("density", density, 0.0, 1.0);
        }
    }

    /**
     * Weight bits; {@code columnsPerWeight}: columns one weight occupies (0: its bits over the cell bits; more when
     * columns are multiplexed or hold the accumulation's growth); {@code density}: fraction of weight bits that are 1.
     */
    public record Weights(int bits, int columnsPerWeight, double density) {
        public Weights {
            Check.between("bits", bits, 1, 32);
            Check.between("columnsPerWeight", columnsPerWeight, 0, 4096);
            Check.between("density", density, 0.0, 1.0);
        }
    }

    /** ADC architectures with different conversion times and areas. */
    public enum AdcArchitecture implements Keyed {
        SAR, FLASH;

        @JsonCreator
        static AdcArchitecture parse(String text) { return Keyed.parse(AdcArchitecture.class, text); }
    }

    /** What a digital macro's adder trees sum: each column's bitwise products, or each weight's products. */
    public enum AdderTree implements Keyed {
        /** One tree per column of 1-bit products, weight bits combined after by a shift-add tree (Guo, Yue). */
        COLUMN,
        /** The cells multiply whole weights (e.g. Booth); one tree per weight sums multi-bit products (Tu). */
        WEIGHT;

        @JsonCreator
        static AdderTree parse(String text) { return Keyed.parse(AdderTree.class, text); }
    }

    /**
     * How column results leave the array: {@code bits} of ADC (0 for a digital macro), the ADC architecture,
     * {@code columnsPerConversion} columns merged into one conversion (charge-shared weight bits, folded columns),
     * {@code adcsPerArray} converters (0: one per conversion), {@code outputBits} of the accumulated result, and for a digital macro what its adder trees sum.
     */
    public record Readout(int bits, AdcArchitecture architecture, int columnsPerConversion, int adcsPerArray,
                          int outputBits, AdderTree adderTree) {
        public Readout {
            Check.between("bits", bits, 0, 16);
            Check.between("columnsPerConversion", columnsPerConversion, 1, 4096);
            Check.between("adcsPerArray", adcsPerArray, 0, 65536);
            Check.between("outputBits", outputBits, 0, 64);
        }
    }

    /** A figure the paper publishes for a component, replacing its estimator. */
    public record Given(String value, String source) {
        public Given {
            Check.that(!source.isBlank(), "source", source, "a given figure names its source");
        }
    }

    /** What a macro file may leave out. */
    public static final ConfigDocument DEFAULTS = ConfigReader.read("macro defaults", """
            process: {}
            cell:
              transistors: 6
              capacitance: 0 fF
              readVoltage: 0.2 V
              onResistance: 10 kOhm
              offResistance: 100 kOhm
            array:
              bitsPerCell: 1
              count: 1
              readCycles: 1
              readPulse: 10 ns
            input:
              bitsPerCycle: 1
              encoding: binary
              density: 0.5
            weights:
              columnsPerWeight: 0
              density: 0.5
            readout:
              bits: 0
              architecture: sar
              columnsPerConversion: 1
              adcsPerArray: 0
              outputBits: 0
              adderTree: column
            given: {}
            """);

    /**
     * The file as written with {@code process.clockSupply} filled from its {@code process.supply} when absent: the
     * clock was published at the file's supply, so apply this before {@code --set} overrides — a supply set later
     * then carries the clock by the alpha-power law instead of moving the published point with it.
     */
    public static ConfigDocument withClockSupply(ConfigDocument file) {
        if (file.at("process.clockSupply") == null && file.at("process.supply") != null) {
            return file.set("process.clockSupply", file.at("process.supply"), file.locate("process.supply"));
        }
        return file;
    }

    /** Reads a macro from a document (already overridden by {@code --set}), filling defaults. */
    public static MacroSpec bind(ConfigDocument written) {
        ConfigDocument doc = DEFAULTS.overlay(written);
        // activeRows defaults to rows and clockSupply to supply: only known once the file is read.
        if (doc.at("array.activeRows") == null && doc.at("array.rows") != null) {
            doc = doc.set("array.activeRows", doc.at("array.rows"), doc.locate("array.rows"));
        }
        if (doc.at("array.activeCount") == null) {
            JsonNode count = doc.at("array.count");
            doc = doc.set("array.activeCount", count, doc.locate("array.count"));
        }
        doc = withClockSupply(doc);
        MacroSpec spec = ConfigBinder.bind(doc, MacroSpec.class);
        for (String key : spec.given().keySet()) {
            if (!MacroModel.GIVEN_KEYS.containsKey(key)) {
                throw new ConfigException(doc.locate("given." + key), "given." + key, key,
                        "a component figure the model knows: " + String.join(", ", new TreeSet<>(MacroModel.GIVEN_KEYS.keySet())));
            }
            try {
                Units.parse(spec.given().get(key).value(), MacroModel.GIVEN_KEYS.get(key));
            } catch (UnitException e) {
                throw new ConfigException(doc.locate("given." + key + ".value"), "given." + key + ".value",
                        spec.given().get(key).value(), e.getMessage());
            }
        }
        try {
            Check.positive("clock", spec.clock(), Frequency.of(0));
            double lowest = ProcessScaling.lowestSupply().volts();
            Check.that(spec.process().supply().volts() >= lowest, "process.supply", spec.process().supply(),
                    "at least " + lowest + " V: the delay law's devices switch from 0.35 V (near-threshold operation is not modelled)");
            Check.that(spec.process().clockSupply().volts() >= lowest, "process.clockSupply", spec.process().clockSupply(),
                    "at least " + lowest + " V: the delay law's devices switch from 0.35 V");
            int bitsPerCell = spec.array().bitsPerCell();
            int columns = spec.weights().columnsPerWeight() > 0 ? spec.weights().columnsPerWeight()
                    : (spec.weights().bits() + bitsPerCell - 1) / bitsPerCell;
            Check.that(spec.array().cols() >= columns, "array.cols", spec.array().cols(), "at least the " + columns
                    + " columns one weight takes");
            Check.that(spec.compute() != Compute.DIGITAL || spec.readout().bits() == 0, "readout.bits",
                    spec.readout().bits(), "0 for a digital macro (its adder trees need no ADC)");
            Check.that(spec.compute() == Compute.DIGITAL || spec.readout().bits() > 0, "readout.bits",
                    spec.readout().bits(), "the ADC resolution of an analog macro (1-16)");
        } catch (InvalidValueException e) {
            throw new ConfigException(doc.locate(e.field()), e.field(), String.valueOf(e.value()), e.problem());
        }
        return spec;
    }
}
