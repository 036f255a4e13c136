package org.abacim.core.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.abacim.core.network.Network;
import org.abacim.core.network.NetworkBuilder;
import org.abacim.core.train.Trainer;
import org.junit.jupiter.api.Test;

/** Analytic gradients against central finite differences of the cross-entropy and distillation losses. */
class BackpropTest {
    /** Teacher logits for the distillation checks: confident in class 2, some mass on class 0. */
    private static final float[] TEACHER = {1.5f, -0.5f, 3f};

    private static double loss(FloatEngine e, float[] x, int label, boolean distilled) {
        Backprop.Gradients g = new Backprop.Gradients(e);
        if (distilled) Backprop.sample(e, x, label, TEACHER, 0.7, 2, g);
        else Backprop.sample(e, x, label, g);
        return g.loss;
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        check(false);
    }

    @Test
    void distillationGradientsMatchFiniteDifferences() {
        check(true);
    }

    @Test
    void distillationWithTheStudentsOwnLogitsAddsNothingToTheSoftLoss() {
        FloatEngine e = new FloatEngine(Trainer.initialize(new NetworkBuilder("d").input(4, 1, 1).flatten().linear(3).build("d", "t"), 2));
        float[] x = {0.5f, -1f, 2f, 0.25f};
        float[] own = e.forward(x);
        Backprop.Gradients hard = new Backprop.Gradients(e);
        Backprop.sample(e, x, 1, hard);
        Backprop.Gradients soft = new Backprop.Gradients(e);
        Backprop.sample(e, x, 1, own, 0.5, 4, soft);
        // KL(q ‖ q) = 0 and its gradient vanishes: only half the hard loss and gradient are left.
        assertThat(soft.loss).isCloseTo(0.5 * hard.loss, org.assertj.core.data.Offset.offset(1e-6));
        float[][] w = e.parameters(true);
        int node = w.length - 1;
        while (w[node] == null) node--;
        for (int k = 0; k < w[node].length; k++) {
            assertThat((double) soft.weight[node][k]).isCloseTo(0.5 * hard.weight[node][k],
                    org.assertj.core.data.Offset.offset(1e-5));
        }
    }

    private static void check(boolean distilled) {
        check(mixedLayers(), distilled);
    }

    /** Strided, padded, grouped convolution; max and average pooling; a residual add; sigmoid; linear. */
    static Network mixedLayers() {
        NetworkBuilder b = new NetworkBuilder("g").input(2, 7, 7);
        b.add(new org.abacim.core.network.Conv2d("gconv", "input", 2, 4, 3, 3, 2, 2, 1, 1, 1, 2, true));
        b.relu().maxPool(2, 2, 1);
        String skip = b.last();
        b.conv(4, 1, 1, 0).add(new org.abacim.core.network.Activation("sig", b.last(),
                org.abacim.core.network.Activation.Kind.SIGMOID, 0));
        b.addFrom(skip).avgPool(2, 1).flatten().linear(3);
        return b.build("gradient check", "test");
    }

