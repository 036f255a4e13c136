package org.imcsim.core.periphery;

import org.imcsim.core.config.Check;
import org.imcsim.core.units.Area;
import org.imcsim.core.units.Power;

/** A bus of {@code wires}, each moving one bit per clock. */
public record BusRow(Power power, Area area, int wires, String source) {
    public BusRow {
        Check.nonNegative("power", power.watts());
        Check.nonNegative("area", area.squareMeters());
        Check.positive("wires", wires);
    }
}
