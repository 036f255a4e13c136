package org.abacim.core.train;

import static org.abacim.core.train.SmallNetwork.blobs;
import static org.abacim.core.train.SmallNetwork.mlp;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.abacim.core.analog.Chip;
import org.abacim.core.exec.QuantizedEngine;
import org.abacim.core.network.LayerParams;
import org.abacim.core.network.Network;
import org.abacim.core.tech.MvmNumerics;
import org.abacim.core.tech.ProgrammedLayer;
import org.junit.jupiter.api.Test;

/** Hardware-aware training: a fresh simulated chip per batch in the forward pass, gradients straight through. */
class HardwareAwareTest {
    /** Exact integer arrays (an ideal design): the chip holds the codes. */
    private static final MvmNumerics EXACT = new MvmNumerics() {
        @Override
        public long[] multiply(int[] w, int rows, int cols, int[] x, boolean signedInputs) {
            long[] y = new long[cols];
            for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) y[c] += (long) w[r * cols + c] * x[r];
            return y;
        }

        @Override
        public boolean exact() {
            return true;
        }

        @Override
        public ProgrammedLayer program(int[] w, int rows, int cols, boolean signedInputs, Chip chip) {
            return new ProgrammedLayer() {
                @Override
                public void multiply(int[] inputs, int positions, double[] out, SplittableRandom readNoise,
                                     org.abacim.core.analog.ActivityCounter activity) {
                    throw new UnsupportedOperationException();
                }

                @Override
                public boolean linear() {
                    return true;
                }
            };
        }
    };

    /** Each cell's code times (1 + σN), N drawn from the chip's stream: static multiplicative variation. */
    private static MvmNumerics noisy(double sigma) {
        return new MvmNumerics() {
            @Override
            public long[] multiply(int[] w, int rows, int cols, int[] x, boolean signedInputs) {
                return EXACT.multiply(w, rows, cols, x, signedInputs);
            }

            @Override
            public boolean exact() {
                return false;
            }

            @Override
            public ProgrammedLayer program(int[] w, int rows, int cols, boolean signedInputs, Chip chip) {
                SplittableRandom r = new SplittableRandom(chip.seed());
                float[] eff = new float[w.length];
                for (int i = 0; i < w.length; i++) eff[i] = (float) (w[i] * (1 + sigma * r.nextGaussian()));
                return new ProgrammedLayer() {
                    @Override
                    public void multiply(int[] inputs, int positions, double[] out, SplittableRandom readNoise,
                                         org.abacim.core.analog.ActivityCounter activity) {
                        throw new UnsupportedOperationException();
                    }

                    @Override
                    public boolean linear() {
                        return true;
                    }

                    @Override
                    public float[] linearWeights() {
                        return eff;
                    }
                };
            }
        };
    }

    private static float[] weights(Network net, String layer) {
        return ((LayerParams.Dense) net.params(layer)).weight().data();
    }

    private static Network tune(Network start, MvmNumerics numerics, boolean device, int threads) {
        TrainConfig cfg = new TrainConfig(2, 32, TrainConfig.Optimizer.ADAM, 1e-3, 0.9, 0, 5, threads, 8);
        return Trainer.train(start, blobs(400, 3), null, cfg, e -> { }, new HardwareAware(start, numerics, 6, 5, device));
    }

    @Test
    void withoutDeviceEffectsTheChipHoldsThePerChannelQuantizedWeights() {
        Network net = Trainer.initialize(mlp(), 3);
        HardwareAware hw = new HardwareAware(net, EXACT, 6, 1, true);
        QuantizedEngine q = new QuantizedEngine(net, new QuantizedEngine.Scheme(6, 8, true), blobs(16, 1).images());
        for (int node = 0; node < net.nodes().size(); node++) {
            int[] codes = q.integerWeights(node);
            if (codes == null) continue;
            float[] w = weights(net, net.nodes().get(node).name());
            float[] onChip = hw.onChip(node, w, 42);
            float[] scales = q.weightScales(node);
            int per = codes.length / scales.length;
            for (int k = 0; k < codes.length; k++) assertThat(onChip[k]).isEqualTo(codes[k] * scales[k / per]);
        }
    }

    @Test
    void noiseOffIsQuantizationAwareFineTuningToTheByte() {
        // An ideal design (the chip holds the codes) tunes exactly as quantization-aware fine-tuning of the weights
        // (per channel) and inputs: the documented relation of hardware-aware training with σ = 0.
        Network start = Trainer.train(Trainer.initialize(mlp(), 3), blobs(400, 1), null, TrainConfig.adam(2, 3, 1), e -> { });
        Network ideal = tune(start, EXACT, true, 1);
        Network quantizationOnly = tune(start, noisy(0.5), false, 1);
        for (String layer : new String[] {"fc1", "fc2"}) {
            assertThat(weights(ideal, layer)).containsExactly(weights(quantizationOnly, layer));
            assertThat(weights(ideal, layer)).isNotEqualTo(weights(start, layer));
        }
        // The hook puts the float weights back before every step: the start is untouched, the result is float.
        Network noisy = tune(start, noisy(0.5), true, 1);
        assertThat(weights(noisy, "fc1")).isNotEqualTo(weights(ideal, "fc1"));
    }

    @Test
    void tunedWeightsAreTheSameBytesForAnyThreadCount() {
        Network start = Trainer.train(Trainer.initialize(mlp(), 3), blobs(400, 1), null, TrainConfig.adam(2, 3, 1), e -> { });
        Network one = tune(start, noisy(0.3), true, 1);
        Network two = tune(start, noisy(0.3), true, 2);
        for (String layer : new String[] {"fc1", "fc2"}) {
            assertThat(weights(two, layer)).containsExactly(weights(one, layer));
        }
    }
}
