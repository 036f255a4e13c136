package org.abacim.core.arch;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The energy ledger: component × action × count, priced by each component's energy per action. Every joule the
 * cost model reports is a line here, so it can be audited back to the preset.
 */
public final class Ledger {
    /** One line: how often a component performed an action, and what that cost. */
    public record Line(Component component, Action action, double count, double energyPerActionJ) {
        public double energyJ() { return count * energyPerActionJ; }
    }

    private final Map<Component, double[]> counts = new IdentityHashMap<>();
    private final Map<Component, double[]> prices = new IdentityHashMap<>();
    private final List<Component> order = new ArrayList<>();

    public void add(Component component, Action action, double count) {
        if (count == 0) return;
        if (!(count > 0) || Double.isInfinite(count)) {
            throw new IllegalArgumentException(component.name() + " " + action + ": count " + count + " must be positive");
        }
        if (!component.performs(action)) {
            throw new IllegalArgumentException("component " + component.name() + " does not perform " + action);
        }
        double[] row = counts.get(component);
        if (row == null) {
            // Sized when first seen: every action the component performs was declared before it was built.
            int actions = component.actions().keySet().stream().mapToInt(Action::index).max().orElse(-1) + 1;
            row = new double[actions];
            counts.put(component, row);
            double[] price = new double[actions];
            component.actions().forEach((a, e) -> price[a.index()] = e.joules());
            prices.put(component, price);
            order.add(component);
        }
        row[action.index()] += count;
    }

    public void addAll(Ledger other) {
        for (Component c : other.order) {
            double[] theirs = other.counts.get(c);
            for (int a = 0; a < theirs.length; a++) {
                if (theirs[a] != 0) add(c, Action.byIndex(a), theirs[a]);
            }
        }
    }

    public double count(Action action) {
        double total = 0;
        for (double[] row : counts.values()) if (action.index() < row.length) total += row[action.index()];
        return total;
    }

    public double count(Component component, Action action) {
        double[] row = counts.get(component);
        return row == null || action.index() >= row.length ? 0 : row[action.index()];
    }

    public double energyJ() {
        double total = 0;
        for (Component c : order) {
            double[] row = counts.get(c);
            double[] price = prices.get(c);
            for (int a = 0; a < row.length; a++) total += row[a] * price[a];
        }
        return total;
    }

    /** Lines in the order components first appeared, actions in vocabulary order. */
    public List<Line> lines() {
        List<Line> out = new ArrayList<>();
        for (Component c : order) {
            double[] row = counts.get(c);
            for (int a = 0; a < row.length; a++) {
                if (row[a] != 0) out.add(new Line(c, Action.byIndex(a), row[a], prices.get(c)[a]));
            }
        }
        return out;
    }

    /** Energy by component name. */
    public Map<String, Double> energyByComponentJ() {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Component c : order) {
            double[] row = counts.get(c);
            double[] price = prices.get(c);
            double sum = 0;
            for (int a = 0; a < row.length; a++) sum += row[a] * price[a];
            out.merge(c.name(), sum, Double::sum);
        }
        return out;
    }
}
