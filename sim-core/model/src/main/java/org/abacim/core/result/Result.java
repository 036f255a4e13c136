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
@JsonPropertyOrder({"design", "network", "chips", "area", "power", "peak", "inference", "compression", "accuracy",
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
        List<ComponentLine> components) {

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
                compression, programming, warnings, components);
    }

    /** The same result with {@code more} warnings after its own (the same result when there are none). */
    public Result withWarnings(List<String> more) {
        if (more.isEmpty()) return this;
        List<String> all = new ArrayList<>(warnings);
        all.addAll(more);
        return new Result(design, network, chips, area, power, peak, inference, layers, energyLedger, accuracy, activity,
                compression, programming, List.copyOf(all), components);
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
