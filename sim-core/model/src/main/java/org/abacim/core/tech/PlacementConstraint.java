package org.abacim.core.tech;

import java.util.Optional;

/**
 * A rule a design puts on the weights it can hold and how the placer may lay them out. The design supplies its
 * rules ({@link Design#placementConstraints()}); the placer knows no technology by name. FORMS's polarized arrays,
 * for one, hold one sign per fragment of rows and so forbid compacting rows tile by tile.
 */
public interface PlacementConstraint {
    /**
     * Why a layer's weights cannot sit on this design, or empty when they can.
     *
     * @param weights the layer's weight matrix, laid out [output][k] (k = input channels × kernel area)
     * @param outputs output channels (matrix columns)
     */
    Optional<String> violation(float[] weights, int outputs);

    /**
     * Whether each column tile may keep only the rows its own weights use (irregular sparsity's credit). Designs whose
     * rows come in fixed runs (fragments) allow only whole rows and columns to be dropped.
     */
    default boolean allowsRowCompaction() { return true; }
}
