package org.abacim.core.periphery;

import org.abacim.core.config.Check;
import org.abacim.core.config.Key;
import org.abacim.core.units.Area;
import org.abacim.core.units.Power;

/** A bus of {@code wires}, each moving one bit per clock. */
public record BusRow(
        @Key(doc = "power of the bus, as published") Power power,
        @Key(doc = "area of the bus, as published") Area area,
        @Key(doc = "wires, each moving one bit per clock") int wires,
        @Key(doc = "where the figures come from") String source) {
    public BusRow {
        Check.nonNegative("power", power.watts());
        Check.nonNegative("area", area.squareMeters());
        Check.positive("wires", wires);
    }
}
