package org.abacim.core.arch;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.abacim.core.units.Area;
import org.abacim.core.units.Energy;
import org.abacim.core.units.Power;

/**
 * One kind of hardware unit at one level of the hierarchy: how many sit in each instance of that level, the power
 * and area of each, its leakage, the energy of each action it performs, and where those numbers came from.
 *
 * @param count instances per instance of the enclosing level (fractional when shared, e.g. a router per 4 tiles)
 * @param power power of one instance when busy (for "all units busy" peak power)
 * @param provenance whether the numbers are a published row as given, scaled from one, or estimated
 */
public record Component(String name, double count, Power power, Area area, Power leakage,
                        Map<Action, Energy> actions, String source, List<String> warnings,
                        Provenance provenance) {
    /** A published component used within its source data (no warnings). */
    public Component(String name, double count, Power power, Area area, Power leakage, Map<Action, Energy> actions,
                     String source) {
        this(name, count, power, area, leakage, actions, source, List.of());
    }

    /** A published component with warnings. */
    public Component(String name, double count, Power power, Area area, Power leakage, Map<Action, Energy> actions,
                     String source, List<String> warnings) {
        this(name, count, power, area, leakage, actions, source, warnings, Provenance.PUBLISHED);
    }

    /** The same component, noting that it is used outside the data its numbers come from. */
    public Component withWarning(String warning) {
        List<String> all = new ArrayList<>(warnings);
        all.add(warning);
        return new Component(name, count, power, area, leakage, actions, source, all, provenance);
    }

    /** The same component with another provenance (figures unchanged). */
    public Component withProvenance(Provenance p) {
        return new Component(name, count, power, area, leakage, actions, source, warnings, p);
    }

    /**
     * The same component with its energies (power, leakage, every action) multiplied by {@code energyFactor} and its
     * area by {@code areaFactor}, scaled as {@code how} says.
     */
    public Component scaled(double energyFactor, double areaFactor, String how) {
        if (!(energyFactor > 0) || !(areaFactor > 0)) {
            throw new IllegalArgumentException("component " + name + ": scale factors must be positive, were "
                    + energyFactor + " and " + areaFactor);
        }
        Map<Action, Energy> scaledActions = new LinkedHashMap<>();
        actions.forEach((a, e) -> scaledActions.put(a, Energy.of(e.joules() * energyFactor)));
        return new Component(name, count, Power.of(power.watts() * energyFactor), area.times(areaFactor),
                Power.of(leakage.watts() * energyFactor), scaledActions, source, warnings, provenance.andScaled(how));
    }

    public Component {
        warnings = List.copyOf(warnings);
        if (provenance == null) throw new IllegalArgumentException("component " + name + " needs a provenance");
        if (name == null || name.isBlank()) throw new IllegalArgumentException("component needs a name");
        if (!(count >= 0)) throw new IllegalArgumentException("component " + name + ": count " + count + " < 0");
        if (power.watts() < 0 || area.squareMeters() < 0 || leakage.watts() < 0) {
            throw new IllegalArgumentException("component " + name + ": power, area and leakage must not be negative");
        }
        TreeMap<Action, Energy> copy = new TreeMap<>(); // declaration order, as the ledger prints
        copy.putAll(actions);
        for (Map.Entry<Action, Energy> e : copy.entrySet()) {
            if (e.getValue().joules() < 0 || Double.isNaN(e.getValue().joules())) {
                throw new IllegalArgumentException("component " + name + ": energy of " + e.getKey() + " is negative");
            }
        }
        actions = Collections.unmodifiableMap(copy);
    }

    /** A component with no leakage. */
    public static Component of(String name, double count, Power power, Area area, Map<Action, Energy> actions,
                               String source) {
        return new Component(name, count, power, area, Power.of(0), actions, source);
    }

    public boolean performs(Action action) {
        return actions.containsKey(action);
    }

    public Energy energy(Action action) {
        Energy e = actions.get(action);
        if (e == null) throw new IllegalArgumentException("component " + name + " does not perform " + action);
        return e;
    }
}
