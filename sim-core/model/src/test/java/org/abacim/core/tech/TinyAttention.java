package org.abacim.core.tech;

import java.util.List;
import org.abacim.core.config.ConfigReader;
import org.abacim.core.cost.AttentionOptions;
import org.abacim.core.cost.ChipCount;
import org.abacim.core.cost.CostModel;
import org.abacim.core.cost.PipelineMode;
import org.abacim.core.cost.Replication;
import org.abacim.core.cost.SimulationOptions;
import org.abacim.core.network.ActivationProduct;
import org.abacim.core.network.Flatten;
import org.abacim.core.network.Input;
import org.abacim.core.network.Linear;
import org.abacim.core.network.Network;
import org.abacim.core.network.Shape;
import org.abacim.core.network.Softmax;
import org.abacim.core.placer.DensePlacer;
import org.abacim.core.result.Result;

/**
 * One head of self-attention over {@code tokens} tokens of {@code features} features, then a linear layer to 4
 * outputs, for the technologies' tests of writing activations into their arrays: scores = x·xᵀ (second operand xᵀ,
 * features × tokens), a softmax over each row, ctx = scores·x (second operand x, tokens × features).
 */
public final class TinyAttention {
    private TinyAttention() {}

    public static Network network(int tokens, int features) {
        return Network.of("tiny-attention", "", "test", List.of(
                new Input("x", new Shape(1, tokens, features)),
                new ActivationProduct("scores", "x", "x", false, true),
                new Softmax("attn", "scores", Softmax.Axis.WIDTH),
                new ActivationProduct("ctx", "attn", "x", false, false),
                new Flatten("flat", "ctx"),
                new Linear("fc", "flat", tokens * features, 4, false)));
    }

    /** The network on {@code design}, products where {@code products} says, one copy of each layer. */
    public static Result evaluate(Design design, Network net, String products, PipelineMode mode, String more) {
        SimulationOptions options = new SimulationOptions(mode, Replication.NONE, ChipCount.AUTO);
        AttentionOptions attention = AttentionOptions.of(ConfigReader.read("test.yaml",
                "attention:\n  products: " + products + "\n" + more));
        return CostModel.evaluate(net, design, DensePlacer.place(net, design, options), options, attention,
                Result.Activity.assumed());
    }

    /** Cells a product's second operand of {@code values} takes: ⌈activation bits / weight bits⌉ weights each. */
    public static long operandCells(Design design, long values) {
        ArrayGeometry g = design.geometry();
        long slots = (design.activationBits() + g.weightBits() - 1) / g.weightBits();
        return values * slots * g.cellsPerWeight() * g.signEncoding().arraysPerMatrix();
    }
}
