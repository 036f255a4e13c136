package org.abacim.reram;

import java.util.List;
import org.abacim.core.api.DesignPointLoader;

/** A built-in preset of this module with optional {@code --set}-style overrides, through the API the CLI uses. */
final class Presets {
    private Presets() {}

    static ReramDesign load(String name, String... overrides) {
        var merged = DesignPointLoader.merge(null, name, null, List.of(overrides));
        return (ReramDesign) DesignPointLoader.design(merged.document());
    }
}
