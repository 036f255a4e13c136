package org.abacim.mapping.onnx;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.UnsafeByteOperations;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.abacim.core.data.DataException;
import org.abacim.core.io.IoErrors;
import org.abacim.core.io.WholeFiles;
import org.abacim.core.network.LayerParams;
import org.abacim.core.network.Network;
import org.abacim.core.network.NetworkException;
import org.abacim.core.tensor.Tensor;

/**
 * Writes a network's parameters back into the ONNX model it was imported from, for a model tuned in abacim to load
 * in PyTorch or onnxruntime again. Each initializer a parameter came from gets that parameter's values (transposed
 * back where the import transposed them); the graph, opsets, node names, other initializers and metadata stay as
 * they were, and an initializer whose values did not change keeps its bytes (weights the source kept in an external
 * data file are written into the one output file). An initializer the exporter shared between parameters that were
 * tuned apart is copied, one per value, and each node reads its own. A model whose parameters cannot all
 * be written back exactly is refused when the writer is made, naming the node.
 */
public final class OnnxWeightWriter {
    private static final int FLOAT = OnnxMl.TensorProto.DataType.FLOAT_VALUE;
    private static final int DOUBLE = OnnxMl.TensorProto.DataType.DOUBLE_VALUE;

    private final Path source;
    private final OnnxMl.ModelProto model;
    private final Network network;
    /** Initializer name → the parameters read from it (several where the exporter merged equal initializers). */
    private final Map<String, List<ParameterOrigin>> parameterIn;
    /** Parameter initializers other nodes also read as plain constants (see {@link #readAsConstants}). */
    private final Set<String> readAsConstants;

    private OnnxWeightWriter(Path source, OnnxMl.ModelProto model, Network network,
                             Map<String, List<ParameterOrigin>> parameterIn, Set<String> readAsConstants) {
        this.source = source;
        this.model = model;
        this.network = network;
        this.parameterIn = parameterIn;
        this.readAsConstants = readAsConstants;
    }

    /**
     * The parameter initializers some node also reads as a plain constant (directly or through Identity), not as
     * one of the parameters traced: a Clip bound or a shape that happens to equal a bias. Those keep their values.
     */
    private static Set<String> readAsConstants(OnnxMl.ModelProto model, Map<String, List<ParameterOrigin>> parameterIn) {
        Map<String, String> initializerOf = new HashMap<>();
        for (String name : parameterIn.keySet()) initializerOf.put(name, name);
        Set<String> asParameter = new HashSet<>();
        parameterIn.values().forEach(readers -> readers.forEach(o -> asParameter.add(o.nodeIndex() + ":" + o.input())));
        Set<String> constants = new HashSet<>();
        List<OnnxMl.NodeProto> nodes = model.getGraph().getNodeList();
        for (int i = 0; i < nodes.size(); i++) {
            OnnxMl.NodeProto n = nodes.get(i);
            if (n.getOpType().equals("Identity") && initializerOf.containsKey(n.getInput(0))) {
                initializerOf.put(n.getOutput(0), initializerOf.get(n.getInput(0)));
                continue;
            }
            for (int k = 0; k < n.getInputCount(); k++) {
                String initializer = initializerOf.get(n.getInput(k));
                if (initializer != null && !asParameter.contains(i + ":" + k)) constants.add(initializer);
            }
        }
        return constants;
    }

