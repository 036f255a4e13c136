package org.abacim.mapping.place;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.abacim.core.cost.ChipCount;
import org.abacim.core.cost.PipelineMode;
import org.abacim.core.cost.Replication;
import org.abacim.core.cost.SimulationOptions;
import org.abacim.core.network.Input;
import org.abacim.core.network.LayerParams;
import org.abacim.core.network.Linear;
import org.abacim.core.network.Network;
import org.abacim.core.network.Shape;
import org.abacim.core.placement.LayerPlacement;
import org.abacim.core.placer.DensePlacer;
import org.abacim.core.result.Result;
import org.abacim.core.tech.TestEncoding;
import org.abacim.core.tech.ToyDesign;
import org.abacim.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Compressed weights get hardware credit: all-zero arrays, rows and filters are not allocated (issue #6). */
class SparsePlacementTest {
    static final SimulationOptions ONE_COPY = new SimulationOptions(PipelineMode.INTER_LAYER, Replication.NONE, ChipCount.AUTO);

    static Network fc(int in, int out, float[] w) {
        Network shapes = Network.of("fc", "test", "test", List.of(new Input("input", Shape.vector(in)),
                new Linear("fc", "input", in, out, false)));
        return shapes.withParams(Map.of("fc", new LayerParams.Dense(new Tensor(new int[] {out, in}, w), null)));
    }

    @Test
    void onlyArraysHoldingAWeightAreAllocated() {
        ToyDesign d = new ToyDesign(4, 4, 64, TestEncoding.UNSIGNED);
        int rows = d.geometry().rows();
        int per = d.geometry().weightsPerRow();
        // A 3 × 3 grid of array-sized blocks; weights only in the diagonal blocks.
        int in = 3 * rows;
        int out = 3 * per;
        float[] w = new float[in * out];
        for (int b = 0; b < 3; b++) w[(b * per) * in + b * rows] = 1;
        LayerPlacement dense = DensePlacer.place(shapesOnly(in, out), d, ONE_COPY).layers().get(0);
        LayerPlacement sparse = DensePlacer.place(fc(in, out, w), d, ONE_COPY).layers().get(0);
        assertThat(dense.arraysPerCopy()).isEqualTo(9);
        assertThat(sparse.arraysDense()).isEqualTo(9);
        // Compaction keeps 3 rows and 3 columns: one array holds them all.
        assertThat(sparse.arrays()).isEqualTo(1);
    }

    @Test
    void differentialPairsLeaveOutTheArrayOfAnAbsentSign() {
        ToyDesign d = new ToyDesign(4, 4, 64, TestEncoding.DIFFERENTIAL);
        int rows = d.geometry().rows();
        int per = d.geometry().weightsPerRow();
        float[] w = new float[rows * per];
        java.util.Arrays.fill(w, 0.5f); // every weight positive: no negative array
        LayerPlacement p = DensePlacer.place(fc(rows, per, w), d, ONE_COPY).layers().get(0);
        assertThat(p.arraysDense()).isEqualTo(2);
        assertThat(p.arrays()).isEqualTo(1);
        w[0] = -1;
        assertThat(DensePlacer.place(fc(rows, per, w), d, ONE_COPY).layers().get(0).arrays()).isEqualTo(2);
    }

    @Test
    void aDenseModelGetsTheDenseTiling() {
        ToyDesign d = new ToyDesign(4, 4, 64, TestEncoding.UNSIGNED);
        int in = d.geometry().rows() * 2 + 3;
        int out = d.geometry().weightsPerRow() + 2;
        float[] w = new float[in * out];
        java.util.Arrays.fill(w, 1);
        LayerPlacement p = DensePlacer.place(fc(in, out, w), d, ONE_COPY).layers().get(0);
        assertThat(p.arrays()).isEqualTo(p.arraysDense()).isEqualTo(6);
    }

    @Test
    void aLayerQuantizedNarrowerThanTheDesignTakesFewerCells() {
        // 8-bit weights in 4-bit cells (differential): two cells each, 4 weights per 8-cell row; a layer on a 4-bit
        // grid (levels ±7 of one step) needs one cell each, 8 weights per row.
        var g = new org.abacim.core.tech.ArrayGeometry(8, 8, 8, 4, 8, 1, TestEncoding.DIFFERENTIAL);
        ToyDesign d = new ToyDesign(g, 64);
        int in = 8;
        int out = 8;
        float[] w = new float[in * out];
        for (int i = 0; i < w.length; i++) w[i] = 0.05f * (1 + i % 7); // all positive, levels 1..7
        LayerPlacement p = DensePlacer.place(fc(in, out, w), d, ONE_COPY).layers().get(0);
        assertThat(p.arraysDense()).isEqualTo(4);  // 2 column tiles × a differential pair
        assertThat(p.arrays()).isEqualTo(1);       // one column tile, positive array only
        assertThat(p.weightBits()).isEqualTo(4);
        assertThat(p.tiles()).singleElement().satisfies(t -> assertThat(t.cols()).isEqualTo(8));
        // Off the grid (a weight between levels): the design's width, two column tiles.
        w[5] = 0.0512f;
        LayerPlacement off = DensePlacer.place(fc(in, out, w), d, ONE_COPY).layers().get(0);
        assertThat(off.weightBits()).isEqualTo(8);
        assertThat(off.arrays()).isEqualTo(2);
    }

    @Test
    void compactedCrossbarBlocksTakeOneArrayPairEach() {
        ToyDesign d = new ToyDesign(4, 4, 64, TestEncoding.DIFFERENTIAL);
        int rows = d.geometry().rows();
        int per = d.geometry().weightsPerRow();
        int in = 5 * rows + 1;
        int out = 4 * per - 1;
        float[] w = new float[in * out];
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        for (int i = 0; i < w.length; i++) w[i] = (float) random.nextGaussian();
        // 6 × 4 blocks, keep 5: five blocks of scattered rows and filters, each a differential pair.
        float[] z = new org.abacim.mapping.compress.Projection.CompactBlocks(rows, per, 5 / 24.0).project(w, in, out);
        LayerPlacement p = DensePlacer.place(fc(in, out, z), d, ONE_COPY).layers().get(0);
        assertThat(p.arraysDense()).isEqualTo(48);
        assertThat(p.arrays()).isEqualTo(10);
        assertThat(p.indexBitsPerCopy()).isPositive(); // the rows each column tile reads are named by index
    }

    @Test
    void irregularSparsityIsPackedPerColumnTileAndChargedItsIndex() {
        ToyDesign d = new ToyDesign(4, 4, 64, TestEncoding.UNSIGNED);
        int rows = d.geometry().rows();
        int per = d.geometry().weightsPerRow();
        int in = 2 * rows;
        int out = 2 * per;
        // Column tile 0 uses rows {0, 5, 6, 7}, column tile 1 rows {1, 2, 3, 4}: aligned tiling and global row
        // compaction both need 4 arrays; packing each column tile's own rows needs 2, with an 8-entry row index.
        float[] w = new float[in * out];
        int[][] used = {{0, 5, 6, 7}, {1, 2, 3, 4}};
        for (int ct = 0; ct < 2; ct++) {
            for (int r : used[ct]) w[(ct * per) * in + r] = 1;
            for (int c = 1; c < per; c++) w[(ct * per + c) * in + used[ct][0]] = 1;
        }
        LayerPlacement p = DensePlacer.place(fc(in, out, w), d, ONE_COPY).layers().get(0);
        assertThat(p.arraysDense()).isEqualTo(4);
        assertThat(p.arrays()).isEqualTo(2);
        assertThat(p.indexBitsPerCopy()).isEqualTo(8 * 3); // 8 entries of ⌈log2 8⌉ bits

        // Blocks that keep their alignment need no index.
        float[] blocks = new float[in * out];
        for (int c = 0; c < per; c++) for (int r = 0; r < rows; r++) blocks[c * in + r] = 1;
        LayerPlacement aligned = DensePlacer.place(fc(in, out, blocks), d, ONE_COPY).layers().get(0);
        assertThat(aligned.arrays()).isEqualTo(1);
        assertThat(aligned.indexBitsPerCopy()).isZero();
    }

    @Test
    void theIndexIsReadWithEveryMultiply() {
        ToyDesign d = new ToyDesign(4, 4, 64, TestEncoding.UNSIGNED);
        int rows = d.geometry().rows();
        int per = d.geometry().weightsPerRow();
        int in = 2 * rows;
        float[] w = new float[in * per];
        for (int c = 0; c < per; c++) {
            w[c * in] = 1;
            w[c * in + rows + 1] = 1; // rows 0 and 5 used: compacted onto one array, 2 index entries of 3 bits
        }
        Network net = fc(in, per, w);
        var placement = DensePlacer.place(net, d, ONE_COPY);
        assertThat(placement.layers().get(0).indexBitsPerCopy()).isEqualTo(6);
        var result = org.abacim.core.cost.CostModel.evaluate(net, d, placement, ONE_COPY);
        assertThat(result.compression().indexBits()).isEqualTo(6);
        double bufferBits = result.energyLedger().stream().filter(l -> l.action().equals("buffer_read"))
                .mapToDouble(Result.LedgerLine::count).sum();
        assertThat(bufferBits).isEqualTo(in * d.activationBits() + 6); // the inputs fetched, plus the index once
    }

    @Test
    void polarizedArraysNeedNoSecondArrayForNegativeWeights() {
        // Which weights polarized arrays refuse is FORMS's placement constraint (crossbar-reram's
        // PolarizedFragmentsTest); here the encoding's geometry alone: magnitudes in one array, signs elsewhere.
        ToyDesign d = new ToyDesign(4, 4, 64, TestEncoding.POLARIZED);
        int rows = d.geometry().rows();
        int per = d.geometry().weightsPerRow();
        float[] w = new float[rows * per];
        java.util.Arrays.fill(w, 0.5f);
        for (int r = 0; r < rows; r++) w[r] = -0.5f; // output 0 all negative: one sign per fragment
        LayerPlacement p = DensePlacer.place(fc(rows, per, w), d, ONE_COPY).layers().get(0);
        assertThat(p.arrays()).isEqualTo(1); // no second array for the negative weights
    }

    static Network shapesOnly(int in, int out) {
        return Network.of("fc", "test", "test", List.of(new Input("input", Shape.vector(in)),
                new Linear("fc", "input", in, out, false)));
    }
}
