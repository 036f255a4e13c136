package org.imcsim.core.periphery;

import org.imcsim.core.config.Check;
import org.imcsim.core.units.Area;
import org.imcsim.core.units.DataRate;
import org.imcsim.core.units.Power;

/** A chip's links to other chips: {@code links} of {@code bandwidthPerLink} each. */
public record LinkRow(Power power, Area area, int links, DataRate bandwidthPerLink, String source) {
    public LinkRow {
        Check.nonNegative("power", power.watts());
        Check.nonNegative("area", area.squareMeters());
        Check.positive("links", links);
        Check.positive("bandwidthPerLink", bandwidthPerLink, DataRate.of(0));
    }

    public DataRate bandwidth() { return bandwidthPerLink.times(links); }
}
