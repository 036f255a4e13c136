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
import org.abacim.core.network.ActivationProduct;
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
import org.abacim.core.network.RecurrentGates;
import org.abacim.core.network.Network;
import org.abacim.core.network.Pool;
import org.abacim.core.network.Quantization;
import org.abacim.core.network.Rearrange;
import org.abacim.core.network.Shape;
import org.abacim.core.network.Softmax;
import org.abacim.core.placement.ChipCrossing;
import org.abacim.core.placement.LayerPlacement;
import org.abacim.core.placement.Placement;
import org.abacim.core.placement.TileClass;
import org.abacim.core.result.Result;
import org.abacim.core.tech.ArrayGeometry;
import org.abacim.core.tech.Design;
import org.abacim.core.tech.MvmActivity;
import org.abacim.core.tech.OperandWrites;
import org.abacim.core.units.DataRate;

/**
 * The first part of the cost model: what one inference does, layer by layer. Each weighted layer gets a ledger of
 * its arrays' actions (priced by the design's array model) and of the shared dataflow around them (buffer, bus,
 * partial sums, output staging, router); layers without weights are charged to the layer that feeds them, except
 * what is not weight-stationary (docs/design/attention-costs.md): products of two activations, softmax, layer norm,
 * GELU and erf get a ledger and a time of their own ({@link Unit}), on the digital unit or, for products with
 * {@code attention.products: arrays}, in arrays written every inference; crossings between chips go over the
 * off-chip links. Also records how long one multiply of each layer takes, through the design's timing hook.
 *
 * @param byLayer every weighted layer's ledger, in network order
 * @param multiplySeconds every weighted layer's time for one multiply of all its copies
 * @param links the off-chip transfers: into which layer, and how many bits
 * @param units the layers priced apart, in network order
 * @param digital the digital unit they run on
 */
