package org.imcsim.sram;

import org.imcsim.core.tech.PresetLoader;

/** Loads a built-in preset of this module with optional {@code --set}-style overrides, as the CLI would. */
final class Presets {
    private Presets() {}

    static CapRamDesign load(String name, String... overrides) {
        return (CapRamDesign) PresetLoader.load(new SramCapramTechnology(), name, overrides);
    }
}
