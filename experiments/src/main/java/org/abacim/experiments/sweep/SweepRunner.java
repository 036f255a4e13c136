package org.abacim.experiments.sweep;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
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
import java.util.function.Consumer;
import org.abacim.core.config.ConfigDocument;
import org.abacim.core.config.ConfigException;
import org.abacim.core.config.ConfigPath;
import org.abacim.core.config.Overrides;
import org.abacim.core.config.SourceLocation;
import org.abacim.core.network.NetworkException;
import org.abacim.core.progress.Progress;
import org.abacim.core.result.Result;
import org.abacim.core.units.Dimension;
import org.abacim.core.units.UnitException;
import org.abacim.core.units.Units;
import org.abacim.core.api.Catalog;
import org.abacim.core.api.NetworkSource;
import org.abacim.experiments.run.DesignRun;
import org.abacim.experiments.run.AbacimVersion;

/**
 * Runs a sweep on all cores. Points are evaluated in parallel and recorded in plan order as they complete, so the
 * output is the same bytes whatever the thread count, and a resumed sweep completes the same files. A point that
 * fails is recorded with its error and the sweep goes on.
 */
public final class SweepRunner {
    /** What a run did. */
    public record Summary(int points, int alreadyDone, int ok, int skipped, int invalid, int failed, double seconds,
                          boolean everyPointInvalid) {}

    private final SweepSpec spec;
    private final Map<String, ConfigDocument> presetDocs = new ConcurrentHashMap<>();
    private final Map<String, ConfigDocument> presetBases = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Double>> baselines = new HashMap<>();

    public SweepRunner(SweepSpec spec) {
        this.spec = spec;
    }

    public Summary run(Path outDir, int threads, boolean resume, SweepProgress progress) {
        return run(outDir, new InProcess(threads), resume, progress);
    }

    /**
     * Runs the sweep's points not yet in {@code outDir} on {@code backend} and writes each in plan order as it comes
     * back, so the files are the same bytes whatever the backend, its threads or its partitioning.
     */
    public Summary run(Path outDir, SweepBackend backend, boolean resume, SweepProgress progress) {
        SweepPlan plan = SweepPlan.of(spec);
        long start = System.nanoTime();
        check(plan);
        computeBaselines(plan);
        int[] counts = new int[5]; // ok, skipped, invalid, failed, already done
        try (ResultsStore store = ResultsStore.open(outDir, spec.axisPaths(), resume, plan(plan))) {
            store.describe(spec.name(), spec.description(), spec.document().origin().source(), plan.size(),
                    spec.axisPaths(), spec.baseline());
            progress.start(spec.name(), plan.size(), store.doneCount());
            Iterator<SweepPoint> pending = new Iterator<>() {
                final Iterator<SweepPoint> all = plan.iterator();
                SweepPoint next = advance();

                private SweepPoint advance() {
                    while (all.hasNext()) {
                        SweepPoint p = all.next();
                        if (!store.isDone(p.index())) return p;
                        counts[4]++;
                    }
                    return null;
                }

                @Override public boolean hasNext() { return next != null; }

                @Override public SweepPoint next() {
                    SweepPoint p = next;
                    next = advance();
                    return p;
                }
            };
            try {
                backend.evaluate(pending, this, rendered -> {
                    store.append(rendered);
                    PointRecord r = rendered.record();
                    progress.finished(r);
                    switch (r.status()) {
                        case "ok" -> counts[0]++;
                        case "skipped" -> counts[1]++;
                        case "invalid" -> counts[2]++;
                        default -> counts[3]++;
                    }
                });
            } finally {
                progress.close();
            }
            return new Summary(plan.size(), counts[4], counts[0], counts[1], counts[2], counts[3],
                    (System.nanoTime() - start) / 1e9, plan.size() > 0 && counts[2] + store.doneInvalid() == plan.size());
        }
    }

    /** Where a sweep's points are evaluated: in this process, or elsewhere (a cluster). */
    public interface SweepBackend {
        /**
         * Evaluates every point of {@code pending} (in plan order) with {@code runner} and hands each rendered
         * result to {@code inOrder} in plan order.
         */
        void evaluate(Iterator<SweepPoint> pending, SweepRunner runner, Consumer<ResultsStore.Rendered> inOrder);
    }

