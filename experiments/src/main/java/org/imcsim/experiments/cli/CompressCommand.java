package org.imcsim.experiments.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.imcsim.core.accuracy.AccuracyOptions;
import org.imcsim.core.config.ConfigException;
import org.imcsim.core.data.DataException;
import org.imcsim.core.data.Dataset;
import org.imcsim.core.data.Datasets;
import org.imcsim.core.exec.FloatEngine;
import org.imcsim.core.network.LayerParams;
import org.imcsim.core.network.Network;
import org.imcsim.core.network.NetworkZoo;
import org.imcsim.core.progress.Progress;
import org.imcsim.core.result.Result;
import org.imcsim.core.train.TrainConfig;
import org.imcsim.core.train.Trainer;
import org.imcsim.experiments.compress.CompressSpec;
import org.imcsim.experiments.model.Models;
import org.imcsim.experiments.run.AccuracyRun;
import org.imcsim.experiments.run.DesignPoint;
import org.imcsim.experiments.run.DesignPointLoader;
import org.imcsim.mapping.compress.Admm;
import org.imcsim.mapping.weights.WeightMap;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "compress", mixinStandardHelpOptions = true,
        description = {"Hardware-aware compression (ADMM): run the config's steps on a model and show, after each "
                + "step, accuracy, sparsity, bits, arrays, energy per inference and area on the config's design; "
                + "write the compressed weight map, the step table (CSV, Markdown) and its chart (PNG, SVG).",
                "Example: imcsim compress experiments/configs/compress/lenet5-compact-block.yaml"})
