package org.abacim.core.cost;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.abacim.core.network.Conv2d;
import org.abacim.core.network.ActivationProduct;
import org.abacim.core.network.Flatten;
import org.abacim.core.network.Rearrange;
import org.abacim.core.network.Softmax;
import org.abacim.core.network.Layer;
import org.abacim.core.network.Network;
import org.abacim.core.network.Pool;
import org.abacim.core.network.Shape;
import org.abacim.core.placement.LayerPlacement;
import org.abacim.core.placement.Placement;
import org.abacim.core.tech.Design;

/**
 * The second part of the cost model: when things happen. Every weighted layer is a stage that takes ⌈multiplies /
 * copies⌉ rounds of one multiply; every off-chip crossing is a stage of its own (bits over the link's bandwidth).
 * Layers priced apart (products of two activations, softmax, layer norm, GELU, erf) wait for their whole input and
 * take their own time; the digital unit is one stage whose time is all its work in an inference, a product written
 * into arrays a stage of its own. In the inter-layer pipeline the slowest stage sets the throughput and a layer
 * starts once its producers have made the rows its first window reads; layer by layer, the stages add up.
 *
 * @param stages every weighted layer's stage, in network order
 * @param latencyS seconds from an input's arrival to its last output
 * @param secondsPerInference seconds between inferences in steady state (1 / throughput)
 * @param bottleneck the stage that sets the throughput
 * @param digitalUnitSeconds the digital unit's busy time in one inference
 */
