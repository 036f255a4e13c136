package org.abacim.mapping.compress;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.abacim.core.cost.ChipCount;
import org.abacim.core.cost.PipelineMode;
import org.abacim.core.cost.Replication;
import org.abacim.core.cost.SimulationOptions;
import org.abacim.core.network.LayerParams;
import org.abacim.core.network.Network;
import org.abacim.core.placer.DensePlacer;
import org.abacim.core.tech.TestEncoding;
import org.abacim.core.tech.ToyDesign;
import org.abacim.mapping.onnx.OnnxImporter;
import org.abacim.mapping.weights.WeightMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RTMobile-style block pruning of sequence models through the ADMM framework: a GRU's recurrent matrix R, read by all
 * 28 steps, is pruned once (the steps keep multiplying by one matrix), placement credits the pruned blocks, and the
 * compressed weight map keeps the sharing when read back; a ViT's attention projections prune like any layer.
 */
class RecurrentCompressionTest {
    private static final Path GRU = Path.of("src/test/resources/onnx/sequence/gru-opset13.onnx");
    static final SimulationOptions ONE_COPY = new SimulationOptions(PipelineMode.INTER_LAYER, Replication.NONE, ChipCount.AUTO);

    @Test
    void blockPruningPrunesTheSharedRecurrentMatrixOnceAndPlacementCreditsIt(@TempDir Path dir) {
        Network dense = OnnxImporter.read(GRU);
        Network pruned = Admm.project(dense, List.of(new Projection.CompactBlocks(8, 8, 0.25)), new Admm.State(dense));
        // Still one R for the 28 steps.
        assertThat(pruned.sharedWeights()).hasSize(27);
        float[] r = ((LayerParams.Dense) pruned.params("/rnn/GRU_t0_r")).weight().data();
        assertThat(((LayerParams.Dense) pruned.params("/rnn/GRU_t27_r")).weight().data()).isSameAs(r);
        int kept = 0;
        for (float v : r) if (v != 0) kept++;
        // 96 × 32 in blocks of 8 × 8 (48 blocks): a quarter of them kept, 12 blocks of 64 weights.
        assertThat(kept).isEqualTo(12 * 64);

        ToyDesign d = new ToyDesign(4, 8, 64, TestEncoding.UNSIGNED);
        long denseArrays = DensePlacer.place(dense, d, ONE_COPY).byLayer().get("/rnn/GRU_t0_r").arrays();
        long prunedArrays = DensePlacer.place(pruned, d, ONE_COPY).byLayer().get("/rnn/GRU_t0_r").arrays();
        assertThat(prunedArrays).isLessThan(denseArrays);

        Path manifest = WeightMap.write(pruned, GRU.toAbsolutePath().toString(), dir.resolve("gru.npz"), null);
        Network back = WeightMap.apply(WeightMap.read(manifest), dense.shapesOnly());
        assertThat(back.sharedWeights()).isEqualTo(pruned.sharedWeights());
        assertThat(((LayerParams.Dense) back.params("/rnn/GRU_t5_r")).weight().data()).containsExactly(r);
    }

    @Test
    void blockPruningReachesAViTsAttentionProjectionsAndPlacementCreditsThem() {
        Network dense = OnnxImporter.read(Path.of("src/test/resources/onnx/sequence/vit_timm-opset17.onnx"));
        Network pruned = Admm.project(dense, List.of(new Projection.CompactBlocks(8, 8, 0.25)), new Admm.State(dense));
        String qkv = "/blocks/blocks.0/attn/qkv/MatMul";
        float[] w = ((LayerParams.Dense) pruned.params(qkv)).weight().data();
        int kept = 0;
        for (float v : w) if (v != 0) kept++;
        // qkv is 96 × 32 (a 1×1 convolution over the 17 tokens): 48 blocks of 8 × 8, a quarter kept.
        assertThat(kept).isEqualTo(12 * 64);
        ToyDesign d = new ToyDesign(4, 8, 64, TestEncoding.UNSIGNED);
        assertThat(DensePlacer.place(pruned, d, ONE_COPY).byLayer().get(qkv).arrays())
                .isLessThan(DensePlacer.place(dense, d, ONE_COPY).byLayer().get(qkv).arrays());
    }
}
