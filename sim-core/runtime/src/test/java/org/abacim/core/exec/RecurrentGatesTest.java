package org.abacim.core.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import org.abacim.core.network.Input;
import org.abacim.core.network.Network;
import org.abacim.core.network.Rearrange;
import org.abacim.core.network.RecurrentGates;
import org.abacim.core.network.RecurrentSteps;
import org.abacim.core.network.Shape;
import org.abacim.core.train.Trainer;
import org.junit.jupiter.api.Test;

/**
 * A recurrent step's gates as one layer: the same outputs as the unrolled layers (within the rational σ and tanh's
 * error), gradients that match finite differences, and the accuracy of the functions themselves.
 */
class RecurrentGatesTest {
    private static float[][] samples(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] x = new float[n][RecurrentSteps.INPUTS];
        for (float[] s : x) for (int k = 0; k < s.length; k++) s[k] = (float) (2 * r.nextGaussian());
        return x;
    }

    private static void fusedMatchesUnrolled(RecurrentGates.Cell cell) {
        Network unrolled = Trainer.initialize(RecurrentSteps.of(cell, 8, false), 3);
        Network fused = RecurrentSteps.of(cell, 8, true).withParams(unrolled.params());
        assertThat(fused.nodes()).hasSizeLessThan(unrolled.nodes().size() / 3);
        float[][] x = samples(40, 5);
        float[][] want = new FloatEngine(unrolled).forward(x, 2);
        float[][] got = new FloatEngine(fused).forward(x, 2);
        float largest = 0;
        for (float[] y : want) for (float v : y) largest = Math.max(largest, Math.abs(v));
        for (int i = 0; i < x.length; i++) {
            for (int k = 0; k < want[i].length; k++) {
                // σ and tanh within 3.6e-7 relative: the logits within a few 1e-7 of the largest.
                assertThat(Math.abs(got[i][k] - want[i][k])).as("sample %d logit %d", i, k).isLessThanOrEqualTo(2e-6f * largest);
            }
        }
    }

    @Test
    void aFusedGruStepComputesWhatItsUnrolledLayersCompute() {
        fusedMatchesUnrolled(RecurrentGates.Cell.GRU);
    }

    @Test
    void aFusedLstmStepComputesWhatItsUnrolledLayersCompute() {
        fusedMatchesUnrolled(RecurrentGates.Cell.LSTM);
    }

    @Test
    void gruGateGradientsMatchFiniteDifferences() {
        BackpropTest.check(RecurrentSteps.of(RecurrentGates.Cell.GRU, 4, true), false);
    }

    @Test
    void lstmGateGradientsMatchFiniteDifferences() {
        BackpropTest.check(RecurrentSteps.of(RecurrentGates.Cell.LSTM, 4, true), false);
    }

    @Test
    void theGatesRationalTanhIsWithinSixUlpAndSigmoidWithin2point1e7() {
        double worstUlps = 0, worstSigmoid = 0;
        // Every float from 0 to 18 (both functions are odd or symmetric about 0): 1.1e9 values would be slow, every
        // 7th bit pattern keeps the worst cases' neighbourhoods (σ's worst, 2.079e-7, is at 13.665774).
        for (int bits = 0; bits <= Float.floatToRawIntBits(18f); bits += 7) {
            float x = Float.intBitsToFloat(bits);
            double want = Math.tanh(x);
            worstUlps = Math.max(worstUlps, Math.abs(RecurrentGateMath.tanh(x) - want) / Math.ulp((float) want));
            worstSigmoid = Math.max(worstSigmoid, Math.abs(RecurrentGateMath.sigmoid(x) - 1 / (1 + Math.exp(-x))));
            worstSigmoid = Math.max(worstSigmoid, Math.abs(RecurrentGateMath.sigmoid(-x) - 1 / (1 + Math.exp(x))));
        }
        worstSigmoid = Math.max(worstSigmoid, Math.abs(RecurrentGateMath.sigmoid(13.665774f) - 1 / (1 + Math.exp(-13.665774))));
        assertThat(worstUlps).isLessThanOrEqualTo(6.5);
        assertThat(worstSigmoid).isLessThan(2.1e-7);
        assertThat(RecurrentGateMath.tanh(0f)).isZero();
        // Saturated, the clamp's value: one ulp inside ±1.
        assertThat(RecurrentGateMath.tanh(Float.POSITIVE_INFINITY)).isBetween(1f - Math.ulp(1f), 1f);
        assertThat(RecurrentGateMath.tanh(Float.NEGATIVE_INFINITY)).isBetween(-1f, Math.ulp(1f) - 1f);
        assertThat(RecurrentGateMath.sigmoid(-100f)).isBetween(0f, 1e-7f);
        assertThat(RecurrentGateMath.sigmoid(100f)).isEqualTo(1f);
        assertThat(RecurrentGateMath.tanh(Float.NaN)).isNaN();
    }

    @Test
    void tanhThroughExpIsMathTanhWithinOneUlp() {
        int differ = 0, values = 0;
        for (int bits = Float.floatToRawIntBits(1e-6f); bits < Float.floatToRawIntBits(12f); bits += 97) {
            for (float x : new float[] {Float.intBitsToFloat(bits), -Float.intBitsToFloat(bits)}) {
                float want = (float) Math.tanh(x);
                float got = FloatEngine.tanh(x);
                assertThat(Math.abs(got - want)).as("tanh(%s)", x).isLessThanOrEqualTo(Math.ulp(want));
                if (got != want) differ++;
                values++;
            }
        }
        // One value in millions is a rounding apart, and no more than one ulp.
        assertThat(differ).isLessThan(values / 100_000 + 5);
        assertThat(FloatEngine.tanh(0f)).isZero();
        assertThat(FloatEngine.tanh(1e-30f)).isEqualTo(1e-30f);
        assertThat(FloatEngine.tanh(1e30f)).isEqualTo(1f);
        assertThat(FloatEngine.tanh(-1e30f)).isEqualTo(-1f);
        assertThat(FloatEngine.tanh(Float.NaN)).isNaN();
    }

    @Test
    void rearrangesCopiedByRunsGiveTheGathersValues() {
        SplittableRandom r = new SplittableRandom(8);
        int[][][] cases = {
            {{96, 28}, {1, 0}},          // a plain transpose
            {{17, 4, 8}, {1, 0, 2}},     // heads moved past tokens: runs of 8
            {{24}, {0}},                 // a regrouping: one run
            {{3, 5, 7}, {2, 0, 1}},      // neither: one value at a time
            {{6, 1, 5}, {2, 1, 0}}};     // a transpose around an axis of one
        // And channel selections copied by runs of consecutive channels.
        assertThat(FloatEngine.channelRuns(new int[] {4, 5, 6, 0, 1, 9})).containsExactly(4, 0, 3, 0, 3, 2, 9, 5, 1);
        for (int[][] c : cases) {
            int[] dims = c[0], order = c[1];
            int elements = 1;
            for (int d : dims) elements *= d;
            Rearrange layer = new Rearrange("moved", "in", dims, order, new Shape(elements, 1, 1));
            Network net = Network.of("r", "", "test", List.of(new Input("in", new Shape(elements, 1, 1)), layer));
            float[] x = new float[elements];
            for (int k = 0; k < elements; k++) x[k] = (float) r.nextGaussian();
            float[] y = new FloatEngine(net).forward(x);
            int[] from = layer.sourceIndex();
            for (int k = 0; k < elements; k++) assertThat(y[k]).as("%s value %d", List.of(dims), k).isEqualTo(x[from[k]]);
        }
    }
}