record LayerLedger(Map<String, Ledger> byLayer, Map<String, Double> multiplySeconds, List<Link> links,
                   Map<String, Unit> units, DigitalUnit digital) {
    /** Activations crossing into {@code layer} from another chip. */
    record Link(String layer, double bits) {}

    /** What a unit layer is: a product of two activations, or a non-linear layer on the digital unit. */
    enum UnitKind {
        PRODUCT("product"), SOFTMAX("softmax"), LAYER_NORM("layer norm"), GELU("gelu"), ERF("erf");

        final String label;

        UnitKind(String label) { this.label = label; }
    }

    /**
     * A layer that is not weight-stationary, priced apart from the weighted layers: its own ledger and time.
     *
     * @param onDigitalUnit whether it runs on the digital unit (whose time all such layers share)
     * @param macs multiply-accumulates (products only)
     * @param attention whether it is attention's own work: a product of activations or a softmax over rows
     * @param operands the arrays a product written into the arrays used, or null
     */
    record Unit(UnitKind kind, Ledger ledger, double seconds, boolean onDigitalUnit, long macs, boolean attention,
                OperandArrays operands) {}

    /**
     * A product's second operand written into arrays: arrays it takes, cells written per inference, the time to
     * write them (all arrays at once) and one multiply's time, the multiplies (rows of the first operand) and the
     * writes each cell takes per inference.
     */
    record OperandArrays(long arrays, double cellsWritten, double writeSeconds, double mvmSeconds, long mvms,
                         double writesPerCellPerInference) {}

    static LayerLedger count(Network net, Design design, Placement placement, Result.Activity activity) {
        return count(net, design, placement, activity, AttentionOptions.standard());
    }

    static LayerLedger count(Network net, Design design, Placement placement, Result.Activity activity,
                             AttentionOptions attention) {
        Hierarchy h = design.hierarchy();
        ArrayGeometry g = design.geometry();
        Map<String, LayerPlacement> placed = placement.byLayer();
        int actBits = design.activationBits();
        Dataflow flow = new Dataflow(h);

        Map<String, Ledger> ledgers = new LinkedHashMap<>();
        Map<String, Double> multiplySeconds = new LinkedHashMap<>();
        Map<String, String> host = new HashMap<>();
        Map<String, Unit> units = new LinkedHashMap<>();
        DigitalUnit digital = DigitalUnit.of(attention.digital(), design);

        // Where each layer's arrays start when layers pack arrays into shared groups (placement order).
        Map<String, Long> arrayOffset = new HashMap<>();
        long offset = 0;
        for (LayerPlacement lp : placement.layers()) {
            arrayOffset.put(lp.layer(), offset);
            offset += lp.arrays();
        }
        // Operands written into arrays take arrays after every weight's.
        long operandOffset = offset;

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
                long steps = stepsServed(layer, lp);
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
            double elements = node.outputShape().elements();
            // Products of two activations and the non-linear layers of transformers have ledgers of their own.
            if (layer instanceof ActivationProduct p) {
                Unit unit = attention.products() == AttentionOptions.ProductHome.DIGITAL
                        ? productOnDigitalUnit(node, p, actBits, digital, flow)
                        : productInArrays(node, p, design, operandOffset, flow);
                if (unit.operands() != null) operandOffset += unit.operands().arrays();
                units.put(layer.name(), unit);
                continue;
            }
            AttentionOptions.ElementOps ops = digital.opsOf(layer);
            if (ops != null) {
                Ledger own = new Ledger();
                double rows = elements / rowLength(layer, node.outputShape());
                double seconds = digital.elementwise(own, ops, elements, rows);
                boolean rowSoftmax = layer instanceof Softmax s && s.axis() == Softmax.Axis.WIDTH;
                units.put(layer.name(), new Unit(kindOf(layer), own, seconds, true, 0, rowSoftmax, null));
                continue;
            }
            Ledger ledger = owner == null ? null : ledgers.get(owner);
            if (ledger == null) continue;
            if (layer instanceof Activation || layer instanceof Multiply || layer instanceof Quantization
                    || layer instanceof Mask
                    || layer instanceof DynamicQuantization || layer instanceof Affine) {
                // A product by a channel weight (or by σ(x)), or a model's own requantization (a scale and an
                // offset), takes the activation unit's element-wise step.
                flow.add(ledger, Action.ACTIVATION, elements);
            } else if (layer instanceof RecurrentGates gates) {
                // A recurrent step's gates: what its unrolled adds, activations and products would take.
                flow.add(ledger, Action.ACTIVATION, gates.activationOps());
                flow.add(ledger, Action.PARTIAL_SUM_ADD, gates.additions());
                flow.add(ledger, Action.BUFFER_READ, gates.additions() * actBits);
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
        return new LayerLedger(ledgers, multiplySeconds, links, units, digital);
    }

    /**
     * How many times a placed layer's own input and output pass per inference: a Linear whose weights serve several
     * layers (an unrolled RNN's steps) multiplies once per step, its placement's multiplies; any other layer once.
     */
    static long stepsServed(Layer layer, LayerPlacement lp) {
        return layer instanceof Linear ? lp.mvms() : 1;
    }

    /** Values one softmax or norm normalizes over: a row's width, a vector's features, a position's channels. */
    private static double rowLength(Layer layer, Shape out) {
        if (layer instanceof Softmax s) return s.span(out);
        if (layer instanceof ChannelNorm) return out.channels();
        return out.elements();
    }

    private static UnitKind kindOf(Layer layer) {
        if (layer instanceof Softmax) return UnitKind.SOFTMAX;
        if (layer instanceof ChannelNorm) return UnitKind.LAYER_NORM;
        return layer instanceof Activation a && a.kind() == Activation.Kind.ERF ? UnitKind.ERF : UnitKind.GELU;
    }

    /**
     * A product on the digital unit: both operands read from the buffer, one multiply-accumulate per MAC, the result
     * written back.
     */
    private static Unit productOnDigitalUnit(Network.Node node, ActivationProduct p, int actBits, DigitalUnit digital,
                                             Dataflow flow) {
        int[] d = p.dims(node.inputShapes().get(0), node.inputShapes().get(1));
        long macs = p.macs(node.inputShapes().get(0), node.inputShapes().get(1));
        Ledger ledger = new Ledger();
        flow.add(ledger, Action.BUFFER_READ, ((double) d[0] * d[1] * d[2] + (double) d[0] * d[2] * d[3]) * actBits);
        double seconds = digital.macs(ledger, macs);
        flow.add(ledger, Action.BUFFER_WRITE, (double) d[0] * d[1] * d[3] * actBits);
        return new Unit(UnitKind.PRODUCT, ledger, seconds, true, macs, true, null);
    }

    /**
     * A product with its second operand (B: K × N per channel) written into arrays every inference, then the first
     * operand's M rows multiplied through them as a weighted layer's inputs are. A value of the activation's bits
     * takes ⌈activation bits / weight bits⌉ weight slots side by side (bit-sliced like a wide weight). Every channel
     * has its own arrays, written at once, a row of cells after another ({@code writeSeconds}); each cell is written
     * once per inference.
     */
    private static Unit productInArrays(Network.Node node, ActivationProduct p, Design design, long firstArray,
                                        Dataflow flow) {
        OperandWrites writes = design.operandWrites().orElseThrow(() -> new ConfigException(null,
                "attention.products", "arrays", "technology " + design.info().technology() + " does not model "
                + "writing its cells every inference; use digital"));
        ArrayGeometry g = design.geometry();
        int actBits = design.activationBits();
        int[] d = p.dims(node.inputShapes().get(0), node.inputShapes().get(1));
        int channels = d[0], m = d[1], k = d[2], n = d[3];
        long slots = ceilDiv(actBits, g.weightBits());
        long weightCols = n * slots;
        int perRow = g.weightsPerRow();
        int cpw = g.cellsPerWeight();
        int rowTiles = (int) ceilDiv(k, g.rows());
        int colTiles = (int) ceilDiv(weightCols, perRow);
        int lastRows = k - (rowTiles - 1) * g.rows();
        int lastCols = (int) (weightCols - (long) (colTiles - 1) * perRow);
        long perTile = (long) channels * g.signEncoding().arraysPerMatrix();
        Map<Long, TileClass> classes = new LinkedHashMap<>();
        for (int rt = 0; rt < rowTiles; rt++) {
            for (int ct = 0; ct < colTiles; ct++) {
                int rows = rt == rowTiles - 1 ? lastRows : g.rows();
                int cols = (ct == colTiles - 1 ? lastCols : perRow) * cpw;
                long key = ((long) rows << 32) | cols;
                TileClass had = classes.get(key);
                classes.put(key, new TileClass(rows, cols, had == null ? perTile : had.count() + perTile));
            }
        }
        List<TileClass> tiles = List.copyOf(classes.values());
        Ledger ledger = new Ledger();
        double cells = 0;
        double writeSeconds = 0;
        long arrays = 0;
        for (TileClass t : tiles) {
            design.arrayModel().countMvm(t.rows(), t.cols(), (double) t.count() * m, MvmActivity.ASSUMED, ledger);
            cells += (double) t.rows() * t.cols() * t.count();
            arrays += t.count();
            writeSeconds = Math.max(writeSeconds, design.arrayModel().writeSeconds(t.rows(), t.cols()));
        }
        if (Double.isNaN(writeSeconds)) {
            throw new ConfigException(null, "attention.products", "arrays", "technology "
                    + design.info().technology() + " prices cell writes but gives no write time; use digital");
        }
        ledger.add(writes.writer(), Action.OPERAND_WRITE, cells);
        double aBits = (double) channels * m * k * actBits;
        double bBits = (double) channels * k * n * actBits;
        long spread = Math.max(1, ceilDiv((long) colTiles * g.signEncoding().arraysPerMatrix(),
                design.organization().arraysPerGroup()));
        flow.add(ledger, Action.BUFFER_READ, aBits + bBits);
        flow.add(ledger, Action.BUS_TRANSFER, aBits * spread + bBits);
        double outputs = (double) channels * m * n;
        flow.add(ledger, Action.PARTIAL_SUM_ADD, outputs * (rowTiles * g.signEncoding().arraysPerMatrix() - 1));
        flow.add(ledger, Action.OUTPUT_BUFFER, outputs);
        flow.add(ledger, Action.ROUTER_TRANSFER, outputs * actBits);
        flow.add(ledger, Action.BUFFER_WRITE, outputs * actBits);
        long groups = ceilDiv(arrays, design.organization().arraysPerGroup());
        LayerPlacement asPlaced = new LayerPlacement(p.name(), k, (int) Math.min(Integer.MAX_VALUE, weightCols),
                channels, m, rowTiles, colTiles, tiles, arrays, 1, groups, 0);
        double mvmSeconds = design.multiplySeconds(asPlaced, firstArray, MvmActivity.ASSUMED);
        OperandArrays operands = new OperandArrays(arrays, cells, writeSeconds, mvmSeconds, m, 1);
        return new Unit(UnitKind.PRODUCT, ledger, writeSeconds + m * mvmSeconds, false,
                p.macs(node.inputShapes().get(0), node.inputShapes().get(1)), true, operands);
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
        for (Unit u : units.values()) total.addAll(u.ledger());
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
