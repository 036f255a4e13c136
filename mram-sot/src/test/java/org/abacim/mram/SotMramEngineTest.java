package org.abacim.mram;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.abacim.core.analog.Chip;
import org.abacim.core.exec.ArrayEngine;
import org.abacim.core.exec.QuantizedEngine;
import org.abacim.core.network.LayerParams;
import org.abacim.core.network.Network;
import org.abacim.core.network.NetworkZoo;
import org.abacim.core.tensor.Tensor;
import org.abacim.core.train.Trainer;
import org.junit.jupiter.api.Test;

/** A whole ternary LeNet-5 through the bit-wise engine: exact with ideal reads, perturbed by sense errors. */
class SotMramEngineTest {
    private static float[][] samples(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] x = new float[n][784];
        for (float[] s : x) for (int i = 0; i < s.length; i++) s[i] = (float) r.nextDouble();
        return x;
    }

    /** LeNet-5 with every layer ternary (−s, 0, +s), as the compression leaves it. */
    private static Network ternary() {
        Network net = Trainer.initialize(NetworkZoo.lenet5(), 3);
        Map<String, LayerParams> params = new HashMap<>();
        for (Network.Node node : net.nodes()) {
            if (!(net.params(node.name()) instanceof LayerParams.Dense d)) continue;
            float[] w = d.weight().data().clone();
            float max = 0;
            for (float v : w) max = Math.max(max, Math.abs(v));
            for (int i = 0; i < w.length; i++) w[i] = Math.abs(w[i]) < max / 3 ? 0 : Math.signum(w[i]) * max / 2;
            params.put(node.name(), new LayerParams.Dense(new Tensor(d.weight().shape(), w), d.bias()));
        }
        return net.withParams(params);
    }

    @Test
    void idealReadsEqualTheIntegerReferenceAndSenseErrorsPerturbIt() {
        Network net = ternary();
        QuantizedEngine.Scheme scheme = new QuantizedEngine.Scheme(2, 8, true);
        float[][] cal = samples(4, 1);
        QuantizedEngine reference = new QuantizedEngine(net, scheme, cal);
        SotMramDesign ideal = Presets.load("sot-mram", "cell.resistanceSigma=0", "cell.tmrSigma=0", "senseAmp.offset=0 uA");
        // Every read walked bit-plane by bit-plane (a chip that simulates every read), still exact.
        Chip everyRead = new Chip(5, false, Double.NaN, true);
        ArrayEngine exact = new ArrayEngine(reference, ideal.numerics().orElseThrow(), everyRead, null);
        float[] x = samples(1, 2)[0];
        assertThat(exact.forward(x)).containsExactly(reference.forward(x));
        // The preset's margins (1.7e-4 / 3.1e-4 wrong AND bits) move the logits a little, not the decision scale.
        SotMramDesign preset = Presets.load("sot-mram", "senseAmp.offset=3 uA");
        ArrayEngine noisy = new ArrayEngine(reference, preset.numerics().orElseThrow(), everyRead, null);
        float[] y = noisy.forward(x);
        float[] ref = reference.forward(x);
        assertThat(y).isNotEqualTo(ref);
        double maxRef = 0;
        double maxDiff = 0;
        for (int i = 0; i < y.length; i++) {
            maxRef = Math.max(maxRef, Math.abs(ref[i]));
            maxDiff = Math.max(maxDiff, Math.abs(y[i] - ref[i]));
        }
        assertThat(maxDiff).isPositive().isLessThan(maxRef);
    }
}
