package org.abacim.experiments.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.abacim.core.config.Check;
import org.abacim.core.config.ConfigBinder;
import org.abacim.core.config.ConfigDocument;
import org.abacim.core.config.ConfigException;
import org.abacim.core.config.ConfigPath;
import org.abacim.core.config.ConfigReader;
import org.abacim.core.config.SourceLocation;
import org.abacim.core.result.Metric;
import org.abacim.experiments.io.OutputFolder;

/**
 * A sweep file: a base config (as for {@code abacim run}), the presets and networks to cross it with, axes over any
 * config path (grid, zip, seeded random), constraints that skip points with a stated reason, and the baseline preset
 * every point is compared with.
 *
 * <pre>
 * name: isaac-array-adc
 * base: { preset: isaac, network: vgg16 }
 * grid: { adc.bits: [auto, 6, 7], array.bitsPerCell: [1, 2, 4] }
 * zip:  { array.rows: [64, 128, 256], array.cols: [64, 128, 256] }
 * random: { samples: 100, seed: 7, axes: { array.readCycle: { min: 50 ns, max: 200 ns, scale: log } } }
 * constraints: [ { metric: chips, max: 8, reason: "more than 8 chips" } ]
 * baseline: isaac
 * </pre>
 */
public record SweepSpec(
        ConfigDocument document,
        Path directory,
        String name,
        String description,
        ConfigDocument base,
        List<String> presets,
        Map<String, List<String>> presetSets,
        List<String> networks,
        String baseline,
        Map<String, List<Value>> grid,
        Map<String, List<Value>> zip,
        RandomSampling random,
        List<Constraint> constraints) {

    /** An axis value as written, with where it was written (for error messages about the point). */
    public record Value(JsonNode node, SourceLocation location) implements Serializable {}

    /** Seeded random sampling of {@code samples} points over the axes. */
    public record RandomSampling(int samples, long seed, Map<String, RandomAxis> axes) {}

    /** Either a list of choices, or a range [min, max] sampled uniformly on a linear or logarithmic scale. */
    public record RandomAxis(List<Value> choices, JsonNode min, JsonNode max, boolean logScale, SourceLocation location) {}

    /**
     * A bound on a config value ({@code path}) or on a result metric ({@code metric}); a point outside is skipped and
     * recorded with {@code reason}.
     */
    public record Constraint(String path, String metric, JsonNode min, JsonNode max, String reason,
                             SourceLocation location) {}

    /** What a sweep file may leave out, as data. There is no default baseline: name a preset or {@code none}. */
    static final ConfigDocument DEFAULTS = ConfigReader.read("sweep defaults", """
            description: ""
            base: {}
            presets: []            # [] : the base's preset
            presetSets: {}
            networks: []           # [] : the base's network
            grid: {}
            zip: {}
            constraints: []
            """);

    /** Left out of one constraint: no lower or upper bound, and a reason written from the bounds. */
    static final ConfigDocument CONSTRAINT_DEFAULTS = ConfigReader.read("sweep constraint defaults", """
            min: null
            max: null
            reason: ""
            """);

    /** The file's shape, bound strictly; the optional random section and the axes are checked below. */
    record File(String name, String description, JsonNode base, List<String> presets,
                Map<String, List<String>> presetSets, List<String> networks, String baseline,
                Map<String, JsonNode> grid, Map<String, JsonNode> zip, List<JsonNode> constraints) {
        File {
            Check.plainName("name", name);
        }
    }

    record RandomFile(int samples, long seed, Map<String, JsonNode> axes) {
        RandomFile {
            Check.between("samples", samples, 1, 10_000_000);
            Check.that(!axes.isEmpty(), "axes", "{}", "expected a mapping of config paths to ranges");
        }
    }

    enum Scale { linear, log }

    /** A random axis over a range: uniform on a linear or logarithmic scale. */
    record RangeAxis(JsonNode min, JsonNode max, Scale scale) {}

    /** A random axis over a list of values. */
    record ChoicesAxis(List<JsonNode> choices) {
        ChoicesAxis {
            Check.that(!choices.isEmpty(), "choices", "[]", "expected a non-empty list");
        }
    }

    record PathConstraint(String path, JsonNode min, JsonNode max, String reason) {}

    record MetricConstraint(String metric, JsonNode min, JsonNode max, String reason) {
        MetricConstraint {
            Check.that(SweepMetrics.NAMES.contains(metric), "metric", metric,
                    "unknown metric; known: " + String.join(", ", SweepMetrics.NAMES));
            // Metrics are numbers in their unit (energy_J in joules): a bound with a unit would compare nothing.
            String unit = Metric.named(metric).orElseThrow().unit();
            for (String side : List.of("min", "max")) {
                JsonNode b = side.equals("min") ? min : max;
                Check.that(b == null || b.isNull() || b.isNumber(), side, b == null ? null : b.asText(),
                        "expected a plain number in the metric's unit (" + unit + ")");
            }
        }
    }

    public static SweepSpec read(Path file) {
        ConfigDocument written = ConfigReader.read(file);
        Path dir = ConfigReader.folderOf(file);
        ConfigDocument doc = DEFAULTS.overlay(written.without(Set.of("random")));
        if (!doc.root().has("name")) {
            // A sweep is named after its file unless it says otherwise: the name is where its results are described.
            doc = doc.with("name", OutputFolder.plainName(
                            file.getFileName().toString().replaceFirst("\\.(ya?ml|json)$", "")),
                    SourceLocation.of(file.toString()));
        }
        doc = doc.withElementDefaults("constraints", CONSTRAINT_DEFAULTS.root(), CONSTRAINT_DEFAULTS::locate);
        File f;
        try {
            f = ConfigBinder.bind(doc, File.class);
        } catch (ConfigException e) {
            if (!"baseline".equals(e.path())) throw e;
            throw new ConfigException(e.location(), "baseline", null,
                    "missing: name the preset every point is compared with (e.g. isaac), or none");
        }
        if (written.root().has("random")) doc = doc.set("random", written.at("random"), written.locate("random"));
        ConfigDocument located = DEFAULTS.overlay(written);
        ConfigDocument base = written.root().has("base") ? written.subDocument("base") : ConfigDocument.empty(file.toString());
        Map<String, List<Value>> grid = axes(located, "grid", f.grid());
        Map<String, List<Value>> zip = axes(located, "zip", f.zip());
        int zipLength = -1;
        for (Map.Entry<String, List<Value>> e : zip.entrySet()) {
            if (zipLength >= 0 && e.getValue().size() != zipLength) {
                String path = ConfigPath.child("zip", e.getKey());
                throw new ConfigException(doc.locate(path), path, null, "has " + e.getValue().size()
                        + " values but the other zip axes have " + zipLength + "; zip axes vary together");
            }
            zipLength = e.getValue().size();
        }
        for (String key : zip.keySet()) {
            if (grid.containsKey(key)) {
                throw new ConfigException(doc.locate("zip." + key), "zip." + key, null, "is also a grid axis");
            }
        }
        RandomSampling random = written.root().has("random") ? random(written) : new RandomSampling(0, 0, Map.of());
        List<Constraint> constraints = constraints(doc, f.constraints().size());
        if (!base.root().has("preset") && f.presets().isEmpty() && !base.root().has("technology")) {
            throw new ConfigException(doc.locate("base"), "base.preset", null,
                    "missing: give base.preset or a presets list");
        }
        if (!base.root().has("network") && f.networks().isEmpty()) {
            throw new ConfigException(doc.locate("base"), "base.network", null,
                    "missing: give base.network or a networks list");
        }
        String basePreset = base.root().path("preset").asText(null);
        for (String preset : f.presetSets().keySet()) {
            if (!f.presets().contains(preset) && !preset.equals(f.baseline()) && !preset.equals(basePreset)) {
                String key = ConfigPath.child("presetSets", preset);
                throw new ConfigException(doc.locate(key), key, null,
                        "not a preset of this sweep (presets, base.preset or baseline)");
            }
        }
        ConfigDocument sweepDoc = doc;
        f.presetSets().forEach((preset, sets) -> {
            for (int i = 0; i < sets.size(); i++) {
                String key = ConfigPath.element(ConfigPath.child("presetSets", preset), i);
                String set = sets.get(i);
                int eq = set.indexOf('=');
                if (eq <= 0) {
                    throw new ConfigException(sweepDoc.locate(key), key, set, "expected PATH=VALUE, like array.rows=256");
                }
                checkPath(sweepDoc, key, set.substring(0, eq).trim());
            }
        });
        return new SweepSpec(doc, dir, f.name(), f.description(), base, f.presets(), f.presetSets(), f.networks(),
                f.baseline(), grid, zip, random, constraints);
    }

    /** The axis paths in the order they vary in the plan: grid, then zip, then random. */
    public List<String> axisPaths() {
        List<String> out = new ArrayList<>(grid.keySet());
        out.addAll(zip.keySet());
        out.addAll(random.axes().keySet());
        return out;
    }

    /** Axis values as written, each with its location; every axis a non-empty list. */
    private static Map<String, List<Value>> axes(ConfigDocument doc, String key, Map<String, JsonNode> axes) {
        Map<String, List<Value>> out = new LinkedHashMap<>();
        axes.forEach((path, list) -> {
            String p = ConfigPath.child(key, path);
            if (path.equals("preset") || path.equals("technology")) {
                // The preset is read before axes are set: an axis over it would relabel one design, not vary it.
                throw new ConfigException(doc.locate(p), p, null, "vary presets with the presets: list, not an axis");
            }
            checkPath(doc, p, path);
            if (!list.isArray() || list.isEmpty()) {
                throw new ConfigException(doc.locate(p), p, null, "expected a non-empty list of values");
            }
            List<Value> values = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) values.add(new Value(list.get(i), doc.locate(ConfigPath.element(p, i))));
            out.put(path, values);
        });
        return out;
    }

    /**
     * A config path as a sweep names it (an axis, a constraint, a presetSets entry): keys joined by dots, list
     * indexes in brackets, a few keys long; refused at {@code key} otherwise. Whether the path exists is checked
     * against the presets' configs before any point runs.
     */
    static void checkPath(ConfigDocument doc, String key, String path) {
        List<String> segments = ConfigPath.segments(path);
        boolean wellFormed = !segments.isEmpty() && !ConfigPath.isIndex(segments.get(0));
        for (String segment : segments) {
            if (segment.isEmpty() || segment.isBlank() || segment.contains("[") && !ConfigPath.isIndex(segment)
                    || segment.contains("]") && !ConfigPath.isIndex(segment)) {
                wellFormed = false;
            }
        }
        if (!wellFormed) {
            throw new ConfigException(doc.locate(key), key, path.isEmpty() ? "''" : path,
                    "not a config path; expected keys joined by dots, like array.rows or layers[2].bits");
        }
        if (segments.size() > ConfigReader.MAX_DEPTH) {
            throw new ConfigException(doc.locate(key), key, null, "the path has more than " + ConfigReader.MAX_DEPTH
                    + " keys; config paths are a few keys long, like array.rows");
        }
        for (String segment : segments) {
            if (ConfigPath.isIndex(segment) && ConfigPath.index(segment) >= 1_000_000) {
                throw new ConfigException(doc.locate(key), key, path, "the index " + segment + " is past the end of "
                        + "any list a config holds");
            }
        }
    }

    /** The random section, bound strictly; each axis is a range ({@code min}, {@code max}, {@code scale}) or choices. */
    private static RandomSampling random(ConfigDocument doc) {
        RandomFile r = ConfigBinder.bind(doc, "random", doc.at("random"), RandomFile.class);
        Map<String, RandomAxis> out = new LinkedHashMap<>();
        r.axes().forEach((path, axis) -> {
            String p = "random.axes." + path;
            if (path.equals("preset") || path.equals("technology")) {
                throw new ConfigException(doc.locate(p), p, null, "vary presets with the presets: list, not an axis");
            }
            checkPath(doc, p, path);
            if (!axis.isObject() || axis.has("choices") == axis.has("min")) {
                throw new ConfigException(doc.locate(p), p, null, "expected {min, max} or {choices}");
            }
            if (axis.has("choices")) {
                ChoicesAxis c = ConfigBinder.bind(doc, p, axis, ChoicesAxis.class);
                List<Value> values = new ArrayList<>();
                for (int i = 0; i < c.choices().size(); i++) {
                    values.add(new Value(c.choices().get(i), doc.locate(ConfigPath.element(p + ".choices", i))));
                }
                out.put(path, new RandomAxis(values, null, null, false, doc.locate(p)));
                return;
            }
            ObjectNode filled = axis.deepCopy();
            if (!filled.has("scale")) filled.put("scale", "linear"); // a range is linear unless it says log
            RangeAxis range = ConfigBinder.bind(doc, p, filled, RangeAxis.class);
            RandomAxis ra = new RandomAxis(null, range.min(), range.max(), range.scale() == Scale.log, doc.locate(p));
            Sampler.checkRange(ra, p);
            out.put(path, ra);
        });
        return new RandomSampling(r.samples(), r.seed(), out);
    }

    /** Each constraint bounds a config value ({@code path}) or a result ({@code metric}), never both. */
    private static List<Constraint> constraints(ConfigDocument doc, int count) {
        List<Constraint> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String p = ConfigPath.element("constraints", i);
            JsonNode c = doc.at(p);
            if (!c.isObject()) throw new ConfigException(doc.locate(p), p, null, "expected {path or metric, min, max, reason}");
            if (c.has("path") == c.has("metric")) {
                throw new ConfigException(doc.locate(p), p, null, "give exactly one of path (a config value) or metric (a result)");
            }
            String subject;
            JsonNode min;
            JsonNode max;
            String reason;
            if (c.has("path")) {
                PathConstraint pc = ConfigBinder.bind(doc, p, c, PathConstraint.class);
                checkPath(doc, ConfigPath.child(p, "path"), pc.path());
                subject = pc.path();
                min = pc.min();
                max = pc.max();
                reason = pc.reason();
            } else {
                MetricConstraint mc = ConfigBinder.bind(doc, p, c, MetricConstraint.class);
                subject = mc.metric();
                min = mc.min();
                max = mc.max();
                reason = mc.reason();
            }
            min = min == null || min.isNull() ? null : min;
            max = max == null || max.isNull() ? null : max;
            if (min == null && max == null) throw new ConfigException(doc.locate(p), p, null, "give min, max or both");
            if (reason.isEmpty()) {
                reason = subject + (min != null ? " ≥ " + min.asText() : "")
                        + (max != null ? (min != null ? " and" : "") + " ≤ " + max.asText() : "") + " required";
            }
            out.add(new Constraint(c.has("path") ? subject : null, c.has("metric") ? subject : null, min, max, reason,
                    doc.locate(p)));
        }
        return out;
    }
}
