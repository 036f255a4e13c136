package org.imcsim.mram;

import org.imcsim.core.config.Check;
import org.imcsim.core.config.Renamed;
import org.imcsim.core.tech.ProcessPoint;
import org.imcsim.core.units.Area;
import org.imcsim.core.units.Current;
import org.imcsim.core.units.Energy;
import org.imcsim.core.units.Power;
import org.imcsim.core.units.Resistance;
import org.imcsim.core.units.Time;
import org.imcsim.core.units.Voltage;

/**
 * The parameters of a SOT-MRAM bit-wise processing-in-memory chip, bound from a preset and the user's overrides. Keys
 * follow the hierarchy vocabulary every technology shares (issue #30): the computational sub-array is {@code array},
 * and the keys this record had before are refused with their new names.
 *
 * @param process the chip's process node and supply, and those its component figures are for
 * @param array rows (word lines) × columns (bit lines) of one computational sub-array
 * @param weights weight bits (two's complement bit-planes; 1 bit = ±1)
 * @param inputBits bits of an input activation, written as that many bit-plane rows before a multiply
 * @param cell the 2T1MTJ cell: resistances, their spread, area and its separate write path
 * @param read the dual-row read: the voltage across the bit line and how long one sense takes
 * @param senseAmp the reconfigurable sense amplifier, one per bit line
 * @param logic the bit-counter and shifter/accumulator of a sub-array
 * @param buffer the activation buffer of a bank
 * @param leakagePerArray standby power of one sub-array's CMOS periphery (the MTJs hold their state unpowered)
 * @param organization how sub-arrays are grouped on a chip
 */
@Renamed(from = "subArray.wordLines", to = "array.rows", issue = "#30")
@Renamed(from = "subArray.bitLines", to = "array.cols", issue = "#30")
@Renamed(from = "leakagePerSubArray", to = "leakagePerArray", issue = "#30")
@Renamed(from = "organization.subArraysPerMat", to = "organization.arraysPerMat", issue = "#30")
public record SotMramParams(
        ProcessPoint process,
        ArrayParams array,
        WeightParams weights,
        int inputBits,
        CellParams cell,
        ReadParams read,
        SenseAmpParams senseAmp,
        LogicParams logic,
        BufferParams buffer,
        Power leakagePerArray,
        OrganizationParams organization) {

    public SotMramParams {
        Check.present("process", process);
        Check.present("array", array);
        Check.present("weights", weights);
        Check.between("inputBits", inputBits, 1, 16);
        Check.present("cell", cell);
        Check.present("read", read);
        Check.present("senseAmp", senseAmp);
        Check.present("logic", logic);
        Check.present("buffer", buffer);
        Check.nonNegative("leakagePerArray", leakagePerArray.watts());
        Check.present("organization", organization);
        Check.that(array.rows() > inputBits + weights.bits() - 1, "array.rows", array.rows(),
                "more than the " + inputBits + " input bit-plane rows plus one " + weights.bits() + "-bit weight");
    }

    /** One sub-array: {@code rows} word lines, {@code cols} bit lines (a sense amplifier each). */
    public record ArrayParams(int rows, int cols) {
        public ArrayParams {
            Check.between("rows", rows, 2, 65_536);
            Check.between("cols", cols, 1, 65_536);
        }
    }

    public record WeightParams(int bits) {
        public WeightParams {
            Check.between("bits", bits, 1, 16);
        }
    }

    /**
     * The MTJ: parallel resistance, tunnelling magnetoresistance (R_AP = R_P·(1 + TMR)), their device-to-device
     * spreads (relative σ, drawn per cell), the cell's area, and the SOT write: current through the heavy metal, the
     * voltage its driver needs, and the pulse.
     */
    public record CellParams(Resistance resistanceP, double tmr, double resistanceSigma, double tmrSigma, Area area,
                             Current writeCurrent, Voltage writeVoltage, Time writePulse, String source) {
        public CellParams {
            Check.positive("resistanceP", resistanceP, Resistance.of(0));
            Check.that(tmr > 0 && tmr <= 10, "tmr", tmr, "a ratio from 0 to 10 (1.0 = 100 %)");
            Check.that(resistanceSigma >= 0 && resistanceSigma < 0.5, "resistanceSigma", resistanceSigma,
                    "a relative σ from 0 to 0.5");
            Check.that(tmrSigma >= 0 && tmrSigma < 0.5, "tmrSigma", tmrSigma, "a relative σ from 0 to 0.5");
            Check.nonNegative("area", area.squareMeters());
            Check.nonNegative("writeCurrent", writeCurrent.amperes());
            Check.nonNegative("writeVoltage", writeVoltage.volts());
            Check.positive("writePulse", writePulse, Time.of(0));
            Check.that(source != null && !source.isBlank(), "source", source, "say where the numbers come from");
        }

        public Resistance resistanceAp() { return resistanceP.times(1 + tmr); }

        /** Energy of one SOT write: driver voltage × write current × pulse. */
        public Energy writeEnergy() {
            return Energy.of(writeVoltage.volts() * writeCurrent.amperes() * writePulse.seconds());
        }
    }

    /** The read voltage across a bit line with two rows open, and the time of one sense. */
    public record ReadParams(Voltage voltage, Time time) {
        public ReadParams {
            Check.that(voltage.volts() > 0, "voltage", voltage, "a positive read voltage");
            Check.positive("time", time, Time.of(0));
        }
    }

    /**
     * The sense amplifier: its input-referred offset (σ of a current, drawn per read), energy per sense besides the
     * bit line's own current, and area.
     */
    public record SenseAmpParams(Current offset, Energy energy, Area area, String source) {
        public SenseAmpParams {
            Check.nonNegative("offset", offset.amperes());
            Check.nonNegative("energy", energy.joules());
            Check.nonNegative("area", area.squareMeters());
            Check.that(source != null && !source.isBlank(), "source", source, "say where the numbers come from");
        }
    }

    /** Bit-counter energy per counted bit, shift-and-accumulate energy per popcount, their area per sub-array. */
    public record LogicParams(Energy bitCount, Energy shiftAdd, Area area, String source) {
        public LogicParams {
            Check.nonNegative("bitCount", bitCount.joules());
            Check.nonNegative("shiftAdd", shiftAdd.joules());
            Check.nonNegative("area", area.squareMeters());
            Check.that(source != null && !source.isBlank(), "source", source, "say where the numbers come from");
        }
    }

    /** A bank's activation buffer: energy per bit read and written, area. */
    public record BufferParams(Energy read, Energy write, Area area, String source) {
        public BufferParams {
            Check.nonNegative("read", read.joules());
            Check.nonNegative("write", write.joules());
            Check.nonNegative("area", area.squareMeters());
            Check.that(source != null && !source.isBlank(), "source", source, "say where the numbers come from");
        }
    }

    /** Sub-arrays (arrays) per mat (the placer's array group), mats per bank, banks per chip. */
    public record OrganizationParams(int arraysPerMat, int matsPerBank, int banksPerChip) {
        public OrganizationParams {
            Check.between("arraysPerMat", arraysPerMat, 1, 4096);
            Check.between("matsPerBank", matsPerBank, 1, 4096);
            Check.between("banksPerChip", banksPerChip, 1, 4096);
        }
    }
}
