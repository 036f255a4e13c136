package org.abacim.core.network;

import java.util.ArrayList;
import java.util.List;

/**
 * Two steps of a GRU (linear_before_reset = 1) or an LSTM, in two forms with the same layer names for every weight:
 * the gates as one {@link RecurrentGates} layer a step, or unrolled into the adds, activations, products and
 * selections the ONNX importer built before the fused layer existed. A vector input feeds W's product (Linear "wx")
 * and the initial state (Linear "w0"); each step multiplies the state by its own R ("r0", "r1"); a Linear head "out"
 * gives 3 logits. Shapes only: {@code Trainer.initialize} or the caller adds weights.
 */
public final class RecurrentSteps {
    private RecurrentSteps() {}

    public static final int INPUTS = 5;

    public static Network of(RecurrentGates.Cell cell, int hidden, boolean fused) {
        int gates = cell.gates * hidden;
        int stateSize = cell.stateVectors * hidden;
        List<Layer> layers = new ArrayList<>();
        layers.add(new Input("x", Shape.vector(INPUTS)));
        layers.add(new Linear("w0", "x", INPUTS, stateSize, true));
        String state = "w0";
        for (int t = 0; t < 2; t++) {
            String s = "t" + t;
            String xt = s + "_x";
            layers.add(new Linear(xt, "x", INPUTS, gates, true));
            String h = state;
            if (cell == RecurrentGates.Cell.LSTM) {
                h = s + "_h_in";
                layers.add(pick(h, state, 0, hidden));
            }
            String hr = "r" + t;
            layers.add(new Linear(hr, h, hidden, gates, true));
            String next = s + "_state";
            if (fused) {
                layers.add(new RecurrentGates(next, xt, hr, state, cell, hidden));
            } else if (cell == RecurrentGates.Cell.GRU) {
                layers.add(new Add(s + "_sum", List.of(xt, hr)));
                layers.add(pick(s + "_zr_in", s + "_sum", 0, 2 * hidden));
                layers.add(new Activation(s + "_zr", s + "_zr_in", Activation.Kind.SIGMOID, 0));
                layers.add(pick(s + "_z", s + "_zr", 0, hidden));
                layers.add(pick(s + "_reset", s + "_zr", hidden, hidden));
                layers.add(pick(s + "_hn", hr, 2 * hidden, hidden));
                layers.add(new Multiply(s + "_rh", List.of(s + "_reset", s + "_hn")));
                layers.add(pick(s + "_xn", xt, 2 * hidden, hidden));
                layers.add(new Add(s + "_n_in", List.of(s + "_xn", s + "_rh")));
                layers.add(new Activation(s + "_n", s + "_n_in", Activation.Kind.TANH, 0));
                layers.add(new Affine(s + "_minus_n", s + "_n", new float[] {-1}, new float[] {0}));
                layers.add(new Add(s + "_d", List.of(state, s + "_minus_n")));
                layers.add(new Multiply(s + "_zd", List.of(s + "_z", s + "_d")));
                layers.add(new Add(next, List.of(s + "_n", s + "_zd")));
            } else {
                layers.add(new Add(s + "_sum", List.of(xt, hr)));
                layers.add(pick(s + "_iof_in", s + "_sum", 0, 3 * hidden));
                layers.add(new Activation(s + "_iof", s + "_iof_in", Activation.Kind.SIGMOID, 0));
                layers.add(pick(s + "_i", s + "_iof", 0, hidden));
                layers.add(pick(s + "_o", s + "_iof", hidden, hidden));
                layers.add(pick(s + "_f", s + "_iof", 2 * hidden, hidden));
                layers.add(pick(s + "_g_in", s + "_sum", 3 * hidden, hidden));
                layers.add(new Activation(s + "_g", s + "_g_in", Activation.Kind.TANH, 0));
                layers.add(pick(s + "_c_in", state, hidden, hidden));
                layers.add(new Multiply(s + "_fc", List.of(s + "_f", s + "_c_in")));
                layers.add(new Multiply(s + "_ig", List.of(s + "_i", s + "_g")));
                layers.add(new Add(s + "_c", List.of(s + "_fc", s + "_ig")));
                layers.add(new Activation(s + "_tanh_c", s + "_c", Activation.Kind.TANH, 0));
                layers.add(new Multiply(s + "_h", List.of(s + "_o", s + "_tanh_c")));
                layers.add(new Concat(next, List.of(s + "_h", s + "_c")));
            }
            state = next;
        }
        layers.add(new Linear("out", state, stateSize, 3, true));
        return Network.of(cell + (fused ? " fused" : " unrolled"), "two recurrent steps", "test", layers);
    }

    private static SelectChannels pick(String name, String from, int start, int count) {
        int[] channels = new int[count];
        for (int k = 0; k < count; k++) channels[k] = start + k;
        return new SelectChannels(name, from, channels);
    }
}
