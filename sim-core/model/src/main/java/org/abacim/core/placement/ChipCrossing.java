package org.abacim.core.placement;

/**
 * Input activations of a layer that arrive over the off-chip links: the {@code fraction} of the layer's array
 * groups that sit on a different chip from the one its input is produced on (their share of the input crosses).
 */
public record ChipCrossing(String layer, double fraction) {
    public ChipCrossing {
        if (!(fraction > 0 && fraction <= 1)) throw new IllegalArgumentException("fraction " + fraction + " outside (0, 1]");
    }
}
