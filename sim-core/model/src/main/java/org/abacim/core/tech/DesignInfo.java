package org.abacim.core.tech;

import org.abacim.core.config.Check;
import org.abacim.core.config.Key;

/** What a design is and where its numbers come from; every preset starts with these four keys. */
public record DesignInfo(
        @Key(doc = "the technology that models the design (every preset sets it)") String technology,
        @Key(doc = "the design's name, which names output files: letters, digits, '.', '_', '+', '-'") String name,
        @Key(doc = "what the design is, in a line") String description,
        @Key(doc = "where the design's numbers come from (required)") String source) {
    public DesignInfo {
        Check.that(technology != null && !technology.isBlank(), "technology", technology, "must name a technology");
        Check.plainName("name", name);
        Check.that(source != null && !source.isBlank(), "source", source, "say where the numbers come from");
        if (description == null) description = "";
    }
}
