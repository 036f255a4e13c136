package org.abacim.experiments.sweep;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.abacim.core.result.Metrics;
import org.abacim.core.result.Result;

/** What a sweep records per point (every metric of the registry) and which of them it divides by the baseline's. */
public final class SweepMetrics {
    public static final List<String> NAMES = Metrics.names();

    /** Ratios point ÷ baseline: throughput, energy per inference, silicon for the network, efficiency, density. */
    public static final List<String> RATIOS = List.of("fps", "energy_J", "total_area_mm2", "tops_per_W",
            "peak_gops_per_mm2");

    private SweepMetrics() {}

    public static Map<String, Double> of(Result r) {
        return Metrics.of(r, NAMES);
    }

    public static Map<String, Double> ratios(Map<String, Double> point, Map<String, Double> baseline) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String name : RATIOS) out.put(name, point.get(name) / baseline.get(name));
        return out;
    }
}
