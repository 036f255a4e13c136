package org.abacim.experiments.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.abacim.core.progress.Progress;
import org.abacim.experiments.sweep.ResultsStore;
import org.abacim.experiments.sweep.SweepProgress;
import org.abacim.experiments.sweep.SweepRunner;
import org.abacim.experiments.sweep.SweepSpec;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = {"Run a design-space sweep on all cores; results stream to DIR/results.jsonl and results.csv.",
                "A killed sweep rerun with --resume completes the rest; a failing point is recorded and skipped.",
                "Example: abacim sweep experiments/configs/sweeps/isaac-array-adc.yaml --out out/isaac-array-adc"})
final class SweepCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SWEEP", description = "Sweep file (YAML).")
    Path sweepFile;

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: all cores).")
    Integer threads;

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default: out/NAME).")
    Path out;

    @Option(names = "--resume", description = "Keep the results already in DIR and complete the sweep.")
    boolean resume;

    @picocli.CommandLine.Mixin
    BackendOptions backend = new BackendOptions();

    @picocli.CommandLine.Mixin
    CacheOption cache = new CacheOption();

    @Override
    public Integer call() {
        backend.check(); // options first, before the sweep file is read or any file written
        cache.apply();
        SweepSpec sweep = SweepSpec.read(sweepFile);
        Path dir = out != null ? out : Path.of("out", sweep.name());
        int n = OptionChecks.threads(threads);
        SweepRunner.Summary s;
        try (SweepProgress progress = new SweepProgress.OnReporter(Progress.current());
             BackendOptions.Backend e = backend.sweepBackend(n, sweepFile)) {
            s = new SweepRunner(sweep).run(dir, e.sweep(), resume, progress);
        }
        spec.commandLine().getOut().printf(Locale.ROOT,
                "sweep %s: %d points (%d already done): %d ok, %d skipped, %d invalid, %d failed in %.2f s (%.0f points/s)%n"
                        + "results: %s, %s%nreport:  abacim report %s%n",
                sweep.name(), s.points(), s.alreadyDone(), s.ok(), s.skipped(), s.invalid(), s.failed(), s.seconds(),
                (s.points() - s.alreadyDone()) / Math.max(s.seconds(), 1e-9), dir.resolve(ResultsStore.JSONL),
                dir.resolve(ResultsStore.CSV), dir);
        spec.commandLine().getOut().flush();
        if (s.everyPointInvalid()) {
            // The results are written (each point with its reason), but a sweep with nothing to show is an error.
            spec.commandLine().getErr().printf("abacim: %s: every point of the sweep is invalid (%d of %d; each "
                    + "reason is in %s): no design was evaluated%n", sweepFile, s.points(), s.points(),
                    dir.resolve(ResultsStore.JSONL));
            spec.commandLine().getErr().flush();
            return 2;
        }
        return 0;
    }
}
