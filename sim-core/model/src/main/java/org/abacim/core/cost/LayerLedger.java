package org.abacim.core.cost;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.abacim.core.arch.Action;
import org.abacim.core.arch.Component;
import org.abacim.core.arch.Hierarchy;
import org.abacim.core.arch.Ledger;
import org.abacim.core.config.ConfigException;
import org.abacim.core.config.SourceLocation;
import org.abacim.core.network.Activation;
import org.abacim.core.network.Affine;
import org.abacim.core.network.ChannelNorm;
import org.abacim.core.network.Add;
import org.abacim.core.network.Conv2d;
import org.abacim.core.network.DynamicQuantization;
import org.abacim.core.network.Embedding;
import org.abacim.core.network.Mask;
import org.abacim.core.network.Layer;
import org.abacim.core.network.Linear;
import org.abacim.core.network.Multiply;
import org.abacim.core.network.Network;
import org.abacim.core.network.Pool;
import org.abacim.core.network.Quantization;
import org.abacim.core.network.Rearrange;
import org.abacim.core.network.Softmax;
import org.abacim.core.network.Shape;
import org.abacim.core.placement.ChipCrossing;
import org.abacim.core.placement.LayerPlacement;
import org.abacim.core.placement.Placement;
import org.abacim.core.placement.TileClass;
import org.abacim.core.result.Result;
import org.abacim.core.tech.ArrayGeometry;
import org.abacim.core.tech.Design;
import org.abacim.core.tech.MvmActivity;
import org.abacim.core.units.DataRate;

/**
 * The first part of the cost model: what one inference does, layer by layer. Each weighted layer gets a ledger of
 * its arrays' actions (priced by the design's array model) and of the shared dataflow around them (buffer, bus,
 * partial sums, output staging, router); layers without weights are charged to the layer that feeds them; crossings
 * between chips go over the off-chip links. Also records how long one multiply of each layer takes, through the
 * design's timing hook.
 *
 * @param byLayer every weighted layer's ledger, in network order
 * @param multiplySeconds every weighted layer's time for one multiply of all its copies
 * @param links the off-chip transfers: into which layer, and how many bits
 */
record LayerLedger(Map<String, Ledger> byLayer, Map<String, Double> multiplySeconds, List<Link> links) {
    /** Activations crossing into {@code layer} from another chip. */
    record Link(String layer, double bits) {}

