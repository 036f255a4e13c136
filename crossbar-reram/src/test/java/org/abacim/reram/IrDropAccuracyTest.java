package org.abacim.reram;

import static org.assertj.core.api.Assertions.assertThat;

import org.abacim.core.accuracy.MonteCarlo;
import org.abacim.core.data.Dataset;
import org.abacim.core.exec.QuantizedEngine;
import org.abacim.core.network.Network;
import org.abacim.core.units.Length;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * IR drop in the Monte-Carlo engine (issue #33): LeNet-5 (one epoch on 3,000 MNIST digits) on ISAAC's 128×128
 * crossbars with 8-bit weights and inputs, 100 test digits, 2 chips: accuracy falls as the wires' segment resistance
 * grows (0, 1 and 4 Ω: 80 %, 30–40 % and 9–9.5 % on 200 digits, docs/accuracy.md; the gaps dwarf 100 digits'
 * sampling error of about 5 points); wiring of 0 Ω is no wiring at all. Kept to two wired runs: each costs several
 * seconds of CPU, a few times the unwired run (most of it building each array's transfer matrix).
 */
class IrDropAccuracyTest {
    static final QuantizedEngine.Scheme SCHEME = new QuantizedEngine.Scheme(8, 8, true);
    static Dataset[] data;
    static Network net;

    @BeforeAll
    static void train() {
        data = TrainedLeNet5.data();
        net = TrainedLeNet5.net();
    }

    static MonteCarlo.Outcome run(ReramDesign d) {
        return MonteCarlo.run(new MonteCarlo.Setup(net, d.numerics().orElseThrow(), SCHEME, data[1].sample(100, 5, Dataset.Purpose.SCORING),
                data[0].sample(64, 5, Dataset.Purpose.CALIBRATION).images(), 2, 5, false, false, 2));
    }

    static ReramDesign isaac(String ohms) {
        return Presets.load("isaac", "weights.bits=8", "inputBits=8", "device.programming.sigma=0.05",
                "wires.wordLine=" + ohms + " Ohm", "wires.bitLine=" + ohms + " Ohm");
    }

    @Test
    void accuracyFallsAsSegmentResistanceGrows() {
        double[] ohms = {1, 4};
        long t0 = System.nanoTime();
        MonteCarlo.Outcome none = run(isaac("0"));
        System.out.printf("IRDROP-ACCURACY none: %.1f s%n", (System.nanoTime() - t0) / 1e9);
        double previousMin = none.min();
        double previousMean = none.mean();
        for (double r : ohms) {
            long start = System.nanoTime();
            MonteCarlo.Outcome o = run(isaac(Double.toString(r)));
            System.out.printf("IRDROP-ACCURACY %s Ohm: %.1f s%n", r, (System.nanoTime() - start) / 1e9);
            System.out.printf("IRDROP-ACCURACY %s Ohm: mean %.4f min %.4f max %.4f (none: %.4f)%n", r, o.mean(), o.min(),
                    o.max(), none.mean());
            // Every chip at the higher resistance scores below every chip at the lower one.
            assertThat(o.max()).as("%s Ω", r).isLessThan(previousMin);
            assertThat(o.mean()).isLessThan(previousMean);
            previousMin = o.min();
            previousMean = o.mean();
        }
    }

    @Test
    void trimmingEachColumnOnTheChipRecoversMostOfTheDrop() {
        // 1 Ω segments: 30–40 % untrimmed; each column trimmed to its programmed levels: 76–80 % (200 digits,
        // docs/accuracy.md) — every trimmed chip above every untrimmed one, on the same chips and digits.
        MonteCarlo.Outcome untrimmed = run(isaac("1"));
        MonteCarlo.Outcome trimmed = run(Presets.load("isaac", "weights.bits=8", "inputBits=8",
                "device.programming.sigma=0.05", "wires.wordLine=1 Ohm", "wires.bitLine=1 Ohm",
                "wires.calibrateColumns=true"));
        System.out.printf("IRDROP-ACCURACY 1 Ohm trimmed: mean %.4f min %.4f max %.4f (untrimmed %.4f)%n", trimmed.mean(),
                trimmed.min(), trimmed.max(), untrimmed.mean());
        assertThat(trimmed.min()).isGreaterThan(untrimmed.max() + 0.2);
    }

    @Test
    void zeroOhmWiresAreNoWires() {
        assertThat(Presets.load("isaac").wireModel()).isSameAs(IrDrop.WireModel.NONE);
        assertThat(Presets.load("isaac", "wires.access=0 kOhm").wireModel()).isSameAs(IrDrop.WireModel.NONE);
    }

    @Test
    void autoSegmentsFollowTheResistivityTable() {
        // 32 nm: ρ = 3.25·10⁻⁸ Ω·m, aspect ratio 2; a 2F-long segment: ρ·2 / (2 · 32 nm) = 1.016 Ω.
        ReramDesign d = Presets.load("isaac", "wires.wordLine=auto", "wires.bitLine=auto");
        assertThat(d.parameters().wordLineSegment().ohms()).isCloseTo(3.25e-8 * 2 / (2 * 32e-9), org.assertj.core.api.Assertions.within(1e-12));
        assertThat(WireResistivity.segment(Length.of(8e-9), 2).ohms()).isCloseTo(7.87e-8 * 2 / (3 * 8e-9),
                org.assertj.core.api.Assertions.within(1e-9));
    }

    static MonteCarlo.Outcome calibrated(ReramDesign d, int images) {
        return MonteCarlo.run(new MonteCarlo.Setup(net, d.numerics().orElseThrow(), SCHEME,
                data[1].sample(images, 5, Dataset.Purpose.SCORING),
                data[0].sample(64, 5, Dataset.Purpose.CALIBRATION).images(), 2, 5, true, false, 2));
    }

    @Test
    void measureCalibrationOnWires() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Boolean.getBoolean("abacim.irdrop.measure"));
        for (String ohms : new String[] {"0", "0.25", "1", "4"}) {
            for (String in : new String[] {"false", "true"}) {
                MonteCarlo.Outcome o = calibrated(Presets.load("isaac", "weights.bits=8", "inputBits=8",
                        "device.programming.sigma=" + System.getProperty("abacim.irdrop.sigma", "0.05"), "adc.range=calibrated", "wires.wordLine=" + ohms + " Ohm",
                        "wires.bitLine=" + ohms + " Ohm", "wires.calibrateColumns=" + in), 200);
                System.out.printf("CAL %s Ohm calibrateColumns=%s: mean %.4f min %.4f max %.4f trials %s%n", ohms, in,
                        o.mean(), o.min(), o.max(), java.util.Arrays.toString(o.correct()));
            }
        }
    }
}