final class CompressCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CONFIG", description = "Compression config (YAML).")
    Path config;

    @Option(names = "--threads", paramLabel = "N", description = "Threads (default: all cores; results do not depend on it).")
    Integer threads;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Write the weight map, step table and chart into DIR (default: the config's 'out' path).")
    Path outDir;

    /** One row of the teaching table. */
    record Row(String step, double accuracy, double sparsity, String bits, long arrays, long arraysDense,
               long indexBits, double energyJ, double areaInUseMm2, double seconds) {}

    @picocli.CommandLine.Mixin
    CacheOption cache = new CacheOption();

    @Override
    public Integer call() throws IOException {
        cache.apply();
        CompressSpec s = CompressSpec.read(config);
        int n = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        PrintWriter out = spec.commandLine().getOut();
        Dataset[] data;
        try {
            data = Datasets.load(s.dataset());
        } catch (DataException e) {
            throw new ConfigException(s.doc().locate("dataset"), "dataset", s.dataset(), e.getMessage());
        }
        DesignPoint shapes = DesignPointLoader.load(null, s.preset(), s.network(), s.designSets());
        Network model;
        if (s.model().equals("train")) {
            if (NetworkZoo.find(s.network()).isEmpty()) {
                throw new ConfigException(s.doc().locate("model"), "model", "train",
                        "training needs a built-in network; give a trained model file");
            }
            model = AccuracyRun.trained(s.network(), shapes.network(), s.dataset(),
                    new AccuracyOptions.Training(s.trainEpochs(), s.trainSeed()), data, n);
        } else {
            model = Models.load(s.directory().resolve(s.model()));
        }
        TrainConfig cfg = s.trainConfig(n, model);
        Admm.State state = new Admm.State(model);
        List<Row> rows = new ArrayList<>();
        rows.add(row("dense (trained)", model, state, shapes, data[1], n, 0));
        print(out, rows.get(0), true);
        Network current = model;
        try (Progress.Stage progress = Progress.start("compress " + config.getFileName(), s.steps().size(), "steps")) {
            for (Admm.Step step : s.steps()) {
                progress.note(step.name());
                long start = System.nanoTime();
                current = Admm.step(current, step, state, data[0], cfg, e -> { });
                rows.add(row(step.name(), current, state, shapes, data[1], n, (System.nanoTime() - start) / 1e9));
                print(out, rows.get(rows.size() - 1), false);
                progress.step();
            }
        }
        Path target = outDir == null ? s.out() : outDir.resolve(s.out().getFileName());
        if (target.getParent() != null) Files.createDirectories(target.getParent());
        Path manifest = WeightMap.write(current, s.network(), target, provenance(s, current, state, rows),
                state.describe(current, "imcsim compress " + config.getFileName()));
        Path stem = Path.of(target.toString().replaceFirst("\\.npz$", ""));
        Files.writeString(Path.of(stem + "-steps.csv"), csv(rows), StandardCharsets.UTF_8);
        Files.writeString(Path.of(stem + "-steps.md"), markdown(rows), StandardCharsets.UTF_8);
        org.imcsim.experiments.report.StepChart.write(stem.getParent(), stem.getFileName() + "-steps",
                rows.stream().map(Row::step).toList(), rows.stream().map(Row::accuracy).toList(),
                rows.stream().map(r -> (double) r.arrays() / r.arraysDense()).toList());
        out.printf(Locale.ROOT, "wrote %s, %s, and %s-steps.csv, .md, .png, .svg%n", target, manifest, stem);
        out.flush();
        return 0;
    }

    private static Row row(String name, Network net, Admm.State state, DesignPoint shapes, Dataset test, int threads,
                           double seconds) {
        double accuracy = Trainer.accuracy(new FloatEngine(net), test, threads);
        long total = 0;
        long kept = 0;
        int maxBits = 0;
        for (int i = 0; i < net.nodes().size(); i++) {
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
        Network costed = org.imcsim.mapping.place.DensePlacer.fits(net, shapes.design()) ? net : net.shapesOnly();
        Result r = new DesignPoint(shapes.config(), shapes.design(), costed, shapes.options(), null, null).evaluate(threads);
        long arrays = r.layers().stream().mapToLong(Result.Layer::arrays).sum();
        long arraysDense = r.layers().stream().mapToLong(Result.Layer::arraysDense).sum();
        // Weights on levels that are not a quantize step's (device states, unified magnitudes) still count as the
        // grid the placer found them on.
        int gridBits = r.layers().stream().mapToInt(Result.Layer::weightBits).max().orElse(0);
        String bits = maxBits > 0 ? maxBits + "-bit" : gridBits < g.weightBits() ? gridBits + "-bit grid" : "float";
        return new Row(name, accuracy, 1 - (double) kept / total, bits,
                arrays, arraysDense, r.compression() == null ? 0 : r.compression().indexBits(), r.inference().energyJ(),
                r.area().inUseMm2(), seconds);
    }

    private static void print(PrintWriter out, Row r, boolean header) {
        if (header) {
            out.printf(Locale.ROOT, "%-28s %9s %9s %10s %8s %8s %8s %11s %10s %8s%n", "step", "accuracy", "sparsity",
                    "weights", "arrays", "dense", "index", "energy (nJ)", "in use (mm²)", "time (s)");
        }
        out.printf(Locale.ROOT, "%-28s %8.2f%% %8.2f%% %10s %8d %8d %8d %11.1f %10.2f %8.1f%n", r.step(), 100 * r.accuracy(),
                100 * r.sparsity(), r.bits(), r.arrays(), r.arraysDense(), r.indexBits(), r.energyJ() * 1e9, r.areaInUseMm2(), r.seconds());
        out.flush();
    }

    static String csv(List<Row> rows) {
        StringBuilder b = new StringBuilder("step,accuracy,sparsity,weights,arrays,arrays_dense,index_bits,energy_J,area_in_use_mm2,seconds\n");
        for (Row r : rows) {
            b.append('"').append(r.step().replace("\"", "\"\"")).append('"').append(',').append(r.accuracy()).append(',')
                    .append(r.sparsity()).append(',').append(r.bits()).append(',').append(r.arrays()).append(',')
                    .append(r.arraysDense()).append(',').append(r.indexBits()).append(',').append(r.energyJ()).append(',').append(r.areaInUseMm2()).append(',')
                    .append(String.format(Locale.ROOT, "%.1f", r.seconds())).append('\n');
        }
        return b.toString();
    }

    static String markdown(List<Row> rows) {
        StringBuilder b = new StringBuilder("| step | accuracy | sparsity | weights | arrays (dense) | index | energy / inference | area of the arrays in use |\n"
                + "|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            b.append(String.format(Locale.ROOT, "| %s | %.2f %% | %.1f %% | %s | %d (%d) | %d bits | %.1f nJ | %.2f mm² |%n",
                    r.step(), 100 * r.accuracy(), 100 * r.sparsity(), r.bits(), r.arrays(), r.arraysDense(), r.indexBits(),
                    r.energyJ() * 1e9, r.areaInUseMm2()));
        }
        return b.toString();
    }

    private static ObjectNode provenance(CompressSpec s, Network net, Admm.State state, List<Row> rows) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode p = f.objectNode();
        p.put("compressedBy", "imcsim compress");
        p.put("config", s.doc().origin().toString());
        p.put("dataset", s.dataset());
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
