package org.imcsim.core.cost;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** How layers share time. */
public enum PipelineMode {
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
        for (PipelineMode m : values()) if (m.key.equals(text)) return m;
        throw new IllegalArgumentException("expected inter-layer or layer-by-layer");
    }

    @Override public String toString() { return key; }
}
