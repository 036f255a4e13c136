package org.imcsim.mapping.place;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.imcsim.core.config.ConfigException;
import org.imcsim.core.config.SourceLocation;
import org.imcsim.core.cost.PipelineMode;
import org.imcsim.core.cost.Replication;
import org.imcsim.core.cost.SimulationOptions;
import org.imcsim.core.network.Conv2d;
import org.imcsim.core.network.Linear;
import org.imcsim.core.network.Network;
import org.imcsim.core.placement.ChipCrossing;
import org.imcsim.core.placement.LayerPlacement;
import org.imcsim.core.placement.Placement;
import org.imcsim.core.placement.TileClass;
import org.imcsim.core.tech.ArrayGeometry;
import org.imcsim.core.tech.ArrayModel;
import org.imcsim.core.tech.Design;
import org.imcsim.core.tech.Organization;

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
                         List<TileClass> tiles, long arraysPerCopy, double mvmSeconds) {}

    public static Placement place(Network net, Design design, SimulationOptions options) {
        ArrayGeometry g = design.geometry();
        Organization org = design.organization();
        List<Tiled> layers = new ArrayList<>();
        for (Network.Node node : net.nodes()) {
            if (node.layer() instanceof Conv2d c) {
                long positions = (long) node.outputShape().height() * node.outputShape().width();
                layers.add(tile(c.name(), c.matrixRows(), c.matrixCols(), c.groups(), positions, g, design.arrayModel()));
            } else if (node.layer() instanceof Linear l) {
                layers.add(tile(l.name(), l.inFeatures(), l.outFeatures(), 1, 1, g, design.arrayModel()));
            }
        }
        if (layers.isEmpty()) {
            throw ConfigException.inSource(SourceLocation.of(net.name()), "the network has no convolution or "
                    + "fully connected layer to place onto arrays");
        }

        long groupsPerChip = org.groupsPerChip();
        long minimumGroups = 0;
        for (Tiled t : layers) minimumGroups += groupsFor(t, 1, org);
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
        java.util.Arrays.fill(replication, 1);
        if (options.replication() == Replication.BALANCED) {
            balance(layers, org, budget, replication, options.pipeline());
        }

        List<LayerPlacement> placed = new ArrayList<>();
        List<ChipCrossing> crossings = new ArrayList<>();
        long next = 0;
        for (int i = 0; i < layers.size(); i++) {
            Tiled t = layers.get(i);
            long groups = groupsFor(t, replication[i], org);
            long first = next;
            next += groups;
            // The input comes from the chip holding the previous layer's last group (the first layer's from chip 0);
            // this layer's groups on any other chip receive their share of it over the links.
            long producerChip = first == 0 ? 0 : (first - 1) / groupsPerChip;
            long producerChipEnd = (producerChip + 1) * groupsPerChip;
            long local = Math.max(0, Math.min(next, producerChipEnd) - Math.max(first, producerChip * groupsPerChip));
            if (local < groups) crossings.add(new ChipCrossing(t.name(), (double) (groups - local) / groups));
            placed.add(new LayerPlacement(t.name(), t.rows(), t.cols(), t.groups(), t.mvms(), t.rowTiles(),
                    t.colTiles(), t.tiles(), t.arraysPerCopy(), replication[i], groups, first));
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
                arraysPerCopy, mvmSeconds);
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
     * ISAAC's balancing: find the shortest stage time T such that giving every layer the copies it needs to finish
     * its multiplies within T (ceil(mvms·t / T), at most one copy per multiply) fits the budget of array groups.
     * Minimizing the slowest stage is exactly the pipeline's throughput; in layer-by-layer mode it is used as a
     * heuristic for the sum, which it bounds.
     */
    private static void balance(List<Tiled> layers, Organization org, long budget, int[] replication, PipelineMode mode) {
        double lo = 0;
        double hi = 0;
        for (Tiled t : layers) {
            lo = Math.max(lo, t.mvmSeconds());
            hi = Math.max(hi, t.mvms() * t.mvmSeconds());
        }
        if (!fits(layers, org, budget, hi, null)) return; // one copy each is all that fits
        if (fits(layers, org, budget, lo, null)) {
            fits(layers, org, budget, lo, replication);
            return;
        }
        for (int iteration = 0; iteration < 100 && hi - lo > 1e-12 * hi; iteration++) {
            double mid = 0.5 * (lo + hi);
            if (fits(layers, org, budget, mid, null)) hi = mid;
            else lo = mid;
        }
        fits(layers, org, budget, hi, replication);
    }

    private static boolean fits(List<Tiled> layers, Organization org, long budget, double stageSeconds, int[] out) {
        long used = 0;
        for (int i = 0; i < layers.size(); i++) {
            Tiled t = layers.get(i);
            long copies = (long) Math.ceil(t.mvms() * t.mvmSeconds() / stageSeconds * (1 - 1e-12));
            copies = Math.max(1, Math.min(copies, t.mvms()));
            copies = Math.min(copies, Integer.MAX_VALUE);
            used += groupsFor(t, (int) copies, org);
            if (out != null) out[i] = (int) copies;
            if (used > budget && out == null) return false;
        }
        return used <= budget;
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