record Schedule(Map<String, Stage> stages, double latencyS, double secondsPerInference, String bottleneck,
                double digitalUnitSeconds) {
    /** One weighted layer: one multiply of all copies, the whole layer, and its copies. */
    record Stage(double mvmSeconds, double stageSeconds, int replication) {}

    /** How the slowest stage is named when the digital unit's work per inference sets the throughput. */
    static final String DIGITAL_UNIT = "digital unit";

    static Schedule of(Network net, Design design, Placement placement, LayerLedger ledger, PipelineMode mode) {
        Map<String, LayerPlacement> placed = placement.byLayer();
        Map<String, Stage> stages = new LinkedHashMap<>();
        for (Map.Entry<String, Double> e : ledger.multiplySeconds().entrySet()) {
            LayerPlacement lp = placed.get(e.getKey());
            long rounds = LayerLedger.ceilDiv(lp.mvms(), lp.replication());
            stages.put(e.getKey(), new Stage(e.getValue(), rounds * e.getValue(), lp.replication()));
        }
        List<Double> linkStages = new ArrayList<>();
        double bandwidth = placement.crossings().isEmpty() ? 0 : design.offChipBandwidth().orElseThrow().bitsPerSecond();
        for (LayerLedger.Link link : ledger.links()) linkStages.add(link.bits() / bandwidth);

        double slowest = 0;
        String bottleneck = "";
        for (Map.Entry<String, Stage> e : stages.entrySet()) {
            if (e.getValue().stageSeconds() > slowest) {
                slowest = e.getValue().stageSeconds();
                bottleneck = e.getKey();
            }
        }
        for (int i = 0; i < linkStages.size(); i++) {
            if (linkStages.get(i) > slowest) {
                slowest = linkStages.get(i);
                bottleneck = "off-chip link into " + ledger.links().get(i).layer();
            }
        }
        // Layers that are not weight-stationary: the digital unit is one stage for all the work it does in an
        // inference; a product written into arrays is a stage of its own (its arrays are its own).
        Map<String, LayerLedger.Unit> units = ledger.units();
        double digitalSeconds = 0;
        double unitTotal = 0;
        for (Map.Entry<String, LayerLedger.Unit> e : units.entrySet()) {
            LayerLedger.Unit u = e.getValue();
            unitTotal += u.seconds();
            if (u.onDigitalUnit()) {
                digitalSeconds += u.seconds();
            } else if (u.seconds() > slowest) {
                slowest = u.seconds();
                bottleneck = e.getKey();
            }
        }
        if (digitalSeconds > slowest) {
            slowest = digitalSeconds;
            bottleneck = DIGITAL_UNIT;
        }
        double linkTotal = linkStages.stream().mapToDouble(Double::doubleValue).sum();
        if (mode == PipelineMode.INTER_LAYER) {
            return new Schedule(stages, pipelineLatency(net, stages, placed, units) + linkTotal, slowest, bottleneck,
                    digitalSeconds);
        }
        double latency = stages.values().stream().mapToDouble(Stage::stageSeconds).sum() + linkTotal;
        if (!units.isEmpty()) latency += unitTotal;
        return new Schedule(stages, latency, latency, bottleneck, digitalSeconds);
    }

    /**
     * Latency of one input through the inter-layer pipeline: a layer starts once its producers have made the rows
     * its first window reads, and finishes no earlier than one multiply after its last producer finishes.
     */
    private static double pipelineLatency(Network net, Map<String, Stage> stages, Map<String, LayerPlacement> placed,
                                          Map<String, LayerLedger.Unit> units) {
        Map<String, Double> start = new HashMap<>();
        Map<String, Double> finish = new HashMap<>();
        double latency = 0;
        for (Network.Node node : net.nodes()) {
            Stage stage = stages.get(node.name());
            LayerLedger.Unit unit = units.get(node.name());
            if (stage == null && unit == null) continue;
            double begin = 0;
            double lastInput = 0;
            for (Source src : sources(net, node, placed, units)) {
                double ready;
                if (units.containsKey(src.layer())) {
                    // A unit layer hands over its whole output when it finishes.
                    ready = finish.get(src.layer());
                } else {
                    Stage s = stages.get(src.layer());
                    long positions = Math.min(src.need(), placed.get(src.layer()).mvms());
                    ready = start.get(src.layer()) + LayerLedger.ceilDiv(positions, s.replication()) * s.mvmSeconds();
                }
                begin = Math.max(begin, ready);
                lastInput = Math.max(lastInput, finish.get(src.layer()));
            }
            if (unit != null) {
                // Products and normalizations wait for their whole input, then take their own time.
                double end = Math.max(begin, lastInput) + unit.seconds();
                start.put(node.name(), Math.max(begin, lastInput));
                finish.put(node.name(), end);
                latency = Math.max(latency, end);
                continue;
            }
            double end = Math.max(begin + stage.stageSeconds(), lastInput + stage.mvmSeconds());
            start.put(node.name(), begin);
            finish.put(node.name(), end);
            latency = Math.max(latency, end);
        }
        return latency;
    }

    /** A weighted layer feeding another, and how many of its output positions the consumer's first multiply needs. */
    private record Source(String layer, long need) {}

    private static List<Source> sources(Network net, Network.Node consumer, Map<String, LayerPlacement> placed,
                                        Map<String, LayerLedger.Unit> units) {
        int rows = 1;
        boolean whole = true;
        if (consumer.layer() instanceof Conv2d c) {
            rows = Math.max(1, c.kernelH() - c.padH());
            whole = false;
        }
        List<Source> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String input : consumer.layer().inputs()) collect(net, input, rows, whole, placed, units, out, seen);
        return out;
    }

    private static void collect(Network net, String name, int rows, boolean whole, Map<String, LayerPlacement> placed,
                                Map<String, LayerLedger.Unit> units, List<Source> out, Set<String> seen) {
        // Each (layer, need) once: the paths back through an unrolled RNN's gates multiply with every step.
        if (!seen.add(name + "/" + rows + "/" + whole)) return;
        Network.Node node = net.node(name);
        if (units.containsKey(name)) {
            out.add(new Source(name, 0));
            return;
        }
        if (placed.containsKey(name)) {
            Shape s = node.outputShape();
            long positions = (long) s.height() * s.width();
            out.add(new Source(name, whole ? positions : Math.min(positions, (long) rows * s.width())));
            return;
        }
        Layer layer = node.layer();
        int needRows = rows;
        boolean needWhole = whole;
        if (layer instanceof Pool p) {
            if (p.global()) needWhole = true;
            else needRows = (rows - 1) * p.stride() + p.kernel();
        } else if (layer instanceof Flatten || layer instanceof ActivationProduct || layer instanceof Softmax
                || layer instanceof Rearrange r && r.movesData()) {
            // Every value of the input before the first output: a flattened vector, a transpose, a product of two
            // activations (each output reads a whole row of one and a whole column of the other), a softmax's row.
            needWhole = true;
        }
        for (String input : layer.inputs()) collect(net, input, needRows, needWhole, placed, units, out, seen);
    }
}
