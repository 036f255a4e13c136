package org.abacim.experiments.sweep;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.abacim.core.config.ConfigException;
import org.abacim.core.config.SourceLocation;

/**
 * A sweep's points, always in the same order: presets × networks × grid (first axis slowest) × zip rows × random
 * samples (one seeded stream, drawn in plan order, so the plan does not depend on threads).
 *
 * <p>The plan is generated as it is walked, never held: a sweep of ten million points needs the memory of one point
 * (a counter per axis), not of the plan. Each walk starts the random stream afresh, so every walk yields the same
 * points.
 */
public final class SweepPlan implements Iterable<SweepPoint> {
    /** The most points one sweep may have (a point index is an {@code int}; a billion is already weeks of work). */
    public static final long MAX_POINTS = 1_000_000_000L;

    private final SweepSpec spec;
    private final List<String> presets;
    private final List<String> networks;
    private final List<Map.Entry<String, List<SweepSpec.Value>>> gridAxes;
    private final int zipRows;
    private final int samples;
    private final int size;

    private SweepPlan(SweepSpec spec) {
        this.spec = spec;
        this.presets = spec.presets().isEmpty()
                ? Collections.singletonList(spec.base().root().path("preset").asText(null)) : spec.presets();
        this.networks = spec.networks().isEmpty()
                ? List.of(spec.base().root().path("network").asText()) : spec.networks();
        this.gridAxes = new ArrayList<>(spec.grid().entrySet());
        this.zipRows = spec.zip().isEmpty() ? 1 : spec.zip().values().iterator().next().size();
        this.samples = Math.max(1, spec.random().samples());
        long points = 1;
        List<Integer> radices = new ArrayList<>(List.of(presets.size(), networks.size()));
        for (Map.Entry<String, List<SweepSpec.Value>> axis : gridAxes) radices.add(axis.getValue().size());
        radices.add(zipRows);
        radices.add(samples);
        for (int radix : radices) points = Math.min(Long.MAX_VALUE / 2, points * radix);
        if (points > MAX_POINTS) {
            // Checked before anything is evaluated or written, and before the product can overflow.
            throw ConfigException.inSource(spec.document().origin(), "the sweep has " + points + " points (presets × "
                    + "networks × grid × zip rows × random samples); at most " + MAX_POINTS + " fit one sweep: "
                    + "split it into several sweep files");
        }
        this.size = (int) points;
    }

    public static SweepPlan of(SweepSpec spec) {
        return new SweepPlan(spec);
    }

    /** How many points the plan has. */
    public int size() {
        return size;
    }

    /** The networks the plan runs, in plan order. */
    public List<String> networks() {
        return networks;
    }

    /**
     * The plan's identity, from what defines it (presets, networks, axes and their values, the random seed and
     * ranges) rather than from a walk over its points: the same for every walk, and as quick for 10^7 points as for
     * ten, so a resume knows at once whether results belong to this plan.
     */
    public String fingerprint() {
        StringBuilder text = new StringBuilder("presets\u0000").append(presets).append("\nnetworks\u0000").append(networks);
        for (Map.Entry<String, List<SweepSpec.Value>> axis : gridAxes) {
            text.append("\ngrid\u0000").append(axis.getKey()).append('\u0000').append(nodes(axis.getValue()));
        }
        for (Map.Entry<String, List<SweepSpec.Value>> axis : spec.zip().entrySet()) {
            text.append("\nzip\u0000").append(axis.getKey()).append('\u0000').append(nodes(axis.getValue()));
        }
        text.append("\nrandom\u0000").append(samples).append('\u0000').append(spec.random().seed());
        for (Map.Entry<String, SweepSpec.RandomAxis> axis : spec.random().axes().entrySet()) {
            SweepSpec.RandomAxis r = axis.getValue();
            text.append("\nrandom\u0000").append(axis.getKey()).append('\u0000')
                    .append(r.choices() == null ? "" : nodes(r.choices())).append('\u0000').append(r.min())
                    .append('\u0000').append(r.max()).append('\u0000').append(r.logScale());
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(text.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String nodes(List<SweepSpec.Value> values) {
        return values.stream().map(v -> v.node().toString()).toList().toString();
    }

    public Stream<SweepPoint> stream() {
        return StreamSupport.stream(spliterator(), false);
    }

    @Override
    public Iterator<SweepPoint> iterator() {
        return new Walk();
    }

    /** A mixed-radix counter over preset, network, grid axes, zip row and sample; the last digit moves fastest. */
    private final class Walk implements Iterator<SweepPoint> {
        private final int[] digits = new int[gridAxes.size() + 4];
        private final SplittableRandom random = new SplittableRandom(spec.random().seed());
        private int index;

        @Override
        public boolean hasNext() {
            return index < size;
        }

        @Override
        public SweepPoint next() {
            if (!hasNext()) throw new NoSuchElementException();
            int d = 0;
            String preset = presets.get(digits[d++]);
            String network = networks.get(digits[d++]);
            Map<String, SweepSpec.Value> axes = new LinkedHashMap<>();
            for (Map.Entry<String, List<SweepSpec.Value>> axis : gridAxes) {
                axes.put(axis.getKey(), axis.getValue().get(digits[d++]));
            }
            int row = digits[d++];
            for (Map.Entry<String, List<SweepSpec.Value>> axis : spec.zip().entrySet()) {
                axes.put(axis.getKey(), axis.getValue().get(row));
            }
            int sample = digits[d];
            for (Map.Entry<String, SweepSpec.RandomAxis> axis : spec.random().axes().entrySet()) {
                SourceLocation at = axis.getValue().location();
                SourceLocation where = new SourceLocation(at.source() + " (random sample " + sample + ")", at.line(),
                        at.column());
                axes.put(axis.getKey(), new SweepSpec.Value(
                        Sampler.draw(axis.getValue(), random, "random.axes." + axis.getKey()), where));
            }
            SweepPoint point = new SweepPoint(index++, preset, network, axes);
            advance();
            return point;
        }

        private void advance() {
            for (int d = digits.length - 1; d >= 0; d--) {
                if (++digits[d] < radix(d)) return;
                digits[d] = 0;
            }
        }

        private int radix(int digit) {
            if (digit == 0) return presets.size();
            if (digit == 1) return networks.size();
            if (digit < 2 + gridAxes.size()) return gridAxes.get(digit - 2).getValue().size();
            return digit == 2 + gridAxes.size() ? zipRows : samples;
        }
    }
}
