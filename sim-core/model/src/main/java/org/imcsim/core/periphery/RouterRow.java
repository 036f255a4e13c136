package org.imcsim.core.periphery;

import org.imcsim.core.config.Check;
import org.imcsim.core.units.Area;
import org.imcsim.core.units.DataSize;
import org.imcsim.core.units.Power;

/** A router shared by {@code tilesSharing} tiles, moving one flit per port per clock. */
public record RouterRow(Power power, Area area, int tilesSharing, int ports, DataSize flit, String source) {
    public RouterRow {
        Check.nonNegative("power", power.watts());
        Check.nonNegative("area", area.squareMeters());
        Check.positive("tilesSharing", tilesSharing);
        Check.positive("ports", ports);
        Check.positive("flit", flit, DataSize.of(0));
    }
}
