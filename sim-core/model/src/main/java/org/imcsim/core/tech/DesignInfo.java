package org.imcsim.core.tech;

import org.imcsim.core.config.Check;

/** What a design is and where its numbers come from; every preset starts with these four keys. */
public record DesignInfo(String technology, String name, String description, String source) {
    public DesignInfo {
        Check.that(technology != null && !technology.isBlank(), "technology", technology, "must name a technology");
        Check.plainName("name", name);
        Check.that(source != null && !source.isBlank(), "source", source, "say where the numbers come from");
        if (description == null) description = "";
    }
}
