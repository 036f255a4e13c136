package org.imcsim.core.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.imcsim.core.network.Network;
import org.imcsim.core.network.NetworkBuilder;
import org.imcsim.core.train.Trainer;
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
        // Strided, padded, grouped convolution; max and average pooling; a residual add; sigmoid; linear.
        NetworkBuilder b = new NetworkBuilder("g").input(2, 7, 7);
        b.add(new org.imcsim.core.network.Conv2d("gconv", "input", 2, 4, 3, 3, 2, 2, 1, 1, 1, 2, true));
        b.relu().maxPool(2, 2, 1);
        String skip = b.last();
        b.conv(4, 1, 1, 0).add(new org.imcsim.core.network.Activation("sig", b.last(),
                org.imcsim.core.network.Activation.Kind.SIGMOID, 0));
        b.addFrom(skip).avgPool(2, 1).flatten().linear(3);
        Network net = Trainer.initialize(b.build("gradient check", "test"), 9);
        FloatEngine e = new FloatEngine(net);
        SplittableRandom r = new SplittableRandom(4);
        float[] x = new float[2 * 7 * 7];
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
