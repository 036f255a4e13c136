package org.imcsim.experiments.run;

import org.imcsim.core.config.ConfigDocument;
import org.imcsim.core.config.ConfigException;
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
        try {
            Placement placement = DensePlacer.place(network, design, options);
            return CostEngine.evaluate(network, design, placement, options);
        } catch (ConfigException e) {
            // Engines know the config path of a value they refuse, not the file: point at where it was written.
            if (e.location() != null || e.path() == null) throw e;
            throw new ConfigException(config.locate(e.path()), e.path(), e.value(), e.problem());
        }
    }
}
