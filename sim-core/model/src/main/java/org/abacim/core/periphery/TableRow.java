package org.abacim.core.periphery;

import org.abacim.core.config.Check;
import org.abacim.core.config.Key;
import org.abacim.core.units.Area;
import org.abacim.core.units.Power;

/**
 * A row of a paper's component table: {@code power} and {@code area} are totals for {@code instances} units,
 * exactly as published (ISAAC's Table I lists "DAC, 8×128 per IMA, 4 mW, 0.00017 mm²"). Models divide.
 */
public record TableRow(
        @Key(doc = "total power of the instances, as published") Power power,
        @Key(doc = "total area of the instances, as published") Area area,
        @Key(doc = "how many units the power and area are for") int instances,
        @Key(doc = "where the figures come from") String source) {
    public TableRow {
        Check.nonNegative("power", power.watts());
        Check.nonNegative("area", area.squareMeters());
        Check.positive("instances", instances);
        Check.that(source != null && !source.isBlank(), "source", source, "say where the numbers come from");
    }

    public Power powerEach() { return power.times(1.0 / instances); }

    public Area areaEach() { return area.times(1.0 / instances); }
}
