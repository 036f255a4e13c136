package org.abacim.mapping.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.abacim.core.exec.FloatEngine;
import org.abacim.core.network.Activation;
import org.abacim.core.network.Input;
import org.abacim.core.network.LayerParams;
import org.abacim.core.network.Linear;
import org.abacim.core.network.Network;
import org.abacim.core.network.Shape;
import org.abacim.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Purification and unused path removal change no output and remove what no longer connects (ASP-DAC 2020). */
class PurificationTest {
    static Network chain(float[] w1, float[] b1, float[] w2, float[] b2) {
        Network shapes = Network.of("chain", "test", "test", List.of(new Input("input", Shape.vector(4)),
                new Linear("fc1", "input", 4, 3, true), new Activation("relu", "fc1", Activation.Kind.RELU, 0),
                new Linear("fc2", "relu", 3, 2, true)));
        return shapes.withParams(Map.of(
                "fc1", new LayerParams.Dense(new Tensor(new int[] {3, 4}, w1), new Tensor(new int[] {3}, b1)),
                "fc2", new LayerParams.Dense(new Tensor(new int[] {2, 3}, w2), new Tensor(new int[] {2}, b2))));
    }

    @Test
    void anEmptyFilterIsFoldedIntoTheNextBiasAndAnUnreadOneIsRemoved() {
        float[] w1 = {1, -2, 0.5f, 1, /* filter 1 empty */ 0, 0, 0, 0, /* filter 2, unread */ 0.3f, 0.2f, -1, 2};
        float[] w2 = {0.5f, 2, 0, /**/ -1, 3, 0};
        Network net = chain(w1, new float[] {0.1f, 0.5f, 0.2f}, w2, new float[] {0, 1});
        float[][] inputs = {{1, 2, 3, 4}, {-1, 0.5f, 2, -3}, {0, 0, 0, 0}};
        float[][] before = new float[inputs.length][];
        for (int i = 0; i < inputs.length; i++) before[i] = new FloatEngine(net).forward(inputs[i]);
        int removed = Purification.apply(net, 0);
        assertThat(removed).isEqualTo(2);
        float[] v1 = ((LayerParams.Dense) net.params("fc1")).weight().data();
        float[] v2 = ((LayerParams.Dense) net.params("fc2")).weight().data();
        // Filter 2 of fc1 is unused (fc2 never reads it); fc2's reads of the constant channel 1 are folded away.
        assertThat(java.util.Arrays.copyOfRange(v1, 8, 12)).containsOnly(0f);
        assertThat(v2[1]).isZero();
        assertThat(v2[4]).isZero();
        for (int i = 0; i < inputs.length; i++) {
            float[] after = new FloatEngine(net).forward(inputs[i]);
            for (int o = 0; o < 2; o++) assertThat(after[o]).isCloseTo(before[i][o], within(1e-5f));
        }
    }

    @Test
    void purificationDropsNearlyEmptyFilters() {
        float[] w1 = {1, -2, 0.5f, 1, 0.001f, 0, 0, 0, 0.3f, 0.2f, -1, 2};
        float[] w2 = {0.5f, 2, 1, -1, 3, 1};
        Network net = chain(w1, new float[] {0, 0, 0}, w2, new float[] {0, 0});
        Purification.apply(net, 0.01);
        assertThat(((LayerParams.Dense) net.params("fc1")).weight().data()[4]).isZero();
        assertThat(((LayerParams.Dense) net.params("fc2")).weight().data()[1]).isZero();
    }
}
