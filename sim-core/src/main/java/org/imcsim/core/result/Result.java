package org.imcsim.core.result;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/**
 * Everything one design point reports. The JSON form is a public interface: keys are stable; later versions add
 * keys and never rename them. Per-chip figures ({@code area}, {@code power}, {@code peak}) describe the design
 * whatever the network; {@code inference} and {@code layers} describe the network on its {@code chips}.
 */
@JsonPropertyOrder({"design", "network", "chips", "area", "power", "peak", "inference", "layers", "energy_ledger"})
public record Result(
        DesignSummary design,
        NetworkSummary network,
        int chips,
        Area area,
        Power power,
        Peak peak,
        Inference inference,
        List<Layer> layers,
        @JsonProperty("energy_ledger") List<LedgerLine> energyLedger) {

    @JsonPropertyOrder({"technology", "name", "description", "source", "pipeline", "replication"})
    public record DesignSummary(String technology, String name, String description, String source, String pipeline,
                                String replication) {}

    @JsonPropertyOrder({"name", "description", "source", "macs", "weights"})
    public record NetworkSummary(String name, String description, String source, long macs, long weights) {}

    @JsonPropertyOrder({"total_mm2", "breakdown_mm2"})
    public record Area(@JsonProperty("total_mm2") double totalMm2,
                       @JsonProperty("breakdown_mm2") Map<String, Double> breakdownMm2) {}

    @JsonPropertyOrder({"total_W", "breakdown_W"})
    public record Power(@JsonProperty("total_W") double totalW,
                        @JsonProperty("breakdown_W") Map<String, Double> breakdownW) {}

    /** Peak figures of one chip with every array busy; a MAC counts as 2 operations. */
    @JsonPropertyOrder({"gops", "gops_per_mm2", "gops_per_W", "storage_mb_per_mm2"})
    public record Peak(double gops,
                       @JsonProperty("gops_per_mm2") double gopsPerMm2,
                       @JsonProperty("gops_per_W") double gopsPerW,
                       @JsonProperty("storage_mb_per_mm2") double storageMbPerMm2) {}

    @JsonPropertyOrder({"fps", "latency_s", "energy_J", "energy_breakdown_J", "gops", "tops_per_W", "utilization",
            "arrays", "array_groups", "offchip_bits", "bottleneck"})
    public record Inference(double fps,
                            @JsonProperty("latency_s") double latencyS,
                            @JsonProperty("energy_J") double energyJ,
                            @JsonProperty("energy_breakdown_J") Map<String, Double> energyBreakdownJ,
                            double gops,
                            @JsonProperty("tops_per_W") double topsPerW,
                            double utilization,
                            long arrays,
                            @JsonProperty("array_groups") long arrayGroups,
                            @JsonProperty("offchip_bits") double offchipBits,
                            String bottleneck) {}

    @JsonPropertyOrder({"name", "kind", "macs", "arrays", "replication", "array_groups", "cycles", "time_s",
            "adc_conversions", "energy_J"})
    public record Layer(String name, String kind, long macs, long arrays, int replication,
                        @JsonProperty("array_groups") long arrayGroups,
                        long cycles,
                        @JsonProperty("time_s") double timeS,
                        @JsonProperty("adc_conversions") double adcConversions,
                        @JsonProperty("energy_J") double energyJ) {}

    @JsonPropertyOrder({"component", "action", "count", "energy_per_action_J", "energy_J", "source"})
    public record LedgerLine(String component, String action, double count,
                             @JsonProperty("energy_per_action_J") double energyPerActionJ,
                             @JsonProperty("energy_J") double energyJ,
                             String source) {}
}
