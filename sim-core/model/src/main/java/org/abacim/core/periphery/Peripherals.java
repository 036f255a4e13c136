package org.abacim.core.periphery;

import java.util.Map;
import org.abacim.core.arch.Action;
import java.util.Locale;
import java.util.Optional;
import org.abacim.core.arch.Component;
import org.abacim.core.arch.Provenance;
import org.abacim.core.estimate.ComponentLibrary;
import org.abacim.core.units.Energy;
import org.abacim.core.units.Frequency;
import org.abacim.core.units.Length;
import org.abacim.core.units.Power;
import org.abacim.core.units.Time;
import org.abacim.core.units.Voltage;

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
     * Lowest and highest ENOB of the Nyquist converters in the Murmann survey table the ADC model was fitted to
     * (docs/reference/adc-survey/README.md: bins 3–4 to 17–18 ENOB); outside them the model is extrapolated.
     */
    static final double SURVEY_ENOB_MIN = 3, SURVEY_ENOB_MAX = 18;

    /** Energy per conversion and area of an ADC at one resolution relative to another. */
    public record AdcRatio(double energy, double area) {}

    /**
     * A {@code bits} SAR ADC against a {@code referenceBits} one in the same process, on the Murmann survey's model
     * ({@link ComponentLibrary#adc}): exactly 1 when the resolutions are equal, so a preset's reference ADC is kept as
     * published. The node and supply cancel in the ratio; they are those of the reference.
     */
    public static AdcRatio adcRatio(int bits, int referenceBits, Length node, Voltage supply) {
        if (bits == referenceBits) return new AdcRatio(1.0, 1.0);
        ComponentLibrary.Estimate at = ComponentLibrary.adc(bits, node, supply);
        ComponentLibrary.Estimate ref = ComponentLibrary.adc(referenceBits, node, supply);
        return new AdcRatio(at.energy().joules() / ref.energy().joules(), at.area().squareMeters() / ref.area().squareMeters());
    }

    /** How a scaled ADC's provenance reads: "8 → 6 bits by the Murmann ADC survey's SAR model". */
    public static String adcScaling(int bits, int referenceBits) {
        return referenceBits + " → " + bits + " bits by the Murmann ADC survey's SAR model";
    }

    /**
     * A warning when scaling from {@code referenceBits} to {@code bits} uses the survey model outside the ENOB its
     * Nyquist converters cover; empty when both lie inside or nothing scales.
     */
    public static Optional<String> adcOutsideData(String component, int bits, int referenceBits) {
        if (bits == referenceBits) return Optional.empty();
        for (int b : new int[] {bits, referenceBits}) {
            double enob = ComponentLibrary.adcEnob(b);
            if (enob < SURVEY_ENOB_MIN || enob > SURVEY_ENOB_MAX) {
                return Optional.of(String.format(Locale.ROOT, "%s: a %d-bit ADC scaled from a %d-bit reference uses "
                        + "the ADC survey's model at %d bits (ENOB %.1f), outside its Nyquist converters' %.0f–%.0f ENOB; "
                        + "extrapolated", component, bits, referenceBits, b, enob, SURVEY_ENOB_MIN, SURVEY_ENOB_MAX));
            }
        }
        return Optional.empty();
    }

    /**
     * An ADC at {@code bits} and {@code sampleRate}, scaled from a published reference measured at {@code node} and
     * {@code supply}: energy per conversion and area by the resolution ratio of {@link #adcRatio}; power is energy ×
     * sample rate. At the reference's own resolution it is the published ADC.
     */
    public static Component adc(AdcReference ref, int bits, Frequency sampleRate, double count, Length node,
                                Voltage supply) {
        AdcRatio r = adcRatio(bits, ref.bits(), node, supply);
        double conversionJ = ref.conversionJoules() * r.energy();
        Component adc = Component.of("adc", count, Power.of(conversionJ * sampleRate.hertz()),
                ref.area().times(r.area() / ref.instances()),
                Map.of(Action.ADC_CONVERT, Energy.of(conversionJ)), ref.source());
        if (bits != ref.bits()) adc = adc.withProvenance(Provenance.scaled(adcScaling(bits, ref.bits())));
        return adcOutsideData("adc", bits, ref.bits()).map(adc::withWarning).orElse(adc);
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
