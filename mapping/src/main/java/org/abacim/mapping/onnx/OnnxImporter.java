package org.abacim.mapping.onnx;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.abacim.core.data.DataException;
import org.abacim.core.io.IoErrors;
import org.abacim.core.network.Activation;
import org.abacim.core.network.Affine;
import org.abacim.core.network.ChannelNorm;
import org.abacim.core.network.Add;
import org.abacim.core.network.BatchNorm;
import org.abacim.core.network.Concat;
import org.abacim.core.network.Conv2d;
import org.abacim.core.network.DynamicQuantization;
import org.abacim.core.network.Flatten;
import org.abacim.core.network.Input;
import org.abacim.core.network.Layer;
import org.abacim.core.network.LayerParams;
import org.abacim.core.network.Linear;
import org.abacim.core.network.Multiply;
import org.abacim.core.network.Network;
import org.abacim.core.network.NetworkException;
import org.abacim.core.network.Pool;
import org.abacim.core.network.Quantization;
import org.abacim.core.network.Rearrange;
import org.abacim.core.network.SelectChannels;
import org.abacim.core.network.Shape;
import org.abacim.core.network.Softmax;
import org.abacim.core.tensor.Half;
import org.abacim.core.tensor.Tensor;

/**
 * Imports an ONNX model (2-D images or vectors, batch first) into the network IR, weights included. Each ONNX node
 * becomes one IR layer named after the node; bias additions after MatMul or a bias-free Conv are folded into that
 * layer; Dropout and Identity vanish. An operator or attribute the IR cannot express is an error naming the node.
 */
public final class OnnxImporter {
    public static final List<String> SUPPORTED = List.of("Conv", "Gemm", "MatMul", "Add", "Sum", "Relu", "Clip",
            "Sigmoid", "Tanh", "MaxPool", "AveragePool", "GlobalAveragePool", "BatchNormalization", "Flatten",
            "Reshape", "Softmax", "Dropout", "Identity", "Constant", "Concat", "Pad", "Mul", "HardSigmoid", "HardSwish", "Transpose (channel shuffle)",
            "Slice and Split (channels)", "ReduceMean (over H and W)",
            "QuantizeLinear", "DequantizeLinear", "QLinearConv", "QLinearMatMul",
            "QLinearAdd, QLinearMul, QLinearGlobalAveragePool, QLinearAveragePool, QLinearSigmoid, QLinearConcat (com.microsoft)",
            "DynamicQuantizeLinear, MatMulInteger, ConvInteger (as onnxruntime's dynamic quantization writes them)",
            "channels-last blocks (Transpose to N×H×W×C, LayerNormalization over C — or its opset-13 form ReduceMean, Sub, "
                    + "Pow, ReduceMean, Add, Sqrt, Div — MatMul as a 1×1 convolution, and back)",
            "Erf, Gelu, and Add/Sub/Mul/Div by a constant",
            "Shape arithmetic (Shape, Gather, Unsqueeze, Squeeze, Cast, Add, Sub, Mul, Div on shapes)");

    /** Every op type {@link #convert(OnnxMl.NodeProto, int)} converts (or folds); any other is refused up front. */
    static final Set<String> CONVERTED = Set.of("Identity", "Dropout", "Constant", "Conv", "Gemm", "MatMul", "Add",
            "Sum", "Concat", "Mul", "HardSigmoid", "HardSwish", "Pad", "Relu", "Sigmoid", "Tanh", "Clip", "MaxPool",
            "AveragePool", "GlobalAveragePool", "ReduceMean", "BatchNormalization", "Flatten", "Reshape", "Transpose",
            "Slice", "Split", "Softmax", "Shape", "Gather", "Unsqueeze", "Squeeze", "Cast", "Sub", "Div",
            "QuantizeLinear", "DequantizeLinear", "QLinearConv", "QLinearMatMul", "QLinearAdd", "QLinearMul",
            "QLinearGlobalAveragePool", "QLinearAveragePool", "QLinearSigmoid", "QLinearConcat",
            "DynamicQuantizeLinear", "MatMulInteger", "ConvInteger", "LayerNormalization", "Erf", "Gelu", "Pow", "Sqrt",
            "Where", "Expand", "GRU", "LSTM");

    final String source;
    final Map<String, Tensor> constants = new HashMap<>();
    /** ONNX element type of each constant and graph input (a zero point's type fixes its codes' range). */
    private final Map<String, Integer> elementTypes = new HashMap<>();
    final Map<String, String> producer = new HashMap<>();   // ONNX value → IR layer
    /** Data seen as 5-D (ShuffleNet's channel groups): a layer's channels split in two axes, then transposed. */
    private final Map<String, View> views = new HashMap<>();

    /**
     * A data value reshaped to (groups, channels per group, H, W) without the batch, with its axes permuted by
     * {@code perm}; only a reshape back to (C, H, W) turns it into a layer again.
     */
    private record View(String layer, int[] dims, int[] perm) {}

    /** The rank of the graph's data input (2 for N×F vectors, 4 for N×C×H×W maps). */
    private int inputRank = 4;
    private final Map<String, Shape> shapes = new HashMap<>();      // IR layer → output shape
    private final List<Layer> layers = new ArrayList<>();
    final Map<String, LayerParams> params = new LinkedHashMap<>();
    private final Set<String> names = new HashSet<>();
    /** ONNX value → the initializer it is (itself, or one passed through Identity nodes). */
    private final Map<String, String> initializerOf = new HashMap<>();
    /** Where each IR parameter came from, for writing tuned values back ({@link OnnxWeightWriter}). */
    private final List<ParameterOrigin> origins = new ArrayList<>();
    int opset = 13;
    /**
     * Dynamic quantization's by-products, by ONNX value: a DynamicQuantizeLinear's codes (held as their values, by the
     * layer that made them), its scale and zero point (symbols: the layer's own, or its scale times a constant), and an
     * integer product whose input carried the dynamic scale already (by the product's layer and the dynamic layer).
     */
    private final Map<String, String> dynamicCodes = new HashMap<>();
    /** ONNX values that are a map seen channels-last (N×H×W×C): the same data as the layer that made it. */
    final Set<String> channelsLast = new HashSet<>();
    /**
     * LayerNormalization written out (opset 13): the pieces of x's normalization over its channels, by ONNX value —
     * its mean, x less it, that squared, the variance, plus epsilon, its root — each naming x's value; the Div that
     * ends the chain becomes one {@link ChannelNorm}.
     */
    enum NormPiece { MEAN, CENTRED, SQUARED, VARIANCE, VARIANCE_EPS, DEVIATION }
    record Piece(NormPiece kind, String x, float eps) {}
    final Map<String, Piece> normPieces = new HashMap<>();

    /** The op types reading each ONNX value (a graph output counts as one reader). */
    final Map<String, List<String>> readerOps = new HashMap<>();
    private final Map<String, String> dynamicZero = new HashMap<>();
    private record DynamicScale(String layer, Tensor times) {}
    private final Map<String, DynamicScale> dynamicScale = new HashMap<>();
    private record Scaled(String product, String dynamic) {}
    private final Map<String, Scaled> scaledProduct = new HashMap<>();

    /** Values of any rank and axis order (tokens, heads, scores) and the operators on them. */
    private final TensorOps tensors = new TensorOps(this);

    /** The graph index of the node being converted (where a parameter's origin is). */
    private int currentNode;

    private OnnxImporter(String source) {
        this.source = source;
    }

    /** Imports a model file. */
    public static Network read(Path file) {
        return read(file, Map.of());
    }

    /**
     * Imports a model file; {@code extraConstants} supplies graph inputs that are really weights (the ONNX node
     * tests feed weights as inputs).
     */
    public static Network read(Path file, Map<String, Tensor> extraConstants) {
        return readTraced(file, extraConstants).network();
    }

    /** A model file as parsed, its network, and where each of the network's parameters came from. */
    record Traced(OnnxMl.ModelProto model, Network network, List<ParameterOrigin> origins) {}

