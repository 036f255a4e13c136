package org.abacim.experiments.compare;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.abacim.core.data.DatasetSpec;
import org.abacim.core.accuracy.AccuracyOptions;
import org.abacim.core.config.ConfigDocument;
import org.abacim.core.config.ConfigException;
import org.abacim.core.config.Overrides;
import org.abacim.core.data.DataException;
import org.abacim.core.data.Dataset;
import org.abacim.core.data.Datasets;
import org.abacim.core.network.Network;
import org.abacim.core.network.NetworkZoo;
import org.abacim.core.progress.Progress;
import org.abacim.core.result.Metrics;
import org.abacim.core.result.Result;
import org.abacim.core.train.Trainer;
import org.abacim.core.api.Catalog;
import org.abacim.experiments.compress.CompressSpec;
import org.abacim.experiments.compress.CompressionSteps;
import org.abacim.core.api.NetworkSource;
import org.abacim.experiments.run.AccuracyRun;
import org.abacim.experiments.run.DesignRun;
import org.abacim.experiments.run.ModelCache;
import org.abacim.mapping.compress.Admm;
import org.abacim.mapping.weights.WeightMap;

/**
 * Runs a {@link ComparisonSpec}: every system on every network, each on the dense or the compressed model, and
 * reports per system and network the effective throughput density and efficiency (operations of the dense
 * network, so compression shows as speed), frames per second, energy per inference, the silicon the mapping
 * occupies, and accuracy, with ratios (system ÷ baseline, for every metric) against the two baselines.
 */
public final class Comparison {
    private Comparison() {}

    /** The registry's metrics an entry reports (accuracy is the mean over simulated chips). */
    private static final List<String> ENTRY_METRICS =
            List.of("gops_per_mm2_in_use", "gops_per_W", "fps", "energy_J", "area_in_use_mm2", "accuracy_mean");

    /** One system's metrics on one network; ratios are system ÷ baseline for every metric. */
    @JsonPropertyOrder({"system", "network", "gops_per_mm2_in_use", "gops_per_W", "fps", "energy_J", "area_in_use_mm2", "accuracy",
            "ratio_vs_isaac_original", "ratio_vs_isaac_optimized"})
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Entry(String system, String network,
                        @JsonProperty("gops_per_mm2_in_use") double gopsPerMm2InUse,
                        @JsonProperty("gops_per_W") double gopsPerW,
                        double fps,
                        @JsonProperty("energy_J") double energyJ,
                        @JsonProperty("area_in_use_mm2") double areaInUseMm2,
                        Double accuracy,
                        @JsonProperty("ratio_vs_isaac_original") Ratios ratioVsIsaacOriginal,
                        @JsonProperty("ratio_vs_isaac_optimized") Ratios ratioVsIsaacOptimized) {}

    @JsonPropertyOrder({"gops_per_mm2_in_use", "gops_per_W", "fps", "energy_J", "area_in_use_mm2", "accuracy"})
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Ratios(@JsonProperty("gops_per_mm2_in_use") double gopsPerMm2InUse,
                         @JsonProperty("gops_per_W") double gopsPerW,
                         double fps,
                         @JsonProperty("energy_J") double energyJ,
                         @JsonProperty("area_in_use_mm2") double areaInUseMm2,
                         Double accuracy) {}

    /** A system as run: its name, preset, overrides and model. */
    @JsonPropertyOrder({"name", "preset", "set", "model"})
    public record SystemInfo(String name, String preset, List<String> set, String model) {}

    @JsonPropertyOrder({"experiment", "description", "baselines", "systems", "comparison", "results"})
    public record Report(String experiment, String description, Map<String, String> baselines,
                         List<SystemInfo> systems, List<Entry> comparison, List<Result> results) {}

    /** The dense and compressed models of one network; files are set when the accuracy run needs them. */
    private record ModelPair(Network dense, Network compressed, Path denseFile, Path compressedFile) {}

