package org.abacim.reram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.abacim.core.accuracy.MonteCarlo;
import org.abacim.core.analog.Chip;
import org.abacim.core.data.Dataset;
import org.abacim.core.exec.ArrayEngine;
import org.abacim.core.exec.QuantizedEngine;
import org.abacim.core.network.Network;
import org.abacim.core.tech.MvmNumerics;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The statistical accuracy mode (accuracy.mode: statistical) on LeNet-5 (one epoch on 3,000 MNIST digits, seeded) on
 * ISAAC crossbars, 8-bit weights and inputs, 8-bit calibrated ADCs, log-normal σ: deterministic whatever the thread
 * count, and within a stated tolerance of the bit-serial path's accuracy on 400 test digits × 4 chips. (With 5-bit
 * ADCs the mode is 7–12 points pessimistic: docs/accuracy.md#statistical-mode.)
 */
class StatisticalModeTest {
    static final QuantizedEngine.Scheme SCHEME = new QuantizedEngine.Scheme(8, 8, true);
    static Dataset[] data;
    static Network net;

    @BeforeAll
    static void train() {
        data = TrainedLeNet5.data();
        net = TrainedLeNet5.net();
    }

    static MonteCarlo.Outcome run(ReramDesign d, int images, int trials, int threads, boolean statistical) {
        return MonteCarlo.run(new MonteCarlo.Setup(net, d.numerics().orElseThrow(), SCHEME,
                data[1].sample(images, 5, Dataset.Purpose.SCORING), data[0].sample(64, 5, Dataset.Purpose.CALIBRATION).images(),
                trials, 5, true, false, threads, statistical));
    }

    static ReramDesign design(String sigma) {
        return Presets.load("isaac", "weights.bits=8", "inputBits=8", "adc.bits=8", "adc.range=calibrated",
                "device.programming.sigma=" + sigma);
    }

    @Test
    void statisticalModeDoesNotDependOnThreads() {
        MonteCarlo.Outcome one = run(design("0.1"), 100, 2, 1, true);
        MonteCarlo.Outcome two = run(design("0.1"), 100, 2, 2, true);
        assertThat(two.correct()).containsExactly(one.correct());
    }

    /**
     * Measured when written (400 digits × 4 chips): see docs/accuracy.md#statistical-mode. The tolerance, 2 points, is
     * about twice the sampling spread of a 1,600-score mean difference between two correlated paths.
     */
    @Test
    void statisticalModeScoresWithinTwoPointsOfTheBitSerialPath() {
        for (String sigma : new String[] {"0.1", "0.2"}) {
            MonteCarlo.Outcome bitSerial = run(design(sigma), 400, 4, 2, false);
            MonteCarlo.Outcome statistical = run(design(sigma), 400, 4, 2, true);
            System.out.printf("σ %s: bit-serial %.4f, statistical %.4f%n", sigma, bitSerial.mean(), statistical.mean());
            assertThat(Math.abs(statistical.mean() - bitSerial.mean())).as("σ " + sigma).isLessThan(0.02);
        }
    }

    @Test
    void aLayerThatCannotFoldItsWeightsIsRefused() {
        QuantizedEngine q = new QuantizedEngine(net, SCHEME, data[0].sample(8, 5, Dataset.Purpose.CALIBRATION).images());
        MvmNumerics opaque = new MvmNumerics() {
            @Override
            public long[] multiply(int[] weights, int rows, int cols, int[] inputs, boolean signedInputs) {
                long[] y = new long[cols];
                for (int c = 0; c < cols; c++) for (int r = 0; r < rows; r++) y[c] += (long) weights[r * cols + c] * inputs[r];
                return y;
            }

            @Override
            public boolean exact() {
                return true;
            }
        };
        ArrayEngine chip = new ArrayEngine(q, opaque, new Chip(1, false, Double.NaN, false), null);
        assertThatThrownBy(() -> chip.statistical(new float[][] {data[0].images()[0]}, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no statistical model");
    }
}
