package org.abacim.core.tech;

import java.util.List;
import java.util.Optional;
import org.abacim.core.arch.Hierarchy;
import org.abacim.core.placement.LayerPlacement;
import org.abacim.core.placement.TileClass;
import org.abacim.core.units.DataRate;
import org.abacim.core.units.DataSize;
import org.abacim.core.units.Frequency;

/**
 * A fully configured accelerator: the machine model the mapper places onto and the engines run. A technology builds
 * one from its validated parameters.
 */
public interface Design {
    DesignInfo info();

    ArrayGeometry geometry();

    Organization organization();

    Hierarchy hierarchy();

    ArrayModel arrayModel();

    /** The digital clock, in which results count cycles. */
    Frequency clock();

    /** Bits of one activation value moved between layers. */
    int activationBits();

    /** Bandwidth of one chip's links to the next chip, when the design has any. */
    Optional<DataRate> offChipBandwidth();

    /** The design's process node and supply and where its tables were published (empty for a technology without). */
    default Optional<ProcessPoint> process() {
        return Optional.empty();
    }

    /** The rules the placer must respect for this design (none by default). */
    default List<PlacementConstraint> placementConstraints() {
        return List.of();
    }

    /**
     * Seconds one multiply of a placed layer takes: every copy working on one output position. The timing hook: by
     * default all of a copy's arrays run at once, so the slowest array sets the time; a technology whose arrays share
     * circuits (and so take turns) overrides it.
     *
     * @param firstArray index of the layer's first array when layers pack arrays into shared groups in placement
     *     order (chip-wide, copies one after another)
     */
    default double multiplySeconds(LayerPlacement layer, long firstArray, MvmActivity inputs) {
        double seconds = 0;
        for (TileClass t : layer.tiles()) seconds = Math.max(seconds, arrayModel().mvmSeconds(t.rows(), t.cols(), inputs));
        return seconds;
    }

    /**
     * Writing activations into the arrays every inference (attention's K or V when {@code attention.products} is
     * {@code arrays}): the energy per cell and the cells' endurance; empty when the technology does not model it.
     * The time comes from {@link ArrayModel#writeSeconds}, which such a technology must give.
     */
    default Optional<OperandWrites> operandWrites() {
        return Optional.empty();
    }

    /** The on-chip activation buffer's capacity on one chip, when the design states it (for a KV cache's fit). */
    default Optional<DataSize> bufferCapacity() {
        return Optional.empty();
    }

    /** The array's arithmetic for functional runs (accuracy), when the technology models it. */
    default Optional<MvmNumerics> numerics() {
        return Optional.empty();
    }
}
