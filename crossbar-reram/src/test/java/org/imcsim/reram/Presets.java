package org.imcsim.reram;

import org.imcsim.core.tech.PresetLoader;

/** Loads a built-in preset of this module with optional {@code --set}-style overrides, as the CLI would. */
final class Presets {
    private Presets() {}

    static ReramDesign load(String name, String... overrides) {
        return (ReramDesign) PresetLoader.load(new CrossbarReramTechnology(), name, overrides);
    }
}
