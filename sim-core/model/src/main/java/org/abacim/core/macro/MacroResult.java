package org.abacim.core.macro;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.abacim.core.units.Area;
import org.abacim.core.units.Energy;
import org.abacim.core.units.Frequency;
import org.abacim.core.units.Time;

/**
 * What a macro does in one pass (every weight it holds multiplied by one full-precision input vector): operations
 * (2 per MAC at the configured bit widths, the convention CiMLoop and ZigZag-IMC use), time, energy and area by
 * component, and for each component whether its figures were estimated (with the data they rest on) or given.
 */
public record MacroResult(String name, double macsPerPass, Time passTime, Frequency clock,
                          Map<String, Energy> energy, Map<String, Area> area, Map<String, String> provenance,
                          List<String> warnings) {
    public MacroResult {
        energy = Collections.unmodifiableMap(new LinkedHashMap<>(energy));
        area = Collections.unmodifiableMap(new LinkedHashMap<>(area));
        provenance = Collections.unmodifiableMap(new LinkedHashMap<>(provenance));
        warnings = List.copyOf(warnings);
    }

    public double opsPerPass() { return 2 * macsPerPass; }

    public Energy passEnergy() {
        return Energy.of(energy.values().stream().mapToDouble(Energy::joules).sum());
    }

    public Area totalArea() {
        return Area.of(area.values().stream().mapToDouble(Area::squareMeters).sum());
    }

    /** Energy efficiency in TOPS/W (tera-operations per joule). */
    public double topsPerWatt() { return opsPerPass() / passEnergy().joules() / 1e12; }

    /** Throughput in TOPS. */
    public double tops() { return opsPerPass() / passTime().seconds() / 1e12; }

    /** Compute density in TOPS/mm². */
    public double topsPerSquareMillimeter() { return tops() / (totalArea().squareMeters() * 1e6); }

    /** Energy per MAC. */
    public Energy energyPerMac() { return Energy.of(passEnergy().joules() / macsPerPass); }
}
