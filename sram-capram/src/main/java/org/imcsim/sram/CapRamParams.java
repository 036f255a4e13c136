package org.imcsim.sram;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import org.imcsim.core.analog.AdcBits;
import org.imcsim.core.analog.AdcRange;
import org.imcsim.core.config.Check;
import org.imcsim.core.config.Renamed;
import org.imcsim.core.tech.ProcessPoint;
import org.imcsim.core.units.Area;
import org.imcsim.core.units.Energy;
import org.imcsim.core.units.Time;

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
        ProcessPoint process,
        ArrayParams array,
        WeightParams weights,
        int inputBits,
        AdcParams adc,
        Energy arrayRead,
        Energy accumulate,
        AreaParams area,
        AnalogParams analog,
        OrganizationParams organization) {

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
    public record ArrayParams(int rows, int cols, int cellsPerMac, int dacBits, Time readCycle) {
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
    public record OrganizationParams(int macrosPerChip) {
        public OrganizationParams {
            Check.between("macrosPerChip", macrosPerChip, 1, 1_000_000);
        }
    }

    /**
     * Weight precision and encoding: {@code twos-complement} (single cells, binary-weighted in the charge domain,
     * the top bit negative; 1 bit = ±1) or {@code paired-cells} (a +1/0/−1 unit of two cells per magnitude bit;
     * 2 bits = ternary).
     */
    public record WeightParams(int bits, ChargeEncoding encoding) {
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
    public record AdcParams(AdcBits bits, AdcRange range, Reference reference) {
        public AdcParams {
            Check.present("range", range);
            Check.present("reference", reference);
        }
    }

    /**
     * The published ADC the column ADCs' costs are scaled from (the key every technology shares:
     * {@code adc.reference}): its resolution, energy per conversion, area, and where they come from.
     */
    public record Reference(int bits, Energy energy, Area area, String source) {
        public Reference {
            Check.between("bits", bits, 1, 16);
            Check.nonNegative("energy", energy.joules());
            Check.nonNegative("area", area.squareMeters());
            Check.that(source != null && !source.isBlank(), "source", source, "say where the numbers come from");
        }
    }

    /** Area of one cell with its share of the MAC circuits, and of the rest of the macro's periphery. */
    public record AreaParams(Area cell, Area periphery, String source) {
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
    public record AnalogParams(double capacitorMismatch, double injectionNonlinearity, double comparatorNoise,
                               double adcOffset, double adcGain, double adcInl, Calibration calibration,
                               String source) {
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
