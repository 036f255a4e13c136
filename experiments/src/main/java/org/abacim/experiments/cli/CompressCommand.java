package org.abacim.experiments.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.abacim.core.data.Dataset;
import org.abacim.core.network.Network;
import org.abacim.experiments.compress.CompressSpec;
import org.abacim.experiments.compress.CompressionSteps;
import org.abacim.experiments.report.ResultFormats;
import org.abacim.experiments.run.DesignRun;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "compress", mixinStandardHelpOptions = true,
        description = {"Hardware-aware compression (ADMM): run the config's steps on a model and show, after each "
                + "step, accuracy, sparsity, bits, arrays, energy per inference and area on the config's design; "
                + "write the compressed weight map, the step table (CSV, Markdown) and its chart (PNG, SVG).",
                "Example: abacim compress experiments/configs/compress/lenet5-compact-block.yaml"})
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

    @Option(names = "--compare", description = "Run every step on the starting model on its own instead of one after "
            + "another: projections side by side on the same budget. Writes the table and chart (-compare.csv, .md, "
            + ".png, .svg), no weight map.")
    boolean compare;

    enum Format { table, json }

    @Option(names = "--format", defaultValue = "table",
            description = "Output: table (each step as it lands) or json (the rows at the end, for scripts and labs).")
    Format format;

    @picocli.CommandLine.Mixin
    CacheOption cache = new CacheOption();

    @Override
    public Integer call() throws IOException {
        cache.apply();
        CompressSpec s = CompressSpec.read(config);
        int n = OptionChecks.threads(threads);
        PrintWriter out = spec.commandLine().getOut();
        Dataset[] data = CompressionSteps.data(s);
        DesignRun shapes = CompressionSteps.design(s);
        Network model = CompressionSteps.startingModel(s, shapes.network(), data, n);
        boolean table = format == Format.table;
        if (table) out.print(CompressionSteps.header());
        String label = config.getFileName().toString();
        Consumer<CompressionSteps.Row> print = row -> {
            if (!table) return;
            out.print(CompressionSteps.line(row));
            out.flush();
        };
        Path target = outDir == null ? s.out() : outDir.resolve(s.out().getFileName());
        if (compare) {
            CompressionSteps.Outcome o = CompressionSteps.compare(s, label, model, data, shapes, n, print);
            Path stem = Path.of(target.toString().replaceFirst("\\.npz$", "") + "-compare");
            CompressionSteps.writeTable(stem, o.rows(), false);
            if (table) out.printf(Locale.ROOT, "wrote %s.csv, .md, .png, .svg%n", stem);
            else out.print(ResultFormats.json(CompressionSteps.jsonRows(o.rows())));
            out.flush();
            return 0;
        }
        CompressionSteps.Outcome o = CompressionSteps.run(s, label, model, data, shapes, n, print);
        Path manifest = CompressionSteps.write(s, label, o, target);
        if (table) {
            out.printf(Locale.ROOT, "wrote %s, %s, and %s-steps.csv, .md, .png, .svg%n", target, manifest,
                    target.toString().replaceFirst("\\.npz$", ""));
        } else {
            out.print(ResultFormats.json(CompressionSteps.jsonRows(o.rows())));
        }
        out.flush();
        return 0;
    }
}
