package org.abacim.core.tech;

import java.util.Optional;
import org.abacim.core.arch.Component;
import org.abacim.core.config.Check;
import org.abacim.core.config.Key;
import org.abacim.core.estimate.ProcessScaling;
import org.abacim.core.units.Length;
import org.abacim.core.units.Voltage;

/**
 * A design's process node and supply, and where its published component tables were measured ({@code reference}):
 * the key {@code process: { node, supply, reference: { node, supply } }} every technology binds alike (issue #30; the
 * macro model's {@code process} uses the same words). Table rows were published at the reference; a design at another
 * node or supply carries its CMOS components there with Stillmaker and Baas's factors ({@link ProcessScaling}) — energy
 * by the ratio of energy factors, area by the ratio of area factors — and its memory-device cells by (node/reference)²
 * in area only. At the reference every factor is exactly 1 and components are returned unchanged, so a preset's own
 * operating point reproduces its tables to the bit.
 */
public record ProcessPoint(
        @Key(doc = "the design's process node") Length node,
        @Key(doc = "the design's supply voltage") Voltage supply,
        @Key(doc = "where the component tables were published; they are carried from there to node and supply")
        Reference reference) {
    /** Where a preset's component tables were published. */
    public record Reference(
            @Key(doc = "the process node the component tables were published for") Length node,
            @Key(doc = "the supply the component tables were published for") Voltage supply) {
        public Reference {
            checkPositive(node, supply);
        }
    }

    public ProcessPoint {
        checkPositive(node, supply);
        Check.present("reference", reference);
    }

    private static void checkPositive(Length node, Voltage supply) {
        Check.present("node", node);
        Check.present("supply", supply);
        Check.positive("node", node, Length.of(0));
        Check.positive("supply", supply, Voltage.of(0));
    }

    /** A design at the point its tables were published. */
    public static ProcessPoint at(Length node, Voltage supply) {
        return new ProcessPoint(node, supply, new Reference(node, supply));
    }

    /** True when the design runs where its tables were published: nothing scales. */
    public boolean atReference() {
        return node.equals(reference.node()) && supply.equals(reference.supply());
    }

    /** Switching energy (and power at a fixed rate) of CMOS logic here, relative to the reference. */
    public double energyScale() {
        if (atReference()) return 1.0;
        return ProcessScaling.energyFactor(node, supply) / ProcessScaling.energyFactor(reference.node(), reference.supply());
    }

    /** Area of CMOS logic here, relative to the reference. */
    public double areaScale() {
        if (node.equals(reference.node())) return 1.0;
        return ProcessScaling.areaFactor(node) / ProcessScaling.areaFactor(reference.node());
    }

    /** Area of a memory-device cell (ReRAM, MTJ) here, relative to the reference: its feature size squared. */
    public double cellAreaScale() {
        if (node.equals(reference.node())) return 1.0;
        double r = node.dividedBy(reference.node());
        return r * r;
    }

    /** A warning when the design's node or supply leaves the scaling tables' data; empty at the reference. */
    public Optional<String> outsideData() {
        return atReference() ? Optional.empty() : ProcessScaling.outsideData(node, supply);
    }

    /** "32 nm, 1 V → 22 nm, 0.9 V", for a scaled component's provenance. */
    public String fromTo() {
        return reference.node() + ", " + reference.supply() + " → " + node + ", " + supply;
    }

    /** A CMOS component published at the reference, carried to this node and supply; itself at the reference. */
    public Component cmos(Component published) {
        if (atReference()) return published;
        Component c = published.scaled(energyScale(), areaScale(),
                fromTo() + " by Stillmaker and Baas 2017 (CMOS energy and area)");
        return outsideData().map(c::withWarning).orElse(c);
    }

    /**
     * A memory-device array published at the reference: its area follows the feature size squared; its read and
     * write energies are set by the device (resistance, voltage across it), not the CMOS, and are kept.
     */
    public Component deviceCells(Component published) {
        if (node.equals(reference.node())) return published;
        return published.scaled(1.0, cellAreaScale(), reference.node() + " → " + node
                + ": cell area × (node/reference)²; device energies kept");
    }
}
