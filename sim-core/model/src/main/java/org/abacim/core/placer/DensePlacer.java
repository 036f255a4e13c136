package org.abacim.core.placer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.abacim.core.arch.Action;
import org.abacim.core.arch.Ledger;
import org.abacim.core.config.ConfigException;
import org.abacim.core.config.SourceLocation;
import org.abacim.core.cost.PipelineMode;
import org.abacim.core.cost.Replication;
import org.abacim.core.cost.SimulationOptions;
import org.abacim.core.network.Conv2d;
import org.abacim.core.network.LayerParams;
import org.abacim.core.network.Linear;
import org.abacim.core.network.Network;
import org.abacim.core.network.WeightGrid;
import org.abacim.core.placement.ChipCrossing;
import org.abacim.core.placement.LayerPlacement;
import org.abacim.core.placement.Placement;
import org.abacim.core.placement.TileClass;
import org.abacim.core.tech.ArrayGeometry;
import org.abacim.core.tech.ArrayModel;
import org.abacim.core.tech.Design;
import org.abacim.core.tech.Organization;
import org.abacim.core.tech.PlacementConstraint;

/**
 * Dense placement: every weighted layer becomes its im2col weight matrix (rows = input channels × kernel area,
 * columns = output channels), each weight is sliced into cells side by side in one array row, the matrix is tiled
 * onto arrays (a weight's cells never straddle two arrays), whole array groups are allocated per layer, and
 * layers are replicated to balance the pipeline within the chips' budget. Layers are laid out on chips in
 * network order; a chip boundary makes the activations at that point cross the off-chip links.
 */
public final class DensePlacer {
    private DensePlacer() {}

    /** A layer before allocation: its tiling, multiply count and time per multiply. */
    private record Tiled(String name, int rows, int cols, int groups, long mvms, int rowTiles, int colTiles,
                         List<TileClass> tiles, long arraysPerCopy, double mvmSeconds, long denseArraysPerCopy,
                         long indexBitsPerCopy, int weightBits) {}

