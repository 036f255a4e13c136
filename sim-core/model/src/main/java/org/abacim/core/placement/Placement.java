package org.abacim.core.placement;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A network placed onto a design: per weighted layer its arrays and copies, how many chips it takes, and where chip
 * boundaries fall (activations crossing them use the off-chip links).
 *
 * @param crossings layer inputs that cross chips, in network order
 */
public record Placement(List<LayerPlacement> layers, int chips, long groupsPerChip, List<ChipCrossing> crossings,
                        String strategy) {
    public Placement {
        layers = List.copyOf(layers);
        crossings = List.copyOf(crossings);
    }

    public Map<String, LayerPlacement> byLayer() {
        return layers.stream().collect(Collectors.toMap(LayerPlacement::layer, Function.identity()));
    }

    public long arrays() {
        return layers.stream().mapToLong(LayerPlacement::arrays).sum();
    }

    /** Array groups in use: layers take consecutive groups, and may share one when arrays take turns. */
    public long arrayGroups() {
        return layers.stream().mapToLong(l -> l.firstGroup() + l.arrayGroups()).max().orElse(0);
    }
}
