package org.abacim.experiments.validate;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.abacim.core.config.Check;
import org.abacim.core.config.ConfigBinder;
import org.abacim.core.config.ConfigDocument;
import org.abacim.core.config.ConfigException;
import org.abacim.core.config.ConfigReader;
import org.abacim.core.config.Keyed;
import org.abacim.core.config.Overrides;
import org.abacim.core.macro.MacroModel;
import org.abacim.core.macro.MacroResult;
import org.abacim.core.macro.MacroSpec;

/**
 * The validation suite of published silicon ({@code experiments/validation/silicon/*.yaml}): each file is one macro
 * or chip written in the shared vocabulary from its paper's design parameters, with its published figures at each
 * operating point. {@link MacroModel} predicts them with nothing fitted to any macro; every row is a validation row
 * like the catalogue's, so the same page, JSON and test cover both.
 *
 * <p>Kinds, written per figure in the file: a prediction unless the file says otherwise with its reason — a
 * {@code roll-up} for the throughput the macro's clock was taken from (or that a published clock gives directly),
 * {@code not-reproduced} for a figure the model misses beyond its tolerance. Throughput at another supply or mode
 * is a prediction: the clock is carried by the alpha-power law and the cycle count by the model.
 */
public final class SiliconSuite {
    /** What a macro's published figure measures, with its unit. */
    public enum Figure implements Keyed {
        ENERGY_EFFICIENCY("energyEfficiency", "TOPS/W", "energy efficiency"),
        THROUGHPUT("throughput", "TOPS", "throughput"),
        COMPUTE_DENSITY("computeDensity", "TOPS/mm²", "compute density"),
        AREA("area", "mm²", "area");

        final String key, unit, label;

        Figure(String key, String unit, String label) {
            this.key = key;
            this.unit = unit;
            this.label = label;
        }

        @Override public String key() { return key; }

        public String unit() { return unit; }

        public String label() { return label; }

        double of(MacroResult r) {
            return switch (this) {
                case ENERGY_EFFICIENCY -> r.topsPerWatt();
                case THROUGHPUT -> r.tops();
                case COMPUTE_DENSITY -> r.topsPerSquareMillimeter();
                case AREA -> r.totalArea().squareMeters() * 1e6;
            };
        }
    }

    /** The technology a macro stands for, as the chart colours it. */
    public enum TechnologyClass implements Keyed {
        RERAM("ReRAM"), SRAM_CHARGE("SRAM, charge domain"), SRAM_CURRENT("SRAM, current domain"),
        SRAM_DIGITAL("SRAM, digital"), MRAM("MRAM");

        final String label;

        TechnologyClass(String label) { this.label = label; }

        @JsonCreator
        static TechnologyClass parse(String text) { return Keyed.parse(TechnologyClass.class, text); }

        public String label() { return label; }
    }

    /**
     * One published figure: value (in the metric's unit), source, its kind — {@code prediction}, {@code roll-up}
     * (the figure the macro's clock was taken from, or a throughput the published clock gives directly) or
     * {@code not-reproduced} — and the reason for the last two.
     */
    record Published(double value, String source, Validation.Kind kind, String reason, double tolerance) {
        Published {
            Check.that(value > 0 && Double.isFinite(value), "value", value, "a positive published figure");
            Check.that(kind == Validation.Kind.PREDICTION || kind == Validation.Kind.ROLL_UP
                    || kind == Validation.Kind.NOT_REPRODUCED, "kind", kind, "prediction, roll-up or not-reproduced");
            Check.that(kind == Validation.Kind.PREDICTION || !reason.isBlank(), "reason", reason,
                    "a roll-up or not-reproduced figure says why");
            Check.between("tolerance", tolerance, 0, 1000);
        }
    }

    /** One operating point: overrides on the macro ({@code --set} syntax) and its published figures. */
    record Point(String id, String label, List<String> set, Map<String, Published> published) {}

    /** A macro of the suite with its points' results. */
    public record Macro(String id, String name, String source, TechnologyClass technologyClass, String note,
                        List<PointResult> points) {}

