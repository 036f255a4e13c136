package org.abacim.core.network;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.abacim.core.tensor.Tensor;

/**
 * A validated DAG of layers in topological order, with every layer's input and output shapes inferred. This is the
 * one description of a network; every engine reads it.
 */
public final class Network {
    /** A layer with its inferred shapes. */
    public record Node(Layer layer, List<Shape> inputShapes, Shape outputShape) {
        public String name() { return layer.name(); }
    }

    private final String name;
    private final String description;
    private final String source;
    private final List<Node> nodes;
    private final Map<String, Node> byName;
    private final Map<String, List<String>> consumers;
    private final Map<String, LayerParams> params;

    private Network(String name, String description, String source, List<Node> nodes) {
        this(name, description, source, nodes, Map.of());
    }

    private Network(String name, String description, String source, List<Node> nodes, Map<String, LayerParams> params) {
        this.params = Map.copyOf(params);
        this.name = name;
        this.description = description;
        this.source = source;
        this.nodes = List.copyOf(nodes);
        Map<String, Node> index = new LinkedHashMap<>();
        Map<String, List<String>> users = new HashMap<>();
        for (Node n : nodes) {
            index.put(n.name(), n);
            for (String in : n.layer().inputs()) users.computeIfAbsent(in, k -> new ArrayList<>()).add(n.name());
        }
        this.byName = Collections.unmodifiableMap(index);
        users.replaceAll((k, v) -> List.copyOf(v));
        this.consumers = Collections.unmodifiableMap(users);
    }

    /**
     * Checks the graph (unique names, inputs defined before use, exactly one input layer) and infers shapes.
     * Layers must be listed in topological order, as every exporter writes them.
     */
    public static Network of(String name, String description, String source, List<Layer> layers) {
        if (layers.isEmpty()) throw new NetworkException("network " + name + " has no layers");
        Map<String, Shape> shapes = new HashMap<>();
        List<Node> nodes = new ArrayList<>();
        int inputCount = 0;
        for (Layer layer : layers) {
            if (layer.name() == null || layer.name().isBlank()) {
                throw new NetworkException("network " + name + ": a layer has no name");
            }
            if (shapes.containsKey(layer.name())) {
                throw new NetworkException("network " + name + ": layer name '" + layer.name() + "' is used twice");
            }
            if (layer instanceof Input) inputCount++;
            List<Shape> in = new ArrayList<>();
            for (String input : layer.inputs()) {
                Shape s = shapes.get(input);
                if (s == null) {
                    throw new NetworkException("network " + name + ": layer '" + layer.name() + "' reads '" + input
                            + "', which is not defined before it");
                }
                in.add(s);
            }
            Shape out = layer.outputShape(in);
            shapes.put(layer.name(), out);
            nodes.add(new Node(layer, List.copyOf(in), out));
        }
        if (inputCount != 1) {
            throw new NetworkException("network " + name + " must have exactly one input layer, has " + inputCount);
        }
        return new Network(name, description, source, nodes);
    }

    public String name() { return name; }

    /**
     * The same network with learned parameters. Every convolution and fully connected layer needs them, in the
     * shapes its definition implies; batch-norm layers need them too. Shapes are checked here.
     */
    public Network withParams(Map<String, LayerParams> newParams) {
        for (Node n : nodes) {
            LayerParams p = newParams.get(n.name());
            Layer l = n.layer();
            if (l instanceof Conv2d c) {
                checkDense(n.name(), p, new int[] {c.outChannels(), c.inChannels() / c.groups(), c.kernelH(), c.kernelW()},
                        c.outChannels());
            } else if (l instanceof Linear lin) {
                checkDense(n.name(), p, new int[] {lin.outFeatures(), lin.inFeatures()}, lin.outFeatures());
            } else if (l instanceof BatchNorm bn) {
                if (!(p instanceof LayerParams.Norm norm)) {
                    throw new NetworkException("layer " + n.name() + " needs batch-norm parameters");
                }
                for (Tensor t : new Tensor[] {norm.gamma(), norm.beta(), norm.mean(), norm.variance()}) {
                    if (t.size() != bn.channels()) {
                        throw new NetworkException("layer " + n.name() + ": batch-norm parameter of shape "
                                + t.shapeText() + " for " + bn.channels() + " channels");
                    }
                }
            }
        }
        for (String key : newParams.keySet()) {
            if (!byName.containsKey(key)) throw new NetworkException("parameters for '" + key + "', which is not a layer of " + name);
        }
        return new Network(name, description, source, nodes, newParams);
    }

