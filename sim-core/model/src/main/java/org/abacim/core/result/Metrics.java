package org.abacim.core.result;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The metric vocabulary. "Area" has three names because it means three things: one chip ({@code area_mm2}), every
 * chip the network needs ({@code total_area_mm2}), and the array groups the placement allocated, periphery included
 * ({@code area_in_use_mm2}, computed once, by the cost model). Peak figures describe a chip with every array busy;
 * the others one inference of the network.
 */
public final class Metrics {
    static final List<Metric> ALL = List.of(
            m("chips", "1", "chips the network's weights need", false, r -> (double) r.chips()),
            m("area_mm2", "mm²", "area of one chip", false, r -> r.area().totalMm2()),
            m("total_area_mm2", "mm²", "area of every chip the network needs", false,
                    r -> r.area().totalMm2() * r.chips()),
            m("area_in_use_mm2", "mm²", "area of the array groups the placement allocated, periphery included", false,
                    r -> r.area().inUseMm2()),
            m("power_W", "W", "power of one chip with every unit busy", false, r -> r.power().totalW()),
            m("peak_gops", "GOPS", "operations per second of one chip with every array busy", true,
                    r -> r.peak().gops()),
            m("peak_gops_per_mm2", "GOPS/mm²", "peak GOPS per mm² of chip", true, r -> r.peak().gopsPerMm2()),
            m("peak_gops_per_W", "GOPS/W", "peak GOPS per watt of busy chip power", true, r -> r.peak().gopsPerW()),
            m("fps", "1/s", "inferences per second", true, r -> r.inference().fps()),
            m("latency_s", "s", "seconds from an input to its result", false, r -> r.inference().latencyS()),
            m("energy_J", "J", "energy of one inference (actions and leakage)", false, r -> r.inference().energyJ()),
            m("gops", "GOPS", "operations per second on the network (2 per MAC)", true, r -> r.inference().gops()),
            m("gops_per_W", "GOPS/W", "operations per joule of inference energy", true,
                    r -> 2.0 * r.network().macs() / r.inference().energyJ() / 1e9),
            m("gops_per_mm2_in_use", "GOPS/mm²", "network GOPS per mm² of area in use", true,
                    r -> r.inference().gops() / r.area().inUseMm2()),
            m("tops_per_W", "TOPS/W", "operations per joule of inference energy, in tera", true,
                    r -> r.inference().topsPerW()),
            m("utilization", "1", "network GOPS over the chips' peak", true, r -> r.inference().utilization()),
            m("arrays", "1", "arrays the placement allocated (all copies)", false, r -> (double) r.inference().arrays()),
            m("accuracy_reference", "1", "float model's accuracy on the scored samples", true,
                    r -> r.accuracy() == null ? null : r.accuracy().reference()),
            m("accuracy_quantized", "1", "quantized model's accuracy with ideal arrays", true,
                    r -> r.accuracy() == null ? null : r.accuracy().quantized()),
            m("accuracy_mean", "1", "mean accuracy over the simulated chips", true,
                    r -> r.accuracy() == null ? null : r.accuracy().mean()),
            m("accuracy_std", "1", "standard deviation of accuracy over the simulated chips", false,
                    r -> r.accuracy() == null ? null : r.accuracy().std()),
            m("accuracy_min", "1", "worst simulated chip's accuracy", true,
                    r -> r.accuracy() == null ? null : r.accuracy().min()),
            m("accuracy_sampling_se", "1", "binomial standard error of the mean accuracy from the draw of test images",
                    false, r -> r.accuracy() == null ? null : r.accuracy().samplingSe()));

    private Metrics() {}

    private static Metric m(String name, String unit, String meaning, boolean higherIsBetter,
                            Function<Result, Double> reader) {
        return new Metric(name, unit, meaning, higherIsBetter, reader);
    }

    /** The named metrics' values in {@code result}, leaving out those it does not have. */
    public static Map<String, Double> of(Result result, List<String> names) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String name : names) {
            Double v = Metric.named(name).orElseThrow(() -> new IllegalArgumentException("no metric " + name)).of(result);
            if (v != null) out.put(name, v);
        }
        return out;
    }

    public static List<String> names() {
        return ALL.stream().map(Metric::name).toList();
    }
}
