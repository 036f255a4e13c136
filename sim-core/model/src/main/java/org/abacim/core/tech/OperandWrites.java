package org.abacim.core.tech;

import org.abacim.core.arch.Action;
import org.abacim.core.arch.Component;
import org.abacim.core.config.Check;

/**
 * What writing an activation operand into a technology's arrays costs, for products of two activations placed in
 * the arrays every inference ({@code attention.products: arrays}): the component that prices
 * {@link Action#OPERAND_WRITE} per cell written (with the source of that energy), and how many writes a cell
 * survives. The time to write one array comes from {@link ArrayModel#writeSeconds}.
 *
 * @param writer prices {@link Action#OPERAND_WRITE}, the energy of writing one cell; not part of the design's
 *     hierarchy (the cells are the arrays' own), so it adds no area or peak power
 * @param enduranceCycles writes one cell survives
 * @param enduranceSource where the endurance comes from
 */
public record OperandWrites(Component writer, double enduranceCycles, String enduranceSource) {
    public OperandWrites {
        Check.present("writer", writer);
        if (!writer.performs(Action.OPERAND_WRITE)) {
            throw new IllegalArgumentException("component " + writer.name() + " does not price OPERAND_WRITE");
        }
        Check.positive("enduranceCycles", enduranceCycles);
    }
}
