package org.imcsim.experiments.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.imcsim.core.config.ConfigDocument;
import org.imcsim.core.config.ConfigException;
import org.imcsim.core.config.ConfigPath;
import org.imcsim.core.config.ConfigReader;
import org.imcsim.core.config.SourceLocation;

/**
 * A sweep file: a base config (as for {@code imcsim run}), the presets and networks to cross it with, axes over any
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
    public record Value(JsonNode node, SourceLocation location) {}

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

    private static final Set<String> KEYS =
            Set.of("name", "description", "base", "presets", "presetSets", "networks", "baseline", "grid", "zip", "random",
                    "constraints");

    public static SweepSpec read(Path file) {
        ConfigDocument doc = ConfigReader.read(file);
        Path dir = file.toAbsolutePath().getParent();
        unknownKeys(doc, "", doc.root(), KEYS);
        String name = text(doc, "name", file.getFileName().toString().replaceFirst("\\.(ya?ml|json)$", ""));
        String description = text(doc, "description", "");
        ConfigDocument base = doc.root().has("base") ? doc.subDocument("base") : ConfigDocument.empty(file.toString());
        List<String> presets = texts(doc, "presets");
        List<String> networks = texts(doc, "networks");
        Map<String, List<String>> presetSets = presetSets(doc);
        String baseline = text(doc, "baseline", "isaac");
        Map<String, List<Value>> grid = axes(doc, "grid");
        Map<String, List<Value>> zip = axes(doc, "zip");
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
        RandomSampling random = random(doc);
        List<Constraint> constraints = constraints(doc);
        if (!base.root().has("preset") && presets.isEmpty() && !base.root().has("technology")) {
            throw new ConfigException(doc.locate("base"), "base.preset", null,
                    "missing: give base.preset or a presets list");
        }
        if (!base.root().has("network") && networks.isEmpty()) {
            throw new ConfigException(doc.locate("base"), "base.network", null,
                    "missing: give base.network or a networks list");
        }
        String basePreset = base.root().path("preset").asText(null);
        for (String preset : presetSets.keySet()) {
            if (!presets.contains(preset) && !preset.equals(baseline) && !preset.equals(basePreset)) {
                String key = ConfigPath.child("presetSets", preset);
                throw new ConfigException(doc.locate(key), key, null,
                        "not a preset of this sweep (presets, base.preset or baseline)");
            }
        }
        return new SweepSpec(doc, dir, name, description, base, presets, presetSets, networks, baseline, grid, zip, random,
                constraints);
    }

    /** The axis paths in the order they vary in the plan: grid, then zip, then random. */
    public List<String> axisPaths() {
        List<String> out = new ArrayList<>(grid.keySet());
        out.addAll(zip.keySet());
        out.addAll(random.axes().keySet());
        return out;
    }

    private static void unknownKeys(ConfigDocument doc, String path, JsonNode node, Set<String> allowed) {
        node.fieldNames().forEachRemaining(key -> {
            if (!allowed.contains(key)) {
                String p = ConfigPath.child(path, key);
                throw new ConfigException(doc.locate(p), p, null,
                        "unknown key; expected one of: " + String.join(", ", new TreeSet<>(allowed)));
            }
        });
    }

    private static String text(ConfigDocument doc, String key, String fallback) {
        JsonNode n = doc.root().get(key);
        if (n == null) return fallback;
        if (!n.isTextual()) throw new ConfigException(doc.locate(key), key, doc.valueText(key), "expected text");
        return n.asText();
    }

    /**
     * {@code presetSets: { capram: ["macrosPerChip=256"] }}: overrides for one preset's points (and for the baseline
     * when it is that preset), for keys that only that technology has.
     */
    private static Map<String, List<String>> presetSets(ConfigDocument doc) {
        Map<String, List<String>> out = new java.util.LinkedHashMap<>();
        JsonNode n = doc.root().get("presetSets");
        if (n == null) return out;
        if (!n.isObject()) {
            throw new ConfigException(doc.locate("presetSets"), "presetSets", doc.valueText("presetSets"),
                    "expected a mapping from preset name to a list of PATH=VALUE overrides");
        }
        n.fieldNames().forEachRemaining(preset -> {
            String key = ConfigPath.child("presetSets", preset);
            JsonNode list = n.get(preset);
            if (!list.isArray()) throw new ConfigException(doc.locate(key), key, doc.valueText(key), "expected a list of PATH=VALUE");
            List<String> sets = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                if (!list.get(i).isTextual()) {
                    String p = ConfigPath.element(key, i);
                    throw new ConfigException(doc.locate(p), p, list.get(i).toString(), "expected PATH=VALUE");
                }
                sets.add(list.get(i).asText());
            }
            out.put(preset, sets);
        });
        return out;
    }

    private static List<String> texts(ConfigDocument doc, String key) {
        JsonNode n = doc.root().get(key);
        List<String> out = new ArrayList<>();
        if (n == null) return out;
        if (!n.isArray() || n.isEmpty()) {
            throw new ConfigException(doc.locate(key), key, doc.valueText(key), "expected a non-empty list of names");
        }
        for (int i = 0; i < n.size(); i++) {
            if (!n.get(i).isTextual()) {
                String p = ConfigPath.element(key, i);
                throw new ConfigException(doc.locate(p), p, n.get(i).toString(), "expected a name");
            }
            out.add(n.get(i).asText());
        }
        return out;
    }

    private static Map<String, List<Value>> axes(ConfigDocument doc, String key) {
        Map<String, List<Value>> out = new LinkedHashMap<>();
        JsonNode n = doc.root().get(key);
        if (n == null) return out;
        if (!n.isObject()) throw new ConfigException(doc.locate(key), key, null, "expected a mapping of config paths to lists of values");
        n.fields().forEachRemaining(e -> {
            String p = ConfigPath.child(key, e.getKey());
            if (!e.getValue().isArray() || e.getValue().isEmpty()) {
                throw new ConfigException(doc.locate(p), p, null, "expected a non-empty list of values");
            }
            List<Value> values = new ArrayList<>();
            for (int i = 0; i < e.getValue().size(); i++) {
                values.add(new Value(e.getValue().get(i), doc.locate(ConfigPath.element(p, i))));
            }
            out.put(e.getKey(), values);
        });
        return out;
    }

    private static RandomSampling random(ConfigDocument doc) {
        JsonNode n = doc.root().get("random");
        if (n == null) return new RandomSampling(0, 0, Map.of());
        unknownKeys(doc, "random", n, Set.of("samples", "seed", "axes"));
        JsonNode samples = n.get("samples");
        if (samples == null || !samples.isIntegralNumber() || samples.asInt() < 1 || samples.asInt() > 10_000_000) {
            throw new ConfigException(doc.locate("random.samples"), "random.samples", doc.valueText("random.samples"),
                    "expected a whole number of samples from 1 to 10,000,000");
        }
        JsonNode seed = n.get("seed");
        if (seed == null || !seed.isIntegralNumber()) {
            throw new ConfigException(doc.locate("random.seed"), "random.seed", doc.valueText("random.seed"),
                    "expected a whole-number seed (random sweeps are reproducible)");
        }
        JsonNode axes = n.get("axes");
        if (axes == null || !axes.isObject() || axes.isEmpty()) {
            throw new ConfigException(doc.locate("random.axes"), "random.axes", null, "expected a mapping of config paths to ranges");
        }
        Map<String, RandomAxis> out = new LinkedHashMap<>();
        axes.fields().forEachRemaining(e -> {
            String p = "random.axes." + e.getKey();
            JsonNode axis = e.getValue();
            if (!axis.isObject()) throw new ConfigException(doc.locate(p), p, null, "expected {min, max} or {choices}");
            unknownKeys(doc, p, axis, Set.of("min", "max", "scale", "choices"));
            if (axis.has("choices")) {
                JsonNode choices = axis.get("choices");
                if (!choices.isArray() || choices.isEmpty()) {
                    throw new ConfigException(doc.locate(p + ".choices"), p + ".choices", null, "expected a non-empty list");
                }
                List<Value> values = new ArrayList<>();
                for (int i = 0; i < choices.size(); i++) {
                    values.add(new Value(choices.get(i), doc.locate(ConfigPath.element(p + ".choices", i))));
                }
                out.put(e.getKey(), new RandomAxis(values, null, null, false, doc.locate(p)));
                return;
            }
            if (!axis.has("min") || !axis.has("max")) {
                throw new ConfigException(doc.locate(p), p, null, "expected {min, max} or {choices}");
            }
            String scale = axis.has("scale") ? axis.get("scale").asText() : "linear";
            if (!scale.equals("linear") && !scale.equals("log")) {
                throw new ConfigException(doc.locate(p + ".scale"), p + ".scale", scale, "expected linear or log");
            }
            RandomAxis ra = new RandomAxis(null, axis.get("min"), axis.get("max"), scale.equals("log"), doc.locate(p));
            Sampler.checkRange(ra, p);
            out.put(e.getKey(), ra);
        });
        return new RandomSampling(samples.asInt(), seed.asLong(), out);
    }

    private static List<Constraint> constraints(ConfigDocument doc) {
        JsonNode n = doc.root().get("constraints");
        List<Constraint> out = new ArrayList<>();
        if (n == null) return out;
        if (!n.isArray()) throw new ConfigException(doc.locate("constraints"), "constraints", null, "expected a list");
        for (int i = 0; i < n.size(); i++) {
            String p = ConfigPath.element("constraints", i);
            JsonNode c = n.get(i);
            if (!c.isObject()) throw new ConfigException(doc.locate(p), p, null, "expected {path or metric, min, max, reason}");
            unknownKeys(doc, p, c, Set.of("path", "metric", "min", "max", "reason"));
            boolean hasPath = c.has("path");
            boolean hasMetric = c.has("metric");
            if (hasPath == hasMetric) {
                throw new ConfigException(doc.locate(p), p, null, "give exactly one of path (a config value) or metric (a result)");
            }
            if (!c.has("min") && !c.has("max")) {
                throw new ConfigException(doc.locate(p), p, null, "give min, max or both");
            }
            if (hasMetric && !Metrics.NAMES.contains(c.get("metric").asText())) {
                throw new ConfigException(doc.locate(p + ".metric"), p + ".metric", c.get("metric").asText(),
                        "unknown metric; known: " + String.join(", ", Metrics.NAMES));
            }
            String subject = hasPath ? c.get("path").asText() : c.get("metric").asText();
            String reason = c.has("reason") ? c.get("reason").asText()
                    : subject + (c.has("min") ? " ≥ " + c.get("min").asText() : "")
                    + (c.has("max") ? (c.has("min") ? " and" : "") + " ≤ " + c.get("max").asText() : "") + " required";
            out.add(new Constraint(hasPath ? subject : null, hasMetric ? subject : null, c.get("min"), c.get("max"),
                    reason, doc.locate(p)));
        }
        return out;
    }
}
