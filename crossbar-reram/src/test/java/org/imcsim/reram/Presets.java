package org.imcsim.reram;

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

    static ReramDesign load(String name, String... overrides) {
        ReramCrossbar tech = new ReramCrossbar();
        String resource = tech.presets().get(name);
        ConfigDocument doc = ConfigReader.read(name, ReramCrossbar.class.getResourceAsStream(resource));
        doc = Overrides.apply(doc, List.of(overrides));
        var info = doc.root().deepCopy();
        info.retain("technology", "name", "description", "source");
        DesignInfo designInfo = ConfigBinder.bind(doc, "", info, DesignInfo.class);
        return (ReramDesign) tech.configure(designInfo, doc.without(Set.of("simulation", "technology", "name",
                "description", "source")));
    }
}