    public static Report run(ComparisonSpec spec, int threads) {
        List<Result> results = new ArrayList<>();
        List<Entry> raw = new ArrayList<>();
        long runs = 0;
        for (ComparisonSpec.NetworkSpec n : spec.networks()) {
            for (ComparisonSpec.SystemSpec s : spec.systems()) if (s.runsOn(n.network())) runs++;
        }
        try (Progress.Stage progress = Progress.start("comparison " + spec.name(), runs, "systems × networks")) {
        for (ComparisonSpec.NetworkSpec n : spec.networks()) {
            progress.note(n.network() + ": models");
            ModelPair models = models(spec, n, threads);
            for (ComparisonSpec.SystemSpec s : spec.systems()) {
                if (!s.runsOn(n.network())) continue;
                progress.note(s.name() + " × " + n.network());
                DesignRun point = point(spec, s, n, models);
                Result r = point.evaluate(threads);
                progress.step();
                results.add(r);
                Map<String, Double> m = Metrics.of(r, ENTRY_METRICS);
                raw.add(new Entry(s.name(), n.network(), m.get("gops_per_mm2_in_use"), m.get("gops_per_W"),
                        m.get("fps"), m.get("energy_J"), m.get("area_in_use_mm2"), m.get("accuracy_mean"), null, null));
            }
        }
        }
        List<Entry> entries = new ArrayList<>();
        for (Entry e : raw) {
            entries.add(new Entry(e.system(), e.network(), e.gopsPerMm2InUse(), e.gopsPerW(), e.fps(), e.energyJ(),
                    e.areaInUseMm2(), e.accuracy(), ratios(e, find(raw, spec.original(), e.network())),
                    ratios(e, find(raw, spec.optimized(), e.network()))));
        }
        List<SystemInfo> systems = spec.systems().stream()
                .map(s -> new SystemInfo(s.name(), s.preset(), s.set(), s.compressed() ? "compressed" : "dense")).toList();
        Map<String, String> baselines = new LinkedHashMap<>();
        baselines.put("original", spec.original());
        baselines.put("optimized", spec.optimized());
        return new Report(spec.name(), spec.description(), baselines, systems, entries, results);
    }

    private static Entry find(List<Entry> entries, String system, String network) {
        return entries.stream().filter(e -> e.system().equals(system) && e.network().equals(network)).findFirst()
                .orElseThrow();
    }

    private static Ratios ratios(Entry e, Entry base) {
        return new Ratios(e.gopsPerMm2InUse() / base.gopsPerMm2InUse(), e.gopsPerW() / base.gopsPerW(), e.fps() / base.fps(),
                e.energyJ() / base.energyJ(), e.areaInUseMm2() / base.areaInUseMm2(),
                e.accuracy() == null || base.accuracy() == null ? null : e.accuracy() / base.accuracy());
    }

    /** The design point of one system on one network: its preset, the overrides of both, and the right model. */
    private static DesignRun point(ComparisonSpec spec, ComparisonSpec.SystemSpec s, ComparisonSpec.NetworkSpec n,
                                     ModelPair models) {
        ConfigDocument doc = Catalog.loadPreset(s.preset(), s.where(), spec.directory())
                .with("network", n.network(), spec.doc().locate(n.at() + ".network"));
        Path modelFile = s.compressed() ? models.compressedFile() : models.denseFile();
        if (n.accuracyNode() != null) {
            ObjectNode accuracy = n.accuracyNode().deepCopy();
            accuracy.set("model", new TextNode(modelFile.toString()));
            doc = doc.set("accuracy", accuracy, spec.doc().locate(n.at() + ".accuracy"));
        }
        List<String> sets = new ArrayList<>(s.set());
        sets.addAll(n.set());
        doc = Overrides.apply(doc, sets);
        DesignRun p = DesignRun.resolve(doc, spec.directory());
        AccuracyOptions a = p.accuracy();
        return new DesignRun(p.point().with(s.compressed() ? models.compressed() : models.dense(), spec.directory()), a);
    }