    /** A point's result and its published figures as validation outcomes. */
    public record PointResult(String id, String label, MacroResult result, Map<Figure, Validation.Outcome> outcomes) {}

    /** The tolerance the issue's goal sets for a single macro: 40 % at most. */
    public static final double DEFAULT_TOLERANCE = 40;

    private static final ConfigDocument PUBLISHED_DEFAULTS = ConfigReader.read("published figure defaults", """
            kind: prediction
            reason: ""
            tolerance: 40
            """);

    private SiliconSuite() {}

    /** Every {@code *.yaml} in {@code folder}, by file name. */
    public static List<Macro> run(Path folder) {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(folder, "*.yaml")) {
            stream.forEach(files::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        files.sort(null);
        List<Macro> macros = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (Path file : files) {
            Macro m = run(file, ids);
            macros.add(m);
        }
        return macros;
    }

    private static Macro run(Path file, Set<String> ids) {
        ConfigDocument doc = ConfigReader.read(file);
        String id = file.getFileName().toString().replaceFirst("\\.yaml$", "");
        ConfigDocument macroDoc = MacroSpec.withClockSupply(doc.subDocument("macro"));
        ConfigDocument shape = doc.without(Set.of("macro", "points"));
        String source = ConfigBinder.bind(shape, "source", doc.at("source"), String.class);
        TechnologyClass cls = ConfigBinder.bind(shape, "class", doc.at("class"), TechnologyClass.class);
        String note = doc.at("note") == null ? "" : ConfigBinder.bind(shape, "note", doc.at("note"), String.class);
        for (Iterator<String> it = doc.root().fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!Set.of("source", "class", "note", "macro", "points").contains(key)) {
                throw new ConfigException(doc.locate(key), key, null, "unknown key; a macro file has source, class, note, macro and points");
            }
        }
        JsonNode pointsNode = doc.at("points");
        if (pointsNode == null || !pointsNode.isArray() || pointsNode.isEmpty()) {
            throw new ConfigException(doc.locate("points"), "points", null, "a list of operating points with published figures");
        }
        String name = null;
        List<PointResult> points = new ArrayList<>();
        for (int i = 0; i < pointsNode.size(); i++) {
            String at = "points[" + i + "]";
            ConfigDocument withDefaults = doc;
            JsonNode pub = doc.at(at + ".published");
            if (pub != null && pub.isObject()) {
                for (Iterator<String> it = pub.fieldNames(); it.hasNext(); ) {
                    String metric = it.next();
                    withDefaults = withDefaults.withDefaultsAt(at + ".published." + metric, PUBLISHED_DEFAULTS.root(),
                            PUBLISHED_DEFAULTS::locate);
                }
            }
            Point p = ConfigBinder.bind(withDefaults, at, withDefaults.at(at), Point.class);
            if (!ids.add(p.id())) throw new ConfigException(doc.locate(at + ".id"), at + ".id", p.id(), "a second point with this id");
            MacroSpec spec = MacroSpec.bind(atPoint(doc, macroDoc, i));
            name = spec.name();
            MacroResult result = MacroModel.evaluate(spec);
            Map<Figure, Validation.Outcome> outcomes = new LinkedHashMap<>();
            for (Map.Entry<String, Published> e : p.published().entrySet()) {
                Figure metric;
                try {
                    metric = Keyed.parse(Figure.class, e.getKey());
                } catch (IllegalArgumentException ex) {
                    throw new ConfigException(doc.locate(at + ".published." + e.getKey()), at + ".published." + e.getKey(),
                            e.getKey(), ex.getMessage());
                }
                Published f = e.getValue();
                Validation.Kind kind = f.kind();
                String figure = spec.name() + ", " + p.label() + ": " + metric.label();
                Validation.Row row = new Validation.Row(p.id() + "-" + kebab(metric.key()), figure,
                        source + "; " + f.source(), f.value(), metric.unit(), f.tolerance(), kind,
                        f.reason().isBlank() ? null : f.reason(), null, Map.of(), "macro model", false,
                        doc.locate(at + ".published." + e.getKey()));
                outcomes.put(metric, new Validation.Outcome(row, metric.of(result), true, result.warnings()));
            }
            points.add(new PointResult(p.id(), p.label(), result, outcomes));
        }
        return new Macro(id, name, source, cls, note, points);
    }

