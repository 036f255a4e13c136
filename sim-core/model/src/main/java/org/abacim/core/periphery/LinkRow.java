package org.abacim.core.periphery;

import org.abacim.core.config.Check;
import org.abacim.core.config.Key;
import org.abacim.core.units.Area;
import org.abacim.core.units.DataRate;
import org.abacim.core.units.Power;

/** A chip's links to other chips: {@code links} of {@code bandwidthPerLink} each. */
public record LinkRow(
        @Key(doc = "total power of the chip's links, as published") Power power,
        @Key(doc = "total area of the chip's links, as published") Area area,
        @Key(doc = "links to other chips") int links,
        @Key(doc = "bandwidth of one link") DataRate bandwidthPerLink,
        @Key(doc = "where the figures come from") String source) {
    public LinkRow {
        Check.nonNegative("power", power.watts());
        Check.nonNegative("area", area.squareMeters());
        Check.positive("links", links);
        Check.positive("bandwidthPerLink", bandwidthPerLink, DataRate.of(0));
    }

    public DataRate bandwidth() { return bandwidthPerLink.times(links); }
}
