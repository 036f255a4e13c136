package org.abacim.core.placement;

import java.util.List;

/**
 * One weighted layer placed onto arrays.
 *
 * @param layer the layer's name in the network
 * @param matrixRows rows of one group's weight matrix (im2col: input channels × kernel area)
 * @param matrixCols columns of one group's weight matrix (output channels)
 * @param groups convolution groups, each its own matrix
 * @param mvms matrix-vector multiplies one inference needs (output positions)
 * @param rowTiles arrays stacked along the matrix rows, whose partial sums are added
 * @param colTiles arrays side by side along the matrix columns
 * @param tiles the arrays of one copy, by how much of each is used
 * @param arraysPerCopy arrays one copy of the weights takes
 * @param replication copies of the weights working on different output positions
 * @param arrayGroups array groups (IMAs) allocated to all copies
 * @param firstGroup index of the first of them, counting across chips in allocation order
 * @param denseArraysPerCopy arrays one copy would take if every weight were stored (equal to {@code arraysPerCopy}
 *     unless compressed weights let the placer drop all-zero rows, columns and arrays)
 * @param indexBitsPerCopy index storage one copy needs to route inputs to compacted rows and outputs from
 *     compacted columns (0 for a dense or aligned placement)
 * @param weightBits bits each stored weight takes: the design's, or fewer for a layer quantized narrower
 *     ({@link org.abacim.core.network.WeightGrid}); 0 when the placer did not look (the design's)
 */
public record LayerPlacement(String layer, int matrixRows, int matrixCols, int groups, long mvms, int rowTiles,
                             int colTiles, List<TileClass> tiles, long arraysPerCopy, int replication,
                             long arrayGroups, long firstGroup, long denseArraysPerCopy,
                             long indexBitsPerCopy, int weightBits) {
    public LayerPlacement {
        tiles = List.copyOf(tiles);
        if (replication <= 0) throw new IllegalArgumentException(layer + ": replication must be positive");
    }

    /** A dense placement (no compression credit). */
    public LayerPlacement(String layer, int matrixRows, int matrixCols, int groups, long mvms, int rowTiles,
                          int colTiles, List<TileClass> tiles, long arraysPerCopy, int replication, long arrayGroups,
                          long firstGroup) {
        this(layer, matrixRows, matrixCols, groups, mvms, rowTiles, colTiles, tiles, arraysPerCopy, replication,
                arrayGroups, firstGroup, arraysPerCopy, 0, 0);
    }

    public long arrays() { return arraysPerCopy * replication; }

    public long arraysDense() { return denseArraysPerCopy * replication; }

    /** Index storage of all copies, in bits. */
    public long indexBits() { return indexBitsPerCopy * replication; }
}
