package org.abacim.core.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.abacim.core.network.LayerParams;
import org.abacim.core.network.Network;
import org.abacim.core.network.NetworkZoo;
import org.abacim.core.tensor.Tensor;
import org.abacim.core.train.Trainer;
import org.junit.jupiter.api.Test;

/** Quantization-aware training's forward pass is the integer engine's arithmetic, in float. */
class FakeQuantEngineTest {
    private static float[][] samples(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] x = new float[n][784];
        for (float[] s : x) for (int i = 0; i < s.length; i++) s[i] = (float) r.nextDouble();
        return x;
    }

    @Test
    void threeBitInputsOnTernaryWeightsMatchTheIntegerEngine() {
        Network net = Trainer.initialize(NetworkZoo.lenet5(), 4);
        Map<String, LayerParams> params = new HashMap<>();
        for (Network.Node node : net.nodes()) {
            if (!(net.params(node.name()) instanceof LayerParams.Dense d)) continue;
            float[] w = d.weight().data().clone();
            for (int i = 0; i < w.length; i++) w[i] = Math.abs(w[i]) < 0.05f ? 0 : Math.signum(w[i]) * 0.1f;
            params.put(node.name(), new LayerParams.Dense(new Tensor(d.weight().shape(), w), d.bias()));
        }
        Network ternary = net.withParams(params);
        float[][] cal = samples(16, 1);
        FakeQuantEngine fake = new FakeQuantEngine(ternary, 3, cal);
        QuantizedEngine integer = new QuantizedEngine(ternary, new QuantizedEngine.Scheme(8, 3, true), cal);
        for (float[] x : samples(3, 2)) {
            float[] a = fake.forward(x);
            float[] b = integer.forward(x);
            double scale = 0;
            for (float v : b) scale = Math.max(scale, Math.abs(v));
            for (int i = 0; i < a.length; i++) assertThat((double) a[i]).isCloseTo(b[i], within(1e-4 * scale + 1e-6));
        }
        // And it differs from float: 3 bits are coarse.
        float[] x = samples(1, 3)[0];
        assertThat(fake.forward(x)).isNotEqualTo(new FloatEngine(ternary).forward(x));
        assertThat(fake.inputScale(1)).isEqualTo(integer.inputScale(1));
    }

    @Test
    void conversionNoiseIsKeyedByTheInputAndSizedByTheConversions() {
        Network net = Trainer.initialize(NetworkZoo.lenet5(), 4);
        float[][] cal = samples(8, 1);
        FakeQuantEngine quiet = new FakeQuantEngine(net, 3, cal);
        FakeQuantEngine noisy = new FakeQuantEngine(net, 3, cal, 0.6, 64);
        float[] x = samples(1, 5)[0];
        // Same input, same draws (whatever thread runs it).
        assertThat(noisy.forward(x)).containsExactly(noisy.forward(x));
        // conv1 (25 inputs per output: one conversion) is off by 0.6 × max|w| × s_x rms.
        float[] a = quiet.forward(x, false).activation(1);
        float[] b = noisy.forward(x, false).activation(1);
        float[] w = ((LayerParams.Dense) net.params("conv1")).weight().data();
        double maxW = 0;
        for (float v : w) maxW = Math.max(maxW, Math.abs(v));
        double sigma = 0.6 * maxW * quiet.inputScale(1);
        double sum = 0;
        for (int i = 0; i < a.length; i++) sum += (a[i] - b[i]) * (a[i] - b[i]);
        assertThat(Math.sqrt(sum / a.length)).isCloseTo(sigma, within(0.1 * sigma));
    }
}
