package org.abacim.experiments.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.SplittableRandom;
import org.abacim.core.config.ConfigException;
import org.abacim.core.units.Dimension;
import org.abacim.core.units.UnitException;
import org.abacim.core.units.Units;

/**
 * Draws random axis values: a choice, a whole number in [min, max], or a quantity in [min, max] written back with
 * its unit (so the drawn point is a config like any other). Log scale draws uniformly in log space.
 */
final class Sampler {
    private Sampler() {}

    /** A range's two ends as SI numbers with their dimension (null for plain numbers). */
    private record Range(double min, double max, Dimension dimension, boolean integer) {}

    static void checkRange(SweepSpec.RandomAxis axis, String path) {
        Range r = range(axis, path);
        if (!(r.min() <= r.max())) {
            throw new ConfigException(axis.location(), path, null, "min must not exceed max");
        }
        if (axis.logScale() && !(r.min() > 0)) {
            throw new ConfigException(axis.location(), path + ".min", null, "a log scale needs a positive min");
        }
        if (r.integer()) {
            // Whole numbers are drawn as longs: both ends, and the count of values between them, must fit one.
            String range = axis.min() + " … " + axis.max();
            if (!axis.min().canConvertToLong() || !axis.max().canConvertToLong()) {
                throw new ConfigException(axis.location(), path, range, "expected whole numbers from "
                        + Long.MIN_VALUE + " to " + Long.MAX_VALUE);
            }
            long span = axis.max().asLong() - axis.min().asLong();
            if (span < 0 || span == Long.MAX_VALUE) {
                throw new ConfigException(axis.location(), path, range, "the range holds more whole numbers than a "
                        + "64-bit count (" + Long.MAX_VALUE + "); give a narrower range");
            }
        } else if (!Double.isFinite(r.max() - r.min())) {
            throw new ConfigException(axis.location(), path, axis.min() + " … " + axis.max(),
                    "expected finite ends whose difference is finite");
        }
    }

    static JsonNode draw(SweepSpec.RandomAxis axis, SplittableRandom random, String path) {
        if (axis.choices() != null) return axis.choices().get(random.nextInt(axis.choices().size())).node();
        Range r = range(axis, path);
        double u = random.nextDouble();
        double v = axis.logScale() ? Math.exp(Math.log(r.min()) + u * (Math.log(r.max()) - Math.log(r.min())))
                : r.min() + u * (r.max() - r.min());
        if (r.integer()) {
            long min = axis.min().asLong();
            long max = axis.max().asLong();
            long whole = Math.max(min, Math.min(max, Math.round(v)));
            if (!axis.logScale()) whole = min + random.nextLong(max - min + 1);
            return JsonNodeFactory.instance.numberNode(whole);
        }
        if (r.dimension() != null) return JsonNodeFactory.instance.textNode(Units.format(v, r.dimension()));
        return JsonNodeFactory.instance.numberNode(v);
    }

    private static Range range(SweepSpec.RandomAxis axis, String path) {
        JsonNode min = axis.min();
        JsonNode max = axis.max();
        if (min.isNumber() && max.isNumber()) {
            return new Range(min.asDouble(), max.asDouble(), null, min.isIntegralNumber() && max.isIntegralNumber());
        }
        if (min.isTextual() && max.isTextual()) {
            for (Dimension d : Dimension.values()) {
                try {
                    return new Range(Units.parse(min.asText(), d), Units.parse(max.asText(), d), d, false);
                } catch (UnitException notThisDimension) {
                    // try the next dimension
                }
            }
        }
        throw new ConfigException(axis.location(), path, min + " … " + max,
                "min and max must both be numbers or both be quantities of one kind, like 50 ns and 200 ns");
    }
}
