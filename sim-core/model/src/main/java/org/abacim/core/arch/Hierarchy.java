package org.abacim.core.arch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.abacim.core.units.Area;
import org.abacim.core.units.Power;

/**
 * The architecture as data: levels from the chip down (chip → tile → array group → …), each with its components.
 * Rolls up area and power per chip, and finds which component performs an action.
 */
public final class Hierarchy {
    private final List<Level> levels;
    private final List<Component> components = new ArrayList<>();
    private final Map<Component, Double> instancesPerChip = new LinkedHashMap<>();

    /** Levels from the top: the first is the chip, with count 1. */
    public Hierarchy(List<Level> levels) {
        if (levels.isEmpty() || levels.get(0).countPerParent() != 1) {
            throw new IllegalArgumentException("the first level must be the chip, with count 1");
        }
        this.levels = List.copyOf(levels);
        double multiplicity = 1;
        for (Level level : levels) {
            multiplicity *= level.countPerParent();
            for (Component c : level.components()) {
                components.add(c);
                instancesPerChip.merge(c, multiplicity * c.count(), Double::sum);
            }
        }
    }

    public List<Level> levels() { return levels; }

    public List<Component> components() { return List.copyOf(components); }

    /** How many of a level there are on one chip (the chip itself is 1). */
    public long perChip(String levelName) {
        long m = 1;
        for (Level level : levels) {
            m *= level.countPerParent();
            if (level.name().equals(levelName)) return m;
        }
        throw new IllegalArgumentException("no level " + levelName);
    }

    /** Instances of a component on one chip. */
    public double instancesPerChip(Component c) {
        return instancesPerChip.getOrDefault(c, 0.0);
    }

    /** Area of one chip by component name (components of the same name at different levels are kept apart). */
    public Map<String, Area> areaBreakdown() {
        Map<String, Area> out = new LinkedHashMap<>();
        for (Component c : components) {
            out.merge(label(c), c.area().times(instancesPerChip(c)), Area::plus);
        }
        return out;
    }

    /** Power of one chip with every unit busy, by component. */
    public Map<String, Power> powerBreakdown() {
        Map<String, Power> out = new LinkedHashMap<>();
        for (Component c : components) {
            out.merge(label(c), c.power().times(instancesPerChip(c)), Power::plus);
        }
        return out;
    }

    public Area area() {
        Area total = Area.of(0);
        for (Component c : components) total = total.plus(c.area().times(instancesPerChip(c)));
        return total;
    }

    public Power power() {
        Power total = Power.of(0);
        for (Component c : components) total = total.plus(c.power().times(instancesPerChip(c)));
        return total;
    }

    public Power leakage() {
        Power total = Power.of(0);
        for (Component c : components) total = total.plus(c.leakage().times(instancesPerChip(c)));
        return total;
    }

    /** Area and power of one instance of a level with everything below it (e.g. one tile). */
    public Area area(String levelName) {
        return sumBelow(levelName).area;
    }

    public Power power(String levelName) {
        return sumBelow(levelName).power;
    }

    private record Sum(Area area, Power power) {}

    private Sum sumBelow(String levelName) {
        int start = -1;
        for (int i = 0; i < levels.size(); i++) if (levels.get(i).name().equals(levelName)) start = i;
        if (start < 0) throw new IllegalArgumentException("no level " + levelName);
        Area area = Area.of(0);
        Power power = Power.of(0);
        double multiplicity = 1;
        for (int i = start; i < levels.size(); i++) {
            if (i > start) multiplicity *= levels.get(i).countPerParent();
            for (Component c : levels.get(i).components()) {
                area = area.plus(c.area().times(multiplicity * c.count()));
                power = power.plus(c.power().times(multiplicity * c.count()));
            }
        }
        return new Sum(area, power);
    }

    /** The component that performs an action; the lowest level wins when several do. */
    public Optional<Component> performer(Action action) {
        for (int i = components.size() - 1; i >= 0; i--) {
            if (components.get(i).performs(action)) return Optional.of(components.get(i));
        }
        return Optional.empty();
    }

    /** The name a component has in breakdowns. */
    public String label(Component c) {
        return c.name();
    }
}
