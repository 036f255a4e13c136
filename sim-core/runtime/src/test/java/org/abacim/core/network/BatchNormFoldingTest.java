package org.abacim.core.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.abacim.core.exec.FloatEngine;
import org.abacim.core.tensor.Tensor;
import org.abacim.core.train.Trainer;
import org.junit.jupiter.api.Test;

class BatchNormFoldingTest {
    @Test
    void foldedResnetComputesTheSameWithoutNormLayers() {
        Network net = Trainer.initialize(NetworkZoo.resnet18(true), 4);
        // Give every norm non-trivial statistics, so folding has something to do.
        SplittableRandom r = new SplittableRandom(8);
        Map<String, LayerParams> params = new LinkedHashMap<>(net.params());
        params.replaceAll((name, p) -> p instanceof LayerParams.Norm m ? new LayerParams.Norm(
                rand(r, m.gamma().size(), 0.5, 1.5), rand(r, m.gamma().size(), -0.2, 0.2),
                rand(r, m.gamma().size(), -0.1, 0.1), rand(r, m.gamma().size(), 0.5, 2), m.eps()) : p);
        net = net.withParams(params);
        Network folded = BatchNormFolding.fold(net);
        assertThat(folded.nodes().stream().filter(n -> n.layer() instanceof BatchNorm)).isEmpty();
        assertThat(folded.nodes()).hasSize(net.nodes().size() - 20);
        float[] x = new float[3 * 32 * 32];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextDouble();
        float[] a = new FloatEngine(net).forward(x);
        float[] b = new FloatEngine(folded).forward(x);
        for (int i = 0; i < a.length; i++) assertThat((double) b[i]).isCloseTo(a[i], within(1e-4 * Math.max(1, Math.abs(a[i]))));
        assertThat(folded.macs()).isEqualTo(net.macs());
    }

    private static Tensor rand(SplittableRandom r, int n, double lo, double hi) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (lo + r.nextDouble() * (hi - lo));
        return new Tensor(new int[] {n}, v);
    }
}
