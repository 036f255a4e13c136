package org.imcsim.core.cost;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.imcsim.core.arch.Action;
import org.imcsim.core.arch.Component;
import org.imcsim.core.arch.Hierarchy;
import org.imcsim.core.arch.Ledger;
import org.imcsim.core.config.ConfigException;
import org.imcsim.core.config.SourceLocation;
import org.imcsim.core.network.Activation;
import org.imcsim.core.network.Add;
import org.imcsim.core.network.Conv2d;
import org.imcsim.core.network.Flatten;
import org.imcsim.core.network.Layer;
import org.imcsim.core.network.Linear;
import org.imcsim.core.network.Network;
import org.imcsim.core.network.Pool;
import org.imcsim.core.network.Shape;
import org.imcsim.core.placement.ChipCrossing;
import org.imcsim.core.placement.LayerPlacement;
import org.imcsim.core.placement.Placement;
import org.imcsim.core.placement.TileClass;
import org.imcsim.core.result.Result;
import org.imcsim.core.tech.ArrayGeometry;
import org.imcsim.core.tech.ArrayModel;
import org.imcsim.core.tech.Design;
import org.imcsim.core.units.DataRate;

/**
 * The analytical cost engine: counts the actions of one inference per layer, prices them through the design's
 * components, times every pipeline stage from its input cycles and replication, and rolls up area and power.
 * Microseconds to a millisecond per design point, so sweeps of thousands of points stay interactive.
 */
public final class CostEngine {
    private CostEngine() {}

    /** Per weighted layer: when its first multiply can start and when its last finishes. */
    private record Stage(double mvmSeconds, double stageSeconds, int replication) {}

    public static Result evaluate(Network net, Design design, Placement placement, SimulationOptions options) {
        return evaluate(net, design, placement, options, Result.Activity.assumed());
    }

