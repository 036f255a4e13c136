package org.abacim.mram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Sense-margin error odds: the normal tails of the three bit-line levels against the references. */
class SenseMarginTest {
    @Test
    void levelsAndReferencesOfTheSampleCell() {
        SotMramDesign d = Presets.load("sot-mram");
        SenseMargin m = d.senseMargin();
        // 6 kΩ / 12 kΩ: 1/6k + 1/6k, 1/6k + 1/12k, 1/12k + 1/12k.
        assertThat(m.level(2)).isCloseTo(2 / 6e3, within(1e-12));
        assertThat(m.level(1)).isCloseTo(1 / 6e3 + 1 / 12e3, within(1e-12));
        assertThat(m.level(0)).isCloseTo(2 / 12e3, within(1e-12));
        assertThat(m.reference(1)).isCloseTo(0.5 * (2 / 6e3 + 1 / 6e3 + 1 / 12e3), within(1e-12));
        // The preset's 5 % spreads and 0.5 µA offset: the (1,1) level sits 41.7 µS over the AND reference with
        // σ ≈ √(2·8.33² + 5²) = 12.8 µS to first order, a 3.25σ margin (5.8e-4 as a normal tail in G). G = 1/R is
        // skewed upward: the (1,1) level's lower tail is lighter (1.66e-4) and the (1,0) level's upper tail heavier
        // (3.12e-4) than that.
        assertThat(m.errorProbability(SenseMargin.Logic.AND, 2)).isCloseTo(1.661e-4, within(0.01e-4));
        assertThat(m.errorProbability(SenseMargin.Logic.AND, 1)).isCloseTo(3.119e-4, within(0.01e-4));
        assertThat(m.errorProbability(SenseMargin.Logic.AND, 0)).isLessThan(1e-20);
        // OR has the wider margin between none and one (G_AP's level is lower, so its spread is smaller).
        assertThat(m.errorProbability(SenseMargin.Logic.OR, 1)).isLessThan(m.errorProbability(SenseMargin.Logic.AND, 1));
    }

    @Test
    void theNormalTailsMatchSampledCells() {
        // 10 % spreads: sample R_P and TMR per cell and the amplifier offset per read, count wrong reads.
        double rP = 6e3, tmr = 1.0, sR = 0.10, sT = 0.10, v = 0.1, offset = 1e-6;
        SenseMargin m = new SenseMargin(1 / rP, 1 / (rP * (1 + tmr)), sR,
                Math.sqrt(sR * sR + Math.pow(sT * tmr / (1 + tmr), 2)), offset / v);
        SplittableRandom r = new SplittableRandom(11);
        int trials = 400_000;
        for (SenseMargin.Logic logic : SenseMargin.Logic.values()) {
            for (int ones = 0; ones <= 2; ones++) {
                int wrong = 0;
                for (int t = 0; t < trials; t++) {
                    double g = 0;
                    for (int cell = 0; cell < 2; cell++) {
                        double rp = rP * (1 + sR * r.nextGaussian());
                        boolean one = cell < ones;
                        double res = one ? rp : rp * (1 + tmr * (1 + sT * r.nextGaussian()));
                        g += 1 / res;
                    }
                    g += offset / v * r.nextGaussian();
                    boolean read = switch (logic) {
                        case AND -> g > m.reference(1);
                        case OR -> g > m.reference(0);
                        case XOR -> g > m.reference(0) && g <= m.reference(1);
                    };
                    if (read != SenseMargin.ideal(logic, ones)) wrong++;
                }
                double sampled = (double) wrong / trials;
                double model = m.errorProbability(logic, ones);
                // First-order in σ: within 30 % of the sampled rate (or both below 1e-4).
                if (sampled < 1e-4 && model < 1e-4) continue;
                assertThat(model).as(logic + " with " + ones + " ones").isCloseTo(sampled, within(0.3 * sampled + 2e-4));
            }
        }
    }
}
