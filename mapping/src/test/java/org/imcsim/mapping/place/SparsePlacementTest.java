package org.imcsim.mapping.place;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.imcsim.core.cost.ChipCount;
import org.imcsim.core.cost.PipelineMode;
import org.imcsim.core.cost.Replication;
import org.imcsim.core.cost.SimulationOptions;
import org.imcsim.core.network.Input;
import org.imcsim.core.network.LayerParams;
import org.imcsim.core.network.Linear;
import org.imcsim.core.network.Network;
import org.imcsim.core.network.Shape;
import org.imcsim.core.placement.LayerPlacement;
import org.imcsim.core.tech.SignEncoding;
import org.imcsim.core.tech.ToyDesign;
import org.imcsim.core.tensor.Tensor;
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
        ToyDesign d = new ToyDesign(4, 4, 64, SignEncoding.UNSIGNED);
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
        ToyDesign d = new ToyDesign(4, 4, 64, SignEncoding.DIFFERENTIAL);
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
        ToyDesign d = new ToyDesign(4, 4, 64, SignEncoding.UNSIGNED);
        int in = d.geometry().rows() * 2 + 3;
        int out = d.geometry().weightsPerRow() + 2;
        float[] w = new float[in * out];
        java.util.Arrays.fill(w, 1);
        LayerPlacement p = DensePlacer.place(fc(in, out, w), d, ONE_COPY).layers().get(0);
        assertThat(p.arrays()).isEqualTo(p.arraysDense()).isEqualTo(6);
    }

    static Network shapesOnly(int in, int out) {
        return Network.of("fc", "test", "test", List.of(new Input("input", Shape.vector(in)),
                new Linear("fc", "input", in, out, false)));
    }
}