    /** As {@link #evaluate(Network, Design, Placement, SimulationOptions)}, pricing array activity as measured. */
    public static Result evaluate(Network net, Design design, Placement placement, SimulationOptions options,
                                  Result.Activity activity) {
        Hierarchy h = design.hierarchy();
        ArrayGeometry g = design.geometry();
        ArrayModel arrays = design.arrayModel();
        Map<String, LayerPlacement> placed = placement.byLayer();
        int actBits = design.activationBits();

        Optional<Component> bufferRead = h.performer(Action.BUFFER_READ);
        Optional<Component> bufferWrite = h.performer(Action.BUFFER_WRITE);
        Optional<Component> bus = h.performer(Action.BUS_TRANSFER);
        Optional<Component> router = h.performer(Action.ROUTER_TRANSFER);
        Optional<Component> adder = h.performer(Action.PARTIAL_SUM_ADD);
        Optional<Component> outputBuffer = h.performer(Action.OUTPUT_BUFFER);
        Optional<Component> activation = h.performer(Action.ACTIVATION);
        Optional<Component> pool = h.performer(Action.POOL);
        Optional<Component> offChip = h.performer(Action.OFFCHIP_TRANSFER);

        Map<String, Ledger> ledgers = new LinkedHashMap<>();
        Map<String, String> host = new HashMap<>();
        Map<String, Stage> stages = new LinkedHashMap<>();

        // Where each layer's arrays start when layers pack arrays into shared groups (placement order).
        Map<String, Long> arrayOffset = new HashMap<>();
        long offset = 0;
        for (LayerPlacement lp : placement.layers()) {
            arrayOffset.put(lp.layer(), offset);
            offset += lp.arrays();
        }

        for (Network.Node node : net.nodes()) {
            Layer layer = node.layer();
            LayerPlacement lp = placed.get(layer.name());
            if (lp != null) {
                host.put(layer.name(), layer.name());
                Ledger ledger = new Ledger();
                ledgers.put(layer.name(), ledger);
                double mvmSeconds = 0;
                org.imcsim.core.tech.MvmActivity inputs = activity.layer(layer.name())
                        .map(a -> new org.imcsim.core.tech.MvmActivity(a.inputDigitDensity(), a.groupCycles(), a.arrayCycles()))
                        .orElse(org.imcsim.core.tech.MvmActivity.ASSUMED);
                double turnSeconds = 0;
                for (TileClass t : lp.tiles()) {
                    arrays.countMvm(t.rows(), t.cols(), (double) t.count() * lp.mvms(), inputs, ledger);
                    mvmSeconds = Math.max(mvmSeconds, arrays.mvmSeconds(t.rows(), t.cols(), inputs));
                    turnSeconds += t.count() * arrays.mvmSeconds(t.rows(), t.cols(), inputs);
                }
                if (design.organization().arraysTakeTurns()) {
                    // The arrays of a group share their compute circuits: a copy's arrays in one group run in turn,
                    // groups in parallel. Layers pack arrays in placement order, so each copy's place is known.
                    long most = mostArraysInOneGroup(arrayOffset.get(layer.name()), lp.arraysPerCopy(),
                            lp.replication(), design.organization().arraysPerGroup());
                    mvmSeconds = Math.max(mvmSeconds, turnSeconds * most / lp.arraysPerCopy());
                }
                double fetchedBits = (double) inputFetchValues(node) * actBits;
                long spread = Math.max(1, ceilDiv((long) lp.colTiles() * g.signEncoding().arraysPerMatrix(),
                        design.organization().arraysPerGroup()));
                add(ledger, bufferRead, Action.BUFFER_READ, fetchedBits);
                // A compacted placement reads its row and column index with every multiply to route the inputs.
                add(ledger, bufferRead, Action.BUFFER_READ, (double) lp.indexBitsPerCopy() * lp.mvms());
                add(ledger, bus, Action.BUS_TRANSFER, fetchedBits * spread);
                double outputs = node.outputShape().elements();
                int partials = lp.rowTiles() * g.signEncoding().arraysPerMatrix() - 1;
                add(ledger, adder, Action.PARTIAL_SUM_ADD, outputs * partials);
                add(ledger, outputBuffer, Action.OUTPUT_BUFFER, outputs);
                add(ledger, router, Action.ROUTER_TRANSFER, outputs * actBits);
                add(ledger, bufferWrite, Action.BUFFER_WRITE, outputs * actBits);
                long rounds = ceilDiv(lp.mvms(), lp.replication());
                stages.put(layer.name(), new Stage(mvmSeconds, rounds * mvmSeconds, lp.replication()));
                continue;
            }
            // Layers without weights run on the tile units next to the layer that produced their input.
            String owner = layer.inputs().isEmpty() ? null : host.get(layer.inputs().get(0));
            if (owner != null) host.put(layer.name(), owner);
            Ledger ledger = owner == null ? null : ledgers.get(owner);
            if (ledger == null) continue;
            double elements = node.outputShape().elements();
            if (layer instanceof Activation) {
                add(ledger, activation, Action.ACTIVATION, elements);
            } else if (layer instanceof Pool) {
                add(ledger, pool, Action.POOL, node.inputShapes().get(0).elements());
            } else if (layer instanceof Add a) {
                add(ledger, adder, Action.PARTIAL_SUM_ADD, elements * (a.inputs().size() - 1));
                add(ledger, bufferRead, Action.BUFFER_READ, elements * actBits * (a.inputs().size() - 1));
            }
        }

        // Activations that cross a chip boundary go over the off-chip links: energy, and a stage of their own.
        double offchipBits = 0;
        List<Double> linkStages = new ArrayList<>();
        if (!placement.crossings().isEmpty()) {
            DataRate bandwidth = design.offChipBandwidth().orElse(null);
            if (offChip.isEmpty() || bandwidth == null) {
                throw ConfigException.inSource(SourceLocation.of(design.info().name()), "the network needs "
                        + placement.chips() + " chips but the design has no off-chip link to join them");
            }
            for (ChipCrossing crossing : placement.crossings()) {
                double bits = crossing.fraction() * net.node(crossing.layer()).inputShapes().get(0).elements() * actBits;
                offchipBits += bits;
                ledgers.get(crossing.layer()).add(offChip.get(), Action.OFFCHIP_TRANSFER, bits);
                linkStages.add(bits / bandwidth.bitsPerSecond());
            }
        }

        // Timing.
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
                bottleneck = "off-chip link into " + placement.crossings().get(i).layer();
            }
        }
        double linkTotal = linkStages.stream().mapToDouble(Double::doubleValue).sum();
        double latency;
        double secondsPerInference;
        if (options.pipeline() == PipelineMode.INTER_LAYER) {
            latency = pipelineLatency(net, stages, placed) + linkTotal;
            secondsPerInference = slowest;
        } else {
            latency = stages.values().stream().mapToDouble(Stage::stageSeconds).sum() + linkTotal;
            secondsPerInference = latency;
        }
        double fps = 1 / secondsPerInference;

        // Energy.
        Ledger total = new Ledger();
        for (Ledger l : ledgers.values()) total.addAll(l);
        double leakageJ = h.leakage().watts() * placement.chips() * secondsPerInference;
        Map<String, Double> energyBreakdown = new LinkedHashMap<>(total.energyByComponentJ());
        if (leakageJ > 0) energyBreakdown.put("leakage", leakageJ);
        double energyJ = total.energyJ() + leakageJ;

        // Peak: every array of a chip multiplying with every row and column in use.
        int fullCols = g.weightsPerRow() * g.cellsPerWeight();
        double macsPerArrayPerSecond = (double) g.weightsPerArray() / g.signEncoding().arraysPerMatrix()
                / arrays.mvmSeconds(g.rows(), fullCols);
        long arraysPerChip = design.organization().arraysPerChip();
        double peakGops = 2 * macsPerArrayPerSecond * design.organization().arraysActivePerChip() / 1e9;
        double areaMm2 = h.area().squareMillimeters();
        double powerW = h.power().watts();
        double storageMb = (double) arraysPerChip * g.rows() * g.cols() * g.bitsPerCell() / 8 / (1 << 20);

        long macs = net.macs();
        double inferenceGops = 2.0 * macs * fps / 1e9;

        List<Result.Layer> layerReports = new ArrayList<>();
        for (LayerPlacement lp : placement.layers()) {
            Stage s = stages.get(lp.layer());
            Ledger l = ledgers.get(lp.layer());
            Network.Node node = net.node(lp.layer());
            layerReports.add(new Result.Layer(lp.layer(), kind(node.layer()), Network.macs(node),
                    lp.weightBits() > 0 ? lp.weightBits() : g.weightBits(), lp.arrays(),
                    lp.arraysDense(), lp.replication(), lp.arrayGroups(), (long) Math.ceil(s.stageSeconds() * design.clock().hertz() - 1e-6),
                    s.stageSeconds(), l.count(Action.ADC_CONVERT), l.energyJ()));
        }
        List<Result.LedgerLine> ledgerLines = new ArrayList<>();
        for (Ledger.Line line : total.lines()) {
            ledgerLines.add(new Result.LedgerLine(line.component().name(), line.action().key(), line.count(),
                    line.energyPerActionJ(), line.energyJ(), line.component().source()));
        }

        return new Result(
                new Result.DesignSummary(design.info().technology(), design.info().name(), design.info().description(),
                        design.info().source(), options.pipeline().key(), options.replication().key()),
                new Result.NetworkSummary(net.name(), net.description(), net.source(), macs, net.weights()),
                placement.chips(),
                new Result.Area(areaMm2, toMm2(h.areaBreakdown())),
                new Result.Power(powerW, toWatts(h.powerBreakdown())),
                new Result.Peak(peakGops, peakGops / areaMm2, peakGops / powerW, storageMb / areaMm2),
                new Result.Inference(fps, latency, energyJ, energyBreakdown, inferenceGops, 2.0 * macs / energyJ / 1e12,
                        inferenceGops / (peakGops * placement.chips()), placement.arrays(), placement.arrayGroups(),
                        offchipBits, bottleneck),
                layerReports, ledgerLines, null, activity, compression(net, placement),
                programming(design, placement), warnings(h));
    }

    /** Every component's warnings (used outside its source data), once each, in hierarchy order. */
    private static List<String> warnings(Hierarchy h) {
        java.util.LinkedHashSet<String> all = new java.util.LinkedHashSet<>();
        for (Component c : h.components()) all.addAll(c.warnings());
        return List.copyOf(all);
    }

    /** The cost of writing every copy's weights once, for designs that price cell writes and model their time. */
    private static Result.Programming programming(Design design, Placement placement) {
        Optional<Component> writer = design.hierarchy().performer(Action.CELL_WRITE);
        if (writer.isEmpty()) return null;
        long cells = 0;
        double seconds = 0;
        for (LayerPlacement lp : placement.layers()) {
            for (org.imcsim.core.placement.TileClass t : lp.tiles()) {
                cells += (long) t.rows() * t.cols() * t.count() * lp.replication();
                seconds = Math.max(seconds, design.arrayModel().writeSeconds(t.rows(), t.cols()));
            }
        }
        if (Double.isNaN(seconds)) return null;
        return new Result.Programming(cells, cells * writer.get().energy(Action.CELL_WRITE).joules(), seconds);
    }

    /** Weight and array totals for a network that carries weights; null for shapes only. */
    private static Result.Compression compression(Network net, Placement placement) {
        if (!net.hasParams()) return null;
        long weights = 0;
        long kept = 0;
        for (LayerPlacement lp : placement.layers()) {
            if (net.params(lp.layer()) instanceof org.imcsim.core.network.LayerParams.Dense d) {
                for (float v : d.weight().data()) {
                    weights++;
                    if (v != 0) kept++;
                }
            }
        }
        long arrays = placement.layers().stream().mapToLong(LayerPlacement::arrays).sum();
        long dense = placement.layers().stream().mapToLong(LayerPlacement::arraysDense).sum();
        long indexBits = placement.layers().stream().mapToLong(LayerPlacement::indexBits).sum();
        return new Result.Compression(weights, kept, arrays, dense, dense - arrays, indexBits);
    }

    /**
     * Latency of one input through the inter-layer pipeline: a layer starts once its producers have made the rows
     * its first window reads, and finishes no earlier than one multiply after its last producer finishes.
     */
    private static double pipelineLatency(Network net, Map<String, Stage> stages, Map<String, LayerPlacement> placed) {
        Map<String, Double> start = new HashMap<>();
        Map<String, Double> finish = new HashMap<>();
        double latency = 0;
        for (Network.Node node : net.nodes()) {
            Stage stage = stages.get(node.name());
            if (stage == null) continue;
            double begin = 0;
            double lastInput = 0;
            for (Source src : sources(net, node, placed)) {
                Stage s = stages.get(src.layer());
                long positions = Math.min(src.need(), placed.get(src.layer()).mvms());
                double ready = start.get(src.layer()) + ceilDiv(positions, s.replication()) * s.mvmSeconds();
                begin = Math.max(begin, ready);
                lastInput = Math.max(lastInput, finish.get(src.layer()));
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

    private static List<Source> sources(Network net, Network.Node consumer, Map<String, LayerPlacement> placed) {
        int rows = 1;
        boolean whole = true;
        if (consumer.layer() instanceof Conv2d c) {
            rows = Math.max(1, c.kernelH() - c.padH());
            whole = false;
        }
        List<Source> out = new ArrayList<>();
        for (String input : consumer.layer().inputs()) collect(net, input, rows, whole, placed, out);
        return out;
    }

    private static void collect(Network net, String name, int rows, boolean whole, Map<String, LayerPlacement> placed,
                                List<Source> out) {
        Network.Node node = net.node(name);
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
        } else if (layer instanceof Flatten) {
            needWhole = true;
        }
        for (String input : layer.inputs()) collect(net, input, needRows, needWhole, placed, out);
    }

    /**
     * Input values a layer fetches from the buffer per inference. A sliding window reuses what it already holds:
     * each output row starts with a full window, then each step brings in only the columns it moves by.
     */
    static long inputFetchValues(Network.Node node) {
        if (node.layer() instanceof Conv2d c) {
            Shape out = node.outputShape();
            long window = (long) c.inChannels() * c.kernelH() * c.kernelW();
            long step = (long) c.inChannels() * c.kernelH() * Math.min(c.kernelW(), c.strideW());
            return out.height() * (window + (long) (out.width() - 1) * Math.min(window, step));
        }
        if (node.layer() instanceof Linear l) return l.inFeatures();
        return 0;
    }

    private static String kind(Layer layer) {
        return layer instanceof Conv2d ? "conv" : layer instanceof Linear ? "linear" : layer.getClass().getSimpleName();
    }

    /** The most arrays any one copy has in a single group, copies laid out one after another from {@code start}. */
    static long mostArraysInOneGroup(long start, long arraysPerCopy, int copies, int arraysPerGroup) {
        long most = 0;
        for (int j = 0; j < copies; j++) {
            long from = start + j * arraysPerCopy;
            long to = from + arraysPerCopy;
            for (long g = from / arraysPerGroup; g * arraysPerGroup < to; g++) {
                most = Math.max(most, Math.min(to, (g + 1) * arraysPerGroup) - Math.max(from, g * arraysPerGroup));
            }
            if (most == Math.min(arraysPerCopy, arraysPerGroup)) break; // cannot get worse
        }
        return most;
    }

    private static void add(Ledger ledger, Optional<Component> c, Action action, double count) {
        if (c.isPresent() && count > 0) ledger.add(c.get(), action, count);
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    private static Map<String, Double> toMm2(Map<String, org.imcsim.core.units.Area> m) {
        Map<String, Double> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, v.squareMillimeters()));
        return out;
    }

    private static Map<String, Double> toWatts(Map<String, org.imcsim.core.units.Power> m) {
        Map<String, Double> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, v.watts()));
        return out;
    }
}
