package org.imcsim.experiments.validate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.imcsim.core.config.ConfigDocument;
import org.imcsim.core.config.ConfigException;
import org.imcsim.core.config.ConfigReader;
import org.imcsim.experiments.compare.Comparison;
import org.imcsim.experiments.compare.ComparisonSpec;
import org.imcsim.experiments.config.TypedReader;
import org.imcsim.experiments.report.ResultFormats;
import org.imcsim.experiments.run.DesignPointLoader;

/**
 * The validation catalogue ({@code experiments/validation/catalogue.yaml}): published figures, each with its source,
 * tolerance and kind, and the runs and metric that give IMCSim's value for it. Kinds say how much a match proves:
 * <ul>
 *   <li>{@code roll-up}: the paper's own table, added up by the model (checks the arithmetic and the hierarchy);</li>
 *   <li>{@code fitted}: a constant of the preset was fitted to this figure (checks the fit holds);</li>
 *   <li>{@code prediction}: nothing was fitted to it (the only kind that validates the model);</li>
 *   <li>{@code not-reproduced}: shown with the simulated value and the reason it differs.</li>
 * </ul>
 * Rows of the first three kinds must lie within their tolerance; {@code imcsim validate} and its CI test fail
 * otherwise. {@code heavy} rows (training, compression, Monte-Carlo) run only with {@code --all}.
 */
public final class Validation {
    public enum Kind {
        ROLL_UP("roll-up"), FITTED("fitted"), PREDICTION("prediction"), NOT_REPRODUCED("not-reproduced");

        final String key;

        Kind(String key) { this.key = key; }

        static Kind parse(String text) {
            for (Kind k : values()) if (k.key.equals(text)) return k;
            return null;
        }

        public String key() { return key; }
    }

    /** A run a metric refers to: a preset on a network with overrides, a config file, or a comparison file. */
    public record RunSpec(String preset, String network, List<String> set, Path config, Path comparison) {}

    /** One catalogue row. */
    public record Row(String id, String figure, String source, double published, String unit, double tolerancePercent,
                      Kind kind, String reason, String note, Map<String, RunSpec> runs, String metric, boolean heavy,
                      org.imcsim.core.config.SourceLocation where) {}

    /** A row with its simulated value (NaN when the row was not run) and its relative error. */
    public record Outcome(Row row, double simulated, boolean ran) {
        public double errorPercent() {
            return 100 * (simulated - row.published()) / Math.abs(row.published());
        }

        /** Reproduced rows within their tolerance, or rows not claimed as reproduced. */
        public boolean ok() {
            return !ran || row.kind() == Kind.NOT_REPRODUCED || Math.abs(errorPercent()) <= row.tolerancePercent();
        }
    }

    private Validation() {}

    private static final Set<String> ROW_KEYS = Set.of("id", "figure", "source", "published", "unit", "tolerance", "kind",
            "reason", "note", "runs", "metric", "heavy");
    private static final Set<String> RUN_KEYS = Set.of("preset", "network", "set", "config", "comparison");

