package org.imcsim.mram;

import org.imcsim.core.tech.PresetLoader;

/** Loads a built-in preset of this module with optional {@code --set}-style overrides, as the CLI would. */
final class Presets {
    private Presets() {}

    static SotMramDesign load(String name, String... overrides) {
        return (SotMramDesign) PresetLoader.load(new MramSotTechnology(), name, overrides);
    }
}
