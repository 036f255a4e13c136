package org.abacim.mapping.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.abacim.core.cost.ChipCount;
import org.abacim.core.cost.PipelineMode;
import org.abacim.core.cost.Replication;
import org.abacim.core.cost.SimulationOptions;
import org.abacim.core.network.Linear;
import org.abacim.core.network.Network;
import org.abacim.core.placement.LayerPlacement;
import org.abacim.core.placement.Placement;
import org.abacim.core.placer.DensePlacer;
import org.abacim.core.tech.TestEncoding;
import org.abacim.core.tech.ToyDesign;
import org.junit.jupiter.api.Test;

/**
 * An ONNX GRU over 28 steps (scripts/make-sequence-fixtures: 28 inputs, 32 hidden units, then Linear 32 → 10): R is
 * one weight tensor read by 28 step layers, placed once, its 28 multiplies in sequence.
 */
class RecurrentImportTest {
    private static final Path GRU = Path.of("src/test/resources/onnx/sequence/gru-opset13.onnx");

    @Test
    void everyStepReadsOneRecurrentMatrixWhichIsPlacedOnceWithAllTheStepsMultiplies() {
        Network net = OnnxImporter.read(GRU);
        // 27 steps reuse step 0's R (96 × 32): one owner.
        assertThat(net.sharedWeights()).hasSize(27);
        assertThat(net.sharedWeights().values()).containsOnly("/rnn/GRU_t0_r");
        Linear r = (Linear) net.node("/rnn/GRU_t0_r").layer();
        assertThat(r.inFeatures()).isEqualTo(32);
        assertThat(r.outFeatures()).isEqualTo(96);
        // Weights once each: W 96 × 28, R 96 × 32, the classifier 10 × 32.
        assertThat(net.weights()).isEqualTo(96 * 28 + 96 * 32 + 10 * 32);
        // Multiplies every step: the input's 28 × 96 × 28, R's 28 × 96 × 32, the classifier's 320.
        assertThat(net.macs()).isEqualTo(28L * 96 * 28 + 28L * 96 * 32 + 320);

        ToyDesign d = new ToyDesign(4, 4, 64, TestEncoding.UNSIGNED);
        Placement balanced = DensePlacer.place(net, d,
                new SimulationOptions(PipelineMode.INTER_LAYER, Replication.BALANCED, ChipCount.AUTO));
        assertThat(balanced.layers()).extracting(LayerPlacement::layer)
                .containsExactly("/rnn/GRU_input", "/rnn/GRU_t0_r", "/fc/Gemm");
        LayerPlacement recurrent = balanced.byLayer().get("/rnn/GRU_t0_r");
        assertThat(recurrent.mvms()).isEqualTo(28);
        // The steps wait for each other: copies would not speed one sequence up, so there is one.
        assertThat(recurrent.replication()).isEqualTo(1);
    }
}
