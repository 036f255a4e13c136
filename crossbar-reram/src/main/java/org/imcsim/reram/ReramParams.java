package org.imcsim.reram;

import org.imcsim.core.config.Check;
import org.imcsim.core.tech.SignEncoding;
import org.imcsim.core.units.Area;
import org.imcsim.core.units.DataRate;
import org.imcsim.core.units.DataSize;
import org.imcsim.core.units.Frequency;
import org.imcsim.core.units.Power;
import org.imcsim.core.units.Time;

/**
 * The parameters of a ReRAM crossbar accelerator, bound from a preset and the user's overrides. Component rows are
 * kept in the form of the papers' tables: the power and area given are totals for {@code instances} units; the
 * model divides, then scales to the configured geometry.
 */
public record ReramParams(
        Frequency clock,
        int weightBits,
        int inputBits,
        ArrayParams array,
        AdcParams adc,
        OrganizationParams organization,
        ImaComponents ima,
        TileComponents tile,
        ChipComponents chip) {

    public ReramParams {
        Check.positive("clock", clock, Frequency.of(0));
        Check.between("weightBits", weightBits, 1, 32);
        Check.between("inputBits", inputBits, 1, 32);
        int cellsPerWeight = (weightBits + array.bitsPerCell() - 1) / array.bitsPerCell();
        Check.that(array.cols() >= cellsPerWeight, "array.cols", array.cols(), "fewer than the " + cellsPerWeight
                + " cells a " + weightBits + "-bit weight takes in " + array.bitsPerCell() + "-bit cells");
        Check.that(array.dacBits() <= inputBits, "array.dacBits", array.dacBits(),
                "must not exceed inputBits (" + inputBits + ")");
    }

    /** One crossbar and how it is driven. */
    public record ArrayParams(int rows, int cols, int bitsPerCell, int dacBits, Time readCycle,
                              SignEncoding signEncoding) {
        public ArrayParams {
            Check.between("rows", rows, 1, 8192);
            Check.between("cols", cols, 1, 8192);
            Check.between("bitsPerCell", bitsPerCell, 1, 8);
            Check.between("dacBits", dacBits, 1, 8);
            Check.positive("readCycle", readCycle, Time.of(0));
            Check.present("signEncoding", signEncoding);
        }
    }

    /** The ADCs in use, and the published ADC their costs are scaled from. */
    public record AdcParams(AdcBits bits, Frequency sampleRate, int perArray, AdcReference reference) {
        public AdcParams {
            Check.positive("sampleRate", sampleRate, Frequency.of(0));
            Check.between("perArray", perArray, 1, 1024);
        }
    }

    /** A published ADC: total power and area of {@code instances} of them at {@code bits} and {@code sampleRate}. */
    public record AdcReference(int bits, Power power, Area area, int instances, Frequency sampleRate, String source) {
        public AdcReference {
            Check.between("bits", bits, 1, 16);
            Check.positive("power", power, Power.of(0));
            Check.positive("area", area, Area.of(0));
            Check.positive("instances", instances);
            Check.positive("sampleRate", sampleRate, Frequency.of(0));
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

    /** A row of a component table: power and area in all, for {@code instances} units. */
    public record Row(Power power, Area area, int instances, String source) {
        public Row {
            Check.nonNegative("power", power.watts());
            Check.nonNegative("area", area.squareMeters());
            Check.positive("instances", instances);
        }

        public Power powerEach() { return power.times(1.0 / instances); }

        public Area areaEach() { return area.times(1.0 / instances); }
    }

    /** The crossbar row, with the array size its numbers are for (they scale per cell). */
    public record CrossbarRow(Power power, Area area, int instances, int rows, int cols, String source) {
        public CrossbarRow {
            Check.nonNegative("power", power.watts());
            Check.nonNegative("area", area.squareMeters());
            Check.positive("instances", instances);
            Check.positive("rows", rows);
            Check.positive("cols", cols);
        }
    }

    /** An activation buffer: banks ({@code instances}) each accessed {@code accessWidth} at a time. */
    public record BufferRow(Power power, Area area, int instances, DataSize size, DataSize accessWidth, String source) {
        public BufferRow {
            Check.nonNegative("power", power.watts());
            Check.nonNegative("area", area.squareMeters());
            Check.positive("instances", instances);
            Check.positive("size", size, DataSize.of(0));
            Check.positive("accessWidth", accessWidth, DataSize.of(0));
        }
    }

    /** A bus of {@code wires}, one bit per wire per clock. */
    public record BusRow(Power power, Area area, int wires, String source) {
        public BusRow {
            Check.nonNegative("power", power.watts());
            Check.nonNegative("area", area.squareMeters());
            Check.positive("wires", wires);
        }
    }

    /** A router shared by {@code tilesSharing} tiles, moving one flit per port per clock. */
    public record RouterRow(Power power, Area area, int tilesSharing, int ports, DataSize flit, String source) {
        public RouterRow {
            Check.nonNegative("power", power.watts());
            Check.nonNegative("area", area.squareMeters());
            Check.positive("tilesSharing", tilesSharing);
            Check.positive("ports", ports);
            Check.positive("flit", flit, DataSize.of(0));
        }
    }

    /** Chip-to-chip links. */
    public record LinkRow(Power power, Area area, int links, DataRate bandwidthPerLink, String source) {
        public LinkRow {
            Check.nonNegative("power", power.watts());
            Check.nonNegative("area", area.squareMeters());
            Check.positive("links", links);
            Check.positive("bandwidthPerLink", bandwidthPerLink, DataRate.of(0));
        }
    }

    /** Components inside one IMA besides its ADCs (whose costs come from {@code adc.reference}). */
    public record ImaComponents(CrossbarRow crossbar, Row dac, Row sampleHold, Row shiftAdd, Row inputRegister,
                                Row outputRegister) {}

    /** Components of one tile outside its IMAs. */
    public record TileComponents(BufferRow edram, BusRow bus, RouterRow router, Row activation, Row shiftAdd,
                                 Row maxPool, Row outputRegister) {}

    /** Components of the chip outside its tiles. */
    public record ChipComponents(LinkRow offChip) {}
}