    /**
     * Imports {@code file} and checks that every parameter of its network can be written back exactly: each read
     * from an initializer of its own, stored as float32 or float64, taken as is or transposed. Otherwise a
     * {@link NetworkException} naming the node says why not.
     */
    public static OnnxWeightWriter forModel(Path file) {
        OnnxImporter.Traced traced = OnnxImporter.readTraced(file, Map.of());
        Map<String, List<ParameterOrigin>> parameterIn = new LinkedHashMap<>();
        Set<String> recorded = new HashSet<>();
        for (ParameterOrigin o : traced.origins()) {
            if (o.problem() != null) throw refused(file, o, o.problem());
            parameterIn.computeIfAbsent(o.initializer(), k -> new ArrayList<>()).add(o);
            recorded.add(o.layer() + "." + o.param());
        }
        Network network = traced.network();
        for (Network.Node n : network.nodes()) {
            LayerParams params = network.params(n.name());
            for (String param : params == null ? Set.<String>of() : params.tensors().keySet()) {
                if (!recorded.contains(n.name() + "." + param)) {
                    throw new NetworkException(file + ": layer '" + n.name() + "' has a " + param
                            + " that no initializer holds; abacim cannot write it back into the ONNX model");
                }
            }
        }
        for (OnnxMl.TensorProto t : traced.model().getGraph().getInitializerList()) {
            List<ParameterOrigin> readers = parameterIn.get(t.getName());
            if (readers == null) continue;
            ParameterOrigin o = readers.get(0);
            if (t.getDataType() != FLOAT && t.getDataType() != DOUBLE) {
                OnnxMl.TensorProto.DataType type = OnnxMl.TensorProto.DataType.forNumber(t.getDataType());
                throw refused(file, o, "stores its " + o.param() + " '" + t.getName() + "' as "
                        + (type == null ? "data type " + t.getDataType() : type.name())
                        + ", which cannot hold the tuned float32 values exactly");
            }
        }
        return new OnnxWeightWriter(file, traced.model(), network, parameterIn, readAsConstants(traced.model(), parameterIn));
    }

    /** The imported network (its parameters as the file holds them). */
    public Network network() {
        return network;
    }

    /**
     * Writes the source model with {@code tuned}'s parameters to {@code out}, whole or not at all, adding (or
     * replacing) the {@code metadata} entries in the model's metadata_props.
     */
    public void write(Network tuned, Path out, Map<String, String> metadata) {
        OnnxMl.GraphProto.Builder graph = model.getGraph().toBuilder();
        Set<String> taken = new HashSet<>();
        for (OnnxMl.TensorProto t : graph.getInitializerList()) taken.add(t.getName());
        for (OnnxMl.NodeProto n : graph.getNodeList()) taken.addAll(n.getOutputList());
        for (OnnxMl.ValueInfoProto v : graph.getInputList()) taken.add(v.getName());
        List<OnnxMl.TensorProto> copies = new ArrayList<>();
        for (int i = 0; i < graph.getInitializerCount(); i++) {
            OnnxMl.TensorProto original = graph.getInitializer(i);
            List<ParameterOrigin> readers = parameterIn.get(original.getName());
            if (readers == null) continue;
            float[] stored = OnnxImporter.tensor(original, source.toString()).data();
            // An initializer that is also a plain constant elsewhere keeps its values: every reader tuned away from
            // them gets a copy.
            boolean keep = readAsConstants.contains(original.getName());
            float[] first = keep ? stored : values(tuned, readers.get(0), original, out);
            if (!sameBits(first, stored)) graph.setInitializer(i, withValues(original, first, out));
            // An initializer the exporter shared between parameters (PyTorch merges equal ones, such as an
            // untrained model's zero biases) keeps the first reader's values; a reader tuned to other values gets a
            // copy of its own, and its node reads that instead.
            for (ParameterOrigin o : keep ? readers : readers.subList(1, readers.size())) {
                float[] mine = values(tuned, o, original, out);
                if (sameBits(mine, first)) continue;
                String name = original.getName() + "." + o.layer() + "." + o.param();
                for (int k = 2; taken.contains(name); k++) name = original.getName() + "." + o.layer() + "." + o.param() + "." + k;
                taken.add(name);
                copies.add(withValues(original, mine, out).toBuilder().setName(name).build());
                graph.getNodeBuilder(o.nodeIndex()).setInput(o.input(), name);
            }
        }
        graph.addAllInitializer(copies);
        OnnxMl.ModelProto.Builder result = model.toBuilder().setGraph(graph);
        List<OnnxMl.StringStringEntryProto> props = new ArrayList<>();
        for (OnnxMl.StringStringEntryProto e : model.getMetadataPropsList()) {
            if (!metadata.containsKey(e.getKey())) props.add(e);
        }
        metadata.forEach((k, v) -> props.add(OnnxMl.StringStringEntryProto.newBuilder().setKey(k).setValue(v).build()));
        OnnxMl.ModelProto written = result.clearMetadataProps().addAllMetadataProps(props).build();
        // protobuf sizes are ints and wrap past 2 GB: add the parts up in a long (each initializer is under 2 GB).
        long size = written.toBuilder().setGraph(written.getGraph().toBuilder().clearInitializer()).build().getSerializedSize();
        for (OnnxMl.TensorProto t : written.getGraph().getInitializerList()) size += t.getSerializedSize() + 16L;
        if (size > Integer.MAX_VALUE - 1024L) {
            throw new DataException(out + ": the tuned model would take " + size + " bytes, more than one ONNX file "
                    + "holds (2 GB; abacim does not write external data)");
        }
        try {
            Path folder = out.toAbsolutePath().getParent();
            if (folder != null) Files.createDirectories(folder);
            WholeFiles.write(out, tmp -> {
                try (OutputStream stream = new BufferedOutputStream(Files.newOutputStream(tmp))) {
                    written.writeTo(stream);
                }
            });
        } catch (IOException e) {
            throw new DataException(out + ": cannot write: " + IoErrors.reason(e));
        }
    }

