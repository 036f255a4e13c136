package org.abacim.experiments.compress;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.abacim.core.config.ConfigReader;
import org.abacim.core.data.DataException;
import org.abacim.core.data.DatasetSpec;
import org.abacim.core.accuracy.AccuracyOptions;
import org.abacim.core.config.ConfigException;
import org.abacim.core.data.Dataset;
import org.abacim.core.data.Datasets;
import org.abacim.core.exec.FloatEngine;
import org.abacim.core.io.WholeFiles;
import org.abacim.core.network.Conv2d;
import org.abacim.core.network.LayerParams;
import org.abacim.core.network.Linear;
import org.abacim.core.network.Network;
import org.abacim.core.network.NetworkZoo;
import org.abacim.core.progress.Progress;
import org.abacim.core.result.Result;
import org.abacim.core.train.TrainConfig;
import org.abacim.core.train.Trainer;
import org.abacim.core.api.NetworkSource;
import org.abacim.experiments.report.StepChart;
import org.abacim.experiments.run.AccuracyRun;
import org.abacim.experiments.run.DesignRun;
import org.abacim.mapping.compress.Admm;
import org.abacim.core.placer.DensePlacer;
import org.abacim.mapping.weights.WeightMap;

/**
 * Hardware-aware compression as the experiments run it: a {@link CompressSpec}'s steps (ADMM, hard projection,
 * masked retraining) on a starting model, and after each step what it bought and cost on the spec's design — the
 * rows of the teaching table. {@code abacim compress} prints and writes them; comparisons run the same steps.
 */
public final class CompressionSteps {
    private CompressionSteps() {}

    /**
     * One row of the step table: accuracy, sparsity, weight bits, arrays, index, energy and area in use; {@code point}
     * is the whole design point of the model after the step (its layers' arrays draw the placement map);
     * {@code correct} which test samples the model classified right (for the paired uncertainty of a change).
     */
    public record Row(String step, double accuracy, double sparsity, String bits, long arrays, long arraysDense,
                      long indexBits, double energyJ, double areaInUseMm2, double seconds, Result point,
                      boolean[] correct) {
        /** The binomial standard error of {@link #accuracy()} on this many test samples. */
        public double accuracySe() {
            return Result.samplingError(accuracy, correct.length);
        }

        /**
         * The standard error of this row's accuracy minus {@code base}'s on the same test samples (paired: only the
         * samples one model gets right and the other wrong count), √(b + c − (b − c)²/n)/n — much smaller than either
         * accuracy's own error when the models agree on most samples.
         */
        public double changeSe(Row base) {
            int n = correct.length;
            if (base == null || base.correct.length != n || n == 0) return Double.NaN;
            long gained = 0;
            long lost = 0;
            for (int i = 0; i < n; i++) {
                if (correct[i] && !base.correct[i]) gained++;
                if (!correct[i] && base.correct[i]) lost++;
            }
            double d = (double) (gained - lost);
            return Math.sqrt(Math.max(0, gained + lost - d * d / n)) / n;
        }
    }

    /** The compressed model, its compression state (masks, levels, signs) and the table, dense row first. */
    public record Outcome(Network model, Admm.State state, List<Row> rows) {}

    /** The spec's data set {train, test}; a set that cannot be read is refused at the config's {@code dataset}. */
    public static Dataset[] data(CompressSpec s) {
        try {
            return Datasets.load(s.dataset(), s.directory());
        } catch (DataException e) {
            throw new ConfigException(s.doc().locate("dataset"), "dataset", s.dataset().label(), e.getMessage());
        }
    }

    /** The design the spec's steps are judged on: its preset and {@code set}s, on the spec's network. */
    public static DesignRun design(CompressSpec s) {
        // A network file is relative to the config, as the spec's other paths are (a built-in name stays a name).
        String network = s.network();
        if (NetworkZoo.find(network).isEmpty()) network = s.directory().resolve(network).toString();
        return DesignRun.load(null, s.preset(), network, s.designSets());
    }

