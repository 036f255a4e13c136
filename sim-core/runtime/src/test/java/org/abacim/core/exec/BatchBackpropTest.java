package org.abacim.core.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.abacim.core.network.LayerParams;
import org.abacim.core.network.Network;
import org.abacim.core.network.NetworkBuilder;
import org.abacim.core.train.Trainer;
import org.junit.jupiter.api.Test;

/** The chunked forward/backward pass: finite differences with batch norm in training mode, and the one-sample pass. */
class BatchBackpropTest {
    private static final int SAMPLES = 5;

    /**
     * A residual block with batch norm on both paths, as in ResNet-20, on 2×6×6 inputs; tanh where ResNet has ReLU,
     * so that no value crosses a kink within a finite-difference step.
     */
    private static Network residual() {
        NetworkBuilder b = new NetworkBuilder("bn").input(2, 6, 6);
        b.convNoBias(4, 3, 1, 1).batchNorm();
        tanh(b).convNoBias(4, 3, 2, 1).batchNorm();
        String main = b.last();
        b.from("input").convNoBias(4, 1, 2, 0).batchNorm();
        String shortcut = b.last();
        tanh(b.from(main).addFrom(shortcut)).globalAvgPool().flatten().linear(3);
        return b.build("batch norm gradient check", "test");
    }

    private static NetworkBuilder tanh(NetworkBuilder b) {
        return b.add(new org.abacim.core.network.Activation("tanh" + b.last(), b.last(),
                org.abacim.core.network.Activation.Kind.TANH, 0));
    }

    private static float[][] inputs(Network net, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] x = new float[SAMPLES][(int) net.inputShape().elements()];
        for (float[] s : x) for (int i = 0; i < s.length; i++) s[i] = (float) r.nextGaussian();
        return x;
    }

    private static final int[] LABELS = {0, 2, 1, 1, 0};

    private static Backprop.Gradients chunk(FloatEngine e, float[][] x) {
        Backprop.Gradients g = new Backprop.Gradients(e);
        BatchBackprop.chunk(e, x, LABELS, null, 0, 1, g);
        return g;
    }

    @Test
    void gradientsWithBatchStatisticsMatchFiniteDifferences() {
        Network net = Trainer.initialize(residual(), 3);
        SplittableRandom r = new SplittableRandom(7);
        // γ and β away from 1 and 0, so that their own gradients and their effect on the others are checked.
        for (LayerParams p : net.params().values()) {
            if (p instanceof LayerParams.Norm n) {
                for (int k = 0; k < n.gamma().size(); k++) {
                    n.gamma().data()[k] = (float) (0.5 + r.nextDouble());
                    n.beta().data()[k] = (float) (r.nextDouble() - 0.5);
                }
            }
        }
        FloatEngine e = new FloatEngine(net);
        assertThat(BatchBackprop.applies(e)).isTrue();
        float[][] x = inputs(net, 11);
        Backprop.Gradients g = chunk(e, x);
        List<float[][]> checks = new ArrayList<>();
        for (int i = 0; i < e.nodes.size(); i++) {
            checks.add(new float[][] {e.weights[i], g.weight[i]});
            checks.add(new float[][] {e.biases[i], g.bias[i]});
            if (e.normScale[i] != null) {
                checks.add(new float[][] {e.norm(i).gamma().data(), g.gamma[i]});
                checks.add(new float[][] {e.norm(i).beta().data(), g.beta[i]});
            }
        }
        int checked = 0;
        for (float[][] pair : checks) {
            float[] p = pair[0];
            if (p == null) continue;
            for (int k = 0; k < p.length; k += Math.max(1, p.length / 8)) {
                float keep = p[k];
                float h = 2e-3f;
                p[k] = keep + h;
                double up = chunk(e, x).loss;
                p[k] = keep - h;
                double down = chunk(e, x).loss;
                p[k] = keep;
                double numeric = (up - down) / (2 * h);
                assertThat((double) pair[1][k]).as("check %d parameter %d of %d values", checks.indexOf(pair), k, p.length)
                        .isCloseTo(numeric, offset(3e-3 + 2e-2 * Math.abs(numeric)));
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(60);
        // The chunk's statistics are handed on for the running averages: one chunk, the first layer's mean.
        assertThat(g.normChunks).isEqualTo(1);
    }

    @Test
    void withoutBatchNormTheChunkIsTheSumOfItsSamples() {
        // Every kernel of the chunk pass against the one-sample pass.
        FloatEngine e = new FloatEngine(Trainer.initialize(BackpropTest.mixedLayers(), 5));
        assertThat(BatchBackprop.applies(e)).isFalse();
        float[][] x = inputs(e.network(), 12);
        Backprop.Gradients together = chunk(e, x);
        Backprop.Gradients apart = new Backprop.Gradients(e);
        for (int s = 0; s < SAMPLES; s++) Backprop.sample(e, x[s], LABELS[s], apart);
        assertThat(together.loss).isCloseTo(apart.loss, offset(1e-5));
        assertThat(together.correct).isEqualTo(apart.correct);
        int compared = 0;
        for (int i = 0; i < e.nodes.size(); i++) {
            for (float[][] pair : new float[][][] {{together.weight[i], apart.weight[i]}, {together.bias[i], apart.bias[i]}}) {
                if (pair[0] == null) continue;
                for (int k = 0; k < pair[0].length; k++, compared++) {
                    assertThat(pair[0][k]).isCloseTo(pair[1][k], offset(1e-5f + 1e-4f * Math.abs(pair[1][k])));
                }
            }
        }
        assertThat(compared).isGreaterThan(100);
    }
}
