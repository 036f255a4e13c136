package org.abacim.core.tech;

import java.util.Map;
import java.util.Optional;
import org.abacim.core.config.ConfigDocument;

/**
 * A kind of in-memory-computing hardware, found through {@link java.util.ServiceLoader}: its module lists the
 * implementing class in {@code META-INF/services/org.abacim.core.tech.Technology} (it needs a public no-argument
 * constructor).
 */
public interface Technology {
    /** The value of the {@code technology:} key that selects it, e.g. "crossbar-reram". */
    String id();

    String description();

    /**
     * Binds this technology's parameters from the config (the design-info and run keys already taken out) and
     * builds the design. Errors are {@link org.abacim.core.config.ConfigException}s naming the config path.
     */
    Design configure(DesignInfo info, ConfigDocument parameters);

    /**
     * The record {@link #configure} binds its parameters to, its components annotated with
     * {@link org.abacim.core.config.Key}: docs/config.md's table for this technology and {@code abacim keys} are read
     * from it. Empty for a technology that does not declare its keys (they then go undocumented).
     */
    default Optional<Class<? extends Record>> parameterRecord() {
        return Optional.empty();
    }

    /** Built-in presets: name → classpath resource of a complete, cited preset file. */
    Map<String, String> presets();
}