    /** The spec's starting model: trained once (cached) for {@code model: train}, else read from its file. */
    public static Network startingModel(CompressSpec s, Network shapes, Dataset[] data, int threads) {
        try {
            // A label the model cannot answer would score as a silent miss (or break retraining): refused.
            if (data[0] != null) Datasets.checkLabels(s.dataset(), data[0], "train", shapes);
            Datasets.checkLabels(s.dataset(), data[1], "test", shapes);
        } catch (DataException e) {
            throw new ConfigException(s.doc().locate("dataset"), "dataset", s.dataset().label(), e.getMessage());
        }
        if (!s.model().equals("train")) return NetworkSource.model(s.directory().resolve(s.model()));
        if (NetworkZoo.find(s.network()).isEmpty()) {
            throw new ConfigException(s.doc().locate("model"), "model", "train",
                    "training needs a built-in network; give a trained model file");
        }
        return AccuracyRun.trained(s.network(), shapes, s.dataset(),
                new AccuracyOptions.Training(s.trainEpochs(), s.trainSeed()), data, threads);
    }

    /**
     * Runs every step of {@code s} on {@code model} (what a step prunes stays pruned), reporting each step as
     * progress; with a design ({@code shapes} not null) each step's row is measured and handed to {@code onRow}.
     */
    public static Outcome run(CompressSpec s, String label, Network model, Dataset[] data, DesignRun shapes, int threads,
                              Consumer<Row> onRow) {
        return run(s, label, model, data, shapes, threads, onRow, false);
    }

    /**
     * Runs every step of {@code s} on {@code model} itself, not on the previous step's result — projections side by
     * side on the same starting model and budget (irregular vs crossbar-block vs pattern vs polarization); the
     * outcome's model and state are the last step's.
     */
    public static Outcome compare(CompressSpec s, String label, Network model, Dataset[] data, DesignRun shapes,
                                  int threads, Consumer<Row> onRow) {
        return run(s, label, model, data, shapes, threads, onRow, true);
    }

    private static Outcome run(CompressSpec s, String label, Network model, Dataset[] data, DesignRun shapes,
                               int threads, Consumer<Row> onRow, boolean eachFromStart) {
        checkLayers(s, model);
        TrainConfig cfg = s.trainConfig(threads, model);
        Admm.State state = new Admm.State(model);
        List<Row> rows = new ArrayList<>();
        if (shapes != null) {
            rows.add(row("dense (trained)", model, state, shapes, data[1], threads, 0));
            onRow.accept(rows.get(0));
        }
        Network current = model;
        // A large training split can be drawn down for the steps' epochs (seeded, class-stratified).
        Dataset train = s.trainSamples() > 0 && s.trainSamples() < data[0].size()
                ? data[0].sample(s.trainSamples(), s.seed(), Dataset.Purpose.TRAINING) : data[0];
        try (Progress.Stage progress = Progress.start("compress " + label, s.steps().size(), "steps")) {
            for (Admm.Step step : s.steps()) {
                progress.note(step.name());
                long start = System.nanoTime();
                if (eachFromStart) {
                    current = model;
                    state = new Admm.State(model);
                }
                current = Admm.step(current, step, state, train, cfg, e -> { });
                if (shapes != null) {
                    rows.add(row(step.name(), current, state, shapes, data[1], threads, (System.nanoTime() - start) / 1e9));
                    onRow.accept(rows.get(rows.size() - 1));
                }
                progress.step();
            }
        }
        return new Outcome(current, state, rows);
    }

    /** A step that names a layer the model has no weights for would silently do nothing: refused at its line. */
    static void checkLayers(CompressSpec s, Network model) {
        Set<String> weighted = new LinkedHashSet<>();
        for (Network.Node n : model.nodes()) {
            if (n.layer() instanceof Conv2d || n.layer() instanceof Linear) {
                weighted.add(n.name());
            }
        }
        for (int i = 0; i < s.steps().size(); i++) {
            List<String> named = List.copyOf(s.steps().get(i).layers());
            for (int j = 0; j < named.size(); j++) {
                if (!weighted.contains(named.get(j))) {
                    String at = "steps[" + i + "].layers[" + j + "]";
                    throw new ConfigException(s.doc().locate(at), at, named.get(j),
                            "not a weighted layer of " + model.name() + " (" + String.join(", ", weighted) + ")");
                }
            }
        }
    }

