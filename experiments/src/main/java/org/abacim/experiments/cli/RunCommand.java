package org.abacim.experiments.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import org.abacim.core.config.ConfigException;
import org.abacim.core.config.ConfigReader;
import org.abacim.core.config.SourceLocation;
import org.abacim.core.data.Datasets;
import org.abacim.core.result.Result;
import org.abacim.experiments.compare.Comparison;
import org.abacim.experiments.compare.ComparisonSpec;
import org.abacim.experiments.io.OutputFolder;
import org.abacim.experiments.report.ComparisonChart;
import org.abacim.experiments.report.ResultFormats;
import org.abacim.experiments.run.DesignRun;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Evaluate one design point: a config file, or a preset and a network.",
                "Examples:",
                "  abacim run --preset isaac --network vgg16",
                "  abacim run experiments/configs/isaac-vgg16.yaml --set array.rows=256 --format json",
                "  abacim run experiments/configs/forms-vs-isaac.yaml --out out/forms-vs-isaac   (a comparison config)"})
final class RunCommand implements Callable<Integer> {
    enum Format { table, json, csv }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "CONFIG", description = "YAML or JSON config file.")
    Path config;

    @Option(names = "--preset", paramLabel = "NAME", description = "Start from this preset (see 'abacim presets').")
    String preset;

    @Option(names = "--network", paramLabel = "NAME|FILE",
            description = "Built-in network (see 'abacim networks'), an ONNX model or a NeuroSim NetWork_*.csv; repeat for several.")
    List<String> networks = new ArrayList<>();

    @Option(names = "--set", paramLabel = "PATH=VALUE",
            description = "Override a config value, checked like the file itself (e.g. array.rows=256, "
                    + "array.readCycle='50 ns').")
    List<String> sets = new ArrayList<>();

    @Option(names = "--format", defaultValue = "table", description = "Output: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--out", paramLabel = "DIR", description = "Also write NAME-NETWORK.json, .csv and .txt into DIR.")
    Path out;

    @picocli.CommandLine.Mixin
    BackendOptions backend = new BackendOptions();

    @picocli.CommandLine.Mixin
    CacheOption cache = new CacheOption();

    @Override
    public Integer call() throws IOException {
        backend.check(); // options first: a --master without --backend spark is refused before any work
        cache.apply();
        if (config == null && preset == null) {
            throw ConfigException.inSource(SourceLocation.of("abacim run"),
                    "give a CONFIG file or --preset NAME (see 'abacim presets')");
        }
        // A bad --out fails before any work, and every file lands inside it.
        OutputFolder folder = out == null ? null : OutputFolder.open(out, "--out");
        if (config != null && ComparisonSpec.isComparison(ConfigReader.read(config))) return comparison(folder);
        List<String> runs = networks.isEmpty() ? Collections.singletonList(null) : networks;
        List<Result> results = new ArrayList<>();
        try (BackendOptions.Trials trials = backend.trialBackend()) {
            for (String network : runs) {
                DesignRun point = DesignRun.load(config, preset, network, sets);
                Result result = point.evaluate(Runtime.getRuntime().availableProcessors(),
                        trials.forPoint(config, preset, network, sets));
                results.add(result);
                if (point.accuracy() != null) {
                    // Said at once on stderr too: the result's warnings come after the run.
                    for (String w : Datasets.warnings(point.accuracy().dataset(), point.baseDir())) {
                        spec.commandLine().getErr().println("abacim: warning: " + w);
                    }
                    spec.commandLine().getErr().flush();
                }
                if (folder != null) write(folder, result);
            }
        }
        PrintWriter stdout = spec.commandLine().getOut();
        switch (format) {
            case json -> stdout.print(ResultFormats.json(results.size() == 1 ? results.get(0) : results));
            case csv -> {
                for (int i = 0; i < results.size(); i++) {
                    String csv = ResultFormats.csv(results.get(i));
                    stdout.print(i == 0 ? csv : csv.substring(csv.indexOf('\n') + 1));
                }
            }
            case table -> {
                for (int i = 0; i < results.size(); i++) {
                    if (i > 0) stdout.println();
                    stdout.print(ResultFormats.table(results.get(i)));
                }
            }
        }
        stdout.flush();
        return 0;
    }

    /** A comparison experiment: every system on every network, with ratios against the two baselines. */
    private int comparison(OutputFolder folder) throws IOException {
        if (preset != null || !networks.isEmpty() || !sets.isEmpty()) {
            throw ConfigException.inSource(SourceLocation.of(config.toString()),
                    "a comparison config names its own systems and networks; --preset, --network and --set do not apply");
        }
        if (!backend.backend.equals("threads")) {
            throw ConfigException.inSource(SourceLocation.of(config.toString()),
                    "a comparison runs on this process's threads; --backend spark applies to design points and sweeps");
        }
        Comparison.Report report = Comparison.run(ComparisonSpec.read(config), Runtime.getRuntime().availableProcessors());
        PrintWriter stdout = spec.commandLine().getOut();
        switch (format) {
            case json -> stdout.print(ResultFormats.json(report));
            case csv -> stdout.print(Comparison.csv(report));
            case table -> stdout.print(Comparison.table(report));
        }
        stdout.flush();
        if (folder != null) {
            String stem = OutputFolder.plainName(report.experiment());
            folder.write(stem + ".json", ResultFormats.json(report));
            folder.write(stem + ".csv", Comparison.csv(report));
            folder.write(stem + ".md", Comparison.markdown(report));
            folder.write(stem + ".txt", Comparison.table(report));
            ComparisonChart.write(folder.path(), stem, report);
        }
        return 0;
    }

    private static void write(OutputFolder folder, Result r) throws IOException {
        String stem = r.design().name() + "-" + r.network().name();
        folder.write(stem + ".json", ResultFormats.json(r));
        folder.write(stem + ".csv", ResultFormats.csv(r));
        folder.write(stem + ".txt", ResultFormats.table(r));
    }
}
