package org.abacim.core.result;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything one design point reports. The JSON form is a public interface: keys are stable; later versions add
 * keys and never rename them. Per-chip figures ({@code area}, {@code power}, {@code peak}) describe the design
 * whatever the network; {@code inference} and {@code layers} describe the network on its {@code chips}.
 * {@code warnings} lists every component used outside the data its numbers come from (e.g. an ADC resolution
 * beyond the ADC curve's points), and what looked wrong about an accuracy run's data set without being an error
 * (float images normalized twice); empty when there is none. {@code components} says, for every component of the
 * design, whether its figures are a published row as given, scaled from one (from which process or resolution to
 * which) or estimated.
 */
@JsonPropertyOrder({"design", "network", "chips", "area", "power", "peak", "inference", "attention", "compression", "accuracy",
        "activity", "warnings", "layers", "energy_ledger", "components"})
public record Result(
        DesignSummary design,
        NetworkSummary network,
        int chips,
        AreaFigures area,
        PowerFigures power,
        Peak peak,
        Inference inference,
        List<LayerLine> layers,
        @JsonProperty("energy_ledger") List<LedgerLine> energyLedger,
        @JsonInclude(JsonInclude.Include.NON_NULL) Accuracy accuracy,
        Activity activity,
        @JsonInclude(JsonInclude.Include.NON_NULL) CompressionCredit compression,
        @JsonInclude(JsonInclude.Include.NON_NULL) Programming programming,
        List<String> warnings,
        List<ComponentLine> components,
        @JsonInclude(JsonInclude.Include.NON_NULL) Attention attention) {

    /** The public JSON of this result, as {@code abacim run --format json} prints it (docs/results.md). */
    public String toJson() {
        return JsonText.pretty(this);
    }

    /** A metric of the registry by name ({@code energy_J}, {@code fps}, … — {@link Metrics#names()}); null if absent. */
    public Double metric(String name) {
        return Metric.named(name).orElseThrow(() -> new IllegalArgumentException("no metric " + name
                + "; known: " + String.join(", ", Metrics.names()))).of(this);
    }

    /** The same result with the accuracy of a Monte-Carlo run. */
    public Result withAccuracy(Accuracy a) {
        return new Result(design, network, chips, area, power, peak, inference, layers, energyLedger, a, activity,
                compression, programming, warnings, components, attention);
    }

    /** The same result with {@code more} warnings after its own (the same result when there are none). */
    public Result withWarnings(List<String> more) {
        if (more.isEmpty()) return this;
        List<String> all = new ArrayList<>(warnings);
        all.addAll(more);
        return new Result(design, network, chips, area, power, peak, inference, layers, energyLedger, accuracy, activity,
                compression, programming, List.copyOf(all), components, attention);
    }

    /**
     * For a model with weights: how many of the weighted layers' weights are non-zero, and the arrays the placement
     * allocated against those a dense mapping of the same layers needs (all copies).
     */
    @JsonPropertyOrder({"weights", "weights_kept", "arrays", "arrays_dense", "arrays_saved"})
    public record CompressionCredit(long weights,
                              @JsonProperty("weights_kept") long weightsKept,
                              long arrays,
                              @JsonProperty("arrays_dense") long arraysDense,
                              @JsonProperty("arrays_saved") long arraysSaved,
                              @JsonProperty("index_bits") long indexBits) {}

    /**
     * Writing the weights once (technologies that model writes, such as SOT-MRAM's slow, costly ones): cells written
     * (all copies), the energy, and the time with every array written in parallel, a row at a time. Not part of an
     * inference's energy.
     */
    @JsonPropertyOrder({"cells", "energy_J", "time_s"})
    public record Programming(long cells, @JsonProperty("energy_J") double energyJ, @JsonProperty("time_s") double timeS) {}

    /**
     * Accuracy on {@code samples} test images (a seeded, class-stratified draw; {@code class_counts} images of each
     * class, by label), with activations in {@code input_format} (calibrated, or fixed-point Qm.n): float32 {@code reference}, integer-quantized at the design's weight and
     * input bits with ideal arrays ({@code quantized}), and over {@code trials} simulated chips with the configured
     * non-idealities (mean, sample standard deviation, min, max, and each trial's accuracy). {@code sampling_se} is
     * the standard error of {@code mean} from drawing {@code samples} test images rather than scoring all of them
     * (binomial, √(mean·(1 − mean)/samples)): another seed's draw moves the mean by about that much, which the
     * chips' {@code std} does not show because every chip sees the same images.
     */
    @JsonPropertyOrder({"dataset", "model", "samples", "class_counts", "input_format", "seed", "reference", "quantized", "mean", "std",
            "sampling_se", "min", "max", "trials", "at_times"})
    public record Accuracy(String dataset, String model, int samples,
                           @JsonProperty("class_counts") List<Integer> classCounts,
                           @JsonProperty("input_format") String inputFormat, long seed, double reference, double quantized,
                           double mean, double std, double min, double max, List<Double> trials,
                           @JsonInclude(JsonInclude.Include.NON_EMPTY) @JsonProperty("at_times") List<AtTime> atTimes,
                           @JsonInclude(JsonInclude.Include.NON_NULL) String mode) {
        /** A bit-serial result at one time (no {@code mode} or {@code at_times} key, as before either existed). */
        public Accuracy(String dataset, String model, int samples, List<Integer> classCounts, String inputFormat,
                        long seed, double reference, double quantized, double mean, double std, double min, double max,
                        List<Double> trials) {
            this(dataset, model, samples, classCounts, inputFormat, seed, reference, quantized, mean, std, min, max,
                    trials, List.of(), null);
        }

        /** The standard error of {@link #mean()} from the draw of test images (binomial). */
        @JsonProperty("sampling_se")
        public double samplingSe() {
            return samplingError(mean, samples);
        }
    }

    /**
     * The same chips scored at {@code time} after programming ({@code accuracy.times}; {@code time_s} in seconds):
     * their devices drawn once, drifted to that time, read with that time's 1/f noise and, when configured,
     * drift-compensated. Statistics as in {@link Accuracy}.
     */
    @JsonPropertyOrder({"time", "time_s", "mean", "std", "sampling_se", "min", "max", "trials"})
    public record AtTime(String time, @JsonProperty("time_s") double timeS, @JsonIgnore int samples, double mean,
                         double std, double min, double max, List<Double> trials) {
        @JsonProperty("sampling_se")
        public double samplingSe() {
            return samplingError(mean, samples);
        }
    }

    /** The binomial standard error of an accuracy {@code p} measured on {@code n} samples: √(p(1 − p)/n). */
    public static double samplingError(double p, long n) {
        return n <= 0 ? Double.NaN : Math.sqrt(Math.max(0, p * (1 - p)) / n);
    }

    /**
     * The switching activity the cost model assumed: {@code default} (every row driven on every input cycle, the
     * tables' full-activity power) or {@code measured} on real inputs through the simulated arrays, per layer.
     */
    @JsonPropertyOrder({"source", "layers"})
    public record Activity(String source, List<LayerActivity> layers) {
        public static Activity assumed() {
            return new Activity("default", List.of());
        }

        public Optional<LayerActivity> layer(String name) {
            return layers.stream().filter(l -> l.name().equals(name)).findFirst();
        }
    }

    /**
     * One layer's measured activity: the fraction of input digits that drive their row (non-zero), the fraction of
     * inputs that are zero, and the ADC's mean code and fraction of saturated conversions (when conversions were
     * simulated; NaN otherwise), and for bit-serial rows the mean input cycles until a conversion group (a FORMS
     * fragment, else a whole array) and a whole array have no set input bit left (what zero-skipping would run).
     */
    @JsonPropertyOrder({"name", "input_digit_density", "zero_input_fraction", "adc_mean_code", "adc_saturation_fraction",
            "group_cycles", "array_cycles",
            "input_saturation_fraction"})
    public record LayerActivity(String name,
                                @JsonProperty("input_digit_density") double inputDigitDensity,
                                @JsonProperty("zero_input_fraction") double zeroInputFraction,
                                @JsonProperty("adc_mean_code") double adcMeanCode,
                                @JsonProperty("adc_saturation_fraction") double adcSaturationFraction,
                                @JsonProperty("group_cycles") double groupCycles,
                                @JsonProperty("array_cycles") double arrayCycles,
                                @JsonProperty("input_saturation_fraction") double inputSaturationFraction) {}

    @JsonPropertyOrder({"technology", "name", "description", "source", "pipeline", "replication", "process", "clock_Hz"})
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DesignSummary(String technology, String name, String description, String source, String pipeline,
                                String replication, ProcessSummary process, @JsonProperty("clock_Hz") double clockHz) {}

    /** The process node and supply the design is at, and where its component tables were published. */
    @JsonPropertyOrder({"node_nm", "supply_V", "reference_node_nm", "reference_supply_V"})
    public record ProcessSummary(@JsonProperty("node_nm") double nodeNm, @JsonProperty("supply_V") double supplyV,
                                 @JsonProperty("reference_node_nm") double referenceNodeNm,
                                 @JsonProperty("reference_supply_V") double referenceSupplyV) {}

    @JsonPropertyOrder({"name", "description", "source", "macs", "weights"})
    public record NetworkSummary(String name, String description, String source, long macs, long weights) {}

    /**
     * One chip's area and its breakdown, and the area in use: the share of the chips' silicon that the array groups
     * the placement allocated take, periphery included (chip area × groups allocated ÷ groups per chip).
     */
    @JsonPropertyOrder({"total_mm2", "in_use_mm2", "breakdown_mm2"})
    public record AreaFigures(@JsonProperty("total_mm2") double totalMm2,
                       @JsonProperty("breakdown_mm2") Map<String, Double> breakdownMm2,
                       @JsonProperty("in_use_mm2") double inUseMm2) {}

    @JsonPropertyOrder({"total_W", "breakdown_W"})
    public record PowerFigures(@JsonProperty("total_W") double totalW,
                        @JsonProperty("breakdown_W") Map<String, Double> breakdownW) {}

    /**
     * Peak figures of one chip with every array busy; a MAC counts as 2 operations. {@code arrays} and
     * {@code array_groups} are what one chip holds, so a network's arrays (in {@link Inference}) can be read against it.
     */
    @JsonPropertyOrder({"gops", "gops_per_mm2", "gops_per_W", "storage_mb_per_mm2", "arrays", "array_groups"})
    public record Peak(double gops,
                       @JsonProperty("gops_per_mm2") double gopsPerMm2,
                       @JsonProperty("gops_per_W") double gopsPerW,
                       @JsonProperty("storage_mb_per_mm2") double storageMbPerMm2,
                       long arrays,
                       @JsonProperty("array_groups") long arrayGroups) {}

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

    /**
     * What is not weight-stationary, for a network that has any (docs/design/attention-costs.md): where products of
     * two activations ran ({@code products}: digital or arrays) and their multiply-accumulates ({@code product_macs},
     * not in {@code network.macs}, which counts weights' MACs); the attention's own work (products and softmax over
     * rows: energy, its share of the inference's, its time and that time over the latency); the non-linear layers
     * on the digital unit (softmax over features, layer norm, GELU, erf); the digital unit; and, when products were
     * written into arrays, their writes and the cells' lifetime; and a KV cache when {@code attention.kvCacheTokens}
     * asks for one.
     */
    @JsonPropertyOrder({"products", "product_macs", "energy_J", "energy_share", "time_s", "latency_share",
            "nonlinear_energy_J", "nonlinear_time_s", "digital_unit", "operand_arrays", "kv_cache"})
    public record Attention(String products,
                            @JsonProperty("product_macs") long productMacs,
                            @JsonProperty("energy_J") double energyJ,
                            @JsonProperty("energy_share") double energyShare,
                            @JsonProperty("time_s") double timeS,
                            @JsonProperty("latency_share") double latencyShare,
                            @JsonProperty("nonlinear_energy_J") double nonlinearEnergyJ,
                            @JsonProperty("nonlinear_time_s") double nonlinearTimeS,
                            @JsonProperty("digital_unit") DigitalUnitFigures digitalUnit,
                            @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("operand_arrays")
                            OperandArrayFigures operandArrays,
                            @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("kv_cache") KvCache kvCache) {}

    /**
     * The digital unit: lanes and clock, operand bits, the energy of one multiply-accumulate at the design's node,
     * its area (not in the chip's {@code area}), the energy of everything it did in one inference and its busy time.
     */
    @JsonPropertyOrder({"lanes", "clock_Hz", "bits", "mac_energy_J", "area_mm2", "energy_J", "busy_s"})
    public record DigitalUnitFigures(int lanes, @JsonProperty("clock_Hz") double clockHz, int bits,
                                     @JsonProperty("mac_energy_J") double macEnergyJ,
                                     @JsonProperty("area_mm2") double areaMm2,
                                     @JsonProperty("energy_J") double energyJ,
                                     @JsonProperty("busy_s") double busyS) {}

    /**
     * Products' second operands written into arrays every inference: arrays they take (beyond the weights'), cells
     * written and their energy, the write time of one product (arrays written at once, rows one after another),
     * writes per cell per inference, the cells' endurance and the lifetime it gives at the inference rate achieved.
     */
    @JsonPropertyOrder({"arrays", "cells_written", "write_energy_J", "write_time_s", "writes_per_cell_per_inference",
            "endurance_cycles", "lifetime_years", "endurance_source"})
    public record OperandArrayFigures(long arrays,
                                      @JsonProperty("cells_written") double cellsWritten,
                                      @JsonProperty("write_energy_J") double writeEnergyJ,
                                      @JsonProperty("write_time_s") double writeTimeS,
                                      @JsonProperty("writes_per_cell_per_inference") double writesPerCellPerInference,
                                      @JsonProperty("endurance_cycles") double enduranceCycles,
                                      @JsonProperty("lifetime_years") double lifetimeYears,
                                      @JsonProperty("endurance_source") String enduranceSource) {}

    /**
     * A KV cache of {@code tokens} for autoregressive decoding: bits per token (every product's second operand, per
     * token of the sequence: 2 · layers · d · bits), its size, the bits written per generated token and read by the
     * last one; where it is held; against the buffer's capacity, or, in the arrays, the cells it takes, their
     * endurance and the lifetime when decoding runs at the network's token rate ({@code tokens_per_s}).
     */
    @JsonPropertyOrder({"tokens", "bits_per_token", "size_bits", "write_bits_per_token", "read_bits_last_token",
            "held_in", "buffer_bits", "fits", "cells", "tokens_per_s", "endurance_cycles", "lifetime_years"})
    public record KvCache(int tokens,
                          @JsonProperty("bits_per_token") double bitsPerToken,
                          @JsonProperty("size_bits") double sizeBits,
                          @JsonProperty("write_bits_per_token") double writeBitsPerToken,
                          @JsonProperty("read_bits_last_token") double readBitsLastToken,
                          @JsonProperty("held_in") String heldIn,
                          @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("buffer_bits") Double bufferBits,
                          @JsonInclude(JsonInclude.Include.NON_NULL) Boolean fits,
                          @JsonInclude(JsonInclude.Include.NON_NULL) Double cells,
                          @JsonProperty("tokens_per_s") double tokensPerS,
                          @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("endurance_cycles") Double enduranceCycles,
                          @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("lifetime_years") Double lifetimeYears) {}

    @JsonPropertyOrder({"name", "kind", "macs", "weight_bits", "arrays", "arrays_dense", "replication", "array_groups",
            "cycles", "time_s", "adc_conversions", "energy_J"})
    public record LayerLine(String name, String kind, long macs,
                        @JsonProperty("weight_bits") int weightBits, long arrays,
                        @JsonProperty("arrays_dense") long arraysDense, int replication,
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

    /**
     * Where one component's figures come from: {@code provenance} is {@code published}, {@code scaled} (with
     * {@code scaling} saying from what to what, by which model) or {@code estimated}; {@code source} as in the ledger.
     */
    @JsonPropertyOrder({"name", "level", "provenance", "scaling", "source"})
    public record ComponentLine(String name, String level, String provenance,
                                @JsonInclude(JsonInclude.Include.NON_NULL) String scaling, String source) {}
}
