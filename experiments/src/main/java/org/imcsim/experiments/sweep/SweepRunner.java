package org.imcsim.experiments.sweep;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.imcsim.core.config.ConfigDocument;
import org.imcsim.core.config.ConfigException;
import org.imcsim.core.config.SourceLocation;
import org.imcsim.core.network.NetworkException;
import org.imcsim.core.result.Result;
import org.imcsim.core.units.Dimension;
import org.imcsim.core.units.UnitException;
import org.imcsim.core.units.Units;
import org.imcsim.experiments.catalog.Catalog;
import org.imcsim.experiments.run.DesignPoint;
import org.imcsim.experiments.run.DesignPointLoader;

/**
 * Runs a sweep on all cores. Points are evaluated in parallel and recorded in plan order as they complete, so the
 * output is the same bytes whatever the thread count, and a resumed sweep completes the same files. A point that
 * fails is recorded with its error and the sweep goes on.
 */
public final class SweepRunner {
    /** What a run did. */
    public record Summary(int points, int alreadyDone, int ok, int skipped, int invalid, int failed, double seconds) {}

    private final SweepSpec spec;
    private final Map<String, ConfigDocument> presetDocs = new ConcurrentHashMap<>();
    private final Map<String, ConfigDocument> presetBases = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Double>> baselines = new HashMap<>();

    public SweepRunner(SweepSpec spec) {
        this.spec = spec;
    }

