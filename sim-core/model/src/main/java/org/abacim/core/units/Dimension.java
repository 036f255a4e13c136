package org.abacim.core.units;

import java.util.Optional;

/** The physical dimensions a config value may have, each with its SI base unit and an example for messages. */
public enum Dimension {
    ENERGY(Energy.class, "J", "an energy", "1.6 pJ"),
    POWER(Power.class, "W", "a power", "16 mW"),
    TIME(Time.class, "s", "a time", "100 ns"),
    FREQUENCY(Frequency.class, "Hz", "a frequency", "1.2 GHz"),
    AREA(Area.class, "m^2", "an area", "0.0012 mm^2"),
    DATA_RATE(DataRate.class, "b/s", "a data rate", "6.4 GB/s"),
    DATA_SIZE(DataSize.class, "b", "a data size", "64 KB"),
    VOLTAGE(Voltage.class, "V", "a voltage", "1.2 V"),
    CURRENT(Current.class, "A", "a current", "40 uA"),
    RESISTANCE(Resistance.class, "Ohm", "a resistance", "10 kOhm"),
    CONDUCTANCE(Conductance.class, "S", "a conductance", "12.5 uS"),
    CAPACITANCE(Capacitance.class, "F", "a capacitance", "1 fF"),
    LENGTH(Length.class, "m", "a length", "65 nm");

    private final Class<?> type;
    private final String siUnit;
    private final String description;
    private final String example;

    Dimension(Class<?> type, String siUnit, String description, String example) {
        this.type = type;
        this.siUnit = siUnit;
        this.description = description;
        this.example = example;
    }

    public String siUnit() { return siUnit; }

    /** The dimension of a quantity type ({@code Time.class} → TIME), or empty for a type that is not a quantity. */
    public static Optional<Dimension> of(Class<?> type) {
        for (Dimension d : values()) if (d.type == type) return Optional.of(d);
        return Optional.empty();
    }

    /** "an energy", for messages. */
    public String description() { return description; }

    /** A well-formed value of this dimension, for messages: "1.6 pJ". */
    public String example() { return example; }
}
