package org.abacim.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.abacim.core.data.Dataset;
import org.abacim.core.exec.Backprop;
import org.abacim.core.exec.FloatEngine;
import org.abacim.core.network.Activation;
import org.abacim.core.network.Input;
import org.abacim.core.network.LayerParams;
import org.abacim.core.network.Linear;
import org.abacim.core.network.Network;
import org.abacim.core.network.Shape;
import org.abacim.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * A recurrence unrolled over two steps, h1 = tanh(W·x), h2 = tanh(W·h1), both steps on one weight tensor W, then a
 * classifier: the gradient of W is the sum over its steps (backpropagation through time), and training keeps W shared.
 */
class SharedWeightsTrainingTest {
    static Network unrolled(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Tensor w = new Tensor(new int[] {8, 8}, random(r, 64, 0.5));
        Tensor b = new Tensor(new int[] {8}, random(r, 8, 0.1));
        Network shapes = Network.of("rnn", "test", "test", List.of(new Input("x", Shape.vector(8)),
                new Linear("step1", "x", 8, 8, true), new Activation("h1", "step1", Activation.Kind.TANH, 0),
                new Linear("step2", "h1", 8, 8, true), new Activation("h2", "step2", Activation.Kind.TANH, 0),
                new Linear("out", "h2", 8, 3, true)));
        return shapes.withParams(Map.of("step1", new LayerParams.Dense(w, b), "step2", new LayerParams.Dense(w, b),
                "out", new LayerParams.Dense(new Tensor(new int[] {3, 8}, random(r, 24, 0.5)), new Tensor(new int[] {3}, new float[3]))));
    }

    static float[] random(SplittableRandom r, int n, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (r.nextGaussian() * scale);
        return v;
    }

    @Test
    void theSharedWeightsGradientIsTheSumOverItsStepsAsFiniteDifferencesSay() {
        Network net = unrolled(3);
        assertThat(net.sharedWeights()).isEqualTo(Map.of("step2", "step1"));
        FloatEngine e = new FloatEngine(net);
        float[] x = random(new SplittableRandom(9), 8, 1);
        Backprop.Gradients g = new Backprop.Gradients(e);
        Backprop.sample(e, x, 1, g);
        Trainer.mergeShared(g, Trainer.sharing(net));
        assertThat(g.weight[3]).isNull();
        float[] w = ((LayerParams.Dense) net.params("step1")).weight().data();
        for (int k : new int[] {0, 9, 37, 63}) {
            float keep = w[k];
            double h = 1e-3;
            w[k] = (float) (keep + h);
            double up = loss(e, x);
            w[k] = (float) (keep - h);
            double down = loss(e, x);
            w[k] = keep;
            assertThat((double) g.weight[1][k]).as("dL/dW[%d]", k).isCloseTo((up - down) / (2 * h), within(2e-3));
        }
    }

    private static double loss(FloatEngine e, float[] x) {
        Backprop.Gradients g = new Backprop.Gradients(e);
        Backprop.sample(e, x, 1, g);
        return g.loss;
    }

    @Test
    void trainingKeepsTheStepsOnOneWeightTensorAndLearns() {
        SplittableRandom r = new SplittableRandom(5);
        float[][] x = new float[300][];
        int[] y = new int[300];
        for (int i = 0; i < x.length; i++) {
            y[i] = i % 3;
            x[i] = random(r, 8, 0.5);
            x[i][y[i]] += 2;
        }
        Dataset data = new Dataset("blobs", Shape.vector(8), x, y, 3);
        Network trained = Trainer.train(unrolled(3), data, null, TrainConfig.adam(60, 1, 2), e -> { });
        assertThat(trained.sharedWeights()).isEqualTo(Map.of("step2", "step1"));
        assertThat(Trainer.accuracy(new FloatEngine(trained), data, 1)).isGreaterThan(0.9);
    }
}
