package org.abacim.core.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class WeightGridTest {
    private static float[] codes(int levels, double step, int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] w = new float[n];
        for (int i = 0; i < n; i++) w[i] = (float) (random.nextInt(-levels, levels + 1) * step);
        return w;
    }

    @Test
    void findsTheNarrowestGridAndItsStep() {
        float[] w = codes(7, 0.0123, 500, 1); // a 4-bit layer
        w[0] = (float) (7 * 0.0123);          // the largest level is used
        WeightGrid g = WeightGrid.below(w, 8).orElseThrow();
        assertThat(g.bits()).isEqualTo(4);
        assertThat(g.step()).isCloseTo(0.0123, within(1e-7));
    }

    @Test
    void theLargestWeightNeedNotSitOnTheTopLevel() {
        float[] w = codes(5, 0.02, 500, 2); // levels within ±5: still 4 bits, step found from max / 5
        w[0] = 0.1f;
        WeightGrid g = WeightGrid.below(w, 8).orElseThrow();
        assertThat(g.bits()).isEqualTo(4);
        assertThat(g.step()).isCloseTo(0.02, within(1e-7));
    }

    @Test
    void ternaryAndAllZeroLayersAreTwoBits() {
        assertThat(WeightGrid.below(new float[] {0.3f, 0, -0.3f, 0.3f}, 8).orElseThrow().bits()).isEqualTo(2);
        assertThat(WeightGrid.below(new float[4], 8).orElseThrow().bits()).isEqualTo(2);
    }

    @Test
    void floatWeightsAndGridsAsWideAsTheDesignHaveNone() {
        SplittableRandom random = new SplittableRandom(3);
        float[] w = new float[200];
        for (int i = 0; i < w.length; i++) w[i] = (float) random.nextGaussian();
        assertThat(WeightGrid.below(w, 8)).isEmpty();
        float[] eightBit = codes(127, 0.001, 2000, 4);
        eightBit[0] = 0.127f;
        assertThat(WeightGrid.below(eightBit, 8)).isEmpty();
        assertThat(WeightGrid.below(eightBit, 16).orElseThrow().bits()).isEqualTo(8);
    }
}
