package org.imcsim.reram;

import org.imcsim.core.analog.AdcBits;
import org.imcsim.core.analog.AdcRange;
import org.imcsim.core.analog.DeviceModel;
import org.imcsim.core.analog.InputStatistics;
import org.imcsim.core.config.Check;
import org.imcsim.core.periphery.AdcReference;
import org.imcsim.core.periphery.BufferRow;
import org.imcsim.core.periphery.BusRow;
import org.imcsim.core.periphery.LinkRow;
import org.imcsim.core.periphery.RouterRow;
import org.imcsim.core.periphery.TableRow;
import org.imcsim.core.tech.ProcessPoint;
import org.imcsim.core.units.Area;
import org.imcsim.core.units.Frequency;
import org.imcsim.core.units.Power;
import org.imcsim.core.units.Time;

/**
 * The parameters of a ReRAM crossbar accelerator, bound from a preset and the user's overrides. Component rows are
 * kept in the form of the papers' tables ({@link TableRow}: totals for {@code instances} units); the model divides,
 * then scales to the configured geometry, and from the tables' process ({@code process.reference}) to the design's.
 */
public record ReramParams(
        Frequency clock,
        ProcessPoint process,
        Weights weights,
        int inputBits,
        ArrayParams array,
        AdcParams adc,
        DeviceModel device,
        InputStatistics inputStatistics,
        OrganizationParams organization,
        ImaComponents ima,
        TileComponents tile,
        ChipComponents chip) {

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
    public record Weights(int bits) {
        public Weights {
            Check.between("bits", bits, 1, 32);
        }
    }

    /**
     * One crossbar and how it is driven. {@code fragmentRows}: rows of a column converted together (FORMS's
     * fragment; the whole column otherwise — only the polarized encoding converts fragments). {@code zeroSkipping}:
     * a fragment's bit-serial cycles end when none of its inputs has a set bit left (FORMS).
     */
    public record ArrayParams(int rows, int cols, int bitsPerCell, int dacBits, Time readCycle,
                              CrossbarEncoding signEncoding, int fragmentRows, boolean zeroSkipping) {
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
    public record AdcParams(AdcBits bits, Frequency sampleRate, int perArray, AdcReference reference, AdcRange range,
                            double offsetSigma, double gainSigma) {
        public AdcParams {
            Check.positive("sampleRate", sampleRate, Frequency.of(0));
            Check.between("perArray", perArray, 1, 1024);
            Check.present("range", range);
            Check.that(offsetSigma >= 0 && offsetSigma <= 64, "offsetSigma", offsetSigma, "an LSB count from 0 to 64");
            Check.that(gainSigma >= 0 && gainSigma <= 1, "gainSigma", gainSigma, "a relative σ between 0 and 1");
        }
    }

    /** How arrays group: arrays per IMA (sharing ADCs and registers), IMAs per tile, tiles per chip. */
    public record OrganizationParams(int arraysPerIma, int imasPerTile, int tilesPerChip) {
        public OrganizationParams {
            Check.between("arraysPerIma", arraysPerIma, 1, 4096);
            Check.between("imasPerTile", imasPerTile, 1, 4096);
            Check.between("tilesPerChip", tilesPerChip, 1, 1_000_000);
        }
    }

    /** The crossbar row, with the array size its numbers are for (they scale per cell to other sizes). */
    public record CrossbarRow(Power power, Area area, int instances, int rows, int cols, String source) {
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
    public record ImaComponents(CrossbarRow crossbar, TableRow dac, TableRow sampleHold, TableRow shiftAdd,
                                TableRow inputRegister, TableRow outputRegister, TableRow signBit) {}

    /** Components of one tile outside its IMAs. */
    public record TileComponents(BufferRow edram, BusRow bus, RouterRow router, TableRow activation,
                                 TableRow shiftAdd, TableRow maxPool, TableRow outputRegister) {}

    /** Components of the chip outside its tiles. */
    public record ChipComponents(LinkRow offChip) {}
}
