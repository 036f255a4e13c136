package org.imcsim.core.units;

/** The physical dimensions a config value may have, each with its SI base unit and an example for messages. */
public enum Dimension {
    ENERGY("J", "an energy", "1.6 pJ"),
    POWER("W", "a power", "16 mW"),
    TIME("s", "a time", "100 ns"),
    FREQUENCY("Hz", "a frequency", "1.2 GHz"),
    AREA("m^2", "an area", "0.0012 mm^2"),
    DATA_RATE("b/s", "a data rate", "6.4 GB/s"),
    DATA_SIZE("b", "a data size", "64 KB"),
    VOLTAGE("V", "a voltage", "1.2 V"),
    CURRENT("A", "a current", "40 uA"),
    RESISTANCE("Ohm", "a resistance", "10 kOhm"),
    CAPACITANCE("F", "a capacitance", "1 fF"),
    LENGTH("m", "a length", "65 nm");

    private final String siUnit;
    private final String description;
    private final String example;

    Dimension(String siUnit, String description, String example) {
        this.siUnit = siUnit;
        this.description = description;
        this.example = example;
    }

    public String siUnit() { return siUnit; }

    /** "an energy", for messages. */
    public String description() { return description; }

    /** A well-formed value of this dimension, for messages: "1.6 pJ". */
    public String example() { return example; }
}
