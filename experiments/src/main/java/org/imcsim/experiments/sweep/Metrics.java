package org.imcsim.experiments.sweep;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.imcsim.core.result.Result;

/** The flat metrics a sweep records per point, and the ratios against a baseline. Names are stable. */
public final class Metrics {
    public static final List<String> NAMES = List.of("chips", "area_mm2", "total_area_mm2", "power_W", "peak_gops",
            "peak_gops_per_mm2", "peak_gops_per_W", "fps", "latency_s", "energy_J", "gops", "tops_per_W",
            "utilization", "arrays", "accuracy_reference", "accuracy_quantized", "accuracy_mean", "accuracy_std",
            "accuracy_min");

    /** Ratios point ÷ baseline: throughput, energy per inference, silicon for the network, efficiency, density. */
    public static final List<String> RATIOS = List.of("fps", "energy_J", "total_area_mm2", "tops_per_W",
            "peak_gops_per_mm2");

    private Metrics() {}

    public static Map<String, Double> of(Result r) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("chips", (double) r.chips());
        m.put("area_mm2", r.area().totalMm2());
        m.put("total_area_mm2", r.area().totalMm2() * r.chips());
        m.put("power_W", r.power().totalW());
        m.put("peak_gops", r.peak().gops());
        m.put("peak_gops_per_mm2", r.peak().gopsPerMm2());
        m.put("peak_gops_per_W", r.peak().gopsPerW());
        m.put("fps", r.inference().fps());
        m.put("latency_s", r.inference().latencyS());
        m.put("energy_J", r.inference().energyJ());
        m.put("gops", r.inference().gops());
        m.put("tops_per_W", r.inference().topsPerW());
        m.put("utilization", r.inference().utilization());
        m.put("arrays", (double) r.inference().arrays());
        if (r.accuracy() != null) {
            m.put("accuracy_reference", r.accuracy().reference());
            m.put("accuracy_quantized", r.accuracy().quantized());
            m.put("accuracy_mean", r.accuracy().mean());
            m.put("accuracy_std", r.accuracy().std());
            m.put("accuracy_min", r.accuracy().min());
        }
        return m;
    }

    public static Map<String, Double> ratios(Map<String, Double> point, Map<String, Double> baseline) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String name : RATIOS) out.put(name, point.get(name) / baseline.get(name));
        return out;
    }
}
