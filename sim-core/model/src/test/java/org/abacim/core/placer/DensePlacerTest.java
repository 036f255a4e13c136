package org.abacim.core.placer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.abacim.core.config.ConfigException;
import org.abacim.core.cost.ChipCount;
import org.abacim.core.cost.PipelineMode;
import org.abacim.core.cost.Replication;
import org.abacim.core.cost.SimulationOptions;
import org.abacim.core.network.Network;
import org.abacim.core.network.NetworkBuilder;
import org.abacim.core.placement.LayerPlacement;
import org.abacim.core.placement.Placement;
import org.abacim.core.placement.TileClass;
import org.abacim.core.tech.ToyDesign;
import org.junit.jupiter.api.Test;

class DensePlacerTest {
    private static final SimulationOptions NO_COPIES =
            new SimulationOptions(PipelineMode.INTER_LAYER, Replication.NONE, ChipCount.AUTO);
    private static final SimulationOptions BALANCED = SimulationOptions.defaults();

    /** conv 3×3, 16 → 10 channels on 8×8, then a 3×3 conv 10 → 4 and a classifier. */
    private static Network net() {
        return new NetworkBuilder("t").input(16, 8, 8).conv(10, 3, 1, 1).relu().conv(4, 3, 1, 1).relu()
                .flatten().linear(3).build("test", "test");
    }

    @Test
    void tilesTheIm2colMatrixOntoArrays() {
        // The toy stores 1-bit weights in 1-bit cells; arrays are 32 rows × 4 columns.
        Placement p = DensePlacer.place(net(), new ToyDesign(32, 4, 1000), NO_COPIES);
        LayerPlacement conv1 = p.layers().get(0);
        // 16 × 3 × 3 = 144 rows: 4 full tiles of 32 and one of 16; 10 columns: 2 full tiles of 4 and one of 2.
        assertThat(conv1.matrixRows()).isEqualTo(144);
        assertThat(conv1.rowTiles()).isEqualTo(5);
        assertThat(conv1.colTiles()).isEqualTo(3);
        assertThat(conv1.arraysPerCopy()).isEqualTo(15);
        assertThat(conv1.tiles()).containsExactly(new TileClass(32, 4, 8), new TileClass(32, 2, 4),
                new TileClass(16, 4, 2), new TileClass(16, 2, 1));
        assertThat(conv1.mvms()).isEqualTo(64);
        LayerPlacement fc = p.layers().get(2);
        assertThat(fc.matrixRows()).isEqualTo(4 * 8 * 8);
        assertThat(fc.mvms()).isEqualTo(1);
    }

    @Test
    void autoChipsAreJustEnoughForOneCopyOfEveryLayer() {
        // conv1 15 arrays, conv2 (90 rows → 3 tiles, 1 column tile) 3, fc (256 rows → 8 tiles) 8: 26 in all.
        Placement p = DensePlacer.place(net(), new ToyDesign(32, 4, 10), NO_COPIES);
        assertThat(p.arrays()).isEqualTo(26);
        assertThat(p.chips()).isEqualTo(3);
        // Layers cross chips where their groups leave the chip their input was produced on.
        assertThat(p.crossings()).isNotEmpty();
        assertThat(p.crossings().get(0).layer()).isEqualTo("conv1");
    }

    @Test
    void tooFewFixedChipsIsAConfigError() {
        SimulationOptions oneChip = new SimulationOptions(PipelineMode.INTER_LAYER, Replication.NONE, new ChipCount(1));
        assertThatThrownBy(() -> DensePlacer.place(net(), new ToyDesign(32, 4, 10), oneChip))
                .isInstanceOf(ConfigException.class)
                .hasMessage("simulation.chips = 1: the network's weights need at least 3 chips of 10 groups (26 groups in all)");
    }

    @Test
    void balancedReplicationShortensTheSlowestStageWithinTheBudget() {
        ToyDesign design = new ToyDesign(32, 4, 200);
        Placement none = DensePlacer.place(net(), design, NO_COPIES);
        Placement balanced = DensePlacer.place(net(), design, BALANCED);
        assertThat(balanced.arrayGroups()).isLessThanOrEqualTo(200);
        assertThat(slowest(balanced)).isLessThan(slowest(none));
        for (LayerPlacement lp : balanced.layers()) {
            assertThat(lp.replication()).isBetween(1, (int) lp.mvms());
        }
        // The early layers, with 64 multiplies each, get the copies; the classifier (1 multiply) keeps one.
        assertThat(balanced.layers().get(0).replication()).isGreaterThan(1);
        assertThat(balanced.layers().get(2).replication()).isEqualTo(1);
    }

    @Test
    void anAmpleBudgetGivesEveryMultiplyItsOwnCopy() {
        Placement p = DensePlacer.place(net(), new ToyDesign(32, 4, 10_000), BALANCED);
        assertThat(p.layers()).extracting(LayerPlacement::replication).containsExactly(64, 64, 1);
    }

    private static long slowest(Placement p) {
        return p.layers().stream().mapToLong(lp -> (lp.mvms() + lp.replication() - 1) / lp.replication()).max().orElseThrow();
    }
}
