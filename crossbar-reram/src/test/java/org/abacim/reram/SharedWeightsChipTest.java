package org.abacim.reram;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.abacim.core.exec.ArrayEngine;
import org.abacim.core.exec.QuantizedEngine;
import org.abacim.core.network.Activation;
import org.abacim.core.network.Input;
import org.abacim.core.network.LayerParams;
import org.abacim.core.network.Linear;
import org.abacim.core.network.Network;
import org.abacim.core.network.Shape;
import org.abacim.core.tech.MvmNumerics;
import org.abacim.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Two steps of a recurrence on one weight tensor: the first reads a ReLU's output (never negative), the second a
 * tanh's (signed). The chip programs the matrix once; it must take signed inputs, since one of its steps sends them —
 * on ISAAC's arrays, every sum through the ADC, the chip then gives the integer engine's outputs exactly (programmed
 * for the first step's unsigned inputs, the second step's negative codes were refused by the input drivers).
 */
class SharedWeightsChipTest {
    @Test
    void aMatrixSharedByAnUnsignedAndASignedStepIsProgrammedForSignedInputsAndComputesExactly() {
        SplittableRandom r = new SplittableRandom(11);
        Tensor w = new Tensor(new int[] {6, 6}, random(r, 36));
        Network net = Network.of("rnn", "test", "test", List.of(new Input("x", Shape.vector(6)),
                new Activation("relu", "x", Activation.Kind.RELU, 0), new Linear("step1", "relu", 6, 6, false),
                new Activation("h1", "step1", Activation.Kind.TANH, 0), new Linear("step2", "h1", 6, 6, false),
                new Linear("out", "step2", 6, 3, false)))
                .withParams(Map.of("step1", new LayerParams.Dense(w, null), "step2", new LayerParams.Dense(w, null),
                        "out", new LayerParams.Dense(new Tensor(new int[] {3, 6}, random(r, 18)), null)));
        assertThat(net.sharedWeights()).isEqualTo(Map.of("step2", "step1"));
        float[][] images = new float[6][];
        for (int k = 0; k < images.length; k++) images[k] = random(r, 6);
        QuantizedEngine quantized = new QuantizedEngine(net, new QuantizedEngine.Scheme(8, 8, true), images);
        // Every column sum through the ADC, bit by bit (the fast path off), as ArrayEngineTest's LeNet-5 check.
        CrossbarNumerics isaac = (CrossbarNumerics) Presets.load("isaac", "weights.bits=8", "inputBits=8").numerics().orElseThrow();
        ArrayEngine chip = new ArrayEngine(net, new QuantizedEngine.Scheme(8, 8, true), images, new MvmNumerics() {
            @Override public MvmNumerics forWeightBits(int bits) { return this; }

            @Override public long[] multiply(int[] weights, int rows, int cols, int[] x, boolean signed) {
                return isaac.bitLevel(weights, rows, cols, x, signed);
            }

            @Override public boolean exact() { return false; }
        });
        for (int k = 0; k < images.length; k++) {
            assertThat(chip.forward(images[k])).containsExactly(quantized.forward(images[k]));
        }
    }

    private static float[] random(SplittableRandom r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) r.nextGaussian();
        return v;
    }
}
