package org.abacim.core.cost;

import java.util.Map;
import org.abacim.core.arch.Action;
import org.abacim.core.arch.Component;
import org.abacim.core.arch.Ledger;
import org.abacim.core.estimate.ComponentLibrary;
import org.abacim.core.network.Activation;
import org.abacim.core.network.ChannelNorm;
import org.abacim.core.network.Layer;
import org.abacim.core.network.Softmax;
import org.abacim.core.tech.Design;
import org.abacim.core.tech.ProcessPoint;
import org.abacim.core.units.Area;
import org.abacim.core.units.Energy;
import org.abacim.core.units.Length;
import org.abacim.core.units.Power;
import org.abacim.core.units.Voltage;

/**
 * The digital unit beside the arrays, priced at the design's node: a multiply of {@code bits} × {@code bits} and an
 * add of twice that (a product's width) from Horowitz's 45 nm table carried by Stillmaker and Baas's factors
 * ({@link ComponentLibrary}), unless the config gives them; a multiply-accumulate is one of each; a divide and a
 * square root cost their configured number of multiplies. Time: {@code lanes} operations per cycle on one chip, a
 * divide or square root taking as many lane-cycles as it costs multiplies. Not part of the design's hierarchy: its
 * area is reported with the attention figures, not in the chip's.
 *
 * @param component prices the {@code DIGITAL_*} actions
 * @param params the {@code attention.digital} keys
 * @param bits operand bits
 */
record DigitalUnit(Component component, AttentionOptions.DigitalUnitParams params, int bits) {
    /** Where Horowitz's table was published, for a design that states no process. */
    private static final Length HOROWITZ_NODE = Length.parse("45 nm");
    private static final Voltage HOROWITZ_SUPPLY = Voltage.parse("0.9 V");

    static DigitalUnit of(AttentionOptions.DigitalUnitParams p, Design design) {
        int bits = p.bits().or(design.activationBits());
        Length node = design.process().map(ProcessPoint::node).orElse(HOROWITZ_NODE);
        Voltage supply = design.process().map(ProcessPoint::supply).orElse(HOROWITZ_SUPPLY);
        ComponentLibrary.Estimate mult = ComponentLibrary.multiplier(bits, node, supply);
        ComponentLibrary.Estimate add = ComponentLibrary.adder(2.0 * bits, node, supply);
        Energy multiply = p.multiply().isAuto() ? mult.energy() : p.multiply().fixed();
        Energy adding = p.add().isAuto() ? add.energy() : p.add().fixed();
        Energy mac = Energy.of(multiply.joules() + adding.joules());
        Area area = Area.of(p.lanes() * (mult.area().squareMeters() + add.area().squareMeters()));
        String source = (p.multiply().isAuto() || p.add().isAuto()
                ? mult.source() + ", at " + node + " and " + supply + " by Stillmaker and Baas 2017; " : "")
                + "lanes, clock and operation counts: attention.digital (docs/design/attention-costs.md)";
        Component c = Component.of("digital_unit", 1, Power.of(mac.joules() * p.lanes() * p.clock().hertz()), area,
                Map.of(Action.DIGITAL_MAC, mac, Action.DIGITAL_MULTIPLY, multiply, Action.DIGITAL_ADD, adding,
                        Action.DIGITAL_DIVIDE, Energy.of(multiply.joules() * p.divide()),
                        Action.DIGITAL_SQRT, Energy.of(multiply.joules() * p.sqrt())),
                source);
        return new DigitalUnit(c, p, bits);
    }

    /** The operations a non-linear layer takes on the unit, or null when the layer keeps its generic action. */
    AttentionOptions.ElementOps opsOf(Layer layer) {
        if (layer instanceof Softmax) return params.softmax();
        if (layer instanceof ChannelNorm) return params.layerNorm();
        if (layer instanceof Activation a) {
            return switch (a.kind()) {
                case GELU, GELU_TANH -> params.gelu();
                case ERF -> params.erf();
                default -> null;
            };
        }
        return null;
    }

    /** Adds {@code macs} multiply-accumulates to the ledger; returns the seconds they take. */
    double macs(Ledger ledger, double macs) {
        if (macs > 0) ledger.add(component, Action.DIGITAL_MAC, macs);
        return seconds(macs);
    }

    /** Adds a non-linear layer's operations over {@code values} in {@code rows} rows; returns the seconds they take. */
    double elementwise(Ledger ledger, AttentionOptions.ElementOps ops, double values, double rows) {
        double multiplies = ops.multiplies() * values;
        double adds = ops.adds() * values;
        double divides = ops.dividesPerRow() * rows;
        double sqrts = ops.sqrtsPerRow() * rows;
        if (multiplies > 0) ledger.add(component, Action.DIGITAL_MULTIPLY, multiplies);
        if (adds > 0) ledger.add(component, Action.DIGITAL_ADD, adds);
        if (divides > 0) ledger.add(component, Action.DIGITAL_DIVIDE, divides);
        if (sqrts > 0) ledger.add(component, Action.DIGITAL_SQRT, sqrts);
        return seconds(multiplies + adds + divides * params.divide() + sqrts * params.sqrt());
    }

    /** Seconds {@code laneCycles} operations take on one chip's unit. */
    double seconds(double laneCycles) {
        return laneCycles / params.lanes() / params.clock().hertz();
    }

    Energy macEnergy() { return component.energy(Action.DIGITAL_MAC); }
}
