package org.abacim.mram;

import org.abacim.core.arch.Action;

/** Actions of SOT-MRAM processing-in-memory, declared into the shared, open action vocabulary. */
public final class SotMramActions {
    public static final Action ROW_PAIR_SENSE = Action.declare("ROW_PAIR_SENSE",
            "sense one bit line with two rows open at once (AND, OR or XOR by the reference)");
    public static final Action BIT_COUNT = Action.declare("BIT_COUNT", "count one sensed bit into a popcount");

    private SotMramActions() {}
}