    public static Placement place(Network net, Design design, SimulationOptions options) {
        ArrayGeometry g = design.geometry();
        Organization org = design.organization();
        // What reading one index bit from the tile buffer costs (0 for designs without a buffer).
        double indexBitJ = design.hierarchy().performer(Action.BUFFER_READ)
                .map(c -> c.energy(Action.BUFFER_READ).joules()).orElse(0.0);
        boolean rowCompaction = design.placementConstraints().stream().allMatch(PlacementConstraint::allowsRowCompaction);
        List<Tiled> layers = new ArrayList<>();
        // A layer that reuses an earlier layer's weights (an unrolled RNN's step) multiplies on that layer's arrays:
        // it takes none of its own, and its multiplies are the owner's, one after another.
        Map<String, String> shared = net.hasParams() ? net.sharedWeights() : Map.of();
        Map<String, Long> uses = new HashMap<>();
        for (String owner : shared.values()) uses.merge(owner, 1L, Long::sum);
        for (Network.Node node : net.nodes()) {
            if (shared.containsKey(node.name())) continue;
            long times = 1 + uses.getOrDefault(node.name(), 0L);
            float[] weights = weightsOf(net, node);
            if (weights != null) check(net, node, weights, design.placementConstraints());
            // A layer quantized narrower than the design stores its codes in fewer cells; its credit is measured
            // against the dense mapping at the design's width.
            ArrayGeometry layerGeometry = weights == null ? g : WeightGrid.below(weights, g.weightBits())
                    .map(grid -> g.withWeightBits(grid.bits())).orElse(g);
            if (node.layer() instanceof Conv2d c) {
                long positions = (long) node.outputShape().height() * node.outputShape().width();
                Tiled dense = tile(c.name(), c.matrixRows(), c.matrixCols(), c.groups(), positions * times, g, design.arrayModel());
                layers.add(weights != null
                        ? SparseTiling.tile(dense, weights, c.groups(), layerGeometry, design.arrayModel(), indexBitJ,
                                rowCompaction)
                        : dense);
            } else if (node.layer() instanceof Linear l) {
                Tiled dense = tile(l.name(), l.inFeatures(), l.outFeatures(), 1, times, g, design.arrayModel());
                layers.add(weights != null
                        ? SparseTiling.tile(dense, weights, 1, layerGeometry, design.arrayModel(), indexBitJ, rowCompaction)
                        : dense);
            }
        }
        if (layers.isEmpty()) {
            throw ConfigException.inSource(SourceLocation.of(net.name()), "the network has no convolution or "
                    + "fully connected layer to place onto arrays");
        }

        long groupsPerChip = org.groupsPerChip();
        long minimumGroups = 0;
        // Arrays that take turns in a group can hold several layers' weights (CAP-RAM keeps layers resident side by
        // side): layers then pack arrays into groups in network order instead of taking whole groups.
        boolean packed = org.arraysTakeTurns();
        long minimumArrays = 0;
        for (Tiled t : layers) {
            minimumGroups += groupsFor(t, 1, org);
            minimumArrays += t.arraysPerCopy();
        }
        if (packed) minimumGroups = ceilDiv(minimumArrays, org.arraysPerGroup());
        int chips;
        if (options.chips().isAuto()) {
            chips = (int) Math.max(1, ceilDiv(minimumGroups, groupsPerChip));
        } else {
            chips = options.chips().fixed();
            long needed = ceilDiv(minimumGroups, groupsPerChip);
            if (needed > chips) {
                throw new ConfigException(null, "simulation.chips", String.valueOf(chips),
                        "the network's weights need at least " + needed + " chips of " + groupsPerChip + " "
                                + org.groupName() + "s (" + minimumGroups + " " + org.groupName() + "s in all)");
            }
        }
        long budget = chips * groupsPerChip;

        int[] replication = new int[layers.size()];
        Arrays.fill(replication, 1);
        if (options.replication() == Replication.BALANCED) {
            balance(layers, org, budget, replication, options.pipeline(), packed, uses.keySet());
        }

        List<LayerPlacement> placed = new ArrayList<>();
        List<ChipCrossing> crossings = new ArrayList<>();
        long next = 0;
        long nextArray = 0;
        for (int i = 0; i < layers.size(); i++) {
            Tiled t = layers.get(i);
            long groups = groupsFor(t, replication[i], org);
            long first = next;
            if (packed) {
                first = nextArray / org.arraysPerGroup();
                nextArray += t.arraysPerCopy() * replication[i];
                groups = (nextArray - 1) / org.arraysPerGroup() - first + 1;
            }
            next = first + groups;
            // The input comes from the chip holding the previous layer's last group (the first layer's from chip 0);
            // this layer's groups on any other chip receive their share of it over the links.
            long producerChip = first == 0 ? 0 : (first - 1) / groupsPerChip;
            long producerChipEnd = (producerChip + 1) * groupsPerChip;
            long local = Math.max(0, Math.min(next, producerChipEnd) - Math.max(first, producerChip * groupsPerChip));
            if (local < groups) crossings.add(new ChipCrossing(t.name(), (double) (groups - local) / groups));
            placed.add(new LayerPlacement(t.name(), t.rows(), t.cols(), t.groups(), t.mvms(), t.rowTiles(),
                    t.colTiles(), t.tiles(), t.arraysPerCopy(), replication[i], groups, first, t.denseArraysPerCopy(),
                    t.indexBitsPerCopy(), t.weightBits()));
        }
        return new Placement(placed, chips, groupsPerChip, crossings,
                "dense, " + options.replication().key() + " replication");
    }

