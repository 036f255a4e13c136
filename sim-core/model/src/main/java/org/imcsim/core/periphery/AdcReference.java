package org.imcsim.core.periphery;

import org.imcsim.core.config.Check;
import org.imcsim.core.units.Area;
import org.imcsim.core.units.Frequency;
import org.imcsim.core.units.Power;

/** A published ADC: total power and area of {@code instances} of them at {@code bits} and {@code sampleRate}. */
public record AdcReference(int bits, Power power, Area area, int instances, Frequency sampleRate, String source) {
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
