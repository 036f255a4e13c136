package org.abacim.core.periphery;

import org.abacim.core.config.Check;
import org.abacim.core.config.Key;
import org.abacim.core.units.Area;
import org.abacim.core.units.DataSize;
import org.abacim.core.units.Power;

/** An on-chip activation buffer of {@code instances} banks, each accessed {@code accessWidth} at a time. */
public record BufferRow(
        @Key(doc = "total power of the banks, as published") Power power,
        @Key(doc = "total area of the banks, as published") Area area,
        @Key(doc = "banks the power and area are for") int instances,
        @Key(doc = "capacity of the buffer, all its banks together (a KV cache is measured against it)") DataSize size,
        @Key(doc = "bits read or written per access") DataSize accessWidth,
        @Key(doc = "where the figures come from") String source) {
    public BufferRow {
        Check.nonNegative("power", power.watts());
        Check.nonNegative("area", area.squareMeters());
        Check.positive("instances", instances);
        Check.positive("size", size, DataSize.of(0));
        Check.positive("accessWidth", accessWidth, DataSize.of(0));
    }
}