    private static NetworkException refused(Path file, ParameterOrigin o, String problem) {
        return new NetworkException(file + ": ONNX node '" + o.node() + "' (op " + o.op() + ") " + problem
                + "; abacim cannot write its tuned " + o.param() + " back into the ONNX model");
    }

    /** {@code o}'s tuned values in the initializer's layout, checked against its size. */
    private static float[] values(Network tuned, ParameterOrigin o, OnnxMl.TensorProto original, Path out) {
        Tensor value = parameter(tuned, o);
        if (o.transposed() && value.rank() == 4 && value.dim(2) == 1 && value.dim(3) == 1) {
            // A MatMul on a channels-last map became a 1×1 convolution: its weight is the [out, in] matrix.
            value = new Tensor(new int[] {value.dim(0), value.dim(1)}, value.data());
        }
        long stored = 1;
        for (long d : original.getDimsList()) stored *= d;
        if (value.size() != stored || o.transposed() && value.rank() != 2) {
            throw new NetworkException(out + ": layer '" + o.layer() + "' " + o.param() + " is "
                    + value.shapeText() + ", but initializer '" + original.getName() + "' holds "
                    + original.getDimsList() + " (is the tuned network the imported one?)");
        }
        return (o.transposed() ? OnnxImporter.transpose(value) : value).data();
    }

    private static Tensor parameter(Network net, ParameterOrigin o) {
        LayerParams p = net.params(o.layer());
        Tensor t = p == null ? null : p.tensors().get(o.param());
        if (t == null) throw new NetworkException("the tuned network has no " + o.param() + " in layer '" + o.layer() + "'");
        return t;
    }

    private static boolean sameBits(float[] a, float[] b) {
        if (a.length != b.length) return false;
        for (int i = 0; i < a.length; i++) if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(b[i])) return false;
        return true;
    }

    /** The initializer with new values, as raw little-endian bytes of its own type (float32 or float64). */
    private static OnnxMl.TensorProto withValues(OnnxMl.TensorProto original, float[] values, Path out) {
        int width = original.getDataType() == DOUBLE ? 8 : 4;
        long bytes = (long) values.length * width;
        if (bytes > Integer.MAX_VALUE - 8) {
            throw new DataException(out + ": initializer '" + original.getName() + "' would take " + bytes
                    + " bytes, more than one protobuf field holds");
        }
        ByteBuffer raw = ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            if (width == 8) raw.putDouble(v);
            else raw.putFloat(v);
        }
        // The buffer is not touched again, so protobuf may keep it rather than copy it.
        return original.toBuilder().clearFloatData().clearDoubleData()
                .setRawData(UnsafeByteOperations.unsafeWrap(raw.array())).build();
    }
}
