package org.abacim.core.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.abacim.core.network.Conv2d;
import org.abacim.core.network.LayerParams;
import org.abacim.core.network.Network;
import org.abacim.core.network.NetworkBuilder;
import org.abacim.core.train.Trainer;
import org.junit.jupiter.api.Test;

class QuantizedEngineTest {
    private static Network net() {
        NetworkBuilder b = new NetworkBuilder("q").input(3, 8, 8);
        b.add(new Conv2d("gconv", "input", 3, 6, 3, 3, 1, 1, 1, 1, 1, 3, true));
        return Trainer.initialize(b.relu().conv(4, 3, 2, 0).flatten().linear(5).build("q", "test"), 3);
    }

    private static float[] sample(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[3 * 64];
        for (int i = 0; i < x.length; i++) x[i] = (float) (r.nextDouble() * 2 - 1);
        return x;
    }

    @Test
    void firstLayerIsExactlyIntegerWeightsTimesIntegerInputs() {
        Network net = net();
        QuantizedEngine q = new QuantizedEngine(net, new QuantizedEngine.Scheme(4, 5, true), new float[][] {sample(1), sample(2)});
        float[] x = sample(3);
        // Rebuild the first layer from the engine's own integers, in double, and compare its outputs.
        int[] qw = q.integerWeights(1);
        int[] qx = q.quantizeInput(1, x);
        assertThat(q.unsignedInput(1)).isFalse();
        float[] sw = q.weightScales(1);
        double sx = q.inputScale(1);
        float[] bias = ((LayerParams.Dense) net.params("gconv")).bias().data();
        float[] y = q.forward(x, false).activation(1);
        for (int oc = 0; oc < 6; oc++) {
            int g = oc / 2;
            for (int oy = 0; oy < 8; oy++) {
                for (int ox = 0; ox < 8; ox++) {
                    long acc = 0;
                    for (int ky = 0; ky < 3; ky++) {
                        for (int kx = 0; kx < 3; kx++) {
                            int iy = oy - 1 + ky, ix = ox - 1 + kx;
                            if (iy < 0 || iy >= 8 || ix < 0 || ix >= 8) continue;
                            acc += (long) qw[oc * 9 + ky * 3 + kx] * qx[(g * 8 + iy) * 8 + ix];
                        }
                    }
                    double expected = acc * (double) sw[oc] * sx + bias[oc];
                    assertThat((double) y[(oc * 8 + oy) * 8 + ox]).isCloseTo(expected, within(1e-5));
                }
            }
        }
        // 4-bit weights use the levels −7 … 7; inputs 5-bit signed, −15 … 15.
        for (int w : qw) assertThat(w).isBetween(-7, 7);
        for (int v : qx) assertThat(v).isBetween(-15, 15);
    }

    @Test
    void layersAlreadyOnANarrowerGridKeepTheirExactCodes() {
        Network net = net();
        java.util.Map<String, org.abacim.core.network.LayerParams> params = new java.util.HashMap<>();
        SplittableRandom r = new SplittableRandom(5);
        for (Network.Node node : net.nodes()) {
            if (!(net.params(node.name()) instanceof LayerParams.Dense d)) continue;
            float[] w = new float[d.weight().data().length];
            for (int i = 0; i < w.length; i++) w[i] = (float) (r.nextInt(-7, 8) * 0.05); // 4-bit levels
            w[0] = 0.35f;
            params.put(node.name(), new LayerParams.Dense(new org.abacim.core.tensor.Tensor(d.weight().shape(), w), d.bias()));
        }
        Network grid = net.withParams(params);
        QuantizedEngine q = new QuantizedEngine(grid, new QuantizedEngine.Scheme(8, 8, true), new float[][] {sample(1)});
        float[] w1 = ((LayerParams.Dense) grid.params("gconv")).weight().data();
        assertThat(q.weightBits(1)).isEqualTo(4);
        for (int i = 0; i < w1.length; i++) {
            assertThat(q.integerWeights(1)[i]).isEqualTo(Math.round(w1[i] / 0.05f));
        }
        assertThat(q.weightScales(1)).containsOnly(0.05f);
        // Float weights keep the scheme's width.
        assertThat(new QuantizedEngine(net, new QuantizedEngine.Scheme(8, 8, true), new float[][] {sample(1)})
                .weightBits(1)).isEqualTo(8);
    }

    @Test
    void eightBitsStayCloseToFloatAndReluInputsAreUnsigned() {
        Network net = net();
        float[][] cal = new float[16][];
        for (int i = 0; i < cal.length; i++) cal[i] = sample(10 + i);
        QuantizedEngine q = new QuantizedEngine(net, new QuantizedEngine.Scheme(8, 8, true), cal);
        assertThat(q.unsignedInput(3)).isTrue(); // the second conv reads a ReLU output
        float[] x = sample(99);
        float[] exact = new FloatEngine(net).forward(x);
        float[] approx = q.forward(x);
        double scale = 0;
        for (float v : exact) scale = Math.max(scale, Math.abs(v));
        for (int i = 0; i < exact.length; i++) assertThat((double) approx[i]).isCloseTo(exact[i], within(0.03 * scale));
        // The classifier's integer product of a zero input is zero in every output.
        assertThat(q.integerMatVec(5, q.quantizeInput(5, new float[36]))).hasSize(5).containsOnly(0L);
    }

    @org.junit.jupiter.api.Test
    void lowBitInputsClipWhereTheQuantizationErrorIsLeast() {
        // Mass near zero and one outlier at the top: 3 bits spread over the max would leave the mass in two levels.
        long[] h = new long[1024];
        for (int b = 0; b < 100; b++) h[b] = 1000;
        h[1023] = 1;
        float clip = QuantizedEngine.clip(h, 1f, 7);
        org.assertj.core.api.Assertions.assertThat(clip).isLessThan(0.3f).isGreaterThan(0.05f);
        // Spread evenly, the whole range is worth its levels.
        long[] flat = new long[1024];
        java.util.Arrays.fill(flat, 10);
        org.assertj.core.api.Assertions.assertThat(QuantizedEngine.clip(flat, 1f, 7)).isGreaterThan(0.9f);
    }
}
