package org.abacim.experiments.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.abacim.experiments.report.SweepReport;
import org.abacim.experiments.sweep.ResultsStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Write the HTML report of a sweep (self-contained, works offline) with PNG and SVG charts.",
                "Example: abacim report out/isaac-array-adc"})
final class ReportCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RESULTS", description = "A sweep's results.jsonl, or the directory holding it.")
    Path results;

    @Option(names = "--out", paramLabel = "DIR", description = "Where to write report.html and charts/ (default: beside the results).")
    Path out;

    @Override
    public Integer call() {
        Path file = Files.isDirectory(results) ? results.resolve(ResultsStore.JSONL) : results;
        Path dir = out != null ? out : file.toAbsolutePath().getParent();
        SweepReport.Written w = SweepReport.write(file, dir);
        spec.commandLine().getOut().printf("report: %s (%d chart files in %s)%n", w.html(), w.charts().size(),
                dir.resolve("charts"));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
