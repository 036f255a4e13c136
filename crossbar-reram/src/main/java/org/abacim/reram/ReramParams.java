package org.abacim.reram;

import org.abacim.core.analog.AdcBits;
import org.abacim.core.analog.AdcRange;
import org.abacim.core.analog.DeviceModel;
import org.abacim.core.analog.InputStatistics;
import org.abacim.core.config.Check;
import org.abacim.core.config.Key;
import org.abacim.core.periphery.AdcReference;
import org.abacim.core.periphery.BufferRow;
import org.abacim.core.periphery.BusRow;
import org.abacim.core.periphery.LinkRow;
import org.abacim.core.periphery.RouterRow;
import org.abacim.core.periphery.TableRow;
import org.abacim.core.tech.ProcessPoint;
import org.abacim.core.units.Area;
import org.abacim.core.units.Frequency;
import org.abacim.core.units.Power;
import org.abacim.core.units.Time;

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
        @Key(doc = "zero-skipping without data: inputs zero with probability zeroFraction, else half-normal with "
                + "full scale at peakSigmas σ")
        InputStatistics inputStatistics,
        @Key(doc = "the hierarchy: arrays per IMA, IMAs per tile, tiles per chip") OrganizationParams organization,
        @Key(doc = "component rows of one IMA as in the paper's table: power and area are totals for instances "
                + "units, each with a source")
        ImaComponents ima,
        @Key(doc = "component rows of one tile outside its IMAs, as in the paper's table") TileComponents tile,
        @Key(doc = "components of the chip outside its tiles") ChipComponents chip) {

    public ReramParams {
        Check.positive("clock", clock, Frequency.of(0));
        Check.present("process", process);
        Check.between("inputBits", inputBits, 1, 32);
        int weightBits = weights.bits();
        int cellsPerWeight = array.signEncoding().cellsPerWeight(weightBits, array.bitsPerCell());
        Check.that(array.cols() >= cellsPerWeight, "array.cols", array.cols(), "fewer than the " + cellsPerWeight
                + " cells a " + weightBits + "-bit weight takes in " + array.bitsPerCell() + "-bit cells");
        Check.that(array.dacBits() <= inputBits, "array.dacBits", array.dacBits(),
                "must not exceed inputBits (" + inputBits + ")");
        Check.that(array.signEncoding() != CrossbarEncoding.POLARIZED || array.rows() % array.fragmentRows() == 0,
                "array.fragmentRows", array.fragmentRows(), "a divisor of array.rows (" + array.rows() + ")");
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
