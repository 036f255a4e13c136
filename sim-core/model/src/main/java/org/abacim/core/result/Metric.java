package org.abacim.core.result;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * One figure a run reports, by the name every part of abacim uses for it: sweeps' columns and constraints,
 * comparisons, compression tables, reports and {@code abacim metrics}. Read from a {@link Result}; null where the
 * result does not have it (accuracy of a shapes-only run).
 *
 * @param name the stable key, with its unit as a suffix where it has one ({@code energy_J})
 * @param unit the unit, or "1" for counts and ratios
 * @param meaning one line on what it is
 * @param higherIsBetter which way a design improves it (for Pareto fronts and ratios)
 */
public record Metric(String name, String unit, String meaning, boolean higherIsBetter,
                     Function<Result, Double> reader) {
    /** The value in {@code result}, or null when the result does not have it. */
    public Double of(Result result) {
        return reader.apply(result);
    }

    /** Every metric, in the order results list them. */
    public static List<Metric> all() {
        return Metrics.ALL;
    }

    public static Optional<Metric> named(String name) {
        return Metrics.ALL.stream().filter(m -> m.name().equals(name)).findFirst();
    }
}
