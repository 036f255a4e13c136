package org.abacim.mram;

import org.abacim.core.config.Check;
import org.abacim.core.config.Key;
import org.abacim.core.config.Renamed;
import org.abacim.core.tech.ProcessPoint;
import org.abacim.core.units.Area;
import org.abacim.core.units.Current;
import org.abacim.core.units.DataSize;
import org.abacim.core.units.Energy;
import org.abacim.core.units.Power;
import org.abacim.core.units.Resistance;
import org.abacim.core.units.Time;
import org.abacim.core.units.Voltage;

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
        @Key(doc = "the chip's process, and where its (assumed) figures are for: 45 nm") ProcessPoint process,
        @Key(doc = "one computational sub-array: word lines × bit lines") ArrayParams array,
        @Key(doc = "the weights: two's-complement bit-planes") WeightParams weights,
        @Key(doc = "bits per input activation, written as that many bit-plane rows before a multiply", unit = "bits")
        int inputBits,
        @Key(doc = "the 2T1MTJ cell: R_P, TMR, device-to-device σ's, area, SOT write (energy = V × I × pulse)")
        CellParams cell,
        @Key(doc = "the dual-row read") ReadParams read,
        @Key(doc = "the sense amplifiers, one per bit line") SenseAmpParams senseAmp,
        @Key(doc = "the bit-counter and shifter/accumulator of a sub-array") LogicParams logic,
        @Key(doc = "a bank's activation buffer, per bit") BufferParams buffer,
        @Key(doc = "standby power of one sub-array's CMOS periphery (the MTJs hold their state unpowered)")
        Power leakagePerArray,
        @Key(doc = "how sub-arrays group on a chip; a mat is the placer's array group") OrganizationParams organization) {

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
    public record ArrayParams(
            @Key(doc = "word lines of one sub-array: inputBits of them hold the input planes, the rest weight planes")
            int rows,
            @Key(doc = "bit lines of one sub-array, a sense amplifier each") int cols) {
        public ArrayParams {
            Check.between("rows", rows, 2, 65_536);
            Check.between("cols", cols, 1, 65_536);
        }
    }

    public record WeightParams(
            @Key(doc = "bits per weight, as two's-complement bit-planes (1 bit = ±1)", unit = "bits") int bits) {
        public WeightParams {
            Check.between("bits", bits, 1, 16);
        }
    }

    /**
     * The MTJ: parallel resistance, tunnelling magnetoresistance (R_AP = R_P·(1 + TMR)), their device-to-device
     * spreads (relative σ, drawn per cell), the cell's area, and the SOT write: current through the heavy metal, the
     * voltage its driver needs, and the pulse.
     */
    public record CellParams(
            @Key(doc = "R_P: the MTJ's parallel resistance") Resistance resistanceP,
            @Key(doc = "tunnelling magnetoresistance, R_AP = R_P·(1 + TMR); 1.0 = 100 %", unit = "ratio") double tmr,
            @Key(doc = "device-to-device spread of R_P, drawn per cell", unit = "relative σ") double resistanceSigma,
            @Key(doc = "device-to-device spread of TMR, drawn per cell", unit = "relative σ") double tmrSigma,
            @Key(doc = "area of one cell") Area area,
            @Key(doc = "SOT write current through the heavy metal") Current writeCurrent,
            @Key(doc = "the voltage the write driver needs") Voltage writeVoltage,
            @Key(doc = "the write pulse") Time writePulse,
            @Key(doc = "where the figures come from") String source,
            @Key(doc = "writes one cell survives (attention.products: arrays, a KV cache in the arrays); left out, "
                    + "activations are not written into the arrays", unit = "cycles", optional = true)
            Double endurance,
            @Key(doc = "where the endurance comes from", optional = true) String enduranceSource) {
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
            Check.that(endurance == null || endurance >= 1 && endurance <= 1e20, "endurance", endurance,
                    "a number of write cycles from 1 to 1e20");
            Check.that(endurance == null || enduranceSource != null && !enduranceSource.isBlank(), "enduranceSource",
                    enduranceSource, "say where the endurance comes from");
        }

        public Resistance resistanceAp() { return resistanceP.times(1 + tmr); }

        /** Energy of one SOT write: driver voltage × write current × pulse. */
        public Energy writeEnergy() {
            return Energy.of(writeVoltage.volts() * writeCurrent.amperes() * writePulse.seconds());
        }
    }

    /** The read voltage across a bit line with two rows open, and the time of one sense. */
    public record ReadParams(
            @Key(doc = "the voltage across a bit line with two rows open") Voltage voltage,
            @Key(doc = "the time of one sense") Time time) {
        public ReadParams {
            Check.that(voltage.volts() > 0, "voltage", voltage, "a positive read voltage");
            Check.positive("time", time, Time.of(0));
        }
    }

    /**
     * The sense amplifier: its input-referred offset (σ of a current, drawn per read), energy per sense besides the
     * bit line's own current, and area.
     */
    public record SenseAmpParams(
            @Key(doc = "σ of its input-referred offset current, drawn per read") Current offset,
            @Key(doc = "energy per sense besides the bit line's own current") Energy energy,
            @Key(doc = "area of one sense amplifier") Area area,
            @Key(doc = "where the figures come from") String source) {
        public SenseAmpParams {
            Check.nonNegative("offset", offset.amperes());
            Check.nonNegative("energy", energy.joules());
            Check.nonNegative("area", area.squareMeters());
            Check.that(source != null && !source.isBlank(), "source", source, "say where the numbers come from");
        }
    }

    /** Bit-counter energy per counted bit, shift-and-accumulate energy per popcount, their area per sub-array. */
    public record LogicParams(
            @Key(doc = "bit-counter energy per counted bit") Energy bitCount,
            @Key(doc = "shift-and-accumulate energy per popcount") Energy shiftAdd,
            @Key(doc = "area of the logic of one sub-array") Area area,
            @Key(doc = "where the figures come from") String source) {
        public LogicParams {
            Check.nonNegative("bitCount", bitCount.joules());
            Check.nonNegative("shiftAdd", shiftAdd.joules());
            Check.nonNegative("area", area.squareMeters());
            Check.that(source != null && !source.isBlank(), "source", source, "say where the numbers come from");
        }
    }

    /** A bank's activation buffer: energy per bit read and written, area. */
    public record BufferParams(
            @Key(doc = "energy per bit read") Energy read,
            @Key(doc = "energy per bit written") Energy write,
            @Key(doc = "area of a bank's buffer") Area area,
            @Key(doc = "where the figures come from") String source,
            @Key(doc = "capacity of a bank's buffer (a KV cache is measured against it)", optional = true)
            DataSize size) {
        public BufferParams {
            Check.nonNegative("read", read.joules());
            Check.nonNegative("write", write.joules());
            Check.nonNegative("area", area.squareMeters());
            Check.that(source != null && !source.isBlank(), "source", source, "say where the numbers come from");
        }
    }

    /** Sub-arrays (arrays) per mat (the placer's array group), mats per bank, banks per chip. */
    public record OrganizationParams(
            @Key(doc = "sub-arrays per mat (the placer's array group)") int arraysPerMat,
            @Key(doc = "mats per bank") int matsPerBank,
            @Key(doc = "banks per chip") int banksPerChip) {
        public OrganizationParams {
            Check.between("arraysPerMat", arraysPerMat, 1, 4096);
            Check.between("matsPerBank", matsPerBank, 1, 4096);
            Check.between("banksPerChip", banksPerChip, 1, 4096);
        }
    }
}