    private static Tiled tile(String name, int rows, int cols, int groups, long mvms, ArrayGeometry g, ArrayModel model) {
        int weightsPerArrayRow = g.weightsPerRow();
        int rowTiles = (int) ceilDiv(rows, g.rows());
        int colTiles = (int) ceilDiv(cols, weightsPerArrayRow);
        int lastRows = rows - (rowTiles - 1) * g.rows();
        int fullCols = weightsPerArrayRow * g.cellsPerWeight();
        int lastCols = (cols - (colTiles - 1) * weightsPerArrayRow) * g.cellsPerWeight();
        long multiplier = (long) groups * g.signEncoding().arraysPerMatrix();
        Map<Long, TileClass> classes = new LinkedHashMap<>();
        addClass(classes, g.rows(), fullCols, (long) (rowTiles - 1) * (colTiles - 1) * multiplier);
        addClass(classes, g.rows(), lastCols, (long) (rowTiles - 1) * multiplier);
        addClass(classes, lastRows, fullCols, (long) (colTiles - 1) * multiplier);
        addClass(classes, lastRows, lastCols, multiplier);
        double mvmSeconds = 0;
        for (TileClass t : classes.values()) mvmSeconds = Math.max(mvmSeconds, model.mvmSeconds(t.rows(), t.cols()));
        long arraysPerCopy = (long) rowTiles * colTiles * multiplier;
        return new Tiled(name, rows, cols, groups, mvms, rowTiles, colTiles, List.copyOf(classes.values()),
                arraysPerCopy, mvmSeconds, arraysPerCopy, 0, g.weightBits());
    }

    /** Whether every weighted layer of {@code net} meets the design's placement constraints. */
    public static boolean fits(Network net, Design design) {
        for (Network.Node node : net.nodes()) {
            float[] w = weightsOf(net, node);
            if (w == null) continue;
            for (PlacementConstraint c : design.placementConstraints()) {
                if (c.violation(w, outputs(node)).isPresent()) return false;
            }
        }
        return true;
    }

    /** The design's constraints on one layer's weights; the first violation is a user error naming the layer. */
    static void check(Network net, Network.Node node, float[] w, List<PlacementConstraint> constraints) {
        for (PlacementConstraint c : constraints) {
            c.violation(w, outputs(node)).ifPresent(why -> {
                throw ConfigException.inSource(SourceLocation.of(net.name()), "layer " + node.name() + ": " + why);
            });
        }
    }

    private static int outputs(Network.Node node) {
        return node.layer() instanceof Conv2d c ? c.outChannels() : ((Linear) node.layer()).outFeatures();
    }

    /** The weights of a layer when the network carries them (a model), laid out [out][k]; else null. */
    private static float[] weightsOf(Network net, Network.Node node) {
        if (!net.hasParams()) return null;
        var p = net.params(node.name());
        return p instanceof LayerParams.Dense d ? d.weight().data() : null;
    }

    /**
     * Hardware credit for compressed weights: rows no weight uses and columns (filters) that are all zero are
     * compacted away (the periphery routes the remaining inputs and outputs by index), then the compacted matrix
     * is tiled and only arrays holding a non-zero weight are allocated — per sign for differential pairs, whose
     * positive or negative array is left out when its block has no weight of that sign. A dense model gets
     * exactly the dense tiling.
     */
    static final class SparseTiling {
        private SparseTiling() {}

