package org.abacim.core.api;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.abacim.core.config.ConfigDocument;
import org.abacim.core.config.ConfigException;
import org.abacim.core.config.ConfigReader;
import org.abacim.core.config.SourceLocation;
import org.abacim.core.tech.Technology;

/**
 * Every technology on the class path, found through {@link ServiceLoader} (each technology module names its class in
 * {@code META-INF/services/org.abacim.core.tech.Technology}), in order of id so results and listings never depend on
 * the class path's order; and their presets.
 */
public final class Catalog {
    private static final List<Technology> TECHNOLOGIES = discover(Catalog.class.getClassLoader());

    /**
     * The technologies {@code loader} can see, sorted by id. Two with one id is a build error, not a choice: the
     * message names both classes.
     */
    public static List<Technology> discover(ClassLoader loader) {
        Map<String, Technology> byId = new TreeMap<>();
        for (Technology t : ServiceLoader.load(Technology.class, loader)) {
            Technology other = byId.put(t.id(), t);
            if (other != null) {
                throw new IllegalStateException("two technologies with the id '" + t.id() + "': "
                        + other.getClass().getName() + " and " + t.getClass().getName());
            }
        }
        return List.copyOf(byId.values());
    }

    /** A built-in preset: its name, technology and the resource holding it. */
    public record Preset(String name, Technology technology, String resource) {}

    private Catalog() {}

    public static List<Technology> technologies() {
        return TECHNOLOGIES;
    }

    public static Optional<Technology> technology(String id) {
        return TECHNOLOGIES.stream().filter(t -> t.id().equals(id)).findFirst();
    }

    public static List<Preset> presets() {
        List<Preset> out = new ArrayList<>();
        for (Technology t : TECHNOLOGIES) {
            t.presets().forEach((name, resource) -> out.add(new Preset(name, t, resource)));
        }
        return out;
    }

    public static List<String> presetNames() {
        return presets().stream().map(Preset::name).toList();
    }

    /**
     * A preset by built-in name, or a preset file by path (relative to {@code baseDir}). {@code where} is where the
     * name was given, for the error when there is no such preset.
     */
    public static ConfigDocument loadPreset(String nameOrPath, SourceLocation where, Path baseDir) {
        for (Preset p : presets()) {
            if (p.name().equals(nameOrPath)) {
                InputStream in = p.technology().getClass().getResourceAsStream(p.resource());
                if (in == null) throw new IllegalStateException("preset resource missing: " + p.resource());
                return ConfigReader.read("preset " + p.name() + " (" + p.resource().substring(1) + ")", in);
            }
        }
        Path file = baseDir == null ? Path.of(nameOrPath) : baseDir.resolve(nameOrPath);
        if (nameOrPath.matches(".*\\.(ya?ml|json)$") && Files.isRegularFile(file)) {
            return ConfigReader.read(file);
        }
        throw new ConfigException(where, "preset", nameOrPath,
                "unknown preset; built in: " + String.join(", ", presetNames()) + " (or a path to a preset .yaml file)");
    }

    /** Preset names with their one-line descriptions and sources, read from the preset files themselves. */
    public static Map<String, String[]> presetDescriptions() {
        Map<String, String[]> out = new LinkedHashMap<>();
        for (Preset p : presets()) {
            ConfigDocument doc = loadPreset(p.name(), SourceLocation.of("catalog"), null);
            out.put(p.name(), new String[] {p.technology().id(), doc.root().path("description").asText(),
                    doc.root().path("source").asText()});
        }
        return out;
    }
}
