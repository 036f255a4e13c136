package org.abacim.reram;

import org.abacim.core.analog.AdcBits;
import org.abacim.core.analog.AdcRange;
import org.abacim.core.analog.DeviceModel;
import org.abacim.core.analog.InputStatistics;
import org.abacim.core.config.Check;
import org.abacim.core.config.Key;
import org.abacim.core.periphery.AdcReference;
import org.abacim.core.periphery.BufferRow;
import org.abacim.core.tech.CellWrites;
import org.abacim.core.periphery.BusRow;
import org.abacim.core.periphery.LinkRow;
import org.abacim.core.periphery.RouterRow;
import org.abacim.core.periphery.TableRow;
import org.abacim.core.tech.ProcessPoint;
import org.abacim.core.units.Area;
import org.abacim.core.units.Frequency;
import org.abacim.core.units.Power;
import org.abacim.core.units.Resistance;
import org.abacim.core.units.Time;
import org.abacim.core.units.Length;

/**
 * The parameters of a ReRAM crossbar accelerator, bound from a preset and the user's overrides. Component rows are
 * kept in the form of the papers' tables ({@link TableRow}: totals for {@code instances} units); the model divides,
 * then scales to the configured geometry, and from the tables' process ({@code process.reference}) to the design's.
 */
public record ReramParams(
        @Key(doc = "digital clock; results count cycles of it") Frequency clock,
        @Key(doc = "the design's process, and where the component tables below were published") ProcessPoint process,
        @Key(doc = "the weights the arrays hold") Weights weights,
        @Key(doc = "bits per input activation (applied bit-serially)", unit = "bits") int inputBits,
        @Key(doc = "one crossbar and how it is driven") ArrayParams array,
        @Key(doc = "the ADCs: resolution, rate, the published ADC their costs scale from, and their numerics") AdcParams adc,
        @Key(doc = "the cells, and how they depart from what is written (numerics)") DeviceModel device,
        @Key(doc = "resistance of the word and bit lines per cell segment and of each cell's access device: IR drop "
                + "in the numerics (issue #33; all 0 Ohm: none)")
        Wires wires,
        @Key(doc = "zero-skipping without data: inputs zero with probability zeroFraction, else half-normal with "
                + "full scale at peakSigmas σ")
        InputStatistics inputStatistics,
        @Key(doc = "the hierarchy: arrays per IMA, IMAs per tile, tiles per chip") OrganizationParams organization,
        @Key(doc = "component rows of one IMA as in the paper's table: power and area are totals for instances "
                + "units, each with a source")
        ImaComponents ima,
        @Key(doc = "component rows of one tile outside its IMAs, as in the paper's table") TileComponents tile,
        @Key(doc = "components of the chip outside its tiles") ChipComponents chip,
        @Key(doc = "writing cells every inference (attention.products: arrays, a KV cache in the arrays): energy per "
                + "cell, a row's write time, endurance; left out, the design cannot write activations into its arrays",
                optional = true)
        CellWrites write) {

    public ReramParams {
        Check.positive("clock", clock, Frequency.of(0));
        Check.present("process", process);
        Check.present("wires", wires);
        for (String line : new String[] {"wordLine", "bitLine"}) {
            SegmentResistance r = line.equals("wordLine") ? wires.wordLine() : wires.bitLine();
            Check.that(!r.isAuto() || process.node().meters() * 1e9 >= WireResistivity.MIN_WIDTH_NM - 1e-9,
                    "wires." + line, r, "auto needs process.node of at least " + (int) WireResistivity.MIN_WIDTH_NM
                            + " nm (the narrowest wire of the resistivity table, " + process.node() + " given); set a resistance");
        }
        Check.between("inputBits", inputBits, 1, 32);
        // The trim is made once, on the chip as programmed; with drift it would need that t0 read kept apart.
        DeviceModel.Drift drift = device.drift();
        Check.that(!wires.calibrateColumns() || drift.fit() == DeviceModel.Drift.Fit.NONE && drift.nu() == 0
                        && drift.nuSigma() == 0, "wires.calibrateColumns", true,
                "not with device.drift (the trim at t0 under drift is not modelled yet): set nu and nuSigma to 0 and "
                        + "fit to none, or calibrateColumns to false");
        int weightBits = weights.bits();
        int cellsPerWeight = array.signEncoding().cellsPerWeight(weightBits, array.bitsPerCell());
        Check.that(array.cols() >= cellsPerWeight, "array.cols", array.cols(), "fewer than the " + cellsPerWeight
                + " cells a " + weightBits + "-bit weight takes in " + array.bitsPerCell() + "-bit cells");
        Check.that(array.dacBits() <= inputBits, "array.dacBits", array.dacBits(),
                "must not exceed inputBits (" + inputBits + ")");
        Check.that(array.signEncoding() != CrossbarEncoding.POLARIZED || array.rows() % array.fragmentRows() == 0,
                "array.fragmentRows", array.fragmentRows(), "a divisor of array.rows (" + array.rows() + ")");
    }

    /** A word-line segment's resistance: as given, or from the process node and cell pitch. */
    public Resistance wordLineSegment() { return wires.segment(wires.wordLine(), process.node()); }

    /** A bit-line segment's resistance: as given, or from the process node and cell pitch. */
    public Resistance bitLineSegment() { return wires.segment(wires.bitLine(), process.node()); }

    /**
     * The lines and access devices of a crossbar (issue #33). A segment is one cell's length of a word or bit line;
     * {@code auto} takes copper as wide as the process node, {@code cellPitch} feature sizes long, with NeuroSim's
     * size-effect resistivity ({@link WireResistivity}). The access device is the 1T1R transistor's on-resistance,
     * in series with every cell. All zero: ideal wiring, and the numerics are those without IR drop to the bit.
     */
    public record Wires(
            @Key(doc = "resistance of one cell's segment of a word line: a resistance (0 Ohm to 1 kOhm) or auto (copper "
                    + "at process.node, cellPitch long, NeuroSim's size-effect resistivity)", type = "auto or a resistance")
            SegmentResistance wordLine,
            @Key(doc = "resistance of one cell's segment of a bit line: a resistance (0 Ohm to 1 kOhm) or auto",
                    type = "auto or a resistance")
            SegmentResistance bitLine,
            @Key(doc = "cell pitch along the lines, for auto (2 for a 4F² crossbar cell)", unit = "feature sizes F")
            double cellPitch,
            @Key(doc = "on-resistance of each cell's access transistor (1T1R), in series with the cell (0 Ohm to "
                    + "1 MOhm; 0 Ohm for a passive crossbar)")
            Resistance access,
            @Key(doc = "true: each column is trimmed on the chip — read once with every row driven and its sums "
                    + "scaled so that read equals its programmed levels' sum (undoes the column's mean IR drop); "
                    + "false: no trim")
            boolean calibrateColumns) {
        /** Largest segment resistance accepted: a cell's length of on-chip wire is milliohms to tens of ohms. */
        public static final double MAX_SEGMENT_OHMS = 1e3;
        /** Largest access resistance accepted: transistors on are kilohms to tens of kilohms. */
        public static final double MAX_ACCESS_OHMS = 1e6;

        public Wires {
            Check.present("wordLine", wordLine);
            Check.present("bitLine", bitLine);
            Check.present("access", access);
            checkSegment("wordLine", wordLine);
            checkSegment("bitLine", bitLine);
            Check.that(cellPitch >= 1 && cellPitch <= 100, "cellPitch", cellPitch, "a pitch from 1 to 100 feature sizes");
            Check.that(access.ohms() >= 0 && access.ohms() <= MAX_ACCESS_OHMS, "access", access,
                    "an access resistance from 0 Ohm to 1 MOhm");
        }

        private static void checkSegment(String field, SegmentResistance r) {
            Check.that(r.isAuto() || (r.fixed().ohms() >= 0 && r.fixed().ohms() <= MAX_SEGMENT_OHMS), field, r,
                    "a resistance per cell segment from 0 Ohm to 1 kOhm (a cell's length of on-chip wire is milliohms "
                            + "to tens of ohms), or auto");
        }

        Resistance segment(SegmentResistance r, Length node) {
            return r.isAuto() ? WireResistivity.segment(node, cellPitch) : r.fixed();
        }

        /** No resistance anywhere: the arrays compute as before issue #33. */
        public boolean ideal() {
            return !wordLine.isAuto() && !bitLine.isAuto() && wordLine.fixed().ohms() == 0
                    && bitLine.fixed().ohms() == 0 && access.ohms() == 0;
        }
    }

    /** Bits of one stored weight (the key every technology shares: {@code weights.bits}). */
    public int weightBits() { return weights.bits(); }

    /** The weights the arrays hold: {@code bits} per weight (signs as {@code array.signEncoding} says). */
    public record Weights(@Key(doc = "bits per weight", unit = "bits") int bits) {
        public Weights {
            Check.between("bits", bits, 1, 32);
        }
    }

    /**
     * One crossbar and how it is driven. {@code fragmentRows}: rows of a column converted together (FORMS's
     * fragment; the whole column otherwise — only the polarized encoding converts fragments). {@code zeroSkipping}:
     * a fragment's bit-serial cycles end when none of its inputs has a set bit left (FORMS).
     */
    public record ArrayParams(
            @Key(doc = "rows of one crossbar") int rows,
            @Key(doc = "columns of one crossbar (columns hold weights; the sign encoding may add columns)") int cols,
            @Key(doc = "bits per cell (1–8); a weight takes ⌈weights.bits / bitsPerCell⌉ cells in one row",
                    unit = "bits")
            int bitsPerCell,
            @Key(doc = "bits applied per input cycle (1 = bit-serial)", unit = "bits") int dacBits,
            @Key(doc = "one crossbar read") Time readCycle,
            @Key(doc = "offset-unit-column (ISAAC), differential (two arrays), polarized (FORMS: every fragment of a "
                    + "column one sign, one sign bit each) or unsigned")
            CrossbarEncoding signEncoding,
            @Key(doc = "polarized arrays: rows of a column whose weights share a sign and are converted together (a "
                    + "divisor of rows; ignored by other encodings)")
            int fragmentRows,
            @Key(doc = "true: a fragment's bit-serial cycles end once its inputs have no set bit left (FORMS)")
            boolean zeroSkipping) {
        public ArrayParams {
            Check.between("fragmentRows", fragmentRows, 1, 8192);
            Check.between("rows", rows, 1, 8192);
            Check.between("cols", cols, 1, 8192);
            Check.between("bitsPerCell", bitsPerCell, 1, 8);
            Check.between("dacBits", dacBits, 1, 8);
            Check.positive("readCycle", readCycle, Time.of(0));
            Check.present("signEncoding", signEncoding);
        }
    }

    /**
     * The ADCs in use, the published ADC their costs are scaled from, and for the numerics how their range is set
     * and their static errors (offset σ in LSB, relative gain σ, drawn per ADC per simulated chip).
     */
    public record AdcParams(
            @Key(doc = "auto (lossless by ISAAC's rule) or a resolution from 1 to 16", type = "auto or a whole number",
                    unit = "bits")
            AdcBits bits,
            @Key(doc = "conversion rate of one ADC") Frequency sampleRate,
            @Key(doc = "ADCs per crossbar") int perArray,
            @Key(doc = "the published ADC that costs are scaled from (to other resolutions by the ratios of the Murmann "
                    + "ADC survey's SAR model, ComponentLibrary.adc; its own resolution exactly as published)")
            AdcReference reference,
            @Key(doc = "numerics: clipped (one code per unit of column sum, saturating), full-scale (codes spread over "
                    + "the largest possible sum), calibrated (over the largest sum seen on calibration images, per "
                    + "layer) or ideal (no rounding or clipping: the sums pass unconverted, to isolate the devices; "
                    + "costs stay those of adc.bits)")
            AdcRange range,
            @Key(doc = "numerics: static offset σ, drawn per ADC per simulated chip", unit = "LSB")
            double offsetSigma,
            @Key(doc = "numerics: gain σ, drawn per ADC per simulated chip", unit = "relative σ")
            double gainSigma) {
        public AdcParams {
            Check.positive("sampleRate", sampleRate, Frequency.of(0));
            Check.between("perArray", perArray, 1, 1024);
            Check.present("range", range);
            Check.that(offsetSigma >= 0 && offsetSigma <= 64, "offsetSigma", offsetSigma, "an LSB count from 0 to 64");
            Check.that(gainSigma >= 0 && gainSigma <= 1, "gainSigma", gainSigma, "a relative σ between 0 and 1");
        }
    }

    /** How arrays group: arrays per IMA (sharing ADCs and registers), IMAs per tile, tiles per chip. */
    public record OrganizationParams(
            @Key(doc = "crossbars per IMA (they share its ADCs and registers)") int arraysPerIma,
            @Key(doc = "IMAs per tile") int imasPerTile,
            @Key(doc = "tiles per chip") int tilesPerChip) {
        public OrganizationParams {
            Check.between("arraysPerIma", arraysPerIma, 1, 4096);
            Check.between("imasPerTile", imasPerTile, 1, 4096);
            Check.between("tilesPerChip", tilesPerChip, 1, 1_000_000);
        }
    }

    /** The crossbar row, with the array size its numbers are for (they scale per cell to other sizes). */
    public record CrossbarRow(
            @Key(doc = "total power of the instances, as published") Power power,
            @Key(doc = "total area of the instances, as published") Area area,
            @Key(doc = "how many crossbars the power and area are for") int instances,
            @Key(doc = "rows of the crossbar the figures are for (they scale per cell to other sizes)") int rows,
            @Key(doc = "columns of the crossbar the figures are for") int cols,
            @Key(doc = "where the figures come from") String source) {
        public CrossbarRow {
            Check.nonNegative("power", power.watts());
            Check.nonNegative("area", area.squareMeters());
            Check.positive("instances", instances);
            Check.positive("rows", rows);
            Check.positive("cols", cols);
        }
    }

    /**
     * Components inside one IMA besides its ADCs (whose costs come from {@code adc.reference}). {@code signBit}
     * prices one stored bit of the polarized fragments' sign register (instances = the bits its figures are for).
     */
    public record ImaComponents(
            @Key(doc = "the IMA's crossbars, with the array size their figures are for") CrossbarRow crossbar,
            @Key(doc = "the DACs that drive the crossbars' rows") TableRow dac,
            @Key(doc = "the sample-and-hold circuits of the crossbars' columns") TableRow sampleHold,
            @Key(doc = "the IMA's shift-and-add units") TableRow shiftAdd,
            @Key(doc = "the IMA's input register") TableRow inputRegister,
            @Key(doc = "the IMA's output register") TableRow outputRegister,
            @Key(doc = "one stored fragment sign bit (polarized arrays; instances = the bits its figures are for)")
            TableRow signBit) {}

    /** Components of one tile outside its IMAs. */
    public record TileComponents(
            @Key(doc = "the tile's eDRAM activation buffer") BufferRow edram,
            @Key(doc = "the tile's bus between eDRAM and IMAs") BusRow bus,
            @Key(doc = "the router between tiles") RouterRow router,
            @Key(doc = "the tile's activation-function units") TableRow activation,
            @Key(doc = "the tile's shift-and-add units") TableRow shiftAdd,
            @Key(doc = "the tile's max-pool units") TableRow maxPool,
            @Key(doc = "the tile's output register") TableRow outputRegister) {}

    /** Components of the chip outside its tiles. */
    public record ChipComponents(@Key(doc = "the chip's links to other chips") LinkRow offChip) {}
}
