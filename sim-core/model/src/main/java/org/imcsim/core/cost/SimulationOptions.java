package org.imcsim.core.cost;

import org.imcsim.core.config.Check;

/** The {@code simulation:} section: how the network is run on the design. */
public record SimulationOptions(PipelineMode pipeline, Replication replication, ChipCount chips) {
    public SimulationOptions {
        Check.present("pipeline", pipeline);
        Check.present("replication", replication);
        Check.present("chips", chips);
    }

    public static SimulationOptions defaults() {
        return new SimulationOptions(PipelineMode.INTER_LAYER, Replication.BALANCED, ChipCount.AUTO);
    }
}
