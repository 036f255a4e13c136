package org.imcsim.sram;

import java.util.List;
import java.util.Set;
import org.imcsim.core.config.ConfigBinder;
import org.imcsim.core.config.ConfigDocument;
import org.imcsim.core.config.ConfigReader;
import org.imcsim.core.config.Overrides;
import org.imcsim.core.tech.DesignInfo;

/** Loads a built-in preset of this module with optional {@code --set}-style overrides, as the CLI would. */
final class Presets {
    private Presets() {}

    static CapRamDesign load(String name, String... overrides) {
        CapRam tech = new CapRam();
        ConfigDocument doc = ConfigReader.read(name, CapRam.class.getResourceAsStream(tech.presets().get(name)));
        doc = Overrides.apply(doc, List.of(overrides));
        var info = doc.root().deepCopy();
        info.retain("technology", "name", "description", "source");
        DesignInfo designInfo = ConfigBinder.bind(doc, "", info, DesignInfo.class);
        return (CapRamDesign) tech.configure(designInfo, doc.without(Set.of("simulation", "technology", "name",
                "description", "source")));
    }
}