    private static ModelPair models(ComparisonSpec spec, ComparisonSpec.NetworkSpec n, int threads) {
        Network shapes = NetworkZoo.find(n.network()).orElseThrow();
        if (n.compress() == null) {
            // Generated weights carry the compression's structure only; the dense systems need no weights at all.
            Network generated = Trainer.initialize(shapes, n.seed());
            Network compressed = Admm.project(generated, n.projections(), new Admm.State(generated));
            return new ModelPair(shapes, compressed, null, null);
        }
        CompressSpec c = n.compress();
        Dataset[] data;
        try {
            data = Datasets.load(c.dataset(), c.directory());
        } catch (DataException e) {
            throw new ConfigException(spec.doc().locate(n.at() + ".compress"), n.at() + ".compress", c.dataset().label(),
                    e.getMessage());
        }
        Path denseFile = c.model().equals("train")
                ? AccuracyRun.trainedFile(c.network(), shapes, c.dataset(),
                        new AccuracyOptions.Training(c.trainEpochs(), c.trainSeed()), data, threads)
                : c.directory().resolve(c.model());
        Network dense = NetworkSource.model(denseFile);
        Path compressedFile = compressed(c, n.compressFile(), denseFile, dense, data, threads);
        return new ModelPair(dense, NetworkSource.model(compressedFile), denseFile, compressedFile);
    }

    /**
     * The compress config's steps run on the dense model once, cached by the config after defaults, the dense
     * model's bytes and the training split's content.
     */
    private static Path compressed(CompressSpec c, Path configFile, Path denseFile, Network dense, Dataset[] data,
                                   int threads) {
        Path denseWeights = Path.of(denseFile.toString().replaceFirst("\\.json$", ".npz"));
        ModelCache.Key k = new ModelCache.Key().text("compressed").config(c.doc().root()).file(denseFile);
        if (Files.isRegularFile(denseWeights)) k.file(denseWeights);
        String key = k.data(data[0]).hex();
        Path npz = ModelCache.directory().resolve(c.network() + "-compressed-" + key + ".npz");
        Path manifest = Path.of(npz.toString().replaceFirst("\\.npz$", ".json"));
        if (Files.isRegularFile(manifest)) return manifest;
        // Compressed once, then cached (the progress reporter shows the steps).
        CompressionSteps.Outcome o = CompressionSteps.run(c, configFile.getFileName().toString(), dense, data, null, threads,
                row -> { });
        Network result = o.model();
        Admm.State state = o.state();
        ObjectNode provenance = JsonNodeFactory.instance.objectNode();
        provenance.put("compressedBy", "abacim comparison");
        provenance.put("config", configFile.getFileName().toString());
        provenance.put("from", denseFile.getFileName().toString());
        return AccuracyRun.cache(npz, tmp -> WeightMap.write(result, c.network(), tmp, provenance,
                state.describe(result, "abacim comparison, " + configFile.getFileName())));
    }

    /** The comparison as an aligned text table, one row per system and network. */
    public static String table(Report r) {
        StringBuilder b = new StringBuilder();
        b.append(r.experiment()).append(": ").append(r.description()).append('\n');
        int width = 16;
        int networkWidth = 10;
        for (Entry e : r.comparison()) {
            width = Math.max(width, e.system().length());
            networkWidth = Math.max(networkWidth, e.network().length());
        }
        String systemColumn = "%-" + width + "s";
        String networkColumn = "%-" + networkWidth + "s ";
        b.append(String.format(Locale.ROOT, networkColumn + systemColumn + " %12s %10s %10s %12s %10s %9s %8s %8s %8s%n",
                "network", "system", "GOPS/mm²", "GOPS/W", "FPS", "energy (J)", "in use mm²", "accuracy", "FPS ×o", "E ×o",
                "FPS ×opt"));
        for (Entry e : r.comparison()) {
            b.append(String.format(Locale.ROOT, networkColumn + systemColumn + " %12.4g %10.4g %10.4g %12.4g %10.4g %9s %8.3f %8.3f %8.3f%n",
                    e.network(), e.system(), e.gopsPerMm2InUse(), e.gopsPerW(), e.fps(), e.energyJ(), e.areaInUseMm2(),
                    e.accuracy() == null ? "—" : String.format(Locale.ROOT, "%.2f %%", 100 * e.accuracy()),
                    e.ratioVsIsaacOriginal().fps(), e.ratioVsIsaacOriginal().energyJ(), e.ratioVsIsaacOptimized().fps()));
        }
        b.append("×o: ratio against the original baseline (").append(r.baselines().get("original"))
                .append("), ×opt: against the optimized baseline (").append(r.baselines().get("optimized"))
                .append("); ratios are system ÷ baseline (energy below 1 is less energy)\n");
        for (String w : warnings(r)) b.append("warning: ").append(w).append('\n');
        return b.toString();
    }

