package org.abacim.experiments.sweep;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * One finished point, as one line of {@code results.jsonl}. {@code status} is ok, skipped (a constraint),
 * invalid (the point's config was refused) or failed (an unexpected error); the sweep goes on either way.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"index", "id", "status", "preset", "network", "axes", "metrics", "baseline", "ratios",
        "energy_breakdown_J", "reason"})
public record PointRecord(
        int index,
        String id,
        String status,
        String preset,
        String network,
        Map<String, JsonNode> axes,
        Map<String, Double> metrics,
        String baseline,
        Map<String, Double> ratios,
        @JsonProperty("energy_breakdown_J") Map<String, Double> energyBreakdownJ,
        String reason) {

    public boolean ok() { return "ok".equals(status); }
}
