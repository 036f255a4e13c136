package org.abacim.core.cost;

import org.abacim.core.network.Network;
import org.abacim.core.placement.Placement;
import org.abacim.core.result.Result;
import org.abacim.core.tech.Design;

/**
 * The analytical cost model, in three steps: the {@link LayerLedger} counts what one inference does per layer and
 * prices it through the design's components; the {@link Schedule} times every pipeline stage from its multiplies
 * and replication and finds the bottleneck; the {@link Rollup} adds energy, area, power and peak figures into a
 * {@link Result}. Technology-specific behaviour enters only through the {@link Design}: its array model, its
 * components' actions and its timing hook. Microseconds to a millisecond per design point.
 */
public final class CostModel {
    private CostModel() {}

    public static Result evaluate(Network net, Design design, Placement placement, SimulationOptions options) {
        return evaluate(net, design, placement, options, Result.Activity.assumed());
    }

    /** As {@link #evaluate(Network, Design, Placement, SimulationOptions)}, pricing array activity as measured. */
    public static Result evaluate(Network net, Design design, Placement placement, SimulationOptions options,
                                  Result.Activity activity) {
        return evaluate(net, design, placement, options, AttentionOptions.standard(), activity);
    }

    /**
     * As {@link #evaluate(Network, Design, Placement, SimulationOptions, Result.Activity)}, with the
     * {@code attention:} section saying where products of two activations run and which KV cache to report.
     */
    public static Result evaluate(Network net, Design design, Placement placement, SimulationOptions options,
                                  AttentionOptions attention, Result.Activity activity) {
        LayerLedger ledger = LayerLedger.count(net, design, placement, activity, attention);
        Schedule schedule = Schedule.of(net, design, placement, ledger, options.pipeline());
        return Rollup.of(net, design, placement, options, attention, activity, ledger, schedule);
    }
}