    static LayerLedger count(Network net, Design design, Placement placement, Result.Activity activity) {
        Hierarchy h = design.hierarchy();
        ArrayGeometry g = design.geometry();
        Map<String, LayerPlacement> placed = placement.byLayer();
        int actBits = design.activationBits();
        Dataflow flow = new Dataflow(h);

        Map<String, Ledger> ledgers = new LinkedHashMap<>();
        Map<String, Double> multiplySeconds = new LinkedHashMap<>();
        Map<String, String> host = new HashMap<>();

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
                MvmActivity inputs = activity.layer(layer.name())
                        .map(a -> new MvmActivity(a.inputDigitDensity(), a.groupCycles(), a.arrayCycles()))
                        .orElse(MvmActivity.ASSUMED);
                for (TileClass t : lp.tiles()) {
                    design.arrayModel().countMvm(t.rows(), t.cols(), (double) t.count() * lp.mvms(), inputs, ledger);
                }
                multiplySeconds.put(layer.name(), design.multiplySeconds(lp, arrayOffset.get(layer.name()), inputs));
                // A Linear whose weights serve several layers (an unrolled RNN's steps) multiplies once per step.
                long steps = layer instanceof Linear ? lp.mvms() : 1;
                double fetchedBits = (double) inputFetchValues(node) * steps * actBits;
                long spread = Math.max(1, ceilDiv((long) lp.colTiles() * g.signEncoding().arraysPerMatrix(),
                        design.organization().arraysPerGroup()));
                flow.add(ledger, Action.BUFFER_READ, fetchedBits);
                // A compacted placement reads its row and column index with every multiply to route the inputs.
                flow.add(ledger, Action.BUFFER_READ, (double) lp.indexBitsPerCopy() * lp.mvms());
                flow.add(ledger, Action.BUS_TRANSFER, fetchedBits * spread);
                double outputs = (double) node.outputShape().elements() * steps;
                int partials = lp.rowTiles() * g.signEncoding().arraysPerMatrix() - 1;
                flow.add(ledger, Action.PARTIAL_SUM_ADD, outputs * partials);
                flow.add(ledger, Action.OUTPUT_BUFFER, outputs);
                flow.add(ledger, Action.ROUTER_TRANSFER, outputs * actBits);
                flow.add(ledger, Action.BUFFER_WRITE, outputs * actBits);
                continue;
            }
            // Layers without weights run on the tile units next to the layer that produced their input.
            // (The first input that has a host: a constant, read from the buffer, has none.)
            String owner = layer.inputs().stream().map(host::get).filter(Objects::nonNull).findFirst().orElse(null);
            if (owner != null) host.put(layer.name(), owner);
            Ledger ledger = owner == null ? null : ledgers.get(owner);
            if (ledger == null) continue;
            double elements = node.outputShape().elements();
            if (layer instanceof ChannelNorm) {
                // A pass for the position's mean and variance, one to normalize: two of the unit's steps.
                flow.add(ledger, Action.ACTIVATION, 2 * elements);
            } else if (layer instanceof Activation || layer instanceof Multiply || layer instanceof Quantization
                    || layer instanceof Mask
                    || layer instanceof DynamicQuantization || layer instanceof Affine) {
                // A product by a channel weight (or by σ(x)), or a model's own requantization (a scale and an
                // offset), takes the activation unit's element-wise step.
                flow.add(ledger, Action.ACTIVATION, elements);
            } else if (layer instanceof Softmax) {
                // An exponential and a division per value.
                flow.add(ledger, Action.ACTIVATION, 2 * elements);
            } else if (layer instanceof Embedding) {
                // A lookup reads each token's row from the buffer.
                flow.add(ledger, Action.BUFFER_READ, elements * actBits);
            } else if (layer instanceof Rearrange r && r.movesData()) {
                // A transpose reads every value from the buffer and writes it back in its new place.
                flow.add(ledger, Action.BUFFER_READ, elements * actBits);
                flow.add(ledger, Action.BUFFER_WRITE, elements * actBits);
            } else if (layer instanceof Pool) {
                flow.add(ledger, Action.POOL, node.inputShapes().get(0).elements());
            } else if (layer instanceof Add a) {
                flow.add(ledger, Action.PARTIAL_SUM_ADD, elements * (a.inputs().size() - 1));
                flow.add(ledger, Action.BUFFER_READ, elements * actBits * (a.inputs().size() - 1));
            }
        }

        // Activations that cross a chip boundary go over the off-chip links.
        List<Link> links = new ArrayList<>();
        if (!placement.crossings().isEmpty()) {
            Optional<Component> offChip = h.performer(Action.OFFCHIP_TRANSFER);
            DataRate bandwidth = design.offChipBandwidth().orElse(null);
            if (offChip.isEmpty() || bandwidth == null) {
                throw ConfigException.inSource(SourceLocation.of(design.info().name()), "the network needs "
                        + placement.chips() + " chips but the design has no off-chip link to join them");
            }
            for (ChipCrossing crossing : placement.crossings()) {
                double bits = crossing.fraction() * net.node(crossing.layer()).inputShapes().get(0).elements() * actBits;
                ledgers.get(crossing.layer()).add(offChip.get(), Action.OFFCHIP_TRANSFER, bits);
                links.add(new Link(crossing.layer(), bits));
            }
        }
        return new LayerLedger(ledgers, multiplySeconds, links);
    }

    /** The components of the shared dataflow, each looked up once; an action the design lacks costs nothing. */
    private static final class Dataflow {
        private final Map<Action, Optional<Component>> performers = new HashMap<>();
        private final Hierarchy hierarchy;

        Dataflow(Hierarchy hierarchy) {
            this.hierarchy = hierarchy;
        }

        void add(Ledger ledger, Action action, double count) {
            Optional<Component> c = performers.computeIfAbsent(action, hierarchy::performer);
            if (c.isPresent() && count > 0) ledger.add(c.get(), action, count);
        }
    }

    /** The total of every layer's ledger. */
    Ledger total() {
        Ledger total = new Ledger();
        for (Ledger l : byLayer.values()) total.addAll(l);
        return total;
    }

    double offchipBits() {
        double bits = 0;
        for (Link l : links) bits += l.bits();
        return bits;
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

    static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
