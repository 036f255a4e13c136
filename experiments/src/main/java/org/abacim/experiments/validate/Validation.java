package org.abacim.experiments.validate;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.abacim.core.config.Check;
import org.abacim.core.config.ConfigBinder;
import org.abacim.core.config.ConfigDocument;
import org.abacim.core.config.ConfigException;
import org.abacim.core.config.ConfigReader;
import org.abacim.core.config.SourceLocation;
import org.abacim.experiments.compare.Comparison;
import org.abacim.experiments.compare.ComparisonSpec;
import org.abacim.experiments.report.ResultFormats;
import org.abacim.experiments.run.DesignRun;
import org.abacim.core.config.Keyed;

/**
 * The validation catalogue ({@code experiments/validation/catalogue.yaml}): published figures, each with its source,
 * tolerance and kind, and the runs and metric that give abacim's value for it. Kinds say how much a match proves:
 * <ul>
 *   <li>{@code roll-up}: the paper's own table, added up by the model (checks the arithmetic and the hierarchy);</li>
 *   <li>{@code fitted}: a constant of the preset was fitted to this figure (checks the fit holds);</li>
 *   <li>{@code prediction}: nothing was fitted to it (the only kind that validates the model);</li>
 *   <li>{@code target}: a bound this project set itself (not a published figure); the simulated value must reach at
 *   least it, a one-sided check;</li>
 *   <li>{@code not-reproduced}: shown with the simulated value and the reason it differs.</li>
 * </ul>
 * Rows of the first four kinds must hold (within their tolerance, or past their bound); {@code abacim validate} and
 * its CI test fail otherwise, and the test also checks each row's kind, so relabelling a row cannot hide it. {@code heavy} rows (training, compression, Monte-Carlo) run only with {@code --all}.
 */
public final class Validation {
    public enum Kind implements Keyed {
        ROLL_UP("roll-up"), FITTED("fitted"), PREDICTION("prediction"), TARGET("target"), NOT_REPRODUCED("not-reproduced");

        final String key;

        Kind(String key) { this.key = key; }

        @JsonCreator
        static Kind parse(String text) {
            return Keyed.parse(Kind.class, text);
        }

        @JsonValue
        public String key() { return key; }

        @Override
        public String toString() { return key; }
    }

    /** A run a metric refers to: a preset on a network with overrides, a config file, or a comparison file. */
    public record RunSpec(String preset, String network, List<String> set, Path config, Path comparison) {}

    /** One catalogue row. */
    public record Row(String id, String figure, String source, double published, String unit, double tolerancePercent,
                      Kind kind, String reason, String note, Map<String, RunSpec> runs, String metric, boolean heavy,
                      SourceLocation where) {}

    /**
     * A row with its simulated value (NaN when the row was not run), its relative error, and the warnings of the
     * results it was computed from (a component used outside its data, say).
     */
    public record Outcome(Row row, double simulated, boolean ran, List<String> warnings) {
        public Outcome(Row row, double simulated, boolean ran) {
            this(row, simulated, ran, List.of());
        }

        public double errorPercent() {
            return 100 * (simulated - row.published()) / Math.abs(row.published());
        }

        /** Reproduced rows within their tolerance, targets reached, or rows not claimed as reproduced. */
        public boolean ok() {
            if (!ran || row.kind() == Kind.NOT_REPRODUCED) return true;
            if (row.kind() == Kind.TARGET) return simulated >= row.published();
            return Math.abs(errorPercent()) <= row.tolerancePercent();
        }

        /** within, outside, reached, missed, not reproduced, or not run. */
        public String status() {
            if (!ran) return "not run";
            if (row.kind() == Kind.NOT_REPRODUCED) return "not reproduced";
            if (row.kind() == Kind.TARGET) return ok() ? "reached" : "missed";
            return ok() ? "within" : "outside";
        }
    }

    private Validation() {}

