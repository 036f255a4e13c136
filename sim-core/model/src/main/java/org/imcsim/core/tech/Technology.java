package org.imcsim.core.tech;

import java.util.Map;
import org.imcsim.core.config.ConfigDocument;

/**
 * A kind of in-memory-computing hardware, found through {@link java.util.ServiceLoader}: its module lists the
 * implementing class in {@code META-INF/services/org.imcsim.core.tech.Technology} (it needs a public no-argument
 * constructor).
 */
public interface Technology {
    /** The value of the {@code technology:} key that selects it, e.g. "crossbar-reram". */
    String id();

    String description();

    /**
     * Binds this technology's parameters from the config (the design-info and run keys already taken out) and
     * builds the design. Errors are {@link org.imcsim.core.config.ConfigException}s naming the config path.
     */
    Design configure(DesignInfo info, ConfigDocument parameters);

    /** Built-in presets: name → classpath resource of a complete, cited preset file. */
    Map<String, String> presets();
}
