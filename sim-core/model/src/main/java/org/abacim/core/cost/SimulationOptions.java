package org.abacim.core.cost;

import org.abacim.core.config.Check;
import org.abacim.core.config.Key;

/** The {@code simulation:} section: how the network is run on the design. */
public record SimulationOptions(
        @Key(doc = "inter-layer (ISAAC: layers pipelined, throughput set by the slowest stage) or layer-by-layer")
        PipelineMode pipeline,
        @Key(doc = "balanced (copy layers to balance the pipeline within the chips' budget) or none")
        Replication replication,
        @Key(doc = "auto (as many chips as one copy of the weights needs) or a number of chips",
                type = "auto or a whole number")
        ChipCount chips) {
    public SimulationOptions {
        Check.present("pipeline", pipeline);
        Check.present("replication", replication);
        Check.present("chips", chips);
    }

    public static SimulationOptions defaults() {
        return new SimulationOptions(PipelineMode.INTER_LAYER, Replication.BALANCED, ChipCount.AUTO);
    }
}