    /** The default backend: a pool of threads in this process, points submitted in a bounded window. */
    public record InProcess(int threads) implements SweepBackend {
        @Override
        public void evaluate(Iterator<SweepPoint> pending, SweepRunner runner,
                             Consumer<ResultsStore.Rendered> inOrder) {
            ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
                Thread t = new Thread(r, "sweep");
                t.setDaemon(true);
                return t;
            });
            try {
                ExecutorCompletionService<ResultsStore.Rendered> completion = new ExecutorCompletionService<>(pool);
                // Submit in a bounded window so that memory stays flat for million-point sweeps.
                int window = Math.max(64, threads * 32);
                int inFlight = 0;
                ArrayDeque<Integer> submitted = new ArrayDeque<>();
                for (; inFlight < window && pending.hasNext(); inFlight++) {
                    SweepPoint p = pending.next();
                    submitted.add(p.index());
                    completion.submit(() -> runner.render(p));
                }
                HashMap<Integer, ResultsStore.Rendered> waiting = new HashMap<>();
                while (inFlight > 0) {
                    ResultsStore.Rendered done = completion.take().get();
                    inFlight--;
                    waiting.put(done.record().index(), done);
                    // Write in plan order: the files do not depend on which thread finished first.
                    while (!submitted.isEmpty() && waiting.containsKey(submitted.peekFirst())) {
                        inOrder.accept(waiting.remove(submitted.pollFirst()));
                    }
                    if (pending.hasNext()) {
                        SweepPoint p = pending.next();
                        submitted.add(p.index());
                        completion.submit(() -> runner.render(p));
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
            }
        }
    }

    /** The plan's identity: this abacim and the plan (its points in order). */
    private static ResultsStore.Plan plan(SweepPlan plan) {
        return new ResultsStore.Plan(AbacimVersion.results(), plan.size(), plan.fingerprint());
    }

    /** A point evaluated and rendered to its result lines (any thread, any process holding this runner). */
    public ResultsStore.Rendered render(SweepPoint p) {
        return ResultsStore.render(record(p), spec.axisPaths());
    }

    private PointRecord record(SweepPoint p) {
        ConfigDocument doc;
        try {
            doc = configOf(p);
        } catch (ConfigException e) {
            // An axis path that cannot be set (e.g. into a value that is not a mapping): record it as invalid.
            String id = "unset-" + p.index();
            return new PointRecord(p.index(), id, "invalid", p.preset(), p.network(), axesOf(p), null, null, null, null,
                    e.getMessage());
        }
        return evaluate(p, id(doc), doc);
    }

    /** The baseline's metrics per network, computed once by the process that plans the sweep. */
    public Map<String, Map<String, Double>> baselines() {
        return Map.copyOf(baselines);
    }