    /** What a catalogue row may leave out, as data. */
    private static final ConfigDocument ROW_DEFAULTS = ConfigReader.read("catalogue row defaults", """
            reason: ""      # required for not-reproduced rows
            note: ""
            heavy: false    # true: trains or compresses; runs with --all only
            """);

    /** The catalogue's shape, bound strictly; runs are bound by what they hold. */
    record Catalogue(List<RowFile> rows) {}

    record RowFile(String id, String figure, String source, double published, String unit, double tolerance, Kind kind,
                   String reason, String note, Map<String, JsonNode> runs, String metric, boolean heavy) {
        RowFile {
            Check.that(Double.isFinite(published), "published", published, "must be a finite number");
            Check.between("tolerance", tolerance, 0, 1000);
            Check.that(kind != Kind.NOT_REPRODUCED || !reason.isEmpty(), "reason", reason,
                    "a not-reproduced row says why");
            Check.that(!runs.isEmpty(), "runs", "{}", "expected a mapping of run names to runs");
        }
    }

    /** A preset on a network, with {@code --set}-style overrides. */
    record PresetRun(String preset, String network, List<String> set) {}

    record ConfigRun(String config) {}

    record ComparisonRun(String comparison) {}

    /** Reads a catalogue strictly: every error names the file, line, key and value. */
    public static List<Row> read(Path file) {
        ConfigDocument doc = ConfigReader.read(file);
        doc = doc.withElementDefaults("rows", ROW_DEFAULTS.root(), key -> ROW_DEFAULTS.locate(key));
        Catalogue catalogue = ConfigBinder.bind(doc, Catalogue.class);
        Path dir = ConfigReader.folderOf(file);
        List<Row> rows = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < catalogue.rows().size(); i++) {
            RowFile f = catalogue.rows().get(i);
            String at = "rows[" + i + "]";
            if (!ids.add(f.id())) throw new ConfigException(doc.locate(at + ".id"), at + ".id", f.id(), "a second row with this id");
            Map<String, RunSpec> runs = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : f.runs().entrySet()) runs.put(e.getKey(), run(doc, dir, at + ".runs." + e.getKey()));
            try {
                for (String used : Expression.runNames(f.metric())) {
                    if (used.isEmpty() ? runs.size() != 1 : !runs.containsKey(used)) {
                        throw new IllegalArgumentException(used.isEmpty()
                                ? "a value without a run name needs exactly one run"
                                : "no run named '" + used + "' (runs: " + String.join(", ", runs.keySet()) + ")");
                    }
                }
            } catch (IllegalArgumentException e) {
                throw new ConfigException(doc.locate(at + ".metric"), at + ".metric", f.metric(), e.getMessage());
            }
            rows.add(new Row(f.id(), f.figure(), f.source(), f.published(), f.unit(), f.tolerance(), f.kind(),
                    f.reason().isEmpty() ? null : f.reason(), f.note().isEmpty() ? null : f.note(), runs, f.metric(),
                    f.heavy(), doc.locate(at)));
        }
        return rows;
    }

    /** One run, bound strictly to the form its keys name: a preset (with network), a config or a comparison. */
    private static RunSpec run(ConfigDocument doc, Path dir, String at) {
        JsonNode node = doc.at(at);
        if (!node.isObject()) throw new ConfigException(doc.locate(at), at, doc.valueText(at), "expected a mapping of keys");
        int forms = (node.has("preset") ? 1 : 0) + (node.has("config") ? 1 : 0) + (node.has("comparison") ? 1 : 0);
        if (forms != 1) throw new ConfigException(doc.locate(at), at, null, "a run is one of: preset (with network), config, comparison");
        if (node.has("config")) return new RunSpec(null, null, List.of(), dir.resolve(ConfigBinder.bind(doc, at, node, ConfigRun.class).config()), null);
        if (node.has("comparison")) {
            return new RunSpec(null, null, List.of(), null, dir.resolve(ConfigBinder.bind(doc, at, node, ComparisonRun.class).comparison()));
        }
        ObjectNode filled = (ObjectNode) node.deepCopy();
        if (!filled.has("set")) filled.set("set", JsonNodeFactory.instance.arrayNode());
        PresetRun p = ConfigBinder.bind(doc, at, filled, PresetRun.class);
        return new RunSpec(p.preset(), p.network(), p.set(), null, null);
    }

    /** Runs every row (heavy ones only with {@code all}); identical runs are evaluated once. */
    public static List<Outcome> run(List<Row> rows, boolean all, int threads) {
        Map<RunSpec, JsonNode> results = new LinkedHashMap<>();
        List<Outcome> out = new ArrayList<>();
        for (Row row : rows) {
            if (row.heavy() && !all) {
                out.add(new Outcome(row, Double.NaN, false));
                continue;
            }
            double value;
            Set<String> warnings = new LinkedHashSet<>();
            try {
                value = Expression.evaluate(row.metric(), name -> {
                    RunSpec spec = name.isEmpty() ? row.runs().values().iterator().next() : row.runs().get(name);
                    JsonNode result = results.computeIfAbsent(spec, s -> evaluate(s, threads));
                    collectWarnings(result, warnings);
                    return result;
                });
            } catch (ConfigException e) {
                throw ConfigException.inSource(row.where(), "validation row " + row.id() + ": " + e.getMessage());
            } catch (IllegalArgumentException e) {
                throw new ConfigException(row.where(), "metric", row.metric(), "validation row " + row.id() + ": "
                        + e.getMessage());
            }
            out.add(new Outcome(row, value, true, List.copyOf(warnings)));
        }
        return out;
    }

    /** Every text under a {@code warnings} key of a result (a comparison holds one per run), in order. */
    private static void collectWarnings(JsonNode node, Set<String> into) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                if (e.getKey().equals("warnings") && e.getValue().isArray()) {
                    e.getValue().forEach(w -> into.add(w.asText()));
                } else {
                    collectWarnings(e.getValue(), into);
                }
            });
        } else if (node.isArray()) {
            node.forEach(child -> collectWarnings(child, into));
        }
    }

    /** The outcomes as JSON rows: id, figure, source, kind, published, simulated, error, tolerance, status, warnings. */
    public static String json(List<Outcome> outcomes) {
        return json(outcomes, List.of());
    }

    /** As {@link #json(List)}, with the silicon suite's error summary per metric ({@code silicon_summary}). */
    public static String json(List<Outcome> outcomes, List<SiliconSuite.ErrorSummary> silicon) {
        ArrayNode rows = JSON.createArrayNode();
        for (Outcome o : outcomes) {
            Row r = o.row();
            ObjectNode n = rows.addObject();
            n.put("id", r.id());
            n.put("figure", r.figure());
            n.put("source", r.source());
            n.put("kind", r.kind().key());
            n.put("unit", r.unit());
            n.put("published", r.published());
            if (o.ran()) {
                n.put("simulated", o.simulated());
                n.put("error_percent", o.errorPercent());
            } else {
                n.putNull("simulated");
                n.putNull("error_percent");
            }
            if (r.kind() == Kind.NOT_REPRODUCED || r.kind() == Kind.TARGET) n.putNull("tolerance_percent");
            else n.put("tolerance_percent", r.tolerancePercent());
            n.put("status", o.status());
            ArrayNode w = n.putArray("warnings");
            o.warnings().forEach(w::add);
        }
        ObjectNode root = JSON.createObjectNode();
        root.set("rows", rows);
        if (!silicon.isEmpty()) {
            ArrayNode summary = root.putArray("silicon_summary");
            for (SiliconSuite.ErrorSummary s : silicon) {
                ObjectNode n = summary.addObject();
                n.put("metric", s.metric().key());
                n.put("unit", s.metric().unit());
                n.put("rows", s.rows());
                n.put("macros", s.macros());
                n.put("median_error_percent", s.median());
                n.put("max_error_percent", s.max());
            }
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode evaluate(RunSpec s, int threads) {
        try {
            if (s.comparison() != null) {
                return JSON.readTree(ResultFormats.json(Comparison.run(ComparisonSpec.read(s.comparison()), threads)));
            }
            return JSON.readTree(ResultFormats.json(
                    DesignRun.load(s.config(), s.preset(), s.network(), s.set()).evaluate(threads)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The validation page: published, simulated, error and kind for every row, and what the kinds mean. */
    public static String markdown(List<Outcome> outcomes, String command) {
        StringBuilder b = new StringBuilder();
        b.append("# Validation against published figures\n\n");
        b.append("Written by `").append(command).append("` from `experiments/validation/catalogue.yaml`; do not edit by "
                + "hand. Each row is a published figure, its source, what abacim's model gives for it, the error and the "
                + "kind of agreement:\n\n");
        b.append("- **roll-up**: the paper's own table, added up by the model — checks the arithmetic and the "
                + "hierarchy, not the physics;\n");
        b.append("- **fitted**: a constant of the preset was fitted to this figure — checks that the fit holds;\n");
        b.append("- **prediction**: nothing in the model was fitted to it — the rows that validate the model;\n");
        b.append("- **target**: a bound this project set itself, not a published figure — the simulated value must "
                + "reach it (one-sided);\n");
        b.append("- **not reproduced**: the simulated value, and why it differs.\n\n");
        b.append("Rows of the first three kinds must lie within their tolerance and targets must be reached "
                + "(`ValidationTest` fails otherwise, and checks every row's kind). Warnings of the results a row was "
                + "computed from are listed under the notes. "
                + "Sources and their tags are in [reference/published-parameters.md](reference/published-parameters.md).\n\n");
        b.append("| figure | source | published | simulated | error | tolerance | kind | status |\n");
        b.append("|---|---|---|---|---|---|---|---|\n");
        for (Outcome o : outcomes) {
            Row r = o.row();
            String simulated = o.ran() ? number(o.simulated()) + " " + r.unit() : "(run with --all)";
            String error = o.ran() ? String.format(Locale.ROOT, "%+.2f %%", o.errorPercent()) : "";
            String status = o.ok() ? o.status() : "**" + o.status() + "**";
            b.append("| ").append(r.figure()).append(" | ").append(r.source()).append(" | ")
                    .append(number(r.published())).append(' ').append(r.unit()).append(" | ").append(simulated)
                    .append(" | ").append(error).append(" | ")
                    .append(r.kind() == Kind.NOT_REPRODUCED ? "" : r.kind() == Kind.TARGET ? "at least"
                            : "±" + plain(r.tolerancePercent()) + " %")
                    .append(" | ").append(r.kind().key()).append(" | ").append(status).append(" |\n");
        }
        b.append("\n## Notes\n\n");
        for (Outcome o : outcomes) {
            Row r = o.row();
            if (r.reason() == null && r.note() == null && o.warnings().isEmpty()) continue;
            b.append("- **").append(r.figure()).append("**: ");
            if (r.reason() != null) b.append(r.reason());
            if (r.reason() != null && r.note() != null) b.append(' ');
            if (r.note() != null) b.append(r.note());
            for (String w : o.warnings()) b.append(r.reason() == null && r.note() == null ? "" : " ").append("Warning: ").append(w);
            b.append('\n');
        }
        return b.toString();
    }

    /** A tolerance as written: 1, 0.1, 15. */
    private static String plain(double v) {
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    private static String number(double v) {
        if (v == 0) return "0";
        double a = Math.abs(v);
        if (a >= 1e5 || a < 1e-3) return String.format(Locale.ROOT, "%.4g", v);
        if (a >= 100) return String.format(Locale.ROOT, "%,.1f", v);
        return String.format(Locale.ROOT, "%.4g", v);
    }
}
