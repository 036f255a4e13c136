package org.abacim.core.arch;

import java.util.List;

/** One level of the architecture (chip, tile, IMA/PE, array): how many per parent, and the components in each. */
public record Level(String name, int countPerParent, List<Component> components) {
    public Level {
        if (countPerParent <= 0) throw new IllegalArgumentException("level " + name + ": count must be positive");
        components = List.copyOf(components);
    }
}