        static Tiled tile(Tiled dense, float[] w, int groups, ArrayGeometry g, ArrayModel model, double indexBitJ,
                          boolean rowCompaction) {
            if (groups != 1) {
                // Grouped convolutions get no sparsity credit (yet), only their weights' width.
                Tiled t = DensePlacer.tile(dense.name(), dense.rows(), dense.cols(), groups, dense.mvms(), g, model);
                return new Tiled(t.name(), t.rows(), t.cols(), t.groups(), t.mvms(), t.rowTiles(), t.colTiles(),
                        t.tiles(), t.arraysPerCopy(), t.mvmSeconds(), dense.arraysPerCopy(), 0, g.weightBits());
            }
            int k = dense.rows();
            int out = dense.cols();
            boolean[] rowUsed = new boolean[k];
            boolean[] colUsed = new boolean[out];
            for (int o = 0; o < out; o++) {
                for (int r = 0; r < k; r++) {
                    if (w[o * k + r] != 0) {
                        rowUsed[r] = true;
                        colUsed[o] = true;
                    }
                }
            }
            int[] rows = indices(rowUsed);
            int[] cols = indices(colUsed);
            if (rows.length == 0) {
                // A layer pruned away entirely still needs somewhere to produce its (bias-only) outputs: one array.
                rows = new int[] {0};
                cols = new int[] {0};
            }
            // Three ways to lay the surviving weights out; the placer takes the cheapest. Keeping the original
            // alignment keeps pruned crossbar blocks whole and needs no index; compacting the rows and filters no
            // weight uses helps filter and column pruning; packing each column tile's own used rows gives irregular
            // sparsity its credit, at one index entry per row per tile.
            Tiled aligned = tiled(dense, w, all(out), perTile(all(k), out, g), false, g, model);
            List<Tiled> options;
            if (!rowCompaction) {
                // Rows come in fixed runs (fragments): only whole columns (filters) may be compacted away.
                options = List.of(tiled(dense, w, cols, perTile(all(k), cols.length, g), cols.length < out, g, model));
            } else {
                options = List.of(tiled(dense, w, cols, perTile(rows, cols.length, g), cols.length < out, g, model),
                        tiled(dense, w, cols, usedPerTile(w, k, cols, g), cols.length < out, g, model));
            }
            // Fewest arrays first; then the least energy per multiply: the arrays' own actions (rows driven,
            // columns converted) and the index read that routes the inputs.
            Comparator<Tiled> cheaper = Comparator.comparingLong(Tiled::arraysPerCopy)
                    .thenComparingDouble(t -> mvmEnergyJ(t, model, indexBitJ));
            Tiled best = aligned;
            for (Tiled t : options) if (cheaper.compare(t, best) < 0) best = t;
            return best;
        }

        private static double mvmEnergyJ(Tiled t, ArrayModel model, double indexBitJ) {
            Ledger ledger = new Ledger();
            for (TileClass c : t.tiles()) model.countMvm(c.rows(), c.cols(), c.count(), ledger);
            return ledger.energyJ() + t.indexBitsPerCopy() * indexBitJ;
        }

        private static int[] all(int n) {
            int[] idx = new int[n];
            for (int i = 0; i < n; i++) idx[i] = i;
            return idx;
        }

        /** The same row list for every column tile. */
        private static int[][] perTile(int[] rows, int cols, ArrayGeometry g) {
            int[][] lists = new int[(int) ceilDiv(cols, g.weightsPerRow())][];
            Arrays.fill(lists, rows);
            return lists;
        }

        /** For each column tile of the kept columns, the rows some weight in that tile uses (at least one). */
        private static int[][] usedPerTile(float[] w, int k, int[] cols, ArrayGeometry g) {
            int perRow = g.weightsPerRow();
            int[][] lists = new int[(int) ceilDiv(cols.length, perRow)][];
            for (int ct = 0; ct < lists.length; ct++) {
                boolean[] used = new boolean[k];
                for (int c = ct * perRow; c < Math.min(cols.length, (ct + 1) * perRow); c++) {
                    for (int r = 0; r < k; r++) if (w[cols[c] * k + r] != 0) used[r] = true;
                }
                lists[ct] = indices(used);
                if (lists[ct].length == 0) lists[ct] = new int[] {0};
            }
            return lists;
        }

        /** Bits to name one of {@code n} positions. */
        private static int indexWidth(int n) {
            return n <= 1 ? 1 : 32 - Integer.numberOfLeadingZeros(n - 1);
        }

