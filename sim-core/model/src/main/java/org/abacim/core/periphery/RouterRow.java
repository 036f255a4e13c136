package org.abacim.core.periphery;

import org.abacim.core.config.Check;
import org.abacim.core.config.Key;
import org.abacim.core.units.Area;
import org.abacim.core.units.DataSize;
import org.abacim.core.units.Power;

/** A router shared by {@code tilesSharing} tiles, moving one flit per port per clock. */
public record RouterRow(
        @Key(doc = "power of one router, as published") Power power,
        @Key(doc = "area of one router, as published") Area area,
        @Key(doc = "tiles that share one router") int tilesSharing,
        @Key(doc = "ports, each moving one flit per clock") int ports,
        @Key(doc = "bits moved per port per clock") DataSize flit,
        @Key(doc = "where the figures come from") String source) {
    public RouterRow {
        Check.nonNegative("power", power.watts());
        Check.nonNegative("area", area.squareMeters());
        Check.positive("tilesSharing", tilesSharing);
        Check.positive("ports", ports);
        Check.positive("flit", flit, DataSize.of(0));
    }
}