    /**
     * A suite file's macro (clock supply pinned to the file's) with operating point {@code id}'s overrides applied,
     * as the suite evaluates it; empty when the file has no such point.
     */
    public static Optional<ConfigDocument> macroAt(ConfigDocument file, String id) {
        JsonNode points = file.at("points");
        for (int i = 0; points != null && i < points.size(); i++) {
            if (id.equals(points.get(i).path("id").asText())) {
                return Optional.of(atPoint(file, MacroSpec.withClockSupply(file.subDocument("macro")), i));
            }
        }
        return Optional.empty();
    }

    /** The macro with point {@code index}'s {@code set:} overrides, each located at its line in the file. */
    private static ConfigDocument atPoint(ConfigDocument file, ConfigDocument macro, int index) {
        JsonNode sets = file.at("points[" + index + "].set");
        ConfigDocument out = macro;
        for (int s = 0; sets != null && s < sets.size(); s++) {
            out = Overrides.apply(out, sets.get(s).asText(), file.locate("points[" + index + "].set[" + s + "]"));
        }
        return out;
    }

    /** Every outcome of the suite, in file and point order. */
    public static List<Validation.Outcome> outcomes(List<Macro> macros) {
        List<Validation.Outcome> out = new ArrayList<>();
        for (Macro m : macros) for (PointResult p : m.points()) out.addAll(p.outcomes().values());
        return out;
    }

    /** Median and maximum absolute error of a metric's prediction rows, and how many there are. */
    public record ErrorSummary(Figure metric, int rows, int macros, double median, double max) {}

    public static List<ErrorSummary> summary(List<Macro> macros) {
        List<ErrorSummary> out = new ArrayList<>();
        for (Figure metric : Figure.values()) {
            List<Double> errors = new ArrayList<>();
            Set<String> withRows = new HashSet<>();
            for (Macro m : macros) {
                for (PointResult p : m.points()) {
                    Validation.Outcome o = p.outcomes().get(metric);
                    if (o == null || o.row().kind() == Validation.Kind.ROLL_UP) continue;
                    errors.add(Math.abs(o.errorPercent()));
                    withRows.add(m.id());
                }
            }
            if (!errors.isEmpty()) out.add(summarise(metric, errors, withRows.size()));
        }
        return out;
    }

    /**
     * Errors after one global factor per metric, fitted leave-one-out: for each macro, the geometric mean of
     * published/simulated over the other macros' rows of that metric scales its prediction. Shows how much a shared
     * calibration would buy; the suite's rows stay uncalibrated.
     */
    public static ErrorSummary leaveOneOut(List<Macro> macros, Figure metric) {
        List<Double> errors = new ArrayList<>();
        Set<String> withRows = new HashSet<>();
        for (Macro held : macros) {
            double logSum = 0;
            int n = 0;
            for (Macro other : macros) {
                if (other == held) continue;
                for (PointResult p : other.points()) {
                    Validation.Outcome o = p.outcomes().get(metric);
                    if (o == null || o.row().kind() == Validation.Kind.ROLL_UP) continue;
                    logSum += Math.log(o.row().published() / o.simulated());
                    n++;
                }
            }
            if (n == 0) continue;
            double factor = Math.exp(logSum / n);
            for (PointResult p : held.points()) {
                Validation.Outcome o = p.outcomes().get(metric);
                if (o == null || o.row().kind() == Validation.Kind.ROLL_UP) continue;
                errors.add(Math.abs(100 * (o.simulated() * factor - o.row().published()) / o.row().published()));
                withRows.add(held.id());
            }
        }
        return errors.isEmpty() ? null : summarise(metric, errors, withRows.size());
    }

    /** Median and maximum of absolute errors (percent). */
    private static ErrorSummary summarise(Figure metric, List<Double> errors, int macros) {
        List<Double> sorted = new ArrayList<>(errors);
        sorted.sort(null);
        int n = sorted.size();
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        return new ErrorSummary(metric, n, macros, median, sorted.get(n - 1));
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }
}
