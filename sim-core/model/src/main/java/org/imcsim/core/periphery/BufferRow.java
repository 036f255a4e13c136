package org.imcsim.core.periphery;

import org.imcsim.core.config.Check;
import org.imcsim.core.units.Area;
import org.imcsim.core.units.DataSize;
import org.imcsim.core.units.Power;

/** An on-chip activation buffer of {@code instances} banks, each accessed {@code accessWidth} at a time. */
public record BufferRow(Power power, Area area, int instances, DataSize size, DataSize accessWidth, String source) {
    public BufferRow {
        Check.nonNegative("power", power.watts());
        Check.nonNegative("area", area.squareMeters());
        Check.positive("instances", instances);
        Check.positive("size", size, DataSize.of(0));
        Check.positive("accessWidth", accessWidth, DataSize.of(0));
    }
}