    /** Reads a catalogue strictly: every error names the file, line, key and value. */
    public static List<Row> read(Path file) {
        ConfigDocument doc = ConfigReader.read(file);
        TypedReader r = new TypedReader(doc);
        r.onlyKeys("", Set.of("rows"));
        Path dir = file.toAbsolutePath().getParent();
        List<Row> rows = new ArrayList<>();
        Set<String> ids = new java.util.HashSet<>();
        JsonNode list = r.list("rows");
        for (int i = 0; i < list.size(); i++) {
            String at = "rows[" + i + "]";
            r.onlyKeys(at, ROW_KEYS);
            String id = r.text(at + ".id");
            if (!ids.add(id)) throw new ConfigException(doc.locate(at + ".id"), at + ".id", id, "a second row with this id");
            Kind kind = Kind.parse(r.text(at + ".kind"));
            if (kind == null) {
                throw new ConfigException(doc.locate(at + ".kind"), at + ".kind", doc.valueText(at + ".kind"),
                        "expected roll-up, fitted, prediction or not-reproduced");
            }
            String reason = r.has(at + ".reason") ? r.text(at + ".reason") : null;
            if (kind == Kind.NOT_REPRODUCED && reason == null) {
                throw new ConfigException(doc.locate(at), at + ".reason", null, "a not-reproduced row says why");
            }
            Map<String, RunSpec> runs = new LinkedHashMap<>();
            JsonNode runNode = r.need(at + ".runs");
            if (!runNode.isObject() || runNode.isEmpty()) {
                throw new ConfigException(doc.locate(at + ".runs"), at + ".runs", doc.valueText(at + ".runs"),
                        "expected a mapping of run names to runs");
            }
            for (java.util.Iterator<String> names = runNode.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                String rp = at + ".runs." + name;
                r.onlyKeys(rp, RUN_KEYS);
                Path config = r.has(rp + ".config") ? dir.resolve(r.text(rp + ".config")) : null;
                Path comparison = r.has(rp + ".comparison") ? dir.resolve(r.text(rp + ".comparison")) : null;
                String preset = r.has(rp + ".preset") ? r.text(rp + ".preset") : null;
                String network = r.has(rp + ".network") ? r.text(rp + ".network") : null;
                if ((config != null ? 1 : 0) + (comparison != null ? 1 : 0) + (preset != null ? 1 : 0) != 1) {
                    throw new ConfigException(doc.locate(rp), rp, null,
                            "a run is one of: preset (with network), config, comparison");
                }
                runs.put(name, new RunSpec(preset, network, r.texts(rp + ".set"), config, comparison));
            }
            String metric = r.text(at + ".metric");
            try {
                for (String used : Metric.runNames(metric)) {
                    if (used.isEmpty() ? runs.size() != 1 : !runs.containsKey(used)) {
                        throw new IllegalArgumentException(used.isEmpty()
                                ? "a value without a run name needs exactly one run"
                                : "no run named '" + used + "' (runs: " + String.join(", ", runs.keySet()) + ")");
                    }
                }
            } catch (IllegalArgumentException e) {
                throw new ConfigException(doc.locate(at + ".metric"), at + ".metric", metric, e.getMessage());
            }
            rows.add(new Row(id, r.text(at + ".figure"), r.text(at + ".source"),
                    r.number(at + ".published", -1e300, 1e300), r.text(at + ".unit"),
                    r.number(at + ".tolerance", 0, 1000), kind, reason,
                    r.has(at + ".note") ? r.text(at + ".note") : null, runs, metric,
                    r.has(at + ".heavy") && r.need(at + ".heavy").asBoolean(), doc.locate(at)));
        }
        return rows;
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
            try {
                value = Metric.evaluate(row.metric(), name -> {
                    RunSpec spec = name.isEmpty() ? row.runs().values().iterator().next() : row.runs().get(name);
                    return results.computeIfAbsent(spec, s -> evaluate(s, threads));
                });
            } catch (ConfigException e) {
                throw ConfigException.inSource(row.where(), "validation row " + row.id() + ": " + e.getMessage());
            } catch (IllegalArgumentException e) {
                throw new ConfigException(row.where(), "metric", row.metric(), "validation row " + row.id() + ": "
                        + e.getMessage());
            }
            out.add(new Outcome(row, value, true));
        }
        return out;
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode evaluate(RunSpec s, int threads) {
        try {
            if (s.comparison() != null) {
                return JSON.readTree(ResultFormats.json(Comparison.run(ComparisonSpec.read(s.comparison()), threads)));
            }
            return JSON.readTree(ResultFormats.json(
                    DesignPointLoader.load(s.config(), s.preset(), s.network(), s.set()).evaluate(threads)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The validation page: published, simulated, error and kind for every row, and what the kinds mean. */
    public static String markdown(List<Outcome> outcomes, String command) {
        StringBuilder b = new StringBuilder();
        b.append("# Validation against published figures\n\n");
        b.append("Written by `").append(command).append("` from `experiments/validation/catalogue.yaml`; do not edit by "
                + "hand. Each row is a published figure, its source, what IMCSim's model gives for it, the error and the "
                + "kind of agreement:\n\n");
        b.append("- **roll-up**: the paper's own table, added up by the model — checks the arithmetic and the "
                + "hierarchy, not the physics;\n");
        b.append("- **fitted**: a constant of the preset was fitted to this figure — checks that the fit holds;\n");
        b.append("- **prediction**: nothing in the model was fitted to it — the rows that validate the model;\n");
        b.append("- **not reproduced**: the simulated value, and why it differs.\n\n");
        b.append("Rows of the first three kinds must lie within their tolerance (`ValidationTest` fails otherwise). "
                + "Sources and their tags are in [reference/published-parameters.md](reference/published-parameters.md).\n\n");
        b.append("| figure | source | published | simulated | error | tolerance | kind | status |\n");
        b.append("|---|---|---|---|---|---|---|---|\n");
        for (Outcome o : outcomes) {
            Row r = o.row();
            String simulated = o.ran() ? number(o.simulated()) + " " + r.unit() : "(run with --all)";
            String error = o.ran() ? String.format(Locale.ROOT, "%+.2f %%", o.errorPercent()) : "";
            String status = !o.ran() ? "not run" : r.kind() == Kind.NOT_REPRODUCED ? "not reproduced"
                    : o.ok() ? "within" : "**outside**";
            b.append("| ").append(r.figure()).append(" | ").append(r.source()).append(" | ")
                    .append(number(r.published())).append(' ').append(r.unit()).append(" | ").append(simulated)
                    .append(" | ").append(error).append(" | ")
                    .append(r.kind() == Kind.NOT_REPRODUCED ? "" : "±" + plain(r.tolerancePercent()) + " %")
                    .append(" | ").append(r.kind().key()).append(" | ").append(status).append(" |\n");
        }
        b.append("\n## Notes\n\n");
        for (Outcome o : outcomes) {
            Row r = o.row();
            if (r.reason() == null && r.note() == null) continue;
            b.append("- **").append(r.figure()).append("**: ");
            if (r.reason() != null) b.append(r.reason());
            if (r.reason() != null && r.note() != null) b.append(' ');
            if (r.note() != null) b.append(r.note());
            b.append('\n');
        }
        return b.toString();
    }

    /** A tolerance as written: 1, 0.1, 15. */
    private static String plain(double v) {
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    private static String number(double v) {
        if (v == 0) return "0";
        double a = Math.abs(v);
        if (a >= 1e5 || a < 1e-3) return String.format(Locale.ROOT, "%.4g", v);
        if (a >= 100) return String.format(Locale.ROOT, "%,.1f", v);
        return String.format(Locale.ROOT, "%.4g", v);
    }
}