    /**
     * Writes the compressed weight map to {@code target} (.npz and its manifest) and the step table beside it
     * ({@code -steps.csv}, {@code .md}, {@code .png}, {@code .svg}); returns the manifest.
     */
    public static Path write(CompressSpec s, String label, Outcome o, Path target) throws IOException {
        if (target.getParent() != null) Files.createDirectories(target.getParent());
        // A network file (ONNX, NeuroSim CSV) is named relative to the manifest, where a reader resolves it.
        String network = s.network();
        if (NetworkZoo.find(network).isEmpty()) {
            Path file = s.directory().resolve(network).toAbsolutePath().normalize();
            Path folder = target.toAbsolutePath().normalize().getParent();
            network = (folder == null ? file : folder.relativize(file)).toString();
        }
        Path manifest = WeightMap.write(o.model(), network, target, provenance(s, o.model(), o.state(), o.rows()),
                o.state().describe(o.model(), "abacim compress " + label));
        writeTable(Path.of(target.toString().replaceFirst("\\.npz$", "") + "-steps"), o.rows());
        return manifest;
    }

    /**
     * Writes a table of rows as {@code stem}.csv and .md, and its chart (accuracy and arrays against the dense
     * mapping) as .png and .svg.
     */
    public static void writeTable(Path stem, List<Row> rows) throws IOException {
        writeTable(stem, rows, true);
    }

    /** As {@link #writeTable(Path, List)}; {@code inOrder} false (projections compared): the chart joins no points. */
    public static void writeTable(Path stem, List<Row> rows, boolean inOrder) throws IOException {
        if (stem.getParent() != null) Files.createDirectories(stem.getParent());
        WholeFiles.write(Path.of(stem + ".csv"), csv(rows).getBytes(StandardCharsets.UTF_8));
        WholeFiles.write(Path.of(stem + ".md"), markdown(rows).getBytes(StandardCharsets.UTF_8));
        StepChart.write(ConfigReader.folderOf(stem),
                stem.getFileName().toString(), rows.stream().map(Row::step).toList(),
                rows.stream().map(Row::accuracy).toList(),
                rows.stream().map(r -> (double) r.arrays() / r.arraysDense()).toList(), inOrder);
    }

