package org.imcsim.core.tech;

import java.util.List;
import java.util.Set;
import org.imcsim.core.config.ConfigBinder;
import org.imcsim.core.config.ConfigDocument;
import org.imcsim.core.config.ConfigReader;
import org.imcsim.core.config.Overrides;

/** Loads a technology's built-in preset with optional {@code --set}-style overrides, as the CLI would (test jar). */
public final class PresetLoader {
    private PresetLoader() {}

    public static Design load(Technology tech, String name, String... overrides) {
        String resource = tech.presets().get(name);
        if (resource == null) throw new IllegalArgumentException(tech.id() + " has no preset " + name);
        ConfigDocument doc = ConfigReader.read(name, tech.getClass().getResourceAsStream(resource));
        doc = Overrides.apply(doc, List.of(overrides));
        var info = doc.root().deepCopy();
        info.retain("technology", "name", "description", "source");
        DesignInfo designInfo = ConfigBinder.bind(doc, "", info, DesignInfo.class);
        return tech.configure(designInfo, doc.without(Set.of("simulation", "technology", "name", "description", "source")));
    }
}
