package org.abacim.core.tech;

import org.abacim.core.config.Check;
import org.abacim.core.config.Key;
import org.abacim.core.units.Energy;
import org.abacim.core.units.Time;

/**
 * The {@code write:} section of a technology whose cells can be written every inference (attention's operands,
 * {@code attention.products: arrays}): the energy of writing one cell, the time to write one row of an array (all
 * its cells at once), how many writes a cell survives, and where the figures come from.
 */
public record CellWrites(
        @Key(doc = "energy of writing one cell, its periphery included") Energy energy,
        @Key(doc = "time to write one row of an array, all its cells at once (rows are written one after another)")
        Time row,
        @Key(doc = "writes one cell survives", unit = "cycles") double endurance,
        @Key(doc = "where the figures come from") String source) {
    public CellWrites {
        Check.nonNegative("energy", energy.joules());
        Check.positive("row", row, Time.of(0));
        Check.that(endurance >= 1 && endurance <= 1e20, "endurance", endurance, "a number of write cycles from 1 to 1e20");
        Check.that(source != null && !source.isBlank(), "source", source, "say where the numbers come from");
    }

    /** Seconds to write {@code rowsUsed} rows of an array, one after another; NaN without a {@code write:} section. */
    public static double arraySeconds(CellWrites writes, int rowsUsed) {
        return writes == null ? Double.NaN : rowsUsed * writes.row().seconds();
    }
}
