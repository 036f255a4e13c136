package org.abacim.core.network;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds networks layer by layer, each new layer reading the last one unless told otherwise; names are generated
 * ("conv1", "fc2") unless given. Used by the zoo and the importers.
 */
public final class NetworkBuilder {
    private final String name;
    private final List<Layer> layers = new ArrayList<>();
    private final Map<String, Shape> shapes = new HashMap<>();
    private final Map<String, Integer> counters = new HashMap<>();
    private String last;

    public NetworkBuilder(String name) {
        this.name = name;
    }

    public NetworkBuilder input(int channels, int height, int width) {
        return add(new Input("input", new Shape(channels, height, width)));
    }

    /** Convolution with a square kernel, stride and padding. */
    public NetworkBuilder conv(int outChannels, int kernel, int stride, int padding) {
        return conv(next("conv"), outChannels, kernel, stride, padding);
    }

    public NetworkBuilder conv(String layerName, int outChannels, int kernel, int stride, int padding) {
        return add(new Conv2d(layerName, last, shape().channels(), outChannels, kernel, kernel, stride, stride,
                padding, padding, 1, 1, true));
    }

    /** Convolution without bias, as before a batch norm (which has its own shift). */
    public NetworkBuilder convNoBias(int outChannels, int kernel, int stride, int padding) {
        return add(new Conv2d(next("conv"), last, shape().channels(), outChannels, kernel, kernel, stride, stride,
                padding, padding, 1, 1, false));
    }

    public NetworkBuilder batchNorm() {
        return add(new BatchNorm(next("bn"), last, shape().channels()));
    }

    public NetworkBuilder relu() {
        return add(new Activation(next("relu"), last, Activation.Kind.RELU, 0));
    }

    public NetworkBuilder maxPool(int kernel, int stride) {
        return maxPool(kernel, stride, 0);
    }

    public NetworkBuilder maxPool(int kernel, int stride, int padding) {
        return add(new Pool(next("pool"), last, Pool.Kind.MAX, kernel, stride, padding, false));
    }

    public NetworkBuilder avgPool(int kernel, int stride) {
        return add(new Pool(next("pool"), last, Pool.Kind.AVERAGE, kernel, stride, 0, false));
    }

    public NetworkBuilder globalAvgPool() {
        return add(new Pool(next("pool"), last, Pool.Kind.AVERAGE, 0, 0, 0, true));
    }

    public NetworkBuilder flatten() {
        return add(new Flatten(next("flatten"), last));
    }

    public NetworkBuilder linear(int outFeatures) {
        return linear(next("fc"), outFeatures);
    }

    public NetworkBuilder linear(String layerName, int outFeatures) {
        long in = shape().elements();
        return add(new Linear(layerName, last, (int) in, outFeatures, true));
    }

    /** Adds the last layer's output to the output of {@code other} (a residual connection). */
    public NetworkBuilder addFrom(String other) {
        return add(new Add(next("add"), List.of(last, other)));
    }

    public NetworkBuilder softmax() {
        return add(new Softmax(next("softmax"), last));
    }

    /** Continues from an earlier layer (to build a branch). */
    public NetworkBuilder from(String layerName) {
        if (!shapes.containsKey(layerName)) throw new NetworkException("no layer '" + layerName + "' yet");
        last = layerName;
        return this;
    }

    /** The name of the layer the next one will read. */
    public String last() { return last; }

    /** The output shape of the last layer. */
    public Shape shape() {
        if (last == null) throw new NetworkException("network " + name + ": start with an input layer");
        return shapes.get(last);
    }

    public NetworkBuilder add(Layer layer) {
        List<Shape> in = new ArrayList<>();
        for (String i : layer.inputs()) in.add(shapes.get(i));
        shapes.put(layer.name(), layer.outputShape(in));
        layers.add(layer);
        last = layer.name();
        return this;
    }

    public Network build(String description, String source) {
        return Network.of(name, description, source, layers);
    }

    private String next(String kind) {
        int n = counters.merge(kind, 1, Integer::sum);
        return kind + n;
    }
}
