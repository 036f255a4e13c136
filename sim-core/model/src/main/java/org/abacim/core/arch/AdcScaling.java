package org.abacim.core.arch;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import org.abacim.core.config.ConfigBinder;
import org.abacim.core.config.ConfigDocument;
import org.abacim.core.config.ConfigReader;
import org.abacim.core.units.Area;
import org.abacim.core.units.Energy;

/**
 * How a SAR-type ADC's energy per conversion and area change with resolution, relative to a reference ADC the
 * preset takes from its paper. The curve is library data ({@code adc-curve.yaml} beside this class: points with
 * their source); only its ratios are used, so the preset's own reference is kept exactly. Outside the curve's points
 * the end ratios are extended geometrically, and {@link #outsideData} says so for the result's warnings.
 */
public final class AdcScaling {
    /** One point of the curve. */
    public record Point(int bits, Energy energy, Area area) {}

    /** The curve as the data file gives it. */
    public record Curve(String source, List<Point> points) {
        public Curve {
            if (points.size() < 2) throw new IllegalArgumentException("the ADC curve needs at least two points");
            for (int i = 1; i < points.size(); i++) {
                if (points.get(i).bits() != points.get(i - 1).bits() + 1) {
                    throw new IllegalArgumentException("the ADC curve's points must be consecutive resolutions");
                }
            }
        }
    }

    private static final Curve CURVE = load();

    private AdcScaling() {}

    private static Curve load() {
        String name = "adc-curve.yaml";
        try (InputStream in = AdcScaling.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("missing library data " + name);
            ConfigDocument doc = ConfigReader.read(name, in);
            return ConfigBinder.bind(doc, Curve.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The curve and its source. */
    public static Curve curve() {
        return CURVE;
    }

    /** Energy per conversion at {@code bits} divided by that at {@code referenceBits}. */
    public static double energyRatio(int bits, int referenceBits) {
        return value(bits, true) / value(referenceBits, true);
    }

    /** Area at {@code bits} divided by that at {@code referenceBits}. */
    public static double areaRatio(int bits, int referenceBits) {
        return value(bits, false) / value(referenceBits, false);
    }

    /**
     * A warning when scaling from {@code referenceBits} to {@code bits} leaves the curve's data (either end outside
     * its points); empty when both lie on it or no scaling happens.
     */
    public static Optional<String> outsideData(String component, int bits, int referenceBits) {
        if (bits == referenceBits) return Optional.empty();
        int lo = CURVE.points().get(0).bits();
        int hi = CURVE.points().get(CURVE.points().size() - 1).bits();
        for (int b : new int[] {bits, referenceBits}) {
            if (b < lo || b > hi) {
                return Optional.of(component + ": a " + bits + "-bit ADC scaled from a " + referenceBits
                        + "-bit reference uses the ADC curve at " + b + " bits, outside its data (" + lo + "–" + hi
                        + " bits, " + CURVE.source() + "); extrapolated geometrically");
            }
        }
        return Optional.empty();
    }

    private static double value(int bits, boolean energy) {
        if (bits < 1 || bits > 16) throw new IllegalArgumentException("ADC resolution " + bits + " outside 1–16 bits");
        List<Point> p = CURVE.points();
        int last = p.size() - 1;
        int index = bits - p.get(0).bits();
        if (index < 0) return at(p, 0, energy) * Math.pow(at(p, 0, energy) / at(p, 1, energy), -index);
        if (index > last) return at(p, last, energy) * Math.pow(at(p, last, energy) / at(p, last - 1, energy), index - last);
        return at(p, index, energy);
    }

    private static double at(List<Point> p, int i, boolean energy) {
        return energy ? p.get(i).energy().joules() : p.get(i).area().squareMeters();
    }
}
