package org.imcsim.experiments.catalog;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.imcsim.core.config.ConfigDocument;
import org.imcsim.core.config.ConfigException;
import org.imcsim.core.config.ConfigReader;
import org.imcsim.core.config.SourceLocation;
import org.imcsim.core.tech.Technology;
import org.imcsim.reram.CrossbarReramTechnology;
import org.imcsim.sram.SramCapramTechnology;

/** Every technology IMCSim knows, listed explicitly (no classpath scanning), and their presets. */
public final class Catalog {
    private static final List<Technology> TECHNOLOGIES = List.of(
            new CrossbarReramTechnology(),
            new SramCapramTechnology(),
            new org.imcsim.mram.MramSotTechnology());

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
