package org.abacim.mapping.compress;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.abacim.core.data.Dataset;
import org.abacim.core.network.LayerParams;
import org.abacim.core.network.Network;
import org.abacim.core.network.NetworkZoo;
import org.abacim.core.network.Shape;
import org.abacim.core.train.TrainConfig;
import org.abacim.core.train.Trainer;
import org.junit.jupiter.api.Test;

/** A step's retraining learning rate is the one its retraining uses. */
class AdmmRetrainTest {
    private static Dataset noise(int n) {
        SplittableRandom r = new SplittableRandom(1);
        float[][] x = new float[n][784];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < 784; k++) x[i][k] = (float) r.nextDouble();
            y[i] = r.nextInt(10);
        }
        return new Dataset("noise", new Shape(1, 28, 28), x, y, 10);
    }

    private static float[] fc1(Network net) {
        return ((LayerParams.Dense) net.params("fc1")).weight().data();
    }

    @Test
    void aLowerRetrainingRateMovesTheWeightsLess() {
        Network net = Trainer.initialize(NetworkZoo.lenet5(), 2);
        Dataset data = noise(64);
        TrainConfig cfg = TrainConfig.adam(1, 1, 1);
        List<Projection> blocks = List.of(new Projection.CrossbarBlocks(32, 32, 0.5));
        Network projected = Admm.step(net, new Admm.Step("p", blocks, Set.of(), 0, 0, 0),
                new Admm.State(net), data, cfg, e -> { });
        Network fast = Admm.step(projected, new Admm.Step("r", blocks, Set.of(), 0, 0, 1),
                new Admm.State(projected), data, cfg, e -> { });
        Network slow = Admm.step(projected, new Admm.Step("r", blocks, Set.of(), 0, 0, 1, 1e-5),
                new Admm.State(projected), data, cfg, e -> { });
        double moveFast = 0;
        double moveSlow = 0;
        float[] w0 = fc1(projected);
        for (int i = 0; i < w0.length; i++) {
            moveFast += Math.abs(fc1(fast)[i] - w0[i]);
            moveSlow += Math.abs(fc1(slow)[i] - w0[i]);
        }
        assertThat(moveFast).isPositive();
        assertThat(moveSlow).isPositive().isLessThan(moveFast / 10);
    }
}
