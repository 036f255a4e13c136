package org.abacim.sram;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import org.abacim.core.analog.AdcBits;
import org.abacim.core.analog.AdcRange;
import org.abacim.core.config.Check;
import org.abacim.core.config.Key;
import org.abacim.core.config.Renamed;
import org.abacim.core.tech.CellWrites;
import org.abacim.core.tech.ProcessPoint;
import org.abacim.core.units.Area;
import org.abacim.core.units.Energy;
import org.abacim.core.units.Time;

/**
 * The parameters of a CAP-RAM-style charge-domain 6T-SRAM macro, bound from a preset and the user's overrides. Keys
 * follow the hierarchy vocabulary every technology shares (issue #30): the macro's cell array is {@code array}, and
 * the keys this record had before are refused with their new names.
 *
 * @param process the macro's process node and supply, and those its fitted energies and areas are for
 * @param array the macro's cell array, its DAC and its cycle
 * @param inputBits bits of an input activation
 * @param arrayRead energy of one full sub-array multiply besides its conversions (MAC capacitors, input drivers)
 * @param accumulate energy of one digital add of partial sums across sub-arrays
 * @param organization macros on one chip
 */
@Renamed(from = "macro.rows", to = "array.rows", issue = "#30")
@Renamed(from = "macro.cols", to = "array.cols", issue = "#30")
@Renamed(from = "macro.cellsPerMac", to = "array.cellsPerMac", issue = "#30")
@Renamed(from = "dacBits", to = "array.dacBits", issue = "#30")
@Renamed(from = "macCycle", to = "array.readCycle", issue = "#30")
@Renamed(from = "macrosPerChip", to = "organization.macrosPerChip", issue = "#30")
@Renamed(from = "supply", to = "process.supply", issue = "#30")
public record CapRamParams(
        @Key(doc = "the macro's process, and where its energies and areas were measured and fitted (was supply)")
        ProcessPoint process,
        @Key(doc = "the macro's cell array, its DAC and its cycle") ArrayParams array,
        @Key(doc = "weight precision and encoding") WeightParams weights,
        @Key(doc = "bits per input activation", unit = "bits") int inputBits,
        @Key(doc = "the column ADCs, the published ADC their costs scale from, and the numerics' range") AdcParams adc,
        @Key(doc = "energy of one full sub-array multiply besides its conversions (MAC capacitors, input drivers)")
        Energy arrayRead,
        @Key(doc = "energy of one digital add of partial sums across sub-arrays") Energy accumulate,
        @Key(doc = "the macro's area") AreaParams area,
        @Key(doc = "analog non-idealities for accuracy runs (numerics; see docs/studies/capram-lenet5.md)")
        AnalogParams analog,
        @Key(doc = "macros on one chip") OrganizationParams organization,
        @Key(doc = "writing cells every inference (attention.products: arrays, a KV cache in the arrays): energy per "
                + "cell, a row's write time, endurance; left out, the design cannot write activations into its arrays",
                optional = true)
        CellWrites write) {

    public CapRamParams {
        Check.present("process", process);
        Check.present("array", array);
        Check.present("weights", weights);
        Check.between("inputBits", inputBits, 1, 16);
        Check.that(array.dacBits() <= inputBits, "array.dacBits", array.dacBits(),
                "must not exceed inputBits (" + inputBits + ")");
        Check.nonNegative("arrayRead", arrayRead.joules());
        Check.nonNegative("accumulate", accumulate.joules());
        Check.present("organization", organization);
        int cells = weights.encoding().cellsPerWeight(weights.bits(), 1);
        Check.that(array.cols() >= cells, "weights.bits", weights.bits(), "a weight takes " + cells
                + " cells, more than the " + array.cols() + " columns of the array");
    }

    /**
     * The macro's cell array: {@code rows} × {@code cols} 6T cells; every {@code cellsPerMac} cells of a column share
     * one charge-domain MAC circuit, so a macro is {@code cellsPerMac} sub-arrays of rows/cellsPerMac rows that take
     * turns (one cell of each group connected per cycle) and hold weights of several layers side by side.
     * {@code dacBits} input bits the charge-injection DAC applies per cycle (3: eight levels); {@code readCycle} one
     * multiply of a sub-array for one input slice: inputs injected, charge shared, every weight column converted.
     */
    public record ArrayParams(
            @Key(doc = "rows of the macro's cell array (512 in CAP-RAM)") int rows,
            @Key(doc = "columns of the macro's cell array (128 in CAP-RAM); columns hold weights") int cols,
            @Key(doc = "cells of a column that share a MAC circuit: the array is that many sub-arrays of "
                    + "rows/cellsPerMac rows that take turns (a divisor of rows)")
            int cellsPerMac,
            @Key(doc = "input bits the charge-injection DAC applies per cycle", unit = "bits") int dacBits,
            @Key(doc = "one sub-array multiply for one input slice: inputs injected, charge shared, every weight "
                    + "column converted")
            Time readCycle) {
        public ArrayParams {
            Check.between("rows", rows, 1, 65_536);
            Check.between("cols", cols, 1, 65_536);
            Check.between("cellsPerMac", cellsPerMac, 1, 1024);
            Check.that(rows % cellsPerMac == 0, "cellsPerMac", cellsPerMac, "a divisor of array.rows (" + rows + ")");
            Check.between("dacBits", dacBits, 1, 8);
            Check.positive("readCycle", readCycle, Time.of(0));
        }

        /** Rows of one sub-array: the rows that compute together in one cycle. */
        public int activeRows() { return rows / cellsPerMac; }
    }

    /** Macros on one chip. */
    public record OrganizationParams(@Key(doc = "macros on one chip") int macrosPerChip) {
        public OrganizationParams {
            Check.between("macrosPerChip", macrosPerChip, 1, 1_000_000);
        }
    }

    /**
     * Weight precision and encoding: {@code twos-complement} (single cells, binary-weighted in the charge domain,
     * the top bit negative; 1 bit = ±1) or {@code paired-cells} (a +1/0/−1 unit of two cells per magnitude bit;
     * 2 bits = ternary).
     */
    public record WeightParams(
            @Key(doc = "bits per weight, 1–8", unit = "bits") int bits,
            @Key(doc = "paired-cells (sign and magnitude in positive and negative cells; 2 bits = ternary) or "
                    + "twos-complement (1 bit = ±1)")
            ChargeEncoding encoding) {
        public WeightParams {
            Check.between("bits", bits, 1, 8);
            Check.that(encoding == ChargeEncoding.TWOS_COMPLEMENT || encoding == ChargeEncoding.PAIRED_CELLS, "encoding",
                    encoding, "twos-complement or paired-cells");
            Check.that(encoding != ChargeEncoding.PAIRED_CELLS || bits >= 2, "bits", bits,
                    "paired cells hold a sign and at least one magnitude bit: 2 (ternary) or more");
        }
    }

    /**
     * The column ADCs ({@code array.cols} per macro; a weight's columns share one conversion): resolution ({@code auto} =
     * lossless for the sub-array), the published ADC its energy per conversion and area are for (other resolutions
     * are scaled by the ADC curve), and how the numerics set the range.
     */
    public record AdcParams(
            @Key(doc = "the column ADCs' resolution: auto (lossless for the sub-array) or 1 to 16",
                    type = "auto or a whole number", unit = "bits")
            AdcBits bits,
            @Key(doc = "numerics: what column sum the top code stands for") AdcRange range,
            @Key(doc = "the published ADC their costs are scaled from: the crossbars' adc.reference key, with energy "
                    + "per conversion where they give power and rate (other resolutions by the ADC survey's ratios)")
            Reference reference) {
        public AdcParams {
            Check.present("range", range);
            Check.present("reference", reference);
        }
    }

    /**
     * The published ADC the column ADCs' costs are scaled from (the key every technology shares:
     * {@code adc.reference}): its resolution, energy per conversion, area, and where they come from.
     */
    public record Reference(
            @Key(doc = "the published ADC's resolution", unit = "bits") int bits,
            @Key(doc = "energy per conversion") Energy energy,
            @Key(doc = "area of one ADC") Area area,
            @Key(doc = "where the figures come from") String source) {
        public Reference {
            Check.between("bits", bits, 1, 16);
            Check.nonNegative("energy", energy.joules());
            Check.nonNegative("area", area.squareMeters());
            Check.that(source != null && !source.isBlank(), "source", source, "say where the numbers come from");
        }
    }

    /** Area of one cell with its share of the MAC circuits, and of the rest of the macro's periphery. */
    public record AreaParams(
            @Key(doc = "a cell with its share of the MAC circuits") Area cell,
            @Key(doc = "the rest of the macro") Area periphery,
            @Key(doc = "where the figures come from") String source) {
        public AreaParams {
            Check.nonNegative("cell", cell.squareMeters());
            Check.nonNegative("periphery", periphery.squareMeters());
            Check.that(source != null && !source.isBlank(), "source", source, "say where the numbers come from");
        }
    }

    /**
     * Analog non-idealities for accuracy runs: MAC capacitor mismatch (relative σ per capacitor, drawn per chip),
     * charge-injection nonlinearity (the DAC's bow at mid-scale, in input steps), comparator noise (σ in ADC LSB per
     * conversion), per-ADC offset (σ in LSB) and gain (relative σ), the ADC's INL (peak of a bow, in LSB, its sign
     * drawn per ADC), and whether the two-step calibration (offset, then gain, per ADC) has run.
     */
    public record AnalogParams(
            @Key(doc = "MAC capacitor mismatch, drawn per capacitor per chip", unit = "relative σ")
            double capacitorMismatch,
            @Key(doc = "charge-injection nonlinearity: the DAC's bow at mid-scale", unit = "input steps")
            double injectionNonlinearity,
            @Key(doc = "comparator noise, per conversion", unit = "σ in LSB") double comparatorNoise,
            @Key(doc = "per-ADC offset", unit = "σ in LSB") double adcOffset,
            @Key(doc = "per-ADC gain", unit = "relative σ") double adcGain,
            @Key(doc = "the ADC's INL: peak of a bow, its sign drawn per ADC", unit = "LSB") double adcInl,
            @Key(doc = "none, or two-step: each ADC's offset, then its gain, measured and corrected")
            Calibration calibration,
            @Key(doc = "where the figures come from") String source) {
        public AnalogParams {
            Check.that(capacitorMismatch >= 0 && capacitorMismatch <= 1, "capacitorMismatch", capacitorMismatch,
                    "a relative σ from 0 to 1");
            Check.that(Math.abs(injectionNonlinearity) <= 4, "injectionNonlinearity", injectionNonlinearity,
                    "input steps from −4 to 4");
            Check.that(comparatorNoise >= 0 && comparatorNoise <= 64, "comparatorNoise", comparatorNoise, "LSB from 0 to 64");
            Check.that(adcOffset >= 0 && adcOffset <= 64, "adcOffset", adcOffset, "LSB from 0 to 64");
            Check.that(adcGain >= 0 && adcGain <= 1, "adcGain", adcGain, "a relative σ from 0 to 1");
            Check.that(adcInl >= 0 && adcInl <= 64, "adcInl", adcInl, "LSB from 0 to 64");
            Check.present("calibration", calibration);
            Check.that(source != null && !source.isBlank(), "source", source, "say where the numbers come from");
        }

        public boolean ideal() {
            return capacitorMismatch == 0 && injectionNonlinearity == 0 && comparatorNoise == 0 && adcOffset == 0
                    && adcGain == 0 && adcInl == 0;
        }
    }

    /** {@code none}, or {@code two-step}: each ADC's offset, then its gain, measured and corrected. */
    public enum Calibration {
        NONE("none"), TWO_STEP("two-step");

        private final String key;

        Calibration(String key) { this.key = key; }

        @JsonValue
        public String key() { return key; }

        @JsonCreator
        public static Calibration parse(String text) {
            for (Calibration c : values()) if (c.key.equals(text)) return c;
            throw new IllegalArgumentException("expected none or two-step");
        }
    }
}