    @Test
    void gradientsThroughTheLayersOfImportedCnnsMatchFiniteDifferences() {
        // Inception/DenseNet concatenation, a channel shuffle, squeeze-and-excitation (global pool, hard sigmoid, a per-channel
        // product), SiLU (x·σ(x)), hard swish, and a ceil-mode average pool over a partial last window.
        NetworkBuilder b = new NetworkBuilder("imported").input(2, 7, 7);
        b.conv("left", 3, 3, 1, 1);
        String left = b.last();
        b.from("input").conv("right", 2, 1, 1, 0);
        b.add(new org.abacim.core.network.Concat("joined", java.util.List.of(left, b.last())));
        // ShuffleNet's channel shuffle and split: channels picked and reordered.
        b.add(new org.abacim.core.network.SelectChannels("cat", b.last(), new int[] {4, 0, 3, 1, 2}));
        String map = b.last();
        b.add(new org.abacim.core.network.Pool("squeeze", map, org.abacim.core.network.Pool.Kind.AVERAGE, 0, 0, 0, true));
        b.conv("excite", 5, 1, 1, 0).add(new org.abacim.core.network.Activation("gate", b.last(),
                org.abacim.core.network.Activation.Kind.HARD_SIGMOID, 0));
        b.add(new org.abacim.core.network.Multiply("se", java.util.List.of(map, b.last())));
        String scaled = b.last();
        b.add(new org.abacim.core.network.Activation("sigma", scaled, org.abacim.core.network.Activation.Kind.SIGMOID, 0));
        b.add(new org.abacim.core.network.Multiply("silu", java.util.List.of(scaled, b.last())));
        b.add(new org.abacim.core.network.Activation("hswish", b.last(), org.abacim.core.network.Activation.Kind.HARD_SWISH, 0));
        b.add(new org.abacim.core.network.Pool("ceil", b.last(), org.abacim.core.network.Pool.Kind.AVERAGE, 2, 2, 0, false, true));
        assertThat(b.shape()).isEqualTo(new org.abacim.core.network.Shape(5, 4, 4)); // ceil(5/2) + 1 from 7
        b.flatten().linear(3);
        check(b.build("gradient check of imported layers", "test"), false);
    }

    @Test
    void gradientsThroughLayerNormGeluErfAndScaleAndShiftMatchFiniteDifferences() {
        // ConvNeXt's block pieces: a per-channel layer scale, a layer norm over channels, GELU; then Erf, a shift.
        NetworkBuilder b = new NetworkBuilder("convnext pieces").input(2, 5, 5);
        b.conv("c1", 4, 3, 1, 1);
        b.add(new org.abacim.core.network.Affine("scale", b.last(), new float[] {0.5f, 1.5f, -1f, 2f}, new float[] {0.1f}));
        b.add(new org.abacim.core.network.ChannelNorm("norm", b.last(), new float[] {1.2f, 0.8f, 1f, 0.6f},
                new float[] {0.1f, -0.2f, 0f, 0.3f}, 1e-6f));
        b.add(new org.abacim.core.network.Activation("gelu", b.last(), org.abacim.core.network.Activation.Kind.GELU, 0));
        b.conv("c2", 3, 1, 1, 0);
        b.add(new org.abacim.core.network.Activation("erf", b.last(), org.abacim.core.network.Activation.Kind.ERF, 0));
        b.add(new org.abacim.core.network.Affine("shift", b.last(), new float[] {1f}, new float[] {1f}));
        b.flatten().linear(3);
        check(b.build("gradient check of layer norm, GELU, erf", "test"), false);
    }

    static void check(Network built, boolean distilled) {
        Network net = Trainer.initialize(built, 9);
        FloatEngine e = new FloatEngine(net);
        SplittableRandom r = new SplittableRandom(4);
        float[] x = new float[(int) net.inputShape().elements()];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        int label = 1;
        Backprop.Gradients g = new Backprop.Gradients(e);
        if (distilled) Backprop.sample(e, x, label, TEACHER, 0.7, 2, g);
        else Backprop.sample(e, x, label, g);
        int checked = 0;
        float[][] weights = e.parameters(true);
        float[][] biases = e.parameters(false);
        for (int node = 0; node < weights.length; node++) {
            for (float[][] pair : new float[][][] {{weights[node], g.weight[node]}, {biases[node], g.bias[node]}}) {
                float[] p = pair[0];
                if (p == null) continue;
                for (int k = 0; k < p.length; k += Math.max(1, p.length / 10)) {
                    float keep = p[k];
                    float h = 2e-3f;
                    p[k] = keep + h;
                    double up = loss(e, x, label, distilled);
                    p[k] = keep - h;
                    double down = loss(e, x, label, distilled);
                    p[k] = keep;
                    double numeric = (up - down) / (2 * h);
                    assertThat((double) pair[1][k]).as("node %d param %d", node, k)
                            .isCloseTo(numeric, org.assertj.core.data.Offset.offset(2e-3 + 2e-2 * Math.abs(numeric)));
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThan(40);
    }
}
