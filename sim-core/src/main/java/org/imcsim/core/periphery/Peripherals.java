package org.imcsim.core.periphery;

import java.util.Map;
import org.imcsim.core.arch.Action;
import org.imcsim.core.arch.AdcScaling;
import org.imcsim.core.arch.Component;
import org.imcsim.core.units.Energy;
import org.imcsim.core.units.Frequency;
import org.imcsim.core.units.Power;
import org.imcsim.core.units.Time;

/**
 * The peripheral component library: published table rows become components priced through the action
 * vocabulary. One rule throughout: the energy of an action is the unit's power divided by the rate at which it
 * performs that action when the design is fully busy; so a fully busy design draws exactly its table power.
 */
public final class Peripherals {
    private Peripherals() {}

    /** A unit that performs {@code action} at {@code actionsPerSecond} (each unit) when busy. */
    public static Component atRate(String name, TableRow row, double count, Action action, double actionsPerSecond) {
        return Component.of(name, count, row.powerEach(), row.areaEach(),
                Map.of(action, Energy.of(row.powerEach().watts() / actionsPerSecond)), row.source());
    }

    /** A unit that acts once per {@code period} (a crossbar read cycle, a clock). */
    public static Component perPeriod(String name, TableRow row, double count, Action action, Time period) {
        return atRate(name, row, count, action, 1 / period.seconds());
    }

    /**
     * A unit whose whole row's power is shared by {@code actionsPerSecond} actions across all its instances
     * (e.g. an IMA's shift-and-add units taking every conversion of the IMA's ADCs).
     */
    public static Component sharedRate(String name, TableRow row, Action action, double actionsPerSecond) {
        return Component.of(name, row.instances(), row.powerEach(), row.areaEach(),
                Map.of(action, Energy.of(row.power().watts() / actionsPerSecond)), row.source());
    }

    /**
     * An ADC at {@code bits} and {@code sampleRate}, scaled from a published reference: energy per conversion
     * and area by the resolution curve of {@link AdcScaling}; power is energy × sample rate.
     */
    public static Component adc(AdcReference ref, int bits, Frequency sampleRate, double count) {
        double conversionJ = ref.conversionJoules() * AdcScaling.energyRatio(bits, ref.bits());
        Component adc = Component.of("adc", count, Power.of(conversionJ * sampleRate.hertz()),
                ref.area().times(AdcScaling.areaRatio(bits, ref.bits()) / ref.instances()),
                Map.of(Action.ADC_CONVERT, Energy.of(conversionJ)),
                ref.source() + (bits == ref.bits() ? "" : "; scaled to " + bits + " bits by the ADC curve of AdcScaling"));
        return AdcScaling.outsideData("adc", bits, ref.bits()).map(adc::withWarning).orElse(adc);
    }

    /** A buffer read and written per bit: each bank moves {@code accessWidth} bits per clock. */
    public static Component buffer(String name, BufferRow row, Frequency clock) {
        double bitJ = row.power().watts() / row.instances() / clock.hertz() / row.accessWidth().bits();
        return Component.of(name, row.instances(), row.power().times(1.0 / row.instances()),
                row.area().times(1.0 / row.instances()),
                Map.of(Action.BUFFER_READ, Energy.of(bitJ), Action.BUFFER_WRITE, Energy.of(bitJ)), row.source());
    }

    /** A bus: one bit per wire per clock. */
    public static Component bus(String name, BusRow row, Frequency clock) {
        return Component.of(name, 1, row.power(), row.area(),
                Map.of(Action.BUS_TRANSFER, Energy.of(row.power().watts() / clock.hertz() / row.wires())), row.source());
    }

    /** A router, one per {@code tilesSharing} tiles: one flit per port per clock. */
    public static Component router(String name, RouterRow row, Frequency clock) {
        double bitJ = row.power().watts() / clock.hertz() / (row.ports() * row.flit().bits());
        return Component.of(name, 1.0 / row.tilesSharing(), row.power(), row.area(),
                Map.of(Action.ROUTER_TRANSFER, Energy.of(bitJ)), row.source());
    }

    /** Chip-to-chip links: their power over their total bandwidth, per bit. */
    public static Component offChipLink(String name, LinkRow row) {
        return Component.of(name, 1, row.power(), row.area(),
                Map.of(Action.OFFCHIP_TRANSFER, Energy.of(row.power().watts() / row.bandwidth().bitsPerSecond())),
                row.source());
    }
}
