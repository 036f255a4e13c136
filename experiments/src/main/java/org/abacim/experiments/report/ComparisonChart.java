package org.abacim.experiments.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import org.abacim.experiments.compare.Comparison;
import org.knowm.xchart.CategoryChart;

/**
 * The comparison chart: per network, each system's frames per second and energy efficiency (GOPS/W) as a ratio to
 * the original ISAAC, one bar per system — what the compression and the architecture each buy.
 */
public final class ComparisonChart {
    private ComparisonChart() {}

    /** Writes DIR/NAME-fps.png/.svg and DIR/NAME-efficiency.png/.svg. */
    public static void write(Path dir, String name, Comparison.Report report) throws IOException {
        chart(dir, name + "-fps", "frames per second vs the original ISAAC", report, Comparison.Ratios::fps);
        chart(dir, name + "-efficiency", "energy efficiency (GOPS/W) vs the original ISAAC", report,
                Comparison.Ratios::gopsPerW);
    }

    private static void chart(Path dir, String file, String title, Comparison.Report report,
                              ToDoubleFunction<Comparison.Ratios> metric) throws IOException {
        Set<String> networks = new LinkedHashSet<>();
        Set<String> systems = new LinkedHashSet<>();
        for (Comparison.Entry e : report.comparison()) {
            networks.add(e.network());
            systems.add(e.system());
        }
        CategoryChart chart = Charts.groupedBars(title, "network", "× the original ISAAC");
        for (String system : systems) {
            List<Double> values = new ArrayList<>();
            for (String network : networks) {
                values.add(report.comparison().stream()
                        .filter(e -> e.system().equals(system) && e.network().equals(network))
                        .mapToDouble(e -> metric.applyAsDouble(e.ratioVsIsaacOriginal())).findFirst().orElse(0));
            }
            chart.addSeries(system, new ArrayList<>(networks), values);
        }
        Charts.save(chart, dir, file);
    }
}
