package org.imcsim.experiments.sweep;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.imcsim.core.config.SourceLocation;

/**
 * Expands a sweep into its points, always in the same order: presets × networks × grid (first axis slowest) ×
 * zip rows × random samples (one seeded stream, drawn in plan order, so the plan does not depend on threads).
 */
public final class SweepPlan {
    private SweepPlan() {}

    public static List<SweepPoint> expand(SweepSpec spec) {
        List<String> presets = spec.presets().isEmpty()
                ? Collections.singletonList(spec.base().root().path("preset").asText(null)) : spec.presets();
        List<String> networks = spec.networks().isEmpty()
                ? List.of(spec.base().root().path("network").asText()) : spec.networks();

        List<Map<String, SweepSpec.Value>> combos = new ArrayList<>();
        combos.add(new LinkedHashMap<>());
        for (Map.Entry<String, List<SweepSpec.Value>> axis : spec.grid().entrySet()) {
            List<Map<String, SweepSpec.Value>> next = new ArrayList<>();
            for (Map<String, SweepSpec.Value> combo : combos) {
                for (SweepSpec.Value v : axis.getValue()) {
                    Map<String, SweepSpec.Value> c = new LinkedHashMap<>(combo);
                    c.put(axis.getKey(), v);
                    next.add(c);
                }
            }
            combos = next;
        }
        if (!spec.zip().isEmpty()) {
            int rows = spec.zip().values().iterator().next().size();
            List<Map<String, SweepSpec.Value>> next = new ArrayList<>();
            for (Map<String, SweepSpec.Value> combo : combos) {
                for (int row = 0; row < rows; row++) {
                    Map<String, SweepSpec.Value> c = new LinkedHashMap<>(combo);
                    for (Map.Entry<String, List<SweepSpec.Value>> axis : spec.zip().entrySet()) {
                        c.put(axis.getKey(), axis.getValue().get(row));
                    }
                    next.add(c);
                }
            }
            combos = next;
        }

        List<SweepPoint> points = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(spec.random().seed());
        int samples = Math.max(1, spec.random().samples());
        for (String preset : presets) {
            for (String network : networks) {
                for (Map<String, SweepSpec.Value> combo : combos) {
                    for (int s = 0; s < samples; s++) {
                        Map<String, SweepSpec.Value> axes = new LinkedHashMap<>(combo);
                        for (Map.Entry<String, SweepSpec.RandomAxis> axis : spec.random().axes().entrySet()) {
                            String path = "random.axes." + axis.getKey();
                            SourceLocation where = new SourceLocation(axis.getValue().location().source()
                                    + " (random sample " + s + ")", axis.getValue().location().line(),
                                    axis.getValue().location().column());
                            axes.put(axis.getKey(), new SweepSpec.Value(
                                    Sampler.draw(axis.getValue(), random, path), where));
                        }
                        points.add(new SweepPoint(points.size(), preset, network, axes));
                    }
                }
            }
        }
        return points;
    }
}
