package org.imcsim.experiments.run;

import org.imcsim.core.config.ConfigDocument;
import org.imcsim.core.cost.CostEngine;
import org.imcsim.core.cost.SimulationOptions;
import org.imcsim.core.network.Network;
import org.imcsim.core.placement.Placement;
import org.imcsim.core.result.Result;
import org.imcsim.core.tech.Design;
import org.imcsim.mapping.place.DensePlacer;

/** One resolved design point: the merged config, the design built from it, the network and how to run it. */
public record DesignPoint(ConfigDocument config, Design design, Network network, SimulationOptions options) {
    /** Maps the network onto the design and evaluates the cost model. */
    public Result evaluate() {
        Placement placement = DensePlacer.place(network, design, options);
        return CostEngine.evaluate(network, design, placement, options);
    }
}