    /** A runner for another process (a cluster's executor) with the baselines the planning process computed. */
    public static SweepRunner withBaselines(SweepSpec spec, Map<String, Map<String, Double>> baselines) {
        SweepRunner r = new SweepRunner(spec);
        r.baselines.putAll(baselines);
        return r;
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
            DesignRun point = DesignRun.resolve(doc, spec.directory());
            // A point's own stages (training, trials) are not reported: the sweep's progress is the points.
            Result result = Progress.muted(point::evaluate);
            Map<String, Double> metrics = SweepMetrics.of(result);
            for (SweepSpec.Constraint c : spec.constraints()) {
                if (c.metric() != null && !within(metrics.get(c.metric()), c)) {
                    return new PointRecord(p.index(), id, "skipped", p.preset(), p.network(), axes, metrics, null, null,
                            result.inference().energyBreakdownJ(), c.reason());
                }
            }
            Map<String, Double> baseline = baselines.get(p.network());
            return new PointRecord(p.index(), id, "ok", p.preset(), p.network(), axes, metrics,
                    baseline == null ? null : spec.baseline(), baseline == null ? null : SweepMetrics.ratios(metrics, baseline),
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
                baselines.put(network, SweepMetrics.of(DesignRun.resolve(doc, spec.directory()).evaluate()));
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
        return presetBases.computeIfAbsent(preset, n -> presetSets(presetDoc(n).overlay(spec.base()), n));
    }

    /** The preset as published, with its {@code presetSets}. */
    private ConfigDocument presetDoc(String name) {
        return presetDocs.computeIfAbsent(name, n -> presetSets(loadPreset(n), n));
    }

    /** A preset by name, an unknown one refused where the sweep file names it. */
    private ConfigDocument loadPreset(String name) {
        int i = spec.presets().indexOf(name);
        String key = i >= 0 ? ConfigPath.element("presets", i) : name.equals(spec.baseline()) ? "baseline" : "base.preset";
        SourceLocation at = i >= 0 || key.equals("baseline") ? spec.document().locate(key) : spec.base().locate("preset");
        try {
            return Catalog.loadPreset(name, at, spec.directory());
        } catch (ConfigException e) {
            if (!at.equals(e.location())) throw e;
            throw new ConfigException(at, key, name, e.problem());
        }
    }

    /** A preset's {@code presetSets} laid over {@code doc}, each located at its entry in the sweep file. */
    private ConfigDocument presetSets(ConfigDocument doc, String preset) {
        List<String> sets = spec.presetSets().getOrDefault(preset, List.of());
        for (int i = 0; i < sets.size(); i++) {
            String key = ConfigPath.element(ConfigPath.child("presetSets", preset), i);
            SourceLocation at = spec.document().locate(key);
            try {
                doc = Overrides.apply(doc, sets.get(i), at);
            } catch (ConfigException e) {
                if (!at.equals(e.location()) || e.path() == null) throw e;
                throw new ConfigException(at, key, sets.get(i), e.path() + ": " + e.problem());
            }
        }
        return doc;
    }

    /**
     * The sweep file checked as a whole before any point runs (and before any file is written): every preset and
     * network it names exists, every presetSets entry applies, every axis path can be set in each preset's config,
     * and every constraint on a config path names a value each preset's config has, with bounds of the value's
     * kind (a plain number, or a quantity of the same unit). Each refusal is one line at its place in the file. What
     * depends on a point's values alone (a value out of range) is still recorded with the point, as invalid.
     */
    void check(SweepPlan plan) {
        List<String> presets = spec.presets().isEmpty()
                ? Collections.singletonList(spec.base().root().path("preset").asText(null)) : spec.presets();
        for (String preset : presets) if (preset != null) baseFor(preset);
        List<String> networks = plan.networks();
        for (int i = 0; i < networks.size(); i++) {
            String key = spec.networks().isEmpty() ? "base.network" : ConfigPath.element("networks", i);
            SourceLocation at = spec.networks().isEmpty() ? spec.base().locate("network") : spec.document().locate(key);
            try {
                NetworkSource.resolve(networks.get(i), at, spec.directory());
            } catch (ConfigException e) {
                if (!at.equals(e.location())) throw e;
                throw new ConfigException(at, key, networks.get(i), e.problem());
            }
        }
        // Each preset's first point: every axis set to its first value (a random range to its min).
        Map<String, SweepSpec.Value> first = new LinkedHashMap<>();
        spec.grid().forEach((path, values) -> first.put(path, values.get(0)));
        spec.zip().forEach((path, values) -> first.put(path, values.get(0)));
        spec.random().axes().forEach((path, axis) -> first.put(path, axis.choices() != null ? axis.choices().get(0)
                : new SweepSpec.Value(axis.min(), axis.location())));
        for (String preset : presets) {
            ConfigDocument doc = configOf(new SweepPoint(0, preset, networks.get(0), first));
            for (SweepSpec.Constraint c : spec.constraints()) {
                if (c.path() == null) continue;
                JsonNode value = doc.at(c.path());
                if (value == null || value.isNull()) {
                    throw new ConfigException(c.location(), c.path(), null, "no such value in the config of "
                            + (preset == null ? "the base" : "preset " + preset) + "; the constraint would never apply");
                }
                withinConfig(value, c);
                for (SweepSpec.Value v : axisValues(c.path())) withinConfig(v.node(), c);
            }
        }
    }

    /** Every value the plan can give {@code path}: its grid or zip values, random choices, or a range's two ends. */
    private List<SweepSpec.Value> axisValues(String path) {
        List<SweepSpec.Value> out = new ArrayList<>(spec.grid().getOrDefault(path, List.of()));
        out.addAll(spec.zip().getOrDefault(path, List.of()));
        SweepSpec.RandomAxis r = spec.random().axes().get(path);
        if (r != null && r.choices() != null) out.addAll(r.choices());
        if (r != null && r.choices() == null) {
            out.add(new SweepSpec.Value(r.min(), r.location()));
            out.add(new SweepSpec.Value(r.max(), r.location()));
        }
        return out;
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
                        "the bound's unit does not fit the value " + node.asText() + "; expected a bound of its kind");
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
        } catch (NoSuchAlgorithmException | JsonProcessingException e) {
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
