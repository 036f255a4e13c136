package org.abacim.core.network;

import java.util.List;

/**
 * One node of the network IR. Layers name their inputs; the {@link Network} checks the graph and infers shapes.
 * The same IR feeds the cost model (shapes), the functional engine (weights and data) and the compressor.
 */
public sealed interface Layer permits Input, Conv2d, Linear, Pool, Activation, BatchNorm, Add, Concat, Multiply, SelectChannels, Flatten,
        Softmax, Quantization, DynamicQuantization, ChannelNorm, Affine, Rearrange, ActivationProduct, Constant, Embedding, Mask,
        RecurrentGates {
    String name();

    List<String> inputs();

    /** The output shape for the given input shapes; throws {@link NetworkException} when they do not fit. */
    Shape outputShape(List<Shape> inputShapes);

    /** A short description for listings: "conv 3×3/1 → 64". */
    String describe();
}
