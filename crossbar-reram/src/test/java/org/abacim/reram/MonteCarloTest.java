package org.abacim.reram;

import static org.assertj.core.api.Assertions.assertThat;


import org.abacim.core.accuracy.MonteCarlo;
import org.abacim.core.data.Dataset;
import org.abacim.core.exec.QuantizedEngine;
import org.abacim.core.network.Network;
import org.abacim.core.result.Result;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Monte-Carlo accuracy of LeNet-5 (one epoch on 3,000 MNIST digits, seeded) on ISAAC-style crossbars with 8-bit
 * weights and inputs, over 200 test digits: ideal chips equal the integer reference, non-idealities cost accuracy,
 * results never depend on threads.
 */
class MonteCarloTest {
    static final QuantizedEngine.Scheme SCHEME = new QuantizedEngine.Scheme(8, 8, true);
    static Dataset[] data;
    static Network net;

    @BeforeAll
    static void train() {
        data = TrainedLeNet5.data();
        net = TrainedLeNet5.net();
    }

    static MonteCarlo.Outcome run(ReramDesign d, int trials, boolean calibrate, boolean measure, int threads) {
        return MonteCarlo.run(new MonteCarlo.Setup(net, d.numerics().orElseThrow(), SCHEME, data[1].sample(200, 5, Dataset.Purpose.SCORING),
                data[0].sample(64, 5, Dataset.Purpose.CALIBRATION).images(), trials, 5, calibrate, measure, threads));
    }

    @Test
    void idealChipsScoreExactlyTheIntegerReference() {
        MonteCarlo.Outcome o = run(Presets.load("isaac", "weights.bits=8", "inputBits=8"), 3, false, true, 2);
        // One epoch on 3,000 digits of all ten classes (a stratified draw) and 200 stratified test digits: 81.5 %.
        // (The first 3,000 and 200 of the class-sorted split were digits 0–3 and zeros only, and scored over 85 %.)
        assertThat(o.reference()).isGreaterThan(0.75);
        assertThat(o.trials()).containsExactly(o.quantized(), o.quantized(), o.quantized());
        assertThat(o.std()).isZero();
        // Activity is measured on trial 0 with every conversion simulated.
        assertThat(o.activity()).extracting(Result.LayerActivity::name).containsExactly("conv1", "conv2", "fc1", "fc2", "fc3");
        for (Result.LayerActivity a : o.activity()) {
            assertThat(a.inputDigitDensity()).isBetween(0.01, 0.99);
            assertThat(a.adcSaturationFraction()).isZero();
        }
    }

    @Test
    void variationLowersAccuracyAndTheResultDoesNotDependOnThreads() {
        ReramDesign varied = Presets.load("isaac", "weights.bits=8", "inputBits=8", "device.programming.sigma=0.3",
                "device.readNoise=0.02", "device.stuckAtGmin=0.01", "adc.offsetSigma=0.3", "adc.gainSigma=0.02");
        MonteCarlo.Outcome one = run(varied, 5, false, true, 1);
        MonteCarlo.Outcome two = run(varied, 5, false, true, 2);
        assertThat(two.trials()).containsExactly(one.trials());
        assertThat(two.activity()).isEqualTo(one.activity());
        assertThat(one.mean()).isLessThan(one.quantized());
        assertThat(one.std()).isPositive();
        assertThat(one.min()).isLessThanOrEqualTo(one.mean());
    }

    @Test
    void aCalibratedAdcRangeBeatsClippingWithFewBits() {
        MonteCarlo.Outcome clipped = run(Presets.load("isaac", "weights.bits=8", "inputBits=8", "adc.bits=4"), 1, false, false, 2);
        MonteCarlo.Outcome calibrated = run(Presets.load("isaac", "weights.bits=8", "inputBits=8", "adc.bits=4",
                "adc.range=calibrated"), 1, true, false, 2);
        assertThat(calibrated.mean()).isGreaterThan(clipped.mean());
    }
}