        /**
         * Tiles the kept columns, column tile {@code ct} taking rows {@code rowsPerTile[ct]} of the matrix. Index
         * storage: a row list that is not the identity costs ⌈log2 k⌉ bits per entry, a column list (when columns
         * were compacted) ⌈log2 out⌉ bits per kept column.
         */
        private static Tiled tiled(Tiled dense, float[] w, int[] cols, int[][] rowsPerTile, boolean colIndex,
                                   ArrayGeometry g, ArrayModel model) {
            int k = dense.rows();
            int perRow = g.weightsPerRow();
            int colTiles = rowsPerTile.length;
            int rowTiles = 0;
            long indexBits = colIndex ? (long) cols.length * indexWidth(dense.cols()) : 0;
            boolean differential = g.signEncoding().arraysPerMatrix() == 2; // a pair: each sign its own array
            Map<Long, TileClass> classes = new LinkedHashMap<>();
            long arrays = 0;
            for (int ct = 0; ct < colTiles; ct++) {
                int[] rows = rowsPerTile[ct];
                if (rows.length < k) indexBits += (long) rows.length * indexWidth(k);
                int tilesHere = (int) ceilDiv(rows.length, g.rows());
                rowTiles = Math.max(rowTiles, tilesHere);
                int c0 = ct * perRow;
                int c1 = Math.min(cols.length, c0 + perRow);
                for (int rt = 0; rt < tilesHere; rt++) {
                    int r0 = rt * g.rows();
                    int r1 = Math.min(rows.length, r0 + g.rows());
                    boolean pos = false;
                    boolean neg = false;
                    for (int c = c0; c < c1; c++) {
                        for (int r = r0; r < r1; r++) {
                            float v = w[cols[c] * k + rows[r]];
                            if (v > 0) pos = true;
                            else if (v < 0) neg = true;
                        }
                    }
                    long count = differential ? (pos ? 1 : 0) + (neg ? 1 : 0) : (pos || neg ? 1 : 0);
                    if (count == 0) continue;
                    addClass(classes, r1 - r0, (c1 - c0) * g.cellsPerWeight(), count);
                    arrays += count;
                }
            }
            if (arrays == 0) {
                addClass(classes, 1, g.cellsPerWeight(), 1);
                arrays = 1;
            }
            double mvmSeconds = 0;
            for (TileClass t : classes.values()) mvmSeconds = Math.max(mvmSeconds, model.mvmSeconds(t.rows(), t.cols()));
            return new Tiled(dense.name(), dense.rows(), dense.cols(), dense.groups(), dense.mvms(), rowTiles,
                    colTiles, List.copyOf(classes.values()), arrays, mvmSeconds, dense.arraysPerCopy(), indexBits,
                    g.weightBits());
        }

        private static int[] indices(boolean[] used) {
            int n = 0;
            for (boolean u : used) if (u) n++;
            int[] idx = new int[n];
            n = 0;
            for (int i = 0; i < used.length; i++) if (used[i]) idx[n++] = i;
            return idx;
        }
    }

    private static void addClass(Map<Long, TileClass> classes, int rows, int cols, long count) {
        if (count <= 0) return;
        long key = ((long) rows << 32) | cols;
        TileClass existing = classes.get(key);
        classes.put(key, new TileClass(rows, cols, existing == null ? count : existing.count() + count));
    }

    private static long groupsFor(Tiled t, int copies, Organization org) {
        return ceilDiv(t.arraysPerCopy() * copies, org.arraysPerGroup());
    }

    /**
     * ISAAC's balancing in whole rounds: the copies that minimise the slowest real stage (⌈multiplies ÷ copies⌉
     * multiplies of one multiply's time) within the budget of array groups, then the fewest arrays
     * ({@link StageBalancer}). Minimising the slowest stage is exactly the pipeline's throughput; in layer-by-layer
     * mode it is used as a heuristic for the sum, which it bounds.
     */
    private static void balance(List<Tiled> layers, Organization org, long budget, int[] replication, PipelineMode mode,
                                boolean packed, Set<String> sequential) {
        int n = layers.size();
        long[] mvms = new long[n];
        double[] seconds = new double[n];
        for (int i = 0; i < n; i++) {
            mvms[i] = layers.get(i).mvms();
            seconds[i] = layers.get(i).mvmSeconds();
            if (sequential.contains(layers.get(i).name())) {
                // A recurrent matrix's steps wait for each other: copies cannot share them out.
                seconds[i] *= mvms[i];
                mvms[i] = 1;
            }
        }
        // Whole groups per layer, or — when layers pack arrays into shared groups — arrays against the budget's.
        StageBalancer.Cost cost = packed
                ? (i, copies) -> layers.get(i).arraysPerCopy() * copies
                : (i, copies) -> ceilDiv(layers.get(i).arraysPerCopy() * copies, org.arraysPerGroup());
        long capacity = packed ? budget * org.arraysPerGroup() : budget;
        int[] copies = StageBalancer.balance(mvms, seconds, cost, capacity);
        System.arraycopy(copies, 0, replication, 0, n);
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