    public Summary run(Path outDir, int threads, boolean resume, SweepProgress progress) {
        SweepPlan plan = SweepPlan.of(spec);
        long start = System.nanoTime();
        computeBaselines(plan);
        int ok = 0, skipped = 0, invalid = 0, failed = 0;
        try (ResultsStore store = ResultsStore.open(outDir, spec.axisPaths(), resume, plan(plan))) {
            store.describe(spec.name(), spec.description(), spec.document().origin().source(), plan.size(),
                    spec.axisPaths(), spec.baseline());
            progress.start(spec.name(), plan.size(), store.doneCount());
            int alreadyDone = 0;
            ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
                Thread t = new Thread(r, "sweep");
                t.setDaemon(true);
                return t;
            });
            try {
                ExecutorCompletionService<Outcome> completion = new ExecutorCompletionService<>(pool);
                // Submit in a bounded window so that memory stays flat for million-point sweeps.
                int window = Math.max(64, threads * 32);
                Iterator<SweepPoint> next = plan.iterator();
                int inFlight = 0;
                for (; inFlight < window && next.hasNext(); inFlight++) {
                    SweepPoint p = next.next();
                    completion.submit(() -> outcome(p, store));
                }
                TreeMap<Integer, Outcome> waiting = new TreeMap<>();
                int cursor = 0;
                while (inFlight > 0) {
                    Future<Outcome> f = completion.take();
                    inFlight--;
                    Outcome outcome = f.get();
                    waiting.put(outcome.index(), outcome);
                    // Write in plan order: the files do not depend on which thread finished first.
                    for (Outcome o = waiting.get(cursor); o != null; o = waiting.get(cursor)) {
                        waiting.remove(cursor++);
                        if (o.rendered() == null) {
                            alreadyDone++;
                            continue;
                        }
                        store.append(o.rendered());
                        PointRecord r = o.rendered().record();
                        progress.finished(r);
                        switch (r.status()) {
                            case "ok" -> ok++;
                            case "skipped" -> skipped++;
                            case "invalid" -> invalid++;
                            default -> failed++;
                        }
                    }
                    if (next.hasNext()) {
                        SweepPoint p = next.next();
                        completion.submit(() -> outcome(p, store));
                        inFlight++;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("sweep interrupted", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("a sweep task crashed", e.getCause());
            } finally {
                pool.shutdownNow();
                progress.close();
            }
            return new Summary(plan.size(), alreadyDone, ok, skipped, invalid, failed, (System.nanoTime() - start) / 1e9);
        }
    }

    /** The plan's identity: this IMCSim and the plan (its points in order). */
    private static ResultsStore.Plan plan(SweepPlan plan) {
        return new ResultsStore.Plan(org.imcsim.experiments.run.ImcSimVersion.results(), plan.size(), plan.fingerprint());
    }

    /** A point's outcome: rendered lines to write, or none when the point was recorded by an earlier run. */
    private record Outcome(int index, ResultsStore.Rendered rendered) {}

    private Outcome outcome(SweepPoint p, ResultsStore store) {
        if (store.isDone(p.index())) return new Outcome(p.index(), null);
        ConfigDocument doc;
        try {
            doc = configOf(p);
        } catch (ConfigException e) {
            // An axis path that cannot be set (e.g. into a value that is not a mapping): record it as invalid.
            String id = "unset-" + p.index();
            return new Outcome(p.index(), store.render(new PointRecord(p.index(), id, "invalid", p.preset(),
                    p.network(), axesOf(p), null, null, null, null, e.getMessage())));
        }
        String id = id(doc);
        return new Outcome(p.index(), store.render(evaluate(p, id, doc)));
    }

    private static Map<String, JsonNode> axesOf(SweepPoint p) {
        Map<String, JsonNode> axes = new LinkedHashMap<>();
        p.axes().forEach((k, v) -> axes.put(k, v.node()));
        return axes;
    }

    /** The merged config of a point: preset, the sweep's base, the network, then its axis values. */
    ConfigDocument configOf(SweepPoint p) {
        ConfigDocument doc = p.preset() == null ? spec.base() : baseFor(p.preset());
        doc = doc.with("network", p.network(), spec.networks().isEmpty() ? spec.base().locate("network")
                : spec.document().locate("networks"));
        List<ConfigDocument.Assignment> assignments = new ArrayList<>();
        for (Map.Entry<String, SweepSpec.Value> axis : p.axes().entrySet()) {
            assignments.add(new ConfigDocument.Assignment(axis.getKey(), axis.getValue().node(),
                    axis.getValue().location()));
        }
        return doc.setAll(assignments);
    }

    private PointRecord evaluate(SweepPoint p, String id, ConfigDocument doc) {
        Map<String, JsonNode> axes = axesOf(p);
        try {
            for (SweepSpec.Constraint c : spec.constraints()) {
                if (c.path() != null && !withinConfig(doc.at(c.path()), c)) {
                    return new PointRecord(p.index(), id, "skipped", p.preset(), p.network(), axes, null, null, null, null,
                            c.reason());
                }
            }
            DesignPoint point = DesignPointLoader.resolve(doc, spec.directory());
            // A point's own stages (training, trials) are not reported: the sweep's progress is the points.
            Result result = org.imcsim.core.progress.Progress.muted(point::evaluate);
            Map<String, Double> metrics = Metrics.of(result);
            for (SweepSpec.Constraint c : spec.constraints()) {
                if (c.metric() != null && !within(metrics.get(c.metric()), c)) {
                    return new PointRecord(p.index(), id, "skipped", p.preset(), p.network(), axes, metrics, null, null,
                            result.inference().energyBreakdownJ(), c.reason());
                }
            }
            Map<String, Double> baseline = baselines.get(p.network());
            return new PointRecord(p.index(), id, "ok", p.preset(), p.network(), axes, metrics,
                    baseline == null ? null : spec.baseline(), baseline == null ? null : Metrics.ratios(metrics, baseline),
                    result.inference().energyBreakdownJ(), null);
        } catch (ConfigException | NetworkException e) {
            return new PointRecord(p.index(), id, "invalid", p.preset(), p.network(), axes, null, null, null, null,
                    e.getMessage());
        } catch (RuntimeException e) {
            return new PointRecord(p.index(), id, "failed", p.preset(), p.network(), axes, null, null, null, null,
                    e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private void computeBaselines(SweepPlan plan) {
        if (spec.baseline().equals("none")) return;
        for (String network : plan.networks()) {
            if (baselines.containsKey(network)) continue;
            ConfigDocument doc = presetDoc(spec.baseline()).with("network", network, SourceLocation.of("sweep baseline"));
            try {
                baselines.put(network, Metrics.of(DesignPointLoader.resolve(doc, spec.directory()).evaluate()));
            } catch (ConfigException e) {
                throw new ConfigException(spec.document().locate("baseline"), "baseline", spec.baseline(),
                        "the baseline cannot run " + network + ": " + e.getMessage());
            }
        }
    }

    /**
     * The preset with the sweep's base laid over it and then the preset's own {@code presetSets}, merged once per
     * preset: a preset's overrides win over the base (one preset's points may run another model file).
     */
    private ConfigDocument baseFor(String preset) {
        return presetBases.computeIfAbsent(preset, n -> org.imcsim.core.config.Overrides.apply(
                presetDoc(n).overlay(spec.base()), spec.presetSets().getOrDefault(n, List.of())));
    }

    /** The preset as published, with its {@code presetSets}. */
    private ConfigDocument presetDoc(String name) {
        return presetDocs.computeIfAbsent(name, n -> org.imcsim.core.config.Overrides.apply(Catalog.loadPreset(n,
                spec.presets().isEmpty() ? spec.base().locate("preset") : spec.document().locate("presets"),
                spec.directory()), spec.presetSets().getOrDefault(n, List.of())));
    }

    private static boolean within(Double value, SweepSpec.Constraint c) {
        if (value == null) return true;
        return (c.min() == null || value >= c.min().asDouble()) && (c.max() == null || value <= c.max().asDouble());
    }

    /** A config value against a constraint: numbers directly, quantities (text with units) by their SI value. */
    private static boolean withinConfig(JsonNode node, SweepSpec.Constraint c) {
        if (node == null || node.isNull()) {
            // A constraint that can never apply is a mistake in the sweep file, not a bound that always holds.
            throw new ConfigException(c.location(), c.path(), null,
                    "no such value in this point's config; the constraint would never apply");
        }
        Double v = node.isNumber() ? node.asDouble() : null;
        Double min = null;
        Double max = null;
        JsonNode bound = c.min() != null ? c.min() : c.max();
        if (node.isNumber() != bound.isNumber() && !(node.isTextual() && dimensionOf(bound) == null)) {
            throw new ConfigException(c.location(), c.path(), bound.asText(), "the bound and the value "
                    + node.asText() + " are not the same kind (a plain number and a quantity with a unit)");
        }
        if (node.isTextual()) {
            Dimension d = dimensionOf(bound);
            if (d == null) return true; // "auto" and other words are not bounded
            try {
                v = Units.parse(node.asText(), d);
            } catch (UnitException e) {
                throw new ConfigException(c.location(), c.path(), bound.asText(),
                        "the bound's unit does not fit the value " + node.asText());
            }
            if (c.min() != null) min = Units.parse(c.min().asText(), d);
            if (c.max() != null) max = Units.parse(c.max().asText(), d);
        } else {
            if (c.min() != null) min = c.min().asDouble();
            if (c.max() != null) max = c.max().asDouble();
        }
        if (v == null) return true;
        return (min == null || v >= min) && (max == null || v <= max);
    }

    private static Dimension dimensionOf(JsonNode bound) {
        if (bound == null || !bound.isTextual()) return null;
        for (Dimension d : Dimension.values()) {
            try {
                Units.parse(bound.asText(), d);
                return d;
            } catch (UnitException e) {
                // not this one
            }
        }
        return null;
    }

    /** A point's identity: a hash of its resolved config, keys sorted, so equal configs have equal ids. */
    static String id(ConfigDocument doc) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] canonical = ResultsStore.JSON.writeValueAsBytes(canonical(doc.root()));
            return HexFormat.of().formatHex(sha.digest(canonical), 0, 8);
        } catch (NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object canonical(JsonNode node) {
        if (node.isObject()) {
            TreeMap<String, Object> sorted = new TreeMap<>();
            node.fields().forEachRemaining(e -> sorted.put(e.getKey(), canonical(e.getValue())));
            return sorted;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.forEach(n -> list.add(canonical(n)));
            return list;
        }
        return node;
    }

}
