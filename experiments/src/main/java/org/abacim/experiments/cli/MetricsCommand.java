package org.abacim.experiments.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.abacim.core.result.Metric;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "metrics", mixinStandardHelpOptions = true,
        description = {"List the metrics every run reports, by the names sweeps, constraints, comparisons and "
                + "compression tables use: name, unit, which way is better, meaning."})
final class MetricsCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        for (Metric m : Metric.all()) {
            out.printf(Locale.ROOT, "%-22s %-10s %-6s %s%n", m.name(), m.unit(), m.higherIsBetter() ? "higher" : "lower",
                    m.meaning());
        }
        out.flush();
        return 0;
    }
}
