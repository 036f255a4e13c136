package org.abacim.core.estimate;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import org.abacim.core.config.ConfigBinder;
import org.abacim.core.config.ConfigReader;
import org.abacim.core.units.Length;
import org.abacim.core.units.Voltage;

/**
 * How logic energy, delay and area change with process node and supply: Stillmaker and Baas's scaling equations
 * (Integration 2017, 180 nm → 7 nm; {@code stillmaker-baas-2017.yaml}) for the node, carried between published nodes
 * log-linearly in the node; for delay against supply the alpha-power law (Sakurai and Newton, JSSC 1990), because the
 * paper's cubic delay fits turn back up above nominal supply at 45–20 nm. Every factor is relative to 45 nm at 1.0 V,
 * so a figure known at one operating point carries to another by a ratio of two factors.
 */
public final class ProcessScaling {
    /** One node of the paper's tables. */
    public record NodeRow(Length node, Voltage nominal, double area, List<Double> delay, List<Double> energy) {
        public NodeRow {
            if (delay.size() != 4 || energy.size() != 3) {
                throw new IllegalArgumentException("a node row has 4 delay and 3 energy coefficients");
            }
        }

        /** The fit's energy, kept above zero: the linear and quadratic fits cross zero far below their node's range. */
        double energyAt(double v) { return Math.max(1e-6, energy.get(0) * v * v + energy.get(1) * v + energy.get(2)); }

        double delayAt(double v) { return ((delay.get(0) * v + delay.get(1)) * v + delay.get(2)) * v + delay.get(3); }

        double nm() { return node.meters() * 1e9; }
    }

    /** The table as the data file holds it. */
    public record Table(String source, List<NodeRow> nodes) {}

    /** Alpha-power law exponent and threshold for delay against supply (velocity-saturated short-channel devices). */
    static final double ALPHA = 1.3;
    static final double THRESHOLD_V = 0.35;

    private static final Table TABLE = load();
    private static final NodeRow REFERENCE = TABLE.nodes().stream().filter(r -> Math.abs(r.nm() - 45) < 1e-9)
            .findFirst().orElseThrow();

    private ProcessScaling() {}

    private static Table load() {
        String name = "stillmaker-baas-2017.yaml";
        try (InputStream in = ProcessScaling.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("missing library data " + name);
            Table t = ConfigBinder.bind(ConfigReader.read(name, in), Table.class);
            List<NodeRow> sorted = new ArrayList<>(t.nodes());
            sorted.sort(Comparator.comparingDouble(NodeRow::nm).reversed());
            return new Table(t.source(), List.copyOf(sorted));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String source() { return TABLE.source(); }

    /** Smallest and largest node the table covers, in nanometres. */
    public static double smallestNm() { return TABLE.nodes().get(TABLE.nodes().size() - 1).nm(); }

    public static double largestNm() { return TABLE.nodes().get(0).nm(); }

    /** The nominal supply at a node (interpolated between the table's nodes). */
    public static Voltage nominalSupply(Length node) {
        return Voltage.of(interpolate(node, r -> r.nominal().volts(), false));
    }

    /** Logic area at {@code node} relative to 45 nm. */
    public static double areaFactor(Length node) {
        return interpolate(node, NodeRow::area, true);
    }

    /** Switching energy of logic at {@code node} and supply {@code v}, relative to 45 nm at 1.0 V. */
    public static double energyFactor(Length node, Voltage v) {
        double vv = v.volts();
        return interpolate(node, r -> r.energyAt(vv), true) / REFERENCE.energyAt(1.0);
    }

    /**
     * Gate delay at {@code node} and supply {@code v}, relative to 45 nm at 1.0 V: the paper's delay at the node's
     * nominal supply, times the alpha-power law's change from nominal to {@code v}.
     */
    public static double delayFactor(Length node, Voltage v) {
        double nominal = nominalSupply(node).volts();
        double atNominal = interpolate(node, r -> r.delayAt(r.nominal().volts()), true);
        return atNominal / REFERENCE.delayAt(1.0) * alphaPower(v.volts()) / alphaPower(nominal);
    }

    /** Delay at supply {@code v} divided by delay at supply {@code reference}, same node (alpha-power law). */
    public static double delayRatio(Voltage v, Voltage reference) {
        return alphaPower(v.volts()) / alphaPower(reference.volts());
    }

    /** The lowest supply the delay law takes: 0.1 V above the devices' threshold. */
    public static Voltage lowestSupply() {
        return Voltage.of(0.45); // THRESHOLD_V + 0.1, written out so messages read 0.45 V
    }

    private static double alphaPower(double v) {
        if (v < lowestSupply().volts() - 1e-12) {
            throw new IllegalArgumentException("supply " + v + " V is too close to the devices' threshold ("
                    + THRESHOLD_V + " V) for the alpha-power delay law");
        }
        return v / Math.pow(v - THRESHOLD_V, ALPHA);
    }

    /**
     * A warning when a node or supply lies outside what the tables cover (the node outside 180–7 nm, or the supply
     * outside 0.6–1.5× the node's nominal); empty inside.
     */
    public static Optional<String> outsideData(Length node, Voltage v) {
        double nm = node.meters() * 1e9;
        if (nm > largestNm() * 1.0001 || nm < smallestNm() * 0.9999) {
            return Optional.of("process node " + node + " is outside the scaling tables' " + (int) smallestNm() + "–"
                    + (int) largestNm() + " nm (" + source() + "); the nearest node's factors are extended");
        }
        double nominal = nominalSupply(node).volts();
        if (v.volts() < 0.6 * nominal || v.volts() > 1.5 * nominal) {
            return Optional.of(String.format(Locale.ROOT, "supply %s is outside 0.6–1.5× the %s node's nominal "
                    + "%.2f V, where the scaling fits hold (%s)", v, node, nominal, source()));
        }
        return Optional.empty();
    }

    /** A node's value, log-linear in the node between table rows (geometric when {@code logValue}); ends held. */
    private static double interpolate(Length node, ToDoubleFunction<NodeRow> value, boolean logValue) {
        double nm = node.meters() * 1e9;
        if (!(nm > 0)) throw new IllegalArgumentException("process node must be positive, was " + node);
        List<NodeRow> rows = TABLE.nodes();
        if (nm >= rows.get(0).nm()) return value.applyAsDouble(rows.get(0));
        if (nm <= rows.get(rows.size() - 1).nm()) return value.applyAsDouble(rows.get(rows.size() - 1));
        for (int i = 1; i < rows.size(); i++) {
            NodeRow big = rows.get(i - 1), small = rows.get(i);
            if (nm <= big.nm() && nm >= small.nm()) {
                double t = Math.log(big.nm() / nm) / Math.log(big.nm() / small.nm());
                double a = value.applyAsDouble(big), b = value.applyAsDouble(small);
                return logValue ? Math.exp((1 - t) * Math.log(a) + t * Math.log(b)) : (1 - t) * a + t * b;
            }
        }
        throw new IllegalStateException("node " + nm + " nm not bracketed");
    }
}