    /**
     * The rows as JSON objects, the CSV's columns by the same names (no wall-clock seconds: the same bytes for the
     * same config and seed); the teaching server adds each row's design point.
     */
    public static List<Map<String, Object>> jsonRows(List<Row> rows) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Row r : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("step", r.step());
            m.put("accuracy", r.accuracy());
            m.put("sparsity", r.sparsity());
            m.put("weights", r.bits());
            m.put("arrays", r.arrays());
            m.put("arrays_dense", r.arraysDense());
            m.put("index_bits", r.indexBits());
            m.put("energy_J", r.energyJ());
            m.put("area_in_use_mm2", r.areaInUseMm2());
            m.put("accuracy_se", r.accuracySe());
            m.put("change_se", r.changeSe(rows.get(0)));
            out.add(m);
        }
        return out;
    }

    /** The table's header line, for a terminal. */
    public static String header() {
        return String.format(Locale.ROOT, "%-28s %9s %9s %10s %8s %8s %8s %11s %10s %8s%n", "step", "accuracy", "sparsity",
                "weights", "arrays", "dense", "index", "energy (nJ)", "in use (mm²)", "time (s)");
    }

    /** One row as a table line, for a terminal. */
    public static String line(Row r) {
        return String.format(Locale.ROOT, "%-28s %8.2f%% %8.2f%% %10s %8d %8d %8d %11.1f %10.2f %8.1f%n", r.step(),
                100 * r.accuracy(), 100 * r.sparsity(), r.bits(), r.arrays(), r.arraysDense(), r.indexBits(),
                r.energyJ() * 1e9, r.areaInUseMm2(), r.seconds());
    }

    static Row row(String name, Network net, Admm.State state, DesignRun shapes, Dataset test, int threads,
                           double seconds) {
        boolean[] correct = Trainer.correct(new FloatEngine(net), test, threads);
        double accuracy = Trainer.fraction(correct);
        long total = 0;
        long kept = 0;
        int maxBits = 0;
        for (int i = 0; i < net.nodes().size(); i++) {
            // A weight tensor several steps share (an unrolled RNN's) counts once.
            if (net.sharedWeights().containsKey(net.nodes().get(i).name())) continue;
            if (net.params(net.nodes().get(i).name()) instanceof LayerParams.Dense d) {
                for (float v : d.weight().data()) {
                    total++;
                    if (v != 0) kept++;
                }
                maxBits = Math.max(maxBits, state.bits(i));
            }
        }
        // A model the design cannot hold yet (FORMS before polarization) is costed as the dense mapping.
        var g = shapes.design().geometry();
        Network costed = DensePlacer.fits(net, shapes.design()) ? net : net.shapesOnly();
        Result r = shapes.point().with(costed, null).evaluate();
        long arrays = r.layers().stream().mapToLong(Result.LayerLine::arrays).sum();
        long arraysDense = r.layers().stream().mapToLong(Result.LayerLine::arraysDense).sum();
        // Weights on levels that are not a quantize step's (device states, unified magnitudes) still count as the
        // grid the placer found them on.
        int gridBits = r.layers().stream().mapToInt(Result.LayerLine::weightBits).max().orElse(0);
        String bits = maxBits > 0 ? maxBits + "-bit" : gridBits < g.weightBits() ? gridBits + "-bit grid" : "float";
        return new Row(name, accuracy, 1 - (double) kept / total, bits,
                arrays, arraysDense, r.compression() == null ? 0 : r.compression().indexBits(), r.inference().energyJ(),
                r.area().inUseMm2(), seconds, r, correct);
    }

    /**
     * The step table as CSV. Without the steps' wall-clock seconds (the terminal shows them): a result file is the
     * same bytes for the same config and seed, on any machine.
     */
    public static String csv(List<Row> rows) {
        StringBuilder b = new StringBuilder("step,accuracy,sparsity,weights,arrays,arrays_dense,index_bits,energy_J,"
                + "area_in_use_mm2,accuracy_se,change_se\n");
        for (Row r : rows) {
            b.append('"').append(r.step().replace("\"", "\"\"")).append('"').append(',').append(r.accuracy()).append(',')
                    .append(r.sparsity()).append(',').append(r.bits()).append(',').append(r.arrays()).append(',')
                    .append(r.arraysDense()).append(',').append(r.indexBits()).append(',').append(r.energyJ()).append(',')
                    .append(r.areaInUseMm2()).append(',').append(r.accuracySe()).append(',')
                    .append(r.changeSe(rows.get(0))).append('\n');
        }
        return b.toString();
    }

    public static String markdown(List<Row> rows) {
        StringBuilder b = new StringBuilder("| step | accuracy (± se) | change (± paired se) | sparsity | weights | arrays (dense) | index | energy / inference | area of the arrays in use |\n"
                + "|---|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            String change = r == rows.get(0) ? "—" : String.format(Locale.ROOT, "%+.2f ± %.2f points",
                    100 * (r.accuracy() - rows.get(0).accuracy()), 100 * r.changeSe(rows.get(0)));
            b.append(String.format(Locale.ROOT, "| %s | %.2f %% ± %.2f | %s | %.1f %% | %s | %d (%d) | %d bits | %.1f nJ | %.2f mm² |%n",
                    r.step(), 100 * r.accuracy(), 100 * r.accuracySe(), change, 100 * r.sparsity(), r.bits(), r.arrays(),
                    r.arraysDense(), r.indexBits(), r.energyJ() * 1e9, r.areaInUseMm2()));
        }
        return b.toString();
    }

    private static ObjectNode provenance(CompressSpec s, Network net, Admm.State state, List<Row> rows) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode p = f.objectNode();
        p.put("compressedBy", "abacim compress");
        p.put("config", s.doc().origin().toString());
        p.put("dataset", s.dataset().label());
        ArrayNode steps = p.putArray("steps");
        for (Admm.Step st : s.steps()) {
            ObjectNode o = steps.addObject();
            o.put("name", st.name());
            ArrayNode pr = o.putArray("projections");
            st.projections().forEach(x -> pr.add(x.label()));
            o.put("rho", st.rho());
            o.put("admmEpochs", st.admmEpochs());
            o.put("retrainEpochs", st.retrainEpochs());
        }
        ObjectNode layers = p.putObject("layers");
        for (int i = 0; i < net.nodes().size(); i++) {
            if (!(net.params(net.nodes().get(i).name()) instanceof LayerParams.Dense d)) continue;
            ObjectNode l = layers.putObject(net.nodes().get(i).name());
            long kept = 0;
            for (float v : d.weight().data()) if (v != 0) kept++;
            l.put("weights", d.weight().data().length);
            l.put("kept", kept);
            l.put("bits", state.bits(i) == 0 ? 32 : state.bits(i));
        }
        p.put("testAccuracy", rows.get(rows.size() - 1).accuracy());
        return p;
    }
}