    /**
     * The warnings of the comparison's results (a component used outside the data its numbers come from, data that
     * looked wrong), each once, with the runs it came from.
     */
    public static List<String> warnings(Report r) {
        Map<String, List<String>> where = new LinkedHashMap<>();
        for (Result result : r.results()) {
            for (String w : result.warnings()) {
                where.computeIfAbsent(w, k -> new ArrayList<>())
                        .add(result.design().name() + " × " + result.network().name());
            }
        }
        List<String> out = new ArrayList<>();
        where.forEach((w, runs) -> out.add(w + " (" + String.join(", ", runs) + ")"));
        return out;
    }

    /** The comparison as CSV: metrics and both sets of ratios. */
    public static String csv(Report r) {
        String[] names = {"gops_per_mm2_in_use", "gops_per_W", "fps", "energy_J", "area_in_use_mm2", "accuracy"};
        StringBuilder b = new StringBuilder("system,network");
        for (String n : names) b.append(',').append(n);
        for (String n : names) b.append(",ratio_vs_isaac_original.").append(n);
        for (String n : names) b.append(",ratio_vs_isaac_optimized.").append(n);
        b.append('\n');
        for (Entry e : r.comparison()) {
            b.append(e.system()).append(',').append(e.network());
            append(b, e.gopsPerMm2InUse(), e.gopsPerW(), e.fps(), e.energyJ(), e.areaInUseMm2(), e.accuracy());
            for (Ratios q : List.of(e.ratioVsIsaacOriginal(), e.ratioVsIsaacOptimized())) {
                append(b, q.gopsPerMm2InUse(), q.gopsPerW(), q.fps(), q.energyJ(), q.areaInUseMm2(), q.accuracy());
            }
            b.append('\n');
        }
        return b.toString();
    }

    private static void append(StringBuilder b, double gpm, double gpw, double fps, double e, double a, Double acc) {
        for (double v : new double[] {gpm, gpw, fps, e, a}) b.append(',').append(v);
        b.append(',').append(acc == null ? "" : acc.toString());
    }

    /** The comparison as a Markdown table (what README shows). */
    public static String markdown(Report r) {
        StringBuilder b = new StringBuilder("| network | system | GOPS/s/mm² | GOPS/W | FPS | energy / inference | area in use |"
                + " accuracy | vs ISAAC original (FPS, energy) | vs ISAAC optimized (FPS, energy) |\n"
                + "|---|---|---|---|---|---|---|---|---|---|\n");
        for (Entry e : r.comparison()) {
            String energy = e.energyJ() >= 1e-3 ? String.format(Locale.ROOT, "%.2f mJ", e.energyJ() * 1e3)
                    : String.format(Locale.ROOT, "%.3f µJ", e.energyJ() * 1e6);
            b.append(String.format(Locale.ROOT, "| %s | %s | %.1f | %.1f | %,.0f | %s | %.3g mm² | %s | %.2f×, %.2f× | %.2f×, %.2f× |%n",
                    e.network(), e.system(), e.gopsPerMm2InUse(), e.gopsPerW(), e.fps(), energy, e.areaInUseMm2(),
                    e.accuracy() == null ? "—" : String.format(Locale.ROOT, "%.2f %%", 100 * e.accuracy()),
                    e.ratioVsIsaacOriginal().fps(), e.ratioVsIsaacOriginal().energyJ(),
                    e.ratioVsIsaacOptimized().fps(), e.ratioVsIsaacOptimized().energyJ()));
        }
        List<String> warnings = warnings(r);
        if (!warnings.isEmpty()) b.append('\n');
        for (String w : warnings) b.append("- Warning: ").append(w).append('\n');
        return b.toString();
    }
}
