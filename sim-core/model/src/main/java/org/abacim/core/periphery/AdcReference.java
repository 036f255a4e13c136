package org.abacim.core.periphery;

import org.abacim.core.config.Check;
import org.abacim.core.config.Key;
import org.abacim.core.units.Area;
import org.abacim.core.units.Frequency;
import org.abacim.core.units.Power;

/** A published ADC: total power and area of {@code instances} of them at {@code bits} and {@code sampleRate}. */
public record AdcReference(
        @Key(doc = "the published ADC's resolution", unit = "bits") int bits,
        @Key(doc = "total power of the instances published") Power power,
        @Key(doc = "total area of the instances published") Area area,
        @Key(doc = "how many ADCs the power and area are for") int instances,
        @Key(doc = "the published ADC's conversion rate") Frequency sampleRate,
        @Key(doc = "where the figures come from") String source) {
    public AdcReference {
        Check.between("bits", bits, 1, 16);
        Check.positive("power", power, Power.of(0));
        Check.positive("area", area, Area.of(0));
        Check.positive("instances", instances);
        Check.positive("sampleRate", sampleRate, Frequency.of(0));
        Check.that(source != null && !source.isBlank(), "source", source, "say where the numbers come from");
    }

    /** Energy of one conversion of the reference ADC. */
    public double conversionJoules() { return power.watts() / instances / sampleRate.hertz(); }
}
