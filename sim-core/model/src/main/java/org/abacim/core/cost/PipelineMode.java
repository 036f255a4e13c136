package org.abacim.core.cost;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import org.abacim.core.config.Keyed;

/** How layers share time. */
public enum PipelineMode implements Keyed {
    /** ISAAC: every layer has its own arrays and works on the next input as soon as it can; throughput is set by
     *  the slowest stage. */
    INTER_LAYER("inter-layer"),
    /** One layer at a time: latency and the time between inferences are the sum of the layers' times. */
    LAYER_BY_LAYER("layer-by-layer");

    private final String key;

    PipelineMode(String key) { this.key = key; }

    @JsonValue
    public String key() { return key; }

    @JsonCreator
    public static PipelineMode parse(String text) {
        return Keyed.parse(PipelineMode.class, text);
    }

    @Override public String toString() { return key; }
}
