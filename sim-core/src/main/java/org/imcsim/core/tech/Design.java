package org.imcsim.core.tech;

import java.util.Optional;
import org.imcsim.core.arch.Hierarchy;
import org.imcsim.core.units.DataRate;
import org.imcsim.core.units.Frequency;

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

    /** The array's arithmetic for functional runs (accuracy), when the technology models it. */
    default Optional<MvmNumerics> numerics() {
        return Optional.empty();
    }
}