    private static void checkDense(String layer, LayerParams p, int[] weightShape, int out) {
        if (!(p instanceof LayerParams.Dense d)) {
            throw new NetworkException("layer " + layer + " has no weights");
        }
        if (!Arrays.equals(d.weight().shape(), weightShape)) {
            throw new NetworkException("layer " + layer + ": weight of shape " + d.weight().shapeText() + ", expected "
                    + Arrays.toString(weightShape));
        }
        if (d.bias() != null && d.bias().size() != out) {
            throw new NetworkException("layer " + layer + ": bias of shape " + d.bias().shapeText() + ", expected [" + out + "]");
        }
    }

    /** The same network without its learned parameters (shapes only). */
    public Network shapesOnly() {
        return new Network(name, description, source, nodes, Map.of());
    }

    /** Whether learned parameters are attached (see {@link #withParams}). */
    public boolean hasParams() { return !params.isEmpty(); }

    /** A layer's parameters, or null. */
    public LayerParams params(String layerName) { return params.get(layerName); }

    public Map<String, LayerParams> params() { return params; }

    /**
     * Fully connected layers that use an earlier one's weights (the very same weight tensor), each mapped to that first
     * layer: an unrolled recurrent network's steps, which multiply by one matrix held once on the chip, one step after
     * another. Empty for most networks. (Convolutions that happen to hold one tensor — an exporter merges equal
     * initializers — stay separate layers on separate arrays.)
     */
    public Map<String, String> sharedWeights() {
        Map<String, String> shared = sharedWeights;
        if (shared == null) {
            Map<Tensor, String> owner = new IdentityHashMap<>();
            Map<String, String> found = new LinkedHashMap<>();
            for (Node n : nodes) {
                if (n.layer() instanceof Linear && params.get(n.name()) instanceof LayerParams.Dense d) {
                    String first = owner.putIfAbsent(d.weight(), n.name());
                    if (first != null) found.put(n.name(), first);
                }
            }
            shared = sharedWeights = Collections.unmodifiableMap(found);
        }
        return shared;
    }

    private volatile Map<String, String> sharedWeights;

    /** The position of a layer in the network's order. */
    public int indexOf(String layer) {
        for (int i = 0; i < nodes.size(); i++) if (nodes.get(i).name().equals(layer)) return i;
        throw new NetworkException("network " + name + " has no layer '" + layer + "'");
    }

    public String description() { return description; }

    public String source() { return source; }

    public List<Node> nodes() { return nodes; }

    public Node node(String layerName) {
        Node n = byName.get(layerName);
        if (n == null) throw new NetworkException("network " + name + " has no layer '" + layerName + "'");
        return n;
    }

    /** Names of the layers that read this layer's output. */
    public List<String> consumers(String layerName) {
        return consumers.getOrDefault(layerName, List.of());
    }

    public Shape inputShape() {
        return nodes.stream().filter(n -> n.layer() instanceof Input).findFirst().orElseThrow().outputShape();
    }

    /** Multiply-accumulates of one inference (batch 1). */
    public long macs() {
        long total = 0;
        for (Node n : nodes) {
            try {
                total = Math.addExact(total, macs(n));
            } catch (ArithmeticException e) {
                throw new NetworkException("network " + name + ": more multiply-accumulates than abacim can count");
            }
        }
        return total;
    }

    /** Multiply-accumulates a layer performs on one input (zero for layers without weights). */
    public static long macs(Node n) {
        if (n.layer() instanceof Conv2d c) {
            Shape out = n.outputShape();
            // Exact: a layer too large for a long is refused, never wrapped to a negative count.
            try {
                return Math.multiplyExact(Math.multiplyExact(Math.multiplyExact((long) out.height() * out.width(),
                        (long) c.groups()), (long) c.matrixRows()), (long) c.matrixCols());
            } catch (ArithmeticException e) {
                throw new NetworkException("layer " + c.name() + ": more multiply-accumulates than abacim can count");
            }
        }
        if (n.layer() instanceof Linear l) return (long) l.inFeatures() * l.outFeatures();
        return 0;
    }

    /** Weights (biases excluded) of all layers, each shared weight tensor once. */
    public long weights() {
        long total = 0;
        for (Node n : nodes) {
            if (hasParams() && sharedWeights().containsKey(n.name())) continue;
            if (n.layer() instanceof Conv2d c) total += (long) c.groups() * c.matrixRows() * c.matrixCols();
            if (n.layer() instanceof Linear l) total += (long) l.inFeatures() * l.outFeatures();
        }
        return total;
    }
}