    static Traced readTraced(Path file, Map<String, Tensor> extraConstants) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new DataException(file + ": no such file");
        } catch (IOException e) {
            throw new DataException(file + ": cannot read: " + IoErrors.reason(e));
        }
        OnnxMl.ModelProto model;
        try {
            model = OnnxMl.ModelProto.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new DataException(file + ": not an ONNX model (truncated or corrupt protobuf: " + e.getMessage() + ")");
        }
        if (!model.hasGraph() || model.getGraph().getNodeCount() == 0) {
            throw new DataException(file + ": not an ONNX model (no graph)");
        }
        try {
            model = ExternalData.inline(model, file);
            model = FunctionInlining.inline(model, file.toString());
        } catch (DataException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new DataException(file + ": malformed ONNX model: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
        OnnxImporter im = new OnnxImporter(file.toString());
        for (OnnxMl.OperatorSetIdProto o : model.getOpsetImportList()) {
            if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) im.opset = (int) o.getVersion();
        }
        String name = file.getParent() == null ? file.toString() : file.getParent().getFileName() + "/" + file.getFileName();
        try {
            return new Traced(model, im.convert(model.getGraph(), extraConstants, name), List.copyOf(im.origins));
        } catch (DataException | NetworkException e) {
            throw e;
        } catch (RuntimeException e) {
            // A graph shape the importer's checks did not foresee (no outputs, dangling names): one line, no trace.
            throw new DataException(file + ": malformed ONNX graph: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
    }

    private Network convert(OnnxMl.GraphProto g, Map<String, Tensor> extra, String name) {
        for (OnnxMl.TensorProto t : g.getInitializerList()) {
            constants.put(t.getName(), tensor(t, source));
            elementTypes.put(t.getName(), t.getDataType());
            initializerOf.put(t.getName(), t.getName());
        }
        constants.putAll(extra);
        for (OnnxMl.ValueInfoProto v : g.getInputList()) {
            if (v.getType().hasTensorType()) elementTypes.putIfAbsent(v.getName(), v.getType().getTensorType().getElemType());
        }
        initializerOf.keySet().removeAll(extra.keySet());
        OnnxMl.ValueInfoProto input = null;
        for (OnnxMl.ValueInfoProto v : g.getInputList()) {
            if (constants.containsKey(v.getName())) continue;
            if (input != null) {
                throw new NetworkException(source + ": more than one data input (" + input.getName() + ", " + v.getName()
                        + "); abacim networks take one input");
            }
            input = v;
        }
        if (input == null) throw new NetworkException(source + ": the graph has no data input");
        Shape inShape = inputShape(input);
        inputRank = input.getType().getTensorType().getShape().getDimCount();
        String inName = unique("input");
        add(new Input(inName, inShape));
        producer.put(input.getName(), inName);
        // N×C×L (a token sequence, or element-wise tests' 3-D data): its layout, so every operator reads it as rank 3.
        if (inputRank == 3) tensors.input(input.getName(), new int[] {1, inShape.channels(), inShape.width()});
        for (OnnxMl.NodeProto node : g.getNodeList()) {
            for (String in : node.getInputList()) readerOps.computeIfAbsent(in, k -> new ArrayList<>()).add(node.getOpType());
        }
        for (OnnxMl.ValueInfoProto o : g.getOutputList()) readerOps.computeIfAbsent(o.getName(), k -> new ArrayList<>()).add("(graph output)");
        int index = 0;
        // A refused node does not stop the import: the others are still checked, so one message names them all.
        // Nodes that read a refused node's outputs cannot be (their inputs' shapes are unknown); of those, only
        // operators abacim has no conversion for at all are named.
        List<NetworkException> refused = new ArrayList<>();
        Set<String> unknownValues = new HashSet<>();
        Map<String, List<String>> uncheckedUnsupported = new LinkedHashMap<>();
        int unchecked = 0;
        for (OnnxMl.NodeProto node : g.getNodeList()) {
            int at = index++;
            currentNode = at;
            if (node.getInputList().stream().anyMatch(unknownValues::contains)) {
                unknownValues.addAll(node.getOutputList());
                if (CONVERTED.contains(node.getOpType())) {
                    unchecked++;
                } else {
                    uncheckedUnsupported.computeIfAbsent(node.getOpType(), k -> new ArrayList<>()).add(node.getName());
                }
                continue;
            }
            try {
                convert(node, at);
                keepLayout(node);
                tensors.keep(node);
            } catch (NetworkException e) {
                if (Boolean.getBoolean("abacim.debug.import")) e.printStackTrace();
                refused.add(e);
                unknownValues.addAll(node.getOutputList());
            } catch (DataException e) {
                throw refused.isEmpty() ? e : new DataException(e.getMessage() + " (before it: "
                        + refusal(refused, uncheckedUnsupported, unchecked).getMessage().substring(source.length() + 2) + ")");
            } catch (RuntimeException e) {
                // A structure the checks above did not foresee (a missing input, a short attribute list): named by
                // its node, never a stack trace.
                String malformed = source + ": node '" + node.getName() + "' (op " + node.getOpType() + ") is malformed: "
                        + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
                throw new DataException(refused.isEmpty() ? malformed : malformed + " (before it: "
                        + refusal(refused, uncheckedUnsupported, unchecked).getMessage().substring(source.length() + 2) + ")");
            }
        }
        if (!refused.isEmpty()) throw refusal(refused, uncheckedUnsupported, unchecked);
        String out = g.getOutput(0).getName();
        if (tensors.hasLayout(out)) tensors.rowMajorOutput(out);
        if (dynamicCodes.containsKey(out) || dynamicScale.containsKey(out) || dynamicZero.containsKey(out)) {
            throw new NetworkException(source + ": the graph's output '" + out + "' is a DynamicQuantizeLinear's codes, "
                    + "scale or zero point; abacim keeps dynamically quantized values only as the values they stand for");
        }
        String last = producer.get(out);
        if (last != null && !last.equals(layers.get(layers.size() - 1).name()) && !(layer(last) instanceof Input)) {
            // The output's layer is not the last one (a free reshape of an earlier value, or a recurrent network's
            // final state with later states' layers after it): an identity regrouping makes it the network's output.
            String end = unique(last + "_output");
            add(Rearrange.regroup(end, last, shapeOf(last), shapeOf(last)));
            if (tensors.vectors.contains(last)) tensors.vectors.add(end);
            producer.put(out, end);
            last = end;
        }
        if (last == null || !last.equals(layers.get(layers.size() - 1).name())) {
            throw new NetworkException(source + ": the graph's output '" + out + "' is not produced by its last node");
        }
        return Network.of(name, "imported from ONNX", source, layers).withParams(params);
    }

    private Shape inputShape(OnnxMl.ValueInfoProto v) {
        List<OnnxMl.TensorShapeProto.Dimension> dims = v.getType().getTensorType().getShape().getDimList();
        int[] d = new int[dims.size()];
        for (int i = 0; i < d.length; i++) {
            // A dimension is an int64 in the file: one beyond the int range is refused, never cut to its low bits.
            long value = dims.get(i).getDimValue();
            if (value < 0 || value > Integer.MAX_VALUE) {
                throw new DataException(source + ": input '" + v.getName() + "' dimension " + i + " is " + value
                        + "; expected 0 to " + Integer.MAX_VALUE);
            }
            d[i] = (int) value;
        }
        if (d.length == 4 && d[1] > 0 && d[2] > 0 && d[3] > 0) return new Shape(d[1], d[2], d[3]);
        if (d.length == 2 && d[1] > 0) return Shape.vector(d[1]);
        // Element-wise graphs also take N×C×L (as C×1×L) and plain N-vectors (N samples of one value).
        if (d.length == 3 && d[1] > 0 && d[2] > 0) return new Shape(d[1], 1, d[2]);
        if (d.length == 1 && d[0] > 0) return Shape.vector(1);
        throw new NetworkException(source + ": input '" + v.getName() + "' of shape " + Arrays.toString(d)
                + " is not a batch of 2-D images (N×C×H×W) or vectors (N×F)");
    }

    private void convert(OnnxMl.NodeProto n, int index) {
        String op = n.getOpType();
        // A node's output that reuses an initializer's name is the node's value from here on, not the initializer.
        for (String output : n.getOutputList()) initializerOf.remove(output);
        Tensor folded = ShapeArithmetic.fold(n, constants, this::staticShape, opset);
        if (folded != null) {
            constants.put(n.getOutput(0), folded);
            // Its element type (a zero point's fixes its codes' range): a Cast's target, else its data input's.
            Integer type = op.equals("Cast") ? Integer.valueOf((int) intAttr(n, "to", 1))
                    : n.getInputCount() > 0 ? elementTypes.get(n.getInput(0)) : null;
            if (type != null) elementTypes.put(n.getOutput(0), type);
            return;
        }
        if (!CONVERTED.contains(op)) {
            throw new NetworkException(source + ": ONNX node '" + n.getName() + "' (op " + op + ") is not supported"
                    + SUPPORTED_LIST);
        }
        String layer = unique(n.getName().isEmpty() ? op.toLowerCase(Locale.ROOT) + index
                : n.getName().replaceAll("[^A-Za-z0-9_.:/-]", "_"));
        if (tensors.claims(n)) {
            tensors.convert(n, layer);
            return;
        }
        convertCnn(n, layer);
    }

    /** A node on the CNN's maps (N×C×H×W) and vectors (N×F), or on a channels-last map. */
    void convertCnn(OnnxMl.NodeProto n, String layer) {
        String op = n.getOpType();
        boolean lastIn = n.getInputList().stream().anyMatch(channelsLast::contains);
        if (lastIn && !CHANNELS_LAST_OPS.contains(op)) {
            throw unsupported(n, "a channels-last (N×H×W×C) input (only element-wise operations, LayerNormalization, "
                    + "MatMul and the Transpose back take one)");
        }
        switch (op) {
            case "Identity" -> {
                // PyTorch's exporter passes shared initializers (a folded BatchNorm's weights) through Identity.
                if (constants.containsKey(n.getInput(0))) {
                    constants.put(n.getOutput(0), constants.get(n.getInput(0)));
                    if (elementTypes.containsKey(n.getInput(0))) elementTypes.put(n.getOutput(0), elementTypes.get(n.getInput(0)));
                    if (initializerOf.containsKey(n.getInput(0))) {
                        initializerOf.put(n.getOutput(0), initializerOf.get(n.getInput(0)));
                    }
                } else {
                    producer.put(n.getOutput(0), data(n, 0));
                }
            }
            case "Dropout" -> {
                // At inference dropout passes its input through; in training mode it drops at random.
                boolean training = n.getInputCount() > 2 && !n.getInput(2).isEmpty()
                        && (!constants.containsKey(n.getInput(2)) || constants.get(n.getInput(2)).data()[0] != 0f);
                if (training || intAttr(n, "is_test", 1) == 0) throw unsupported(n, "training mode (random dropping)");
                producer.put(n.getOutput(0), data(n, 0));
            }
            case "Constant" -> {
                constants.put(n.getOutput(0), constantValue(n));
                OnnxMl.AttributeProto value = attr(n, "value");
                if (value != null && value.hasT()) elementTypes.put(n.getOutput(0), value.getT().getDataType());
            }
            case "QuantizeLinear", "DequantizeLinear" -> quantizeLinear(n, layer, op.equals("DequantizeLinear"));
            case "QLinearConv", "QLinearMatMul" -> qlinear(n, layer);
            // onnxruntime's com.microsoft operators of QOperator models: the float operator between its inputs'
            // dequantization and its output's quantization.
            case "QLinearAdd", "QLinearMul" -> qlinearAround(n, layer, n.getOpType().substring(7), new int[] {0, 3}, 6);
            case "QLinearGlobalAveragePool", "QLinearAveragePool", "QLinearSigmoid" -> {
                if (intAttr(n, "channels_last", 0) != 0) throw unsupported(n, "channels_last (N×H×W×C) input");
                qlinearAround(n, layer, n.getOpType().substring(7), new int[] {0}, 3);
            }
            case "QLinearConcat" -> {
                int parts = (n.getInputCount() - 2) / 3;
                if (parts < 1 || n.getInputCount() != 2 + 3 * parts) {
                    throw unsupported(n, n.getInputCount() + " inputs (Y_scale, Y_zero_point, then one triple per input)");
                }
                int[] at = new int[parts];
                for (int k = 0; k < parts; k++) at[k] = 2 + 3 * k;
                qlinearAround(n, layer, "Concat", at, 0);
            }
            case "Conv" -> conv(n, layer);
            case "Gemm" -> gemm(n, layer);
            case "MatMul" -> matmul(n, layer);
            case "Add", "Sum" -> {
                if (n.getInputList().stream().anyMatch(normPieces::containsKey)) normPiece(n);
                else add(n, layer);
            }
            case "Concat" -> concat(n, layer);
            case "Mul" -> {
                if (!dynamicProduct(n)) multiply(n, layer);
            }
            case "DynamicQuantizeLinear" -> {
                // Its codes are held as their values: only integer products may read them.
                for (String reader : readerOps.getOrDefault(n.getOutput(0), List.of())) {
                    if (!reader.equals("MatMulInteger") && !reader.equals("ConvInteger")) {
                        throw unsupported(n, "codes read by " + reader + " (only MatMulInteger and ConvInteger)");
                    }
                }
                String dq = layer;
                emit(n, new DynamicQuantization(dq, data(n, 0)));
                dynamicCodes.put(n.getOutput(0), dq);
                if (n.getOutputCount() > 1) dynamicScale.put(n.getOutput(1), new DynamicScale(dq, null));
                if (n.getOutputCount() > 2) dynamicZero.put(n.getOutput(2), dq);
            }
            case "MatMulInteger", "ConvInteger" -> integerProduct(n, layer);
            case "HardSigmoid" -> {
                float alpha = floatAttr(n, "alpha", 0.2f);
                float beta = floatAttr(n, "beta", 0.5f);
                if (Math.abs(alpha - 1f / 6f) > 1e-6f || beta != 0.5f) {
                    throw unsupported(n, "HardSigmoid with alpha " + alpha + " and beta " + beta + " (PyTorch's is 1/6 and 0.5)");
                }
                emit(n, new Activation(layer, data(n, 0), Activation.Kind.HARD_SIGMOID, 0));
            }
            case "HardSwish" -> emit(n, new Activation(layer, data(n, 0), Activation.Kind.HARD_SWISH, 0));
            case "Pad" -> pad(n);
            case "Relu" -> emit(n, new Activation(layer, data(n, 0), Activation.Kind.RELU, 0));
            case "Sigmoid" -> emit(n, new Activation(layer, data(n, 0), Activation.Kind.SIGMOID, 0));
            case "Tanh" -> emit(n, new Activation(layer, data(n, 0), Activation.Kind.TANH, 0));
            case "Erf" -> emit(n, new Activation(layer, data(n, 0), Activation.Kind.ERF, 0));
            case "Gelu" -> {
                String approximate = stringAttr(n, "approximate", "none");
                if (!approximate.equals("none") && !approximate.equals("tanh")) throw unsupported(n, "approximate=" + approximate);
                emit(n, new Activation(layer, data(n, 0), approximate.equals("tanh") ? Activation.Kind.GELU_TANH
                        : Activation.Kind.GELU, 0));
            }
            case "LayerNormalization" -> layerNorm(n, layer);
            case "Clip" -> clip(n, layer);
            case "MaxPool", "AveragePool" -> pool(n, layer, op.equals("MaxPool") ? Pool.Kind.MAX : Pool.Kind.AVERAGE);
            case "GlobalAveragePool" -> emit(n, new Pool(layer, data(n, 0), Pool.Kind.AVERAGE, 0, 0, 0, true));
            case "ReduceMean" -> {
                if (channelsLast.contains(n.getInput(0)) || normPieces.containsKey(n.getInput(0))) {
                    normPiece(n);
                    return;
                }
                // x.mean([2, 3]): a global average pool, flattened unless the dimensions are kept.
                int[] axes = n.getInputCount() > 1 && !n.getInput(1).isEmpty()
                        ? ShapeArithmetic.ints(constant(n, 1, "axes")) : ints(n, "axes");
                Set<Integer> over = new HashSet<>();
                for (int a : axes) over.add(a < 0 ? a + 4 : a);
                if (flat(data(n, 0)) || !over.equals(Set.of(2, 3))) throw unsupported(n, "a mean over other than the map's height and width");
                Pool pool = new Pool(layer, data(n, 0), Pool.Kind.AVERAGE, 0, 0, 0, true);
                if (intAttr(n, "keepdims", 1) != 0) {
                    emit(n, pool);
                } else {
                    add(pool);
                    emit(n, new Flatten(unique(layer + "_flat"), pool.name()));
                }
            }
            case "BatchNormalization" -> batchNorm(n, layer);
            case "Flatten" -> {
                if (intAttr(n, "axis", 1) != 1) throw unsupported(n, "axis other than 1");
                emit(n, new Flatten(layer, data(n, 0)));
            }
            case "Reshape" -> reshape(n, layer);
            case "Transpose" -> transpose(n);
            case "Slice" -> slice(n, layer);
            case "Split" -> split(n, layer);
            case "Softmax" -> {
                Shape s = shapeOf(data(n, 0));
                long axis = intAttr(n, "axis", opset < 13 ? 1 : -1);
                if (!s.isVector() || (axis != 1 && axis != -1)) throw unsupported(n, "softmax over other than the class axis of a vector");
                emit(n, new Softmax(layer, data(n, 0)));
            }
            case "Cast" -> {
                // An integer product's int32 result cast to float (dynamic quantization): the same values here.
                if (intAttr(n, "to", 1) != 1) throw unsupported(n, "a cast of data to other than float32");
                producer.put(n.getOutput(0), data(n, 0));
                Scaled scaled = scaledProduct.get(n.getInput(0));
                if (scaled != null) {
                    onlyReader(n, n.getOutput(0), "Mul");
                    scaledProduct.put(n.getOutput(0), scaled);
                }
            }
            case "Sub", "Div" -> {
                if (n.getInputList().stream().anyMatch(normPieces::containsKey)) {
                    normPiece(n);
                } else {
                    byConstant(n, layer, op.equals("Div"));
                }
            }
            case "Pow", "Sqrt" -> normPiece(n);
            // Shape arithmetic on values that are not all constants (a Shape of data is folded above).
            default -> throw unsupported(n, "shape arithmetic on data (not constants)");
        }
    }

    // ---- quantized models (QDQ and QOperator) ----------------------------------------------------------------

    /** A zero point's code range, by its ONNX element type. */
    private record CodeRange(int lowest, int highest) {}

    private CodeRange codeRange(OnnxMl.NodeProto n, int type) {
        return switch (type) {
            case 2 -> new CodeRange(0, 255);          // UINT8
            case 3 -> new CodeRange(-128, 127);       // INT8
            case 4 -> new CodeRange(0, 65535);        // UINT16
            case 5 -> new CodeRange(-32768, 32767);   // INT16
            case 6 -> new CodeRange(Integer.MIN_VALUE, Integer.MAX_VALUE); // INT32: a bias's codes
            default -> {
                OnnxMl.TensorProto.DataType t = OnnxMl.TensorProto.DataType.forNumber(type);
                throw unsupported(n, "codes of type " + (t == null ? type : t.name()) + " (8-, 16- and 32-bit integers only)");
            }
        };
    }

    /**
     * The scale and zero point a quantizing node reads at inputs {@code scaleAt} and {@code zeroAt}, checked: scales
     * finite and above 0, zero points whole and within their type's codes, one per tensor or one per index of the
     * axis they apply to. The zero point's type (uint8 when there is none, or QuantizeLinear's output_dtype) fixes
     * the codes' range.
     */
    private record Scales(float[] scales, int[] zeroPoints, CodeRange range) {}

    /** The ONNX element type of the codes at input {@code at}: known for constants and graph inputs, else from the layer that made them. */
    private int codesType(OnnxMl.NodeProto n, int at) {
        String value = n.getInput(at);
        Integer known = elementTypes.get(value);
        if (known != null) return known;
        String layer = producer.get(value);
        if (layer != null && layers.get(indexOf(layer)) instanceof Quantization q && !q.dequantize()) {
            return q.lowest() < 0 ? (q.lowest() < -128 ? 5 : 3) : (q.highest() > 255 ? 4 : 2);
        }
        throw unsupported(n, "codes '" + value + "' of unknown element type (no zero point says it)");
    }

    private Scales scales(OnnxMl.NodeProto n, int scaleAt, int zeroAt, String what) {
        Tensor scale = constant(n, scaleAt, what + " scale");
        boolean hasZero = n.getInputCount() > zeroAt && !n.getInput(zeroAt).isEmpty();
        Tensor zero = hasZero ? constant(n, zeroAt, what + " zero point") : null;
        if (scale.rank() > 1 || zero != null && (zero.rank() > 1 || zero.size() != scale.size())) {
            throw unsupported(n, what + " scale of shape " + scale.shapeText() + (zero == null ? ""
                    : " with zero point of shape " + zero.shapeText()) + " (one per tensor or one per channel, as many of each)");
        }
        int type;
        if (hasZero) {
            Integer known = elementTypes.get(n.getInput(zeroAt));
            if (known == null) throw unsupported(n, "a " + what + " zero point of unknown element type");
            type = known;
        } else if (n.getOpType().equals("QuantizeLinear")) {
            type = (int) intAttr(n, "output_dtype", 2);
            if (type == 0) type = 2;
        } else {
            // Without a zero point the codes' type is the input's: a constant's, a graph input's, or the range of
            // the layer that quantized them.
            type = what.equals("output") ? 2 : codesType(n, scaleAt - 1);
        }
        CodeRange range = codeRange(n, type);
        float[] s = scale.data().clone();
        int[] z = new int[s.length];
        for (int i = 0; i < s.length; i++) {
            if (!(s[i] > 0) || !Float.isFinite(s[i])) {
                throw new NetworkException(source + ": ONNX node '" + n.getName() + "' (op " + n.getOpType() + ") has "
                        + what + " scale " + s[i] + (s.length > 1 ? " at index " + i : "") + "; expected a finite number above 0");
            }
            float zp = zero == null ? 0 : zero.data()[i];
            if (zp != Math.rint(zp) || zp < range.lowest() || zp > range.highest()) {
                throw new NetworkException(source + ": ONNX node '" + n.getName() + "' (op " + n.getOpType() + ") has "
                        + what + " zero point " + zp + (s.length > 1 ? " at index " + i : "") + "; expected a whole number "
                        + range.lowest() + " to " + range.highest());
            }
            z[i] = (int) zp;
        }
        return new Scales(s, z, range);
    }

    /** QuantizeLinear or DequantizeLinear: folded on a constant (a stored int8 weight), a layer on data. */
    private void quantizeLinear(OnnxMl.NodeProto n, String layer, boolean dequantize) {
        if (intAttr(n, "block_size", 0) != 0) throw unsupported(n, "blocked quantization (block_size)");
        Scales q = scales(n, 1, 2, dequantize ? "input" : "output");
        if (constants.containsKey(n.getInput(0))) {
            Tensor x = constants.get(n.getInput(0));
            int axis = toInt(intAttr(n, "axis", 1), "axis");
            constants.put(n.getOutput(0), quantized(n, x, q, axis < 0 ? axis + x.rank() : axis, dequantize));
            if (!dequantize) elementTypes.put(n.getOutput(0), q.range().lowest() < 0 ? 3 : 2);
            return;
        }
        String input = data(n, 0);
        if (q.scales().length > 1) {
            long axis = intAttr(n, "axis", 1);
            int rank = flat(input) ? 2 : 4;
            if (axis != 1 && axis != 1 - rank) throw unsupported(n, "per-axis scales on axis " + axis + " (channels only)");
        }
        emit(n, new Quantization(layer, input, dequantize, q.scales(), q.zeroPoints(), q.range().lowest(),
                q.range().highest()));
    }

    /** A constant quantized or dequantized along {@code axis} (all of it with one scale). */
    private Tensor quantized(OnnxMl.NodeProto n, Tensor x, Scales q, int axis, boolean dequantize) {
        int groups = q.scales().length;
        int inner = 1;
        if (groups > 1) {
            if (axis < 0 || axis >= x.rank() || x.dim(axis) != groups) {
                throw unsupported(n, groups + " scales on axis " + axis + " of a constant of shape " + x.shapeText());
            }
            for (int a = axis + 1; a < x.rank(); a++) inner *= x.dim(a);
        }
        float[] v = x.data();
        float[] out = new float[v.length];
        for (int k = 0; k < v.length; k++) {
            int g = groups == 1 ? 0 : (k / inner) % groups;
            float s = q.scales()[g];
            int z = q.zeroPoints()[g];
            out[k] = dequantize ? Quantization.value(v[k], s, z) : Quantization.code(v[k], s, z, q.range().lowest(),
                    q.range().highest());
        }
        return new Tensor(x.shape().clone(), out);
    }

    /**
     * QLinearConv and QLinearMatMul as three layers: the input's codes dequantized, the float convolution or
     * product of the dequantized weights (the int32 bias at scale x_scale · w_scale), and the result quantized to
     * the output's codes — ONNX's definition, with the accumulation in float32 rather than int32.
     */
    private void qlinear(OnnxMl.NodeProto n, String layer) {
        boolean conv = n.getOpType().equals("QLinearConv");
        Scales x = scales(n, 1, 2, "input");
        Scales w = scales(n, 4, 5, "weight");
        Scales y = scales(n, 6, 7, "output");
        Tensor codes = constant(n, 3, "weight");
        int outAxis = conv ? 0 : 1;
        Tensor weight = quantized(n, codes, w, outAxis, true);
        String in = unique(layer + "_dequantized");
        add(new Quantization(in, data(n, 0), true, x.scales(), x.zeroPoints(), x.range().lowest(), x.range().highest()));
        String inValue = n.getOutput(0) + "#dequantized";
        String weightValue = n.getOutput(0) + "#weight";
        String sumValue = n.getOutput(0) + "#float";
        producer.put(inValue, in);
        constants.put(weightValue, weight);
        OnnxMl.NodeProto.Builder product = n.toBuilder().clearInput().addInput(inValue).addInput(weightValue)
                .clearOutput().addOutput(sumValue);
        if (conv && n.getInputCount() > 8 && !n.getInput(8).isEmpty()) {
            Tensor b = constant(n, 8, "bias");
            int out = codes.dim(0);
            if (b.size() != out) throw unsupported(n, "a bias of shape " + b.shapeText() + " for " + out + " outputs");
            float[] bias = new float[out];
            for (int o = 0; o < out; o++) bias[o] = b.data()[o] * x.scales()[0] * w.scales()[w.scales().length == 1 ? 0 : o];
            String biasValue = n.getOutput(0) + "#bias";
            constants.put(biasValue, new Tensor(new int[] {out}, bias));
            product.addInput(biasValue);
        }
        if (x.scales().length > 1) throw unsupported(n, "a per-channel input scale (one per tensor only)");
        String sum = unique(layer + "_float");
        if (conv) conv(product.build(), sum);
        else matmul(product.build(), sum);
        emit(n, new Quantization(layer, sum, false, y.scales(), y.zeroPoints(), y.range().lowest(), y.range().highest()));
    }

    /**
     * A quantized operator as its float operator {@code op} (same attributes) on its inputs' dequantized values —
     * each input at {@code quantizedAt[k]} with its scale and zero point right after it — and a quantization of the
     * result to the output scale and zero point at {@code outputAt}, {@code outputAt + 1}.
     */
    private void qlinearAround(OnnxMl.NodeProto n, String layer, String op, int[] quantizedAt, int outputAt) {
        Scales y = scales(n, outputAt, outputAt + 1, "output");
        OnnxMl.NodeProto.Builder inner = n.toBuilder().setOpType(op).setDomain("").setName(n.getName() + "_float")
                .clearInput().clearOutput().addOutput(n.getOutput(0) + "#float");
        for (int k = 0; k < quantizedAt.length; k++) {
            int at = quantizedAt[k];
            Scales x = scales(n, at + 1, at + 2, "input " + (k + 1));
            String dequantized = n.getOutput(0) + "#input" + k;
            if (constants.containsKey(n.getInput(at))) {
                constants.put(dequantized, quantized(n, constants.get(n.getInput(at)), x, 1, true));
            } else {
                if (x.scales().length > 1) throw unsupported(n, "per-channel input scales (one per tensor only)");
                String dq = unique(layer + "_dequantized" + k);
                add(new Quantization(dq, data(n, at), true, x.scales(), x.zeroPoints(), x.range().lowest(),
                        x.range().highest()));
                producer.put(dequantized, dq);
            }
            inner.addInput(dequantized);
        }
        convert(inner.build(), currentNode);
        String result = producer.get(n.getOutput(0) + "#float");
        if (result == null) throw unsupported(n, "a " + op + " of constants only");
        emit(n, new Quantization(layer, result, false, y.scales(), y.zeroPoints(), y.range().lowest(), y.range().highest()));
    }

    /**
     * MatMulInteger or ConvInteger: the float product of its input's values and its weight codes less their zero
     * point. After a DynamicQuantizeLinear (whose zero point it must read) the input already carries that sample's
     * scale, and the Mul by the scale product that follows supplies the weight scale; on plain codes (the ONNX node
     * tests) the input's zero point is subtracted by a dequantization of scale 1, and the result is the exact
     * integer product.
     */
    private void integerProduct(OnnxMl.NodeProto n, String layer) {
        boolean conv = n.getOpType().equals("ConvInteger");
        String input = n.getInput(0);
        Tensor codes = constant(n, 1, "weight");
        boolean hasWeightZero = n.getInputCount() > 3 && !n.getInput(3).isEmpty();
        Tensor weightZero = hasWeightZero ? constant(n, 3, "weight zero point") : null;
        int outAxis = conv ? 0 : 1;
        int out = codes.rank() > outAxis ? codes.dim(outAxis) : 0;
        if (weightZero != null && weightZero.size() != 1 && weightZero.size() != out) {
            throw unsupported(n, "a weight zero point of shape " + weightZero.shapeText() + " for " + out + " outputs");
        }
        // The codes less their zero point: a dequantization of scale 1.
        int zeros = weightZero == null ? 1 : weightZero.size();
        float[] ones = new float[zeros];
        Arrays.fill(ones, 1f);
        int[] weightZeros = new int[zeros];
        for (int k = 0; k < zeros; k++) weightZeros[k] = weightZero == null ? 0 : (int) weightZero.data()[k];
        float[] w = quantized(n, codes, new Scales(ones, weightZeros, new CodeRange(Integer.MIN_VALUE, Integer.MAX_VALUE)),
                outAxis, true).data();
        String inValue;
        String dynamic = dynamicCodes.get(input);
        boolean hasInputZero = n.getInputCount() > 2 && !n.getInput(2).isEmpty();
        if (dynamic != null) {
            if (!hasInputZero || !dynamic.equals(dynamicZero.get(n.getInput(2)))) {
                throw unsupported(n, "dynamically quantized codes with a zero point other than their own");
            }
            inValue = input;
        } else {
            Tensor zero = hasInputZero ? constant(n, 2, "input zero point") : null;
            if (zero != null && zero.size() != 1) throw unsupported(n, "a per-channel input zero point");
            int z = zero == null ? 0 : (int) zero.data()[0];
            String dq = unique(layer + "_centred");
            add(new Quantization(dq, data(n, 0), true, new float[] {1f}, new int[] {z}, Integer.MIN_VALUE, Integer.MAX_VALUE));
            inValue = n.getOutput(0) + "#centred";
            producer.put(inValue, dq);
        }
        String weightValue = n.getOutput(0) + "#weight";
        constants.put(weightValue, new Tensor(codes.shape().clone(), w));
        OnnxMl.NodeProto product = n.toBuilder().setOpType(conv ? "Conv" : "MatMul").clearInput().addInput(inValue)
                .addInput(weightValue).build();
        if (conv) conv(product, layer);
        else matmul(product, layer);
        if (dynamic != null) {
            // Its values carry the input's scale and will carry the weight's: nothing else may read them before.
            onlyReader(n, n.getOutput(0), "Cast", "Mul");
            scaledProduct.put(n.getOutput(0), new Scaled(layer, dynamic));
        }
    }

    /** Refuses {@code value} read by anything but one node of one of {@code ops}. */
    private void onlyReader(OnnxMl.NodeProto n, String value, String... ops) {
        List<String> readers = readerOps.getOrDefault(value, List.of());
        if (readers.size() != 1 || !List.of(ops).contains(readers.get(0))) {
            throw unsupported(n, "an integer product read by " + readers + " (one " + String.join(" or ", ops)
                    + " that rescales it only)");
        }
    }

    /**
     * A Mul of dynamic quantization's scales: the dynamic scale times a weight scale (a symbol), or an integer
     * product times that symbol — which folds the weight scale into the product's weights (its input carried the
     * dynamic scale already). False for any other Mul.
     */
    private boolean dynamicProduct(OnnxMl.NodeProto n) {
        if (n.getInputCount() != 2) return false;
        for (int k = 0; k < 2; k++) {
            DynamicScale scale = dynamicScale.get(n.getInput(k));
            String other = n.getInput(1 - k);
            if (scale == null) continue;
            if (scale.times() == null && constants.containsKey(other)) {
                dynamicScale.put(n.getOutput(0), new DynamicScale(scale.layer(), constants.get(other)));
                return true;
            }
            Scaled product = scaledProduct.get(other);
            if (product == null || !product.dynamic().equals(scale.layer())) {
                throw unsupported(n, "a dynamic quantization scale in a product other than its own layer's");
            }
            if (scale.times() != null) scaleWeights(n, product.product(), scale.times());
            producer.put(n.getOutput(0), product.product());
            return true;
        }
        return false;
    }

    /** A dense layer's weights (and nothing else) times a scale per tensor or per output. */
    private void scaleWeights(OnnxMl.NodeProto n, String layer, Tensor by) {
        LayerParams.Dense d = (LayerParams.Dense) params.get(layer);
        Tensor w = d.weight();
        int out = w.dim(0);
        if (by.size() != 1 && by.size() != out) throw unsupported(n, "a weight scale of shape " + by.shapeText() + " for " + out + " outputs");
        float[] v = w.data().clone();
        int per = v.length / out;
        for (int k = 0; k < v.length; k++) v[k] *= by.data()[by.size() == 1 ? 0 : k / per];
        params.put(layer, new LayerParams.Dense(new Tensor(w.shape().clone(), v), d.bias()));
    }

    /**
     * One step of LayerNormalization written out over a channels-last value x: ReduceMean(x) → Sub(x, mean) →
     * Pow(·, 2) → ReduceMean → Add(·, eps) → Sqrt → Div(x − mean, ·), the Div emitting a ChannelNorm of x (gamma 1,
     * beta 0; the Mul and Add after it are a scale and shift per channel). Any other use of a piece is refused.
     */
    void normPiece(OnnxMl.NodeProto n) {
        String op = n.getOpType();
        String out = n.getOutput(0);
        Piece a = normPieces.get(n.getInput(0));
        Piece b = n.getInputCount() > 1 ? normPieces.get(n.getInput(1)) : null;
        switch (op) {
            case "ReduceMean" -> {
                int[] axes = n.getInputCount() > 1 && !n.getInput(1).isEmpty()
                        ? ShapeArithmetic.ints(constant(n, 1, "axes")) : ints(n, "axes");
                int rank = tensors.layout(a == null ? n.getInput(0) : a.x()).rank();
                boolean overChannels = axes.length == 1 && (axes[0] == -1 || axes[0] == rank - 1) && intAttr(n, "keepdims", 1) == 1;
                if (!overChannels) throw unsupported(n, "a mean of a channels-last value over other than its channels");
                if (a == null) normPieces.put(out, new Piece(NormPiece.MEAN, n.getInput(0), 0));
                else if (a.kind() == NormPiece.SQUARED) normPieces.put(out, new Piece(NormPiece.VARIANCE, a.x(), 0));
                else throw unsupported(n, "a mean over channels that is not part of a layer norm");
            }
            case "Sub" -> {
                if (a != null || b == null || b.kind() != NormPiece.MEAN || !b.x().equals(n.getInput(0))) {
                    throw unsupported(n, "a difference that is not x less its mean over channels");
                }
                normPieces.put(out, new Piece(NormPiece.CENTRED, b.x(), 0));
            }
            case "Pow" -> {
                Tensor e = n.getInputCount() > 1 ? constants.get(n.getInput(1)) : null;
                if (a == null || a.kind() != NormPiece.CENTRED || e == null || e.size() != 1 || e.data()[0] != 2f) {
                    throw unsupported(n, "a power other than the square of x less its mean over channels");
                }
                normPieces.put(out, new Piece(NormPiece.SQUARED, a.x(), 0));
            }
            case "Add" -> {
                Piece v = a != null ? a : b;
                Tensor eps = constants.get(n.getInput(a != null ? 1 : 0));
                if (v == null || v.kind() != NormPiece.VARIANCE || eps == null || eps.size() != 1) {
                    throw unsupported(n, "a sum that is not a variance over channels plus epsilon");
                }
                normPieces.put(out, new Piece(NormPiece.VARIANCE_EPS, v.x(), eps.data()[0]));
            }
            case "Sqrt" -> {
                if (a == null || a.kind() != NormPiece.VARIANCE_EPS) throw unsupported(n, "a square root that is not a layer norm's");
                normPieces.put(out, new Piece(NormPiece.DEVIATION, a.x(), a.eps()));
            }
            case "Div" -> {
                if (a == null || a.kind() != NormPiece.CENTRED || b == null || b.kind() != NormPiece.DEVIATION
                        || !a.x().equals(b.x())) {
                    throw unsupported(n, "a division that is not x less its mean over its deviation");
                }
                String layer = unique(n.getName().isEmpty() ? "layernorm" : n.getName().replaceAll("[^A-Za-z0-9_.:/-]", "_"));
                if (tensors.hasLayout(a.x())) {
                    tensors.normalized(n.toBuilder().setInput(0, a.x()).build(), a.x(), b.eps() > 0 ? b.eps() : 1e-12f, layer);
                    return;
                }
                String x = data(n.toBuilder().setInput(0, a.x()).build(), 0);
                int channels = shapeOf(x).channels();
                float[] ones = new float[channels];
                Arrays.fill(ones, 1f);
                emit(n, new ChannelNorm(layer, x, ones, new float[channels], b.eps() > 0 ? b.eps() : 1e-12f));
                channelsLast.add(out);
            }
            default -> throw unsupported(n, "a step of a layer norm");
        }
    }

    /** A node's outputs stay channels-last when an element-wise node or a LayerNormalization reads a channels-last value. */
    private void keepLayout(OnnxMl.NodeProto n) {
        if (n.getOpType().equals("Transpose")) return;
        if (n.getInputList().stream().anyMatch(channelsLast::contains)) channelsLast.addAll(n.getOutputList());
    }

    /**
     * LayerNormalization over the channels of each position: of a channels-last map (axis −1), or of a vector's
     * features (axis −1 or 1).
     */
    private void layerNorm(OnnxMl.NodeProto n, String layer) {
        long axis = intAttr(n, "axis", -1);
        String in = data(n, 0);
        boolean last = channelsLast.contains(n.getInput(0));
        if (!(last && (axis == -1 || axis == 3) || !last && flat(in) && (axis == -1 || axis == 1))) {
            throw unsupported(n, "a layer norm over other than the channels of each position (axis " + axis + ")");
        }
        Shape s = shapeOf(in);
        Tensor gamma = constant(n, 1, "scale");
        Tensor beta = n.getInputCount() > 2 && !n.getInput(2).isEmpty() ? constant(n, 2, "bias") : null;
        if (gamma.size() != s.channels() || beta != null && beta.size() != s.channels()) {
            throw unsupported(n, "a scale of shape " + gamma.shapeText() + " for " + s.channels() + " channels");
        }
        emit(n, new ChannelNorm(layer, in, gamma.data(), beta == null ? new float[s.channels()] : beta.data(),
                floatAttr(n, "epsilon", 1e-5f)));
    }

    /**
     * A constant per tensor (one value) or per channel as an element-wise scale or shift: [C], [C, 1, 1] or
     * [1, C, 1, 1] on a map, [C] on a channels-last map or a vector. Null when it is neither.
     */
    private float[] perChannel(OnnxMl.NodeProto n, Tensor c, String data) {
        if (c.size() == 1) return new float[] {c.data()[0]};
        Shape s = shapeOf(value(n, data));
        if (c.size() != s.channels()) return null;
        int[] d = c.shape();
        boolean last = channelsLast.contains(data) || flat(value(n, data));
        boolean ok = last ? d[d.length - 1] == s.channels()
                : d.length >= 3 && d[d.length - 3] == s.channels() && d[d.length - 1] == 1 && d[d.length - 2] == 1;
        return ok ? c.data().clone() : null;
    }

    /** x − c or x / c (c a constant per tensor or per channel) as an Affine layer. */
    private void byConstant(OnnxMl.NodeProto n, String layer, boolean divide) {
        if (n.getInputCount() != 2 || !constants.containsKey(n.getInput(1)) || constants.containsKey(n.getInput(0))) {
            throw unsupported(n, (divide ? "a division" : "a difference") + " other than of data by a constant");
        }
        float[] c = perChannel(n, constants.get(n.getInput(1)), n.getInput(0));
        if (c == null) throw unsupported(n, "a constant of shape " + constants.get(n.getInput(1)).shapeText() + " (one value or one per channel)");
        float[] scale = new float[c.length];
        float[] shift = new float[c.length];
        for (int k = 0; k < c.length; k++) {
            scale[k] = divide ? 1 / c[k] : 1;
            shift[k] = divide ? 0 : -c[k];
        }
        emit(n, new Affine(layer, data(n, 0), scale, shift));
    }

    private void conv(OnnxMl.NodeProto n, String layer) {
        Tensor w = constant(n, 1, "weight");
        if (w.rank() != 4) throw unsupported(n, (w.rank() - 2) + "-D convolution (2-D only)");
        Shape in = shapeOf(data(n, 0));
        int group = toInt(intAttr(n, "group", 1), "group");
        int[] strides = ints(n, "strides", 1, 1);
        int[] dil = ints(n, "dilations", 1, 1);
        if (dil[0] != dil[1]) throw unsupported(n, "different dilations per axis");
        int kh = w.dim(2), kw = w.dim(3);
        int[] pads = pads(n, in, new int[] {kh, kw}, strides, dil[0]);
        Tensor bias = n.getInputCount() > 2 && !n.getInput(2).isEmpty() ? constant(n, 2, "bias") : null;
        Conv2d c = new Conv2d(layer, data(n, 0), in.channels(), w.dim(0), kh, kw, strides[0], strides[1], pads[0], pads[1],
                dil[0], group, bias != null);
        if (w.dim(1) != in.channels() / group) throw unsupported(n, "weight of shape " + w.shapeText() + " for " + in.channels() + " input channels");
        emit(n, c);
        params.put(layer, new LayerParams.Dense(w, bias));
        origin(n, 1, layer, "weight", false, null);
        if (bias != null) origin(n, 2, layer, "bias", false, null);
    }

    private void gemm(OnnxMl.NodeProto n, String layer) {
        if (intAttr(n, "transA", 0) != 0) throw unsupported(n, "transA");
        Tensor b = constant(n, 1, "weight");
        float alpha = floatAttr(n, "alpha", 1f), beta = floatAttr(n, "beta", 1f);
        boolean transB = intAttr(n, "transB", 0) != 0;
        Tensor w = derived(n, 1, "gemm " + transB + " " + alpha, () -> scale(transB ? b : transpose(b), alpha));
        int out = w.dim(0);
        Tensor bias = null;
        if (n.getInputCount() > 2 && !n.getInput(2).isEmpty()) {
            bias = derived(n, 2, "bias " + out + " " + beta, () -> broadcastBias(n, constant(n, 2, "bias"), out, beta));
        }
        Shape in = shapeOf(data(n, 0));
        emit(n, new Linear(layer, data(n, 0), (int) in.elements(), out, bias != null));
        params.put(layer, new LayerParams.Dense(w, bias));
        // Scaling by alpha or beta has no exact float inverse: the tuned value divided back may round differently.
        origin(n, 1, layer, "weight", !transB, alpha == 1f ? null : "scales its weight by alpha " + alpha);
        if (bias != null) {
            origin(n, 2, layer, "bias", false, beta != 1f ? "scales its bias by beta " + beta
                    : broadcastFromOne(constant(n, 2, "bias"), out));
        }
    }

    private void matmul(OnnxMl.NodeProto n, String layer) {
        Tensor b = constant(n, 1, "weight");
        if (b.rank() != 2) throw unsupported(n, "MatMul with a weight of rank " + b.rank());
        if (channelsLast.contains(n.getInput(0))) {
            // A Linear on every position of a channels-last map: a 1×1 convolution, weight [out, in, 1, 1].
            Shape in = shapeOf(data(n, 0));
            if (b.dim(0) != in.channels()) throw unsupported(n, "a weight of shape " + b.shapeText() + " for " + in.channels() + " channels");
            Tensor w = transpose(b);
            emit(n, new Conv2d(layer, data(n, 0), in.channels(), b.dim(1), 1, 1, 1, 1, 0, 0, 1, 1, false));
            params.put(layer, new LayerParams.Dense(new Tensor(new int[] {b.dim(1), b.dim(0), 1, 1}, w.data()), null));
            origin(n, 1, layer, "weight", true, null);
            return;
        }
        Shape in = shapeOf(data(n, 0));
        emit(n, new Linear(layer, data(n, 0), (int) in.elements(), b.dim(1), false));
        params.put(layer, new LayerParams.Dense(derived(n, 1, "transposed", () -> transpose(b)), null));
        origin(n, 1, layer, "weight", true, null);
    }

    /** Pad: PyTorch writes a zero Pad before some average pools; a Pad that pads nothing passes its input on. */
    private void pad(OnnxMl.NodeProto n) {
        float[] pads;
        if (n.getInputCount() > 1 && !n.getInput(1).isEmpty()) {
            pads = constant(n, 1, "pads").data();
        } else {
            int[] p = ints(n, "pads", 0, 0);
            pads = new float[p.length];
            for (int i = 0; i < p.length; i++) pads[i] = p[i];
        }
        for (float p : pads) if (p != 0) throw unsupported(n, "padding by other than zero elements (a Pad that pads)");
        producer.put(n.getOutput(0), data(n, 0));
    }

    /** A product of two data inputs: SiLU's x·σ(x), or squeeze-and-excitation's per-channel weights. */
    private void multiply(OnnxMl.NodeProto n, String layer) {
        if (n.getInputCount() == 2 && constants.containsKey(n.getInput(0)) != constants.containsKey(n.getInput(1))) {
            // A product with a constant per tensor or per channel (GELU's ½, a layer scale).
            int k = constants.containsKey(n.getInput(0)) ? 0 : 1;
            float[] c = perChannel(n, constants.get(n.getInput(k)), n.getInput(1 - k));
            if (c == null) {
                throw unsupported(n, "a product with a constant of shape " + constants.get(n.getInput(k)).shapeText()
                        + " (one value or one per channel)");
            }
            emit(n, new Affine(layer, data(n, 1 - k), c, new float[] {0}));
            return;
        }
        if (n.getInputCount() != 2 || constants.containsKey(n.getInput(0)) || constants.containsKey(n.getInput(1))) {
            throw unsupported(n, "a product of two constants");
        }
        emit(n, new Multiply(layer, List.of(value(n, n.getInput(0)), value(n, n.getInput(1)))));
    }

    /** A transpose of a channel-group view (the shuffle's swap of groups and channels); nothing else. */
    private void transpose(OnnxMl.NodeProto n) {
        int[] perm = ints(n, "perm");
        if (!views.containsKey(n.getInput(0))) {
            // A map seen channels-last and back (ConvNeXt's blocks): the same data, only the layout changes.
            boolean toLast = Arrays.equals(perm, new int[] {0, 2, 3, 1});
            boolean toFirst = Arrays.equals(perm, new int[] {0, 3, 1, 2});
            boolean last = channelsLast.contains(n.getInput(0));
            if (toLast && !last && !flat(data(n, 0)) || toFirst && last) {
                producer.put(n.getOutput(0), data(n, 0));
                if (toLast) channelsLast.add(n.getOutput(0));
                return;
            }
        }
        View v = views.get(n.getInput(0));
        if (v == null || perm.length != 5 || perm[0] != 0 || perm[3] != 3 || perm[4] != 4) {
            throw unsupported(n, "a transpose other than of channel groups (ShuffleNet's channel shuffle)");
        }
        int[] composed = new int[4];
        for (int i = 0; i < 4; i++) composed[i] = v.perm()[perm[i + 1] - 1];
        views.put(n.getOutput(0), new View(v.layer(), v.dims(), composed));
    }

    /** A view reshaped back to (N, C, H, W): its channels in their permuted order. */
    private void reshapeView(OnnxMl.NodeProto n, String layer, View v, float[] target) {
        int channels = v.dims()[0] * v.dims()[1];
        if (target.length != 4 || !(target[1] == -1 || target[1] == channels) || target[2] != v.dims()[2]
                || target[3] != v.dims()[3]) {
            throw unsupported(n, "reshape of channel groups to " + integers(target));
        }
        // The permuted view's first two axes, read row-major, name the original (group, channel) pairs.
        int[] d = {v.dims()[v.perm()[0]], v.dims()[v.perm()[1]]};
        int[] order = new int[channels];
        int k = 0;
        for (int i = 0; i < d[0]; i++) {
            for (int j = 0; j < d[1]; j++) {
                int[] at = new int[2];
                at[v.perm()[0]] = i;
                at[v.perm()[1]] = j;
                order[k++] = at[0] * v.dims()[1] + at[1];
            }
        }
        emit(n, new SelectChannels(layer, v.layer(), order));
    }

    /** A slice of channels (ShuffleNet's split of a map in two halves). */
    private void slice(OnnxMl.NodeProto n, String layer) {
        Shape in = shapeOf(data(n, 0));
        Tensor axes = n.getInputCount() > 3 && !n.getInput(3).isEmpty() ? constant(n, 3, "axes") : null;
        int axis = axes == null ? 0 : (int) axes.data()[0];
        if (axes == null || axes.size() != 1 || (axis != 1 && axis != -3) || flat(data(n, 0))) {
            throw unsupported(n, "a slice other than of channels");
        }
        int[] range = ShapeArithmetic.sliceRange(in.channels(), constant(n, 1, "starts"), constant(n, 2, "ends"),
                n.getInputCount() > 4 && !n.getInput(4).isEmpty() ? constant(n, 4, "steps") : null);
        if (range == null) throw unsupported(n, "a slice with several axes or a negative step");
        int count = Math.max(0, (range[1] - range[0] + range[2] - 1) / range[2]);
        if (count == 0) throw unsupported(n, "a slice of no channels");
        int[] channels = new int[count];
        for (int i = 0; i < count; i++) channels[i] = range[0] + i * range[2];
        emit(n, new SelectChannels(layer, data(n, 0), channels));
    }

    /** A split of channels into parts, each output a selection of its channels. */
    private void split(OnnxMl.NodeProto n, String layer) {
        Shape in = shapeOf(data(n, 0));
        long axis = intAttr(n, "axis", 0);
        if (flat(data(n, 0)) || (axis != 1 && axis != -3)) throw unsupported(n, "a split other than of channels");
        int parts = n.getOutputCount();
        int[] sizes;
        if (n.getInputCount() > 1 && !n.getInput(1).isEmpty()) sizes = ShapeArithmetic.ints(constant(n, 1, "split"));
        else if (attr(n, "split") != null) sizes = ints(n, "split");
        else {
            if (in.channels() % parts != 0) throw unsupported(n, "an uneven split without sizes");
            sizes = new int[parts];
            Arrays.fill(sizes, in.channels() / parts);
        }
        int from = 0;
        for (int p = 0; p < parts; p++) {
            int[] channels = new int[sizes[p]];
            for (int i = 0; i < channels.length; i++) channels[i] = from + i;
            from += sizes[p];
            String name = unique(layer + "_" + p);
            add(new SelectChannels(name, data(n, 0), channels));
            producer.put(n.getOutput(p), name);
        }
        if (from != in.channels()) throw unsupported(n, "split sizes that do not add up to the channels");
    }

    private void concat(OnnxMl.NodeProto n, String layer) {
        List<String> inputs = new ArrayList<>();
        for (String i : n.getInputList()) inputs.add(value(n, i));
        int rank = 4;
        long axis = intAttr(n, "axis", 1);
        if (shapeOf(inputs.get(0)).isVector()) rank = 2;
        if (axis < 0) axis += rank;
        if (axis != 1) throw unsupported(n, "concatenation along axis " + intAttr(n, "axis", 1) + " (channels only)");
        if (inputs.size() == 1) {
            producer.put(n.getOutput(0), inputs.get(0));
            return;
        }
        emit(n, new Concat(layer, inputs));
    }

    private void add(OnnxMl.NodeProto n, String layer) {
        List<String> dataInputs = new ArrayList<>();
        Tensor constant = null;
        int constantInput = -1;
        for (int k = 0; k < n.getInputCount(); k++) {
            String i = n.getInput(k);
            if (constants.containsKey(i)) {
                constant = constants.get(i);
                constantInput = k;
            } else {
                dataInputs.add(value(n, i));
            }
        }
        if (constant == null) {
            emit(n, new Add(layer, dataInputs));
            return;
        }
        // A bias: fold it into the layer before, when that layer has none yet.
        if (dataInputs.size() != 1) throw unsupported(n, "adding a constant to several inputs");
        String target = dataInputs.get(0);
        int at = indexOf(target);
        Layer prev = layers.get(at);
        LayerParams.Dense d = params.get(target) instanceof LayerParams.Dense dense ? dense : null;
        if (d == null || d.bias() != null) {
            // Not a bias: a shift per tensor or per channel (GELU's 1 + erf).
            float[] c = perChannel(n, constant, n.getInput(1 - constantInput));
            if (c == null) throw unsupported(n, "adding a constant that is not the bias of a Conv or MatMul");
            emit(n, new Affine(layer, target, new float[] {1}, c));
            return;
        }
        int out = prev instanceof Linear l ? l.outFeatures() : ((Conv2d) prev).outChannels();
        Tensor bias = broadcastBias(n, constant, out, 1f);
        Layer withBias = prev instanceof Linear l ? new Linear(l.name(), l.input(), l.inFeatures(), l.outFeatures(), true)
                : withBias((Conv2d) prev);
        layers.set(at, withBias);
        params.put(target, new LayerParams.Dense(d.weight(), bias));
        origin(n, constantInput, target, "bias", false, broadcastFromOne(constant, out));
        producer.put(n.getOutput(0), target);
    }

    static Conv2d withBias(Conv2d c) {
        return new Conv2d(c.name(), c.input(), c.inChannels(), c.outChannels(), c.kernelH(), c.kernelW(), c.strideH(),
                c.strideW(), c.padH(), c.padW(), c.dilation(), c.groups(), true);
    }

    /** A Constant node's value (PyTorch emits them for Clip's bounds and shape arithmetic). */
    private Tensor constantValue(OnnxMl.NodeProto n) {
        for (OnnxMl.AttributeProto a : n.getAttributeList()) {
            switch (a.getName()) {
                case "value" -> {
                    return tensor(a.getT(), source);
                }
                case "value_float" -> {
                    return new Tensor(new int[0], new float[] {a.getF()});
                }
                case "value_int" -> {
                    return new Tensor(new int[0], new float[] {a.getI()});
                }
                case "value_floats" -> {
                    float[] v = new float[a.getFloatsCount()];
                    for (int i = 0; i < v.length; i++) v[i] = a.getFloats(i);
                    return new Tensor(new int[] {v.length}, v);
                }
                case "value_ints" -> {
                    float[] v = new float[a.getIntsCount()];
                    for (int i = 0; i < v.length; i++) v[i] = a.getInts(i);
                    return new Tensor(new int[] {v.length}, v);
                }
                default -> {
                    // other attributes (sparse values, strings) are not numbers a CNN's graph needs
                }
            }
        }
        throw unsupported(n, "a Constant without a numeric value");
    }

    private void clip(OnnxMl.NodeProto n, String layer) {
        float min = floatAttr(n, "min", Float.NEGATIVE_INFINITY);
        float max = floatAttr(n, "max", Float.POSITIVE_INFINITY);
        if (n.getInputCount() > 1 && !n.getInput(1).isEmpty()) min = constant(n, 1, "min").data()[0];
        if (n.getInputCount() > 2 && !n.getInput(2).isEmpty()) max = constant(n, 2, "max").data()[0];
        if (min != 0f) throw unsupported(n, "Clip with min " + min + " (only ReLU-style clipping at 0)");
        emit(n, Float.isInfinite(max) ? new Activation(layer, data(n, 0), Activation.Kind.RELU, 0)
                : new Activation(layer, data(n, 0), Activation.Kind.CLIPPED_RELU, max));
    }

    private void pool(OnnxMl.NodeProto n, String layer, Pool.Kind kind) {
        int[] k = ints(n, "kernel_shape", -1, -1);
        if (k.length != 2 || k[0] != k[1]) throw unsupported(n, "a non-square or non-2-D pooling window");
        int[] s = ints(n, "strides", 1, 1);
        if (s[0] != s[1]) throw unsupported(n, "different strides per axis");
        int[] dil = ints(n, "dilations", 1, 1);
        if (dil[0] != 1 || dil[1] != 1) throw unsupported(n, "dilated pooling");
        int[] pads = pads(n, shapeOf(data(n, 0)), k, s, 1);
        if (pads[0] != pads[1]) throw unsupported(n, "different padding per axis");
        if (kind == Pool.Kind.AVERAGE && pads[0] > 0 && intAttr(n, "count_include_pad", 0) == 0) {
            throw unsupported(n, "average pooling over padding without count_include_pad");
        }
        emit(n, new Pool(layer, data(n, 0), kind, k[0], s[0], pads[0], false, intAttr(n, "ceil_mode", 0) != 0));
    }

    private void batchNorm(OnnxMl.NodeProto n, String layer) {
        if (intAttr(n, "training_mode", 0) != 0) throw unsupported(n, "training mode (batch statistics)");
        Shape in = shapeOf(data(n, 0));
        emit(n, new BatchNorm(layer, data(n, 0), in.channels()));
        params.put(layer, new LayerParams.Norm(constant(n, 1, "scale"), constant(n, 2, "B"), constant(n, 3, "mean"),
                constant(n, 4, "var"), floatAttr(n, "epsilon", 1e-5f)));
        origin(n, 1, layer, "gamma", false, null);
        origin(n, 2, layer, "beta", false, null);
        origin(n, 3, layer, "mean", false, null);
        origin(n, 4, layer, "variance", false, null);
    }

    /** The static shape (batch as 1) of a data value, or null when the name is not data. */
    int[] staticShape(String onnxName) {
        if (views.containsKey(onnxName)) {
            View v = views.get(onnxName);
            int[] dims = new int[v.dims().length + 1];
            dims[0] = 1;
            for (int i = 0; i < v.perm().length; i++) dims[i + 1] = v.dims()[v.perm()[i]];
            return dims;
        }
        if (tensors.hasLayout(onnxName)) return tensors.dims(onnxName);
        String layer = producer.get(onnxName);
        if (layer == null) return null;
        Shape s = shapeOf(layer);
        if (inputRank == 3 && layers.get(indexOf(layer)) instanceof Input) return new int[] {1, s.channels(), s.width()};
        return flat(layer) ? new int[] {1, (int) s.elements()} : new int[] {1, s.channels(), s.height(), s.width()};
    }

    /** Whether a layer's output is a vector (N×F in ONNX), not a map that happens to be C×1×1. */
    boolean flat(String layer) {
        if (tensors.vectors.contains(layer)) return true;
        Layer l = layers.get(indexOf(layer));
        if (l instanceof Linear || l instanceof Flatten) return true;
        if (l instanceof Activation || l instanceof BatchNorm || l instanceof Quantization || l instanceof DynamicQuantization
                || l instanceof ChannelNorm || l instanceof Affine) {
            return flat(l.inputs().get(0));
        }
        return l instanceof Input && shapeOf(layer).isVector() && inputRank == 2;
    }

    private void reshape(OnnxMl.NodeProto n, String layer) {
        Tensor target = constant(n, 1, "shape");
        float[] t = target.data();
        if (views.containsKey(n.getInput(0))) {
            reshapeView(n, layer, views.get(n.getInput(0)), t);
            return;
        }
        Shape in = shapeOf(data(n, 0));
        if (t.length == 5 && !flat(data(n, 0))) {
            // (N, g, C/g, H, W): channels split into groups, kept as a view until reshaped back.
            int groups = (int) t[1];
            int per = (int) t[2] == -1 ? in.channels() / Math.max(1, groups) : (int) t[2];
            if (groups <= 0 || per <= 0 || (long) groups * per != in.channels() || (int) t[3] != in.height()
                    || (int) t[4] != in.width()) {
                throw unsupported(n, "reshape to " + integers(t) + " of " + in);
            }
            views.put(n.getOutput(0), new View(data(n, 0), new int[] {groups, per, in.height(), in.width()},
                    new int[] {0, 1, 2, 3}));
            return;
        }
        boolean toVector = t.length == 2 && (t[1] == -1 || t[1] == in.elements()) && (t[0] == -1 || t[0] == 0 || t[0] >= 1);
        if (!toVector) throw unsupported(n, "reshape to " + integers(t) + " (only flattening to N×F)");
        emit(n, new Flatten(layer, data(n, 0)));
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    /**
     * Records that IR parameter {@code param} of {@code layer} is node input {@code input}: an initializer (maybe
     * passed through Identity), as is or transposed. {@code problem} says why it cannot be written back exactly,
     * if it cannot; a value computed by other nodes cannot be either.
     */
    void origin(OnnxMl.NodeProto n, int input, String layer, String param, boolean transposed, String problem) {
        String value = n.getInput(input);
        String initializer = initializerOf.get(value);
        if (problem == null && initializer == null) {
            problem = "takes its " + param + " from '" + value + "', which other nodes compute (not an initializer)";
        }
        origins.add(new ParameterOrigin(layer, param, n.getName(), n.getOpType(), currentNode, input, initializer,
                transposed, problem));
    }

    /** Why a bias broadcast from a single value cannot be written back (its tuned values differ), or null. */
    static String broadcastFromOne(Tensor given, int out) {
        return given.size() == 1 && out != 1 ? "broadcasts one bias value to " + out + " outputs" : null;
    }


    /** ONNX pads [top, left, bottom, right] (or auto_pad) as symmetric [padH, padW]. */
    private int[] pads(OnnxMl.NodeProto n, Shape in, int[] k, int[] s, int dilation) {
        String auto = stringAttr(n, "auto_pad", "NOTSET");
        if (auto.equals("VALID")) return new int[] {0, 0};
        if (auto.equals("SAME_UPPER") || auto.equals("SAME_LOWER")) {
            int[] out = new int[2];
            int[] size = {in.height(), in.width()};
            for (int a = 0; a < 2; a++) {
                int o = (size[a] + s[a] - 1) / s[a];
                int total = Math.max(0, (o - 1) * s[a] + (k[a] - 1) * dilation + 1 - size[a]);
                if (total % 2 != 0) throw unsupported(n, "asymmetric padding from auto_pad " + auto);
                out[a] = total / 2;
            }
            return out;
        }
        int[] p = ints(n, "pads", 0, 0, 0, 0);
        if (p.length != 4 || p[0] != p[2] || p[1] != p[3]) {
            throw unsupported(n, "asymmetric padding " + Arrays.toString(p));
        }
        return new int[] {p[0], p[1]};
    }

    Tensor broadcastBias(OnnxMl.NodeProto n, Tensor c, int out, float beta) {
        float[] b = new float[out];
        if (c.size() == 1) Arrays.fill(b, c.data()[0] * beta);
        else if (c.size() == out) for (int i = 0; i < out; i++) b[i] = c.data()[i] * beta;
        else throw unsupported(n, "a bias of shape " + c.shapeText() + " for " + out + " outputs");
        return new Tensor(new int[] {out}, b);
    }

    /** A matrix transposed (a MatMul weight [in, out] to the IR's [out, in], and back). */
    static Tensor transpose(Tensor t) {
        int r = t.dim(0), c = t.dim(1);
        float[] out = new float[t.size()];
        for (int i = 0; i < r; i++) for (int j = 0; j < c; j++) out[j * r + i] = t.data()[i * c + j];
        return new Tensor(new int[] {c, r}, out);
    }

    static Tensor scale(Tensor t, float f) {
        if (f == 1f) return t;
        float[] out = t.data().clone();
        for (int i = 0; i < out.length; i++) out[i] *= f;
        return new Tensor(t.shape(), out);
    }

    private void emit(OnnxMl.NodeProto n, Layer l) {
        add(l);
        producer.put(n.getOutput(0), l.name());
    }

    void add(Layer l) {
        List<Shape> in = new ArrayList<>();
        for (String i : l.inputs()) in.add(shapes.get(i));
        shapes.put(l.name(), l.outputShape(in));
        layers.add(l);
        names.add(l.name());
    }

    /** Weights made from an initializer (transposed, scaled, broadcast), made once per initializer and way. */
    private final Map<String, Tensor> derived = new HashMap<>();

    /**
     * A tensor made from node input {@code input} by {@code how}: when the input is an initializer, every node that
     * makes it the same way gets the very same tensor, so the steps of an unrolled RNN exported as a loop — each step
     * its own MatMul or Gemm on one initializer — share one weight tensor whatever the exporter's form.
     */
    Tensor derived(OnnxMl.NodeProto n, int input, String how, Supplier<Tensor> make) {
        String initializer = initializerOf.get(n.getInput(input));
        if (initializer == null) return make.get();
        Tensor t = derived.get(initializer + "|" + how);
        if (t == null) {
            t = make.get();
            derived.put(initializer + "|" + how, t);
        }
        return t;
    }

    /** How many ONNX values are this IR layer's values (a free transpose or reshape adds one). */
    int valuesOf(String layer) {
        int n = 0;
        for (String l : producer.values()) if (l.equals(layer)) n++;
        return n;
    }

    /** How many IR layers read this one so far. */
    int readers(String layer) {
        int n = 0;
        for (Layer l : layers) if (l.inputs().contains(layer)) n++;
        return n;
    }

    /** The IR layer of that name. */
    Layer layer(String name) {
        return layers.get(indexOf(name));
    }

    /** Puts {@code l} in place of the layer of the same name (the same output shape). */
    void replace(String name, Layer l) {
        layers.set(indexOf(name), l);
    }

    /** Whether a Transpose is one the CNN operators take: of ShuffleNet's channel groups, or a map to channels-last and back. */
    boolean cnnTranspose(OnnxMl.NodeProto n) {
        if (views.containsKey(n.getInput(0))) return true;
        int[] perm = ints(n, "perm");
        boolean last = channelsLast.contains(n.getInput(0));
        return Arrays.equals(perm, new int[] {0, 2, 3, 1}) && !last && !flat(data(n, 0)) && staticShape(n.getInput(0)).length == 4
                || Arrays.equals(perm, new int[] {0, 3, 1, 2}) && last;
    }

    /** Whether a Reshape is one the CNN operators take: a flatten to N×F, or ShuffleNet's channel groups and back. */
    boolean cnnReshape(OnnxMl.NodeProto n) {
        if (views.containsKey(n.getInput(0))) return true;
        if (n.getInputCount() < 2 || !constants.containsKey(n.getInput(1))) return true; // refused by the CNN path
        float[] t = constants.get(n.getInput(1)).data();
        Shape in = shapeOf(data(n, 0));
        if (staticShape(n.getInput(0)).length != 4 && !flat(data(n, 0))) return false;
        if (t.length == 5 && !flat(data(n, 0))) {
            int groups = (int) t[1];
            return groups > 0 && (t[2] == -1 || (long) groups * (long) t[2] == in.channels()) && t[3] == in.height() && t[4] == in.width();
        }
        return t.length == 2 && (t[1] == -1 || t[1] == in.elements()) && (t[0] == -1 || t[0] == 0 || t[0] >= 1);
    }

    /** Whether a Slice cuts a map's channels (ShuffleNet's split), as the CNN operators take it. */
    boolean sliceOfChannels(OnnxMl.NodeProto n) {
        if (flat(data(n, 0))) return false;
        if (n.getInputCount() <= 3 || n.getInput(3).isEmpty() || !constants.containsKey(n.getInput(3))) return false;
        Tensor axes = constants.get(n.getInput(3));
        return axes.size() == 1 && (axes.data()[0] == 1 || axes.data()[0] == -3);
    }

    /** Whether a ReduceMean averages a map over its height and width (x.mean([2, 3])). */
    boolean reduceOverMap(OnnxMl.NodeProto n) {
        if (flat(data(n, 0))) return false;
        int[] axes = n.getInputCount() > 1 && !n.getInput(1).isEmpty() && constants.containsKey(n.getInput(1))
                ? ShapeArithmetic.ints(constants.get(n.getInput(1))) : ints(n, "axes");
        Set<Integer> over = new HashSet<>();
        for (int a : axes) over.add(a < 0 ? a + 4 : a);
        return over.equals(Set.of(2, 3));
    }

    private int indexOf(String layer) {
        for (int i = 0; i < layers.size(); i++) if (layers.get(i).name().equals(layer)) return i;
        throw new IllegalStateException(layer);
    }

    String unique(String base) {
        String name = base;
        for (int k = 2; names.contains(name); k++) name = base + "_" + k;
        names.add(name);
        return name;
    }

    Shape shapeOf(String layer) {
        return shapes.get(layer);
    }

    String data(OnnxMl.NodeProto n, int i) {
        return value(n, n.getInput(i));
    }

    String value(OnnxMl.NodeProto n, String onnxName) {
        String l = producer.get(onnxName);
        if (l == null && constants.containsKey(onnxName)) {
            // A constant where data is expected (an unrolled RNN's zero initial state): the same values for every sample.
            l = tensors.constantLayer(onnxName, constants.get(onnxName));
        }
        if (l == null) {
            throw new NetworkException(source + ": node '" + n.getName() + "' (op " + n.getOpType() + ") reads '"
                    + onnxName + "', which is " + (constants.containsKey(onnxName) ? "a constant where data was expected" : "not defined before it"));
        }
        return l;
    }

    Tensor constant(OnnxMl.NodeProto n, int i, String what) {
        if (n.getInputCount() <= i || !constants.containsKey(n.getInput(i))) {
            throw unsupported(n, "a " + what + " that is not a constant (initializer)");
        }
        return constants.get(n.getInput(i));
    }

    private static final String SUPPORTED_LIST = "; supported ops: " + String.join(", ", SUPPORTED);

    /** What may read a channels-last value: element-wise operations keep the layout, the Transpose back ends it. */
    static final Set<String> CHANNELS_LAST_OPS = Set.of("Add", "Sub", "Mul", "Div", "Erf", "Gelu", "Relu",
            "Sigmoid", "Tanh", "Clip", "Identity", "Dropout", "LayerNormalization", "MatMul", "Transpose", "ReduceMean",
            "Pow", "Sqrt");

    /**
     * One message for every refused node: the single refusal as it was, or each refusal's reason in turn, then the
     * unsupported operators among the nodes that could not be checked, the count of the others, and the supported
     * operators once.
     */
    private NetworkException refusal(List<NetworkException> refused, Map<String, List<String>> uncheckedUnsupported,
                                     int unchecked) {
        String prefix = source + ": ";
        List<String> reasons = new ArrayList<>();
        boolean listSupported = !uncheckedUnsupported.isEmpty();
        for (NetworkException e : refused) {
            String m = e.getMessage();
            if (m.startsWith(prefix)) m = m.substring(prefix.length());
            if (m.endsWith(SUPPORTED_LIST)) {
                m = m.substring(0, m.length() - SUPPORTED_LIST.length());
                listSupported = true;
            }
            reasons.add(m);
        }
        StringBuilder b = new StringBuilder(prefix);
        b.append(refused.size() == 1 ? "" : refused.size() + " ONNX nodes cannot be imported: ");
        b.append(String.join("; ", reasons));
        uncheckedUnsupported.forEach((op, nodes) -> b.append("; ").append(nodes.size()).append(nodes.size() == 1
                ? " later node" : " later nodes").append(" of op ").append(op).append(", which abacim does not support (")
                .append(String.join(", ", nodes.stream().map(name -> "'" + name + "'").toList())).append(")"));
        if (unchecked > 0) {
            b.append("; ").append(unchecked).append(unchecked == 1 ? " later node reads" : " later nodes read")
                    .append(" their outputs and could not be checked");
        }
        if (listSupported) b.append(SUPPORTED_LIST);
        return new NetworkException(b.toString());
    }

    /** Float values that hold integers (a shape), written as integers. */
    static String integers(float[] values) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < values.length; i++) {
            if (i > 0) b.append(", ");
            float v = values[i];
            b.append(v == Math.rint(v) && Math.abs(v) < 1e15f ? Long.toString((long) v) : Float.toString(v));
        }
        return b.append("]").toString();
    }

    NetworkException unsupported(OnnxMl.NodeProto n, String what) {
        return new NetworkException(source + ": ONNX node '" + n.getName() + "' (op " + n.getOpType() + ") uses " + what
                + ", which abacim does not support");
    }

    private static OnnxMl.AttributeProto attr(OnnxMl.NodeProto n, String name) {
        for (OnnxMl.AttributeProto a : n.getAttributeList()) if (a.getName().equals(name)) return a;
        return null;
    }

    static long intAttr(OnnxMl.NodeProto n, String name, long dflt) {
        OnnxMl.AttributeProto a = attr(n, name);
        return a == null ? dflt : a.getI();
    }

    static float floatAttr(OnnxMl.NodeProto n, String name, float dflt) {
        OnnxMl.AttributeProto a = attr(n, name);
        return a == null ? dflt : a.getF();
    }

    static String stringAttr(OnnxMl.NodeProto n, String name, String dflt) {
        OnnxMl.AttributeProto a = attr(n, name);
        return a == null ? dflt : a.getS().toStringUtf8();
    }

    /** An int64 attribute value as an int; one beyond the int range is refused (the caller names the node). */
    static int toInt(long value, String attribute) {
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("attribute " + attribute + " holds " + value + "; expected "
                    + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE);
        }
        return (int) value;
    }

    static int[] ints(OnnxMl.NodeProto n, String name, int... dflt) {
        OnnxMl.AttributeProto a = attr(n, name);
        if (a == null) return dflt;
        return a.getIntsList().stream().mapToInt(v -> toInt(v, name)).toArray();
    }

    /** A TensorProto's values as float32 (from raw little-endian bytes or the typed fields). */
    public static Tensor tensor(OnnxMl.TensorProto t, String source) {
        for (long d : t.getDimsList()) {
            if (d < 0 || d > Integer.MAX_VALUE) {
                throw new DataException(source + ": tensor " + t.getName() + " has dimension " + d
                        + "; expected 0 to " + Integer.MAX_VALUE);
            }
        }
        int[] shape = t.getDimsList().stream().mapToInt(Long::intValue).toArray();
        long count = Tensor.size(shape);
        if (count > Integer.MAX_VALUE) throw new DataException(source + ": tensor " + t.getName() + " is too large");
        ByteString raw = t.getRawData();
        int type = t.getDataType();
        int width = width(type, source + ": tensor " + t.getName());
        // The declared shape is checked against the values present before anything is allocated for it.
        long present = !raw.isEmpty() ? raw.size() / width : switch (type) {
            case 1 -> t.getFloatDataCount();
            case 11 -> t.getDoubleDataCount();
            case 7 -> t.getInt64DataCount();
            default -> t.getInt32DataCount();
        };
        if (present != count || !raw.isEmpty() && raw.size() % width != 0) {
            throw new DataException(source + ": tensor " + t.getName() + " has " + (raw.isEmpty() ? present + " values"
                    : raw.size() + " bytes") + " for shape " + Arrays.toString(shape) + " (" + count + " values)");
        }
        float[] v = new float[(int) count];
        if (!raw.isEmpty()) {
            if (raw.size() != count * width) {
                throw new DataException(source + ": tensor " + t.getName() + " has " + raw.size() + " bytes for " + count
                        + " values of " + width + " bytes");
            }
            ByteBuffer b = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < v.length; i++) {
                v[i] = switch (type) {
                    case 1 -> b.getFloat();
                    case 6 -> b.getInt();
                    case 7 -> b.getLong();
                    case 11 -> (float) b.getDouble();
                    case 2, 9 -> b.get() & 0xff;
                    case 3 -> b.get();
                    default -> Half.toFloat(b.getShort());
                };
            }
        } else {
            int have = switch (type) {
                case 1 -> t.getFloatDataCount();
                case 11 -> t.getDoubleDataCount();
                case 7 -> t.getInt64DataCount();
                default -> t.getInt32DataCount();
            };
            if (have != count) {
                throw new DataException(source + ": tensor " + t.getName() + " has " + have + " values for shape "
                        + Arrays.toString(shape));
            }
            for (int i = 0; i < v.length; i++) {
                v[i] = switch (type) {
                    case 1 -> t.getFloatData(i);
                    case 11 -> (float) t.getDoubleData(i);
                    case 7 -> t.getInt64Data(i);
                    case 10 -> Half.toFloat((short) t.getInt32Data(i));
                    default -> t.getInt32Data(i);
                };
            }
        }
        return new Tensor(shape, v);
    }

    /** The bytes one value of an ONNX element type takes as raw data; {@code what} names the tensor in a refusal. */
    static int width(int type, String what) {
        return switch (type) {
            case 1, 6 -> 4;      // FLOAT, INT32
            case 7, 11 -> 8;     // INT64, DOUBLE
            case 2, 3, 9 -> 1;   // UINT8, INT8, BOOL
            case 10 -> 2;        // FLOAT16
            default -> throw new DataException(what + " has unsupported data type " + type);
        };
    }

    /** Reads a serialized TensorProto file (the ONNX test suites' input_N.pb / output_N.pb). */
    public static Tensor readTensor(Path file) {
        try {
            return tensor(OnnxMl.TensorProto.parseFrom(Files.readAllBytes(file)), file.toString());
        } catch (InvalidProtocolBufferException e) {
            throw new DataException(file + ": not an ONNX tensor: " + e.getMessage());
        } catch (IOException e) {
            throw new DataException(file + ": cannot read: " + IoErrors.reason(e));
        }
    }

    /** The names of a model's initializers (its stored weights). */
    public static List<String> initializers(Path file) {
        return graph(file).getInitializerList().stream().map(OnnxMl.TensorProto::getName).toList();
    }

    /** The names of a model's graph inputs, in order (data and weights alike). */
    public static List<String> graphInputs(Path file) {
        return graph(file).getInputList().stream().map(OnnxMl.ValueInfoProto::getName).toList();
    }

    private static OnnxMl.GraphProto graph(Path file) {
        try {
            return OnnxMl.ModelProto.parseFrom(Files.readAllBytes(file)).getGraph();
        } catch (IOException e) {
            throw new DataException(file + ": not an ONNX model: " + e.getMessage());
        }
    }

}
