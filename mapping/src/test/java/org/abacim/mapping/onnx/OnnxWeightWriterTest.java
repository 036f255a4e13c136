package org.abacim.mapping.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.abacim.core.network.Activation;
import org.abacim.core.network.LayerParams;
import org.abacim.core.network.Network;
import org.abacim.core.network.NetworkException;
import org.abacim.core.tensor.Tensor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** Tuned parameters written back into the ONNX model they came from: exactly, touching nothing else (issue #33). */
class OnnxWeightWriterTest {
    private static final Path FIXTURES = Path.of("src/test/resources/onnx/torchvision");
    /** The fixture families whose exports share one initializer between two nodes' parameters. */
    private static final Set<String> SHARING = Set.of("efficientnet_b0", "mobilenet_v3", "squeezenet", "vgg11", "convnext");

    @TempDir
    Path dir;

    /**
     * Every parameter of the network changed, deterministically and differently per layer (each value scaled and
     * shifted by its position and its layer's), so parameters an exporter stored in one initializer differ.
     */
    private static Network perturbed(Network net) {
        Map<String, LayerParams> params = new LinkedHashMap<>();
        int[] salt = {0};
        net.params().forEach((layer, p) -> {
            int k = salt[0]++;
            if (p instanceof LayerParams.Dense d) {
                params.put(layer, new LayerParams.Dense(changed(d.weight(), k), d.bias() == null ? null : changed(d.bias(), k)));
            } else if (p instanceof LayerParams.Norm m) {
                params.put(layer, new LayerParams.Norm(changed(m.gamma(), k), changed(m.beta(), k), changed(m.mean(), k),
                        changed(m.variance(), k), m.eps()));
            }
        });
        return net.withParams(params);
    }

    private static Tensor changed(Tensor t, int salt) {
        float[] v = t.data().clone();
        for (int i = 0; i < v.length; i++) v[i] = v[i] * 1.01f + 1e-3f * ((i % 7) + 1) + 1e-5f * (salt + 1);
        return new Tensor(t.shape().clone(), v);
    }

    private static Map<String, float[]> values(Network net) {
        Map<String, float[]> all = new LinkedHashMap<>();
        net.params().forEach((layer, p) -> p.tensors().forEach((name, t) -> all.put(layer + "." + name, t.data())));
        return all;
    }

    private static OnnxMl.ModelProto parse(Path file) throws IOException {
        return OnnxMl.ModelProto.parseFrom(Files.readAllBytes(file));
    }

    /** The model with its initializers and metadata taken out: what writing back must leave as it was. */
    private static OnnxMl.ModelProto skeleton(OnnxMl.ModelProto m) {
        return m.toBuilder().clearMetadataProps().setGraph(m.getGraph().toBuilder().clearInitializer()).build();
    }

    @TestFactory
    Stream<DynamicTest> everyTorchvisionExportRoundTripsItsParametersExactly() throws IOException {
        List<Path> models;
        try (Stream<Path> files = Files.list(FIXTURES)) {
            models = files.filter(f -> f.toString().endsWith(".onnx")).sorted().toList();
        }
        assertThat(models).hasSizeGreaterThanOrEqualTo(18);
        return models.stream().map(model -> DynamicTest.dynamicTest(model.getFileName().toString(), () -> {
            String family = model.getFileName().toString().replaceFirst("-opset.*", "");
            OnnxWeightWriter writer = OnnxWeightWriter.forModel(model);
            Network tuned = perturbed(writer.network());
            Path out = dir.resolve(model.getFileName());
            writer.write(tuned, out, Map.of("abacim.test", "perturbed"));
            Map<String, float[]> expected = values(tuned);
            Map<String, float[]> read = values(OnnxImporter.read(out));
            assertThat(read.keySet()).isEqualTo(expected.keySet());
            expected.forEach((k, v) -> assertThat(read.get(k)).as(k).isEqualTo(v));
            OnnxMl.ModelProto before = parse(model);
            OnnxMl.ModelProto after = parse(out);
            // PyTorch's exporter merges initializers of equal values, such as an untrained model's zero biases: a
            // node whose share was tuned apart now reads a copy of its own; nothing else in the graph changed.
            int copies = after.getGraph().getInitializerCount() - before.getGraph().getInitializerCount();
            assertThat(copies > 0).as("shared initializers copied").isEqualTo(SHARING.contains(family));
            Set<String> copyNames = new HashSet<>();
            for (OnnxMl.TensorProto t : after.getGraph().getInitializerList().subList(before.getGraph().getInitializerCount(),
                    after.getGraph().getInitializerCount())) {
                copyNames.add(t.getName());
            }
            OnnxMl.GraphProto.Builder undone = after.getGraph().toBuilder();
            for (int i = 0; i < undone.getNodeCount(); i++) {
                for (int k = 0; k < undone.getNode(i).getInputCount(); k++) {
                    if (copyNames.contains(undone.getNode(i).getInput(k))) {
                        undone.getNodeBuilder(i).setInput(k, before.getGraph().getNode(i).getInput(k));
                    }
                }
            }
            assertThat(skeleton(after.toBuilder().setGraph(undone).build())).isEqualTo(skeleton(before));
            assertThat(after.getMetadataPropsList()).endsWith(OnnxMl.StringStringEntryProto.newBuilder()
                    .setKey("abacim.test").setValue("perturbed").build());
            assertThat(after.getMetadataPropsCount()).isEqualTo(before.getMetadataPropsCount() + 1);
            List<OnnxMl.TensorProto> was = before.getGraph().getInitializerList();
            List<OnnxMl.TensorProto> is = after.getGraph().getInitializerList().subList(0, was.size());
            int rewritten = copies;
            for (int i = 0; i < was.size(); i++) {
                assertThat(is.get(i).getName()).isEqualTo(was.get(i).getName());
                assertThat(is.get(i).getDimsList()).isEqualTo(was.get(i).getDimsList());
                assertThat(is.get(i).getDataType()).isEqualTo(was.get(i).getDataType());
                if (!is.get(i).equals(was.get(i))) rewritten++;
            }
            // Every parameter was changed, and each has an initializer of its own (its original or its copy); all
            // others are untouched.
            assertThat(rewritten).isEqualTo(expected.size());
        }));
    }

    @Test
    void unchangedParametersLeaveEveryByteOfTheModelAsItWas() throws IOException {
        Path model = FIXTURES.resolve("resnet18-opset13-unfolded.onnx");
        OnnxWeightWriter writer = OnnxWeightWriter.forModel(model);
        Path out = dir.resolve("same.onnx");
        writer.write(writer.network(), out, Map.of());
        assertThat(Files.readAllBytes(out)).isEqualTo(Files.readAllBytes(model));
    }

    // ---- hand-made models: the transforms and the refusals --------------------------------------------------

    private static OnnxMl.TensorShapeProto.Dimension dim(long v) {
        return OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(v).build();
    }

    private static OnnxMl.ValueInfoProto input(long... dims) {
        OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
        for (long d : dims) shape.addDim(dim(d));
        return OnnxMl.ValueInfoProto.newBuilder().setName("x").setType(OnnxMl.TypeProto.newBuilder()
                .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(1).setShape(shape))).build();
    }

    /** A float32 initializer holding 0.1, 0.2, 0.3, … (raw little-endian bytes, as PyTorch writes them). */
    private static OnnxMl.TensorProto floats(String name, long... dims) {
        long count = 1;
        for (long d : dims) count *= d;
        ByteBuffer b = ByteBuffer.allocate((int) count * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < count; i++) b.putFloat(0.1f * (i + 1));
        OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(name).setDataType(1)
                .setRawData(ByteString.copyFrom(b.array()));
        for (long d : dims) t.addDims(d);
        return t.build();
    }

    private static OnnxMl.NodeProto node(String name, String op, List<String> inputs, String output,
                                         OnnxMl.AttributeProto... attributes) {
        OnnxMl.NodeProto.Builder n = OnnxMl.NodeProto.newBuilder().setName(name).setOpType(op).addAllInput(inputs)
                .addOutput(output);
        for (OnnxMl.AttributeProto a : attributes) n.addAttribute(a);
        return n.build();
    }

    private static OnnxMl.AttributeProto attribute(String name, long value) {
        return OnnxMl.AttributeProto.newBuilder().setName(name).setI(value).setType(OnnxMl.AttributeProto.AttributeType.INT).build();
    }

    private static OnnxMl.AttributeProto attribute(String name, float value) {
        return OnnxMl.AttributeProto.newBuilder().setName(name).setF(value).setType(OnnxMl.AttributeProto.AttributeType.FLOAT).build();
    }

    private Path save(String name, OnnxMl.ValueInfoProto in, List<OnnxMl.NodeProto> nodes, OnnxMl.TensorProto... inits)
            throws IOException {
        OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().setName("g").addInput(in).addAllNode(nodes)
                .addOutput(OnnxMl.ValueInfoProto.newBuilder().setName(nodes.get(nodes.size() - 1).getOutput(0)));
        for (OnnxMl.TensorProto t : inits) g.addInitializer(t);
        Path file = dir.resolve(name);
        Files.write(file, OnnxMl.ModelProto.newBuilder().setIrVersion(7).setProducerName("hand").setGraph(g)
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setVersion(13))
                .addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder().setKey("author").setValue("me"))
                .build().toByteArray());
        return file;
    }

    @Test
    void aMatMulWeightGoesBackTransposedAndFoldedBiasesGoBackInTheirOwnShapes() throws IOException {
        // Conv without bias + Add of a [1, 2, 1, 1] bias; Flatten; MatMul [18, 3] + Add of a [3] bias; a Reshape
        // whose shape initializer is no parameter.
        Path model = save("mm.onnx", input(1, 1, 3, 3), List.of(
                node("conv", "Conv", List.of("x", "cw"), "c"),
                node("conv_bias", "Add", List.of("c", "cb"), "cpb"),
                node("flat", "Reshape", List.of("cpb", "shape"), "f"),
                node("fc", "MatMul", List.of("f", "mw"), "m"),
                node("fc_bias", "Add", List.of("mb", "m"), "y")),
                floats("cw", 2, 1, 1, 1), floats("cb", 1, 2, 1, 1), floats("mw", 18, 3), floats("mb", 3),
                OnnxMl.TensorProto.newBuilder().setName("shape").setDataType(7).addDims(2).addInt64Data(1).addInt64Data(-1).build());
        OnnxWeightWriter writer = OnnxWeightWriter.forModel(model);
        Network tuned = perturbed(writer.network());
        Path out = dir.resolve("mm-tuned.onnx");
        writer.write(tuned, out, Map.of("abacim.tune", "{}"));
        Map<String, OnnxMl.TensorProto> written = new HashMap<>();
        for (OnnxMl.TensorProto t : parse(out).getGraph().getInitializerList()) written.put(t.getName(), t);
        // The IR holds the MatMul's weight as [out, in]; the file as [in, out]: element (i, o) is IR (o, i).
        float[] ir = ((LayerParams.Dense) tuned.params("fc")).weight().data();
        Tensor mw = OnnxImporter.tensor(written.get("mw"), "mw");
        assertThat(mw.shape()).containsExactly(18, 3);
        assertThat(mw.data()[5 * 3 + 2]).isEqualTo(ir[2 * 18 + 5]).isNotEqualTo(0.1f * (5 * 3 + 2 + 1));
        assertThat(OnnxImporter.tensor(written.get("cb"), "cb").shape()).containsExactly(1, 2, 1, 1);
        assertThat(OnnxImporter.tensor(written.get("cb"), "cb").data())
                .isEqualTo(((LayerParams.Dense) tuned.params("conv")).bias().data());
        assertThat(OnnxImporter.tensor(written.get("mb"), "mb").data())
                .isEqualTo(((LayerParams.Dense) tuned.params("fc")).bias().data());
        assertThat(written.get("shape")).isEqualTo(parse(model).getGraph().getInitializer(4));
        assertThat(parse(out).getMetadataPropsList()).extracting(OnnxMl.StringStringEntryProto::getKey)
                .containsExactly("author", "abacim.tune");
        // Written again over an earlier run's entry: replaced, not repeated.
        OnnxWeightWriter.forModel(out).write(tuned, dir.resolve("again.onnx"), Map.of("abacim.tune", "{\"again\":1}"));
        assertThat(parse(dir.resolve("again.onnx")).getMetadataPropsList()).extracting(OnnxMl.StringStringEntryProto::getValue)
                .containsExactly("me", "{\"again\":1}");
    }

    @Test
    void parametersStoredInTypedFieldsKeepTheirFormUnlessTuned() throws IOException {
        // Some exporters write float_data or double_data, not raw bytes; an untouched one must stay as it was.
        OnnxMl.TensorProto typed = OnnxMl.TensorProto.newBuilder().setName("w").setDataType(1).addDims(3).addDims(4)
                .addAllFloatData(List.of(1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f, 12f)).build();
        OnnxMl.TensorProto doubles = OnnxMl.TensorProto.newBuilder().setName("b").setDataType(11).addDims(3)
                .addAllDoubleData(List.of(0.1, 0.2, 0.3)).build();
        Path model = save("typed.onnx", input(1, 4), List.of(node("fc", "Gemm", List.of("x", "w", "b"), "y",
                attribute("transB", 1L))), typed, doubles);
        OnnxWeightWriter writer = OnnxWeightWriter.forModel(model);
        Path same = dir.resolve("same.onnx");
        writer.write(writer.network(), same, Map.of());
        assertThat(Files.readAllBytes(same)).isEqualTo(Files.readAllBytes(model));
        // Tuned, the weight becomes raw float32 and the bias raw float64, each with its new values.
        Network tuned = perturbed(writer.network());
        Path out = dir.resolve("typed-tuned.onnx");
        writer.write(tuned, out, Map.of());
        OnnxMl.GraphProto g = parse(out).getGraph();
        assertThat(g.getInitializer(0).getFloatDataCount()).isZero();
        assertThat(g.getInitializer(1).getDataType()).isEqualTo(11);
        assertThat(g.getInitializer(1).getRawData().size()).isEqualTo(3 * 8);
        assertThat(values(OnnxImporter.read(out))).usingRecursiveComparison().isEqualTo(values(tuned));
    }

    private void assertRefused(Path model, String message) {
        assertThatThrownBy(() -> OnnxWeightWriter.forModel(model)).isInstanceOf(NetworkException.class)
                .hasMessage(model + ": " + message);
    }

    @Test
    void parametersThatCannotGoBackExactlyAreRefusedNamingTheNode() throws IOException {
        OnnxMl.ValueInfoProto vector = input(1, 4);
        assertRefused(save("alpha.onnx", vector, List.of(node("fc", "Gemm", List.of("x", "w"), "y",
                        attribute("alpha", 0.5f), attribute("transB", 1L))), floats("w", 3, 4)),
                "ONNX node 'fc' (op Gemm) scales its weight by alpha 0.5; abacim cannot write its tuned weight back "
                        + "into the ONNX model");
        assertRefused(save("scalar-bias.onnx", vector, List.of(node("fc", "Gemm", List.of("x", "w", "b"), "y",
                        attribute("transB", 1L))), floats("w", 3, 4), floats("b", 1)),
                "ONNX node 'fc' (op Gemm) broadcasts one bias value to 3 outputs; abacim cannot write its tuned bias "
                        + "back into the ONNX model");
        // A float16 model's weight cast to float32 by a node: computed, not stored in an initializer.
        OnnxMl.TensorProto half = OnnxMl.TensorProto.newBuilder().setName("w16").setDataType(10).addDims(3).addDims(4)
                .setRawData(ByteString.copyFrom(new byte[24])).build();
        assertRefused(save("cast.onnx", vector, List.of(node("to32", "Cast", List.of("w16"), "w", attribute("to", 1L)),
                        node("fc", "Gemm", List.of("x", "w"), "y", attribute("transB", 1L))), half),
                "ONNX node 'fc' (op Gemm) takes its weight from 'w', which other nodes compute (not an initializer); "
                        + "abacim cannot write its tuned weight back into the ONNX model");
        assertRefused(save("half.onnx", vector, List.of(node("fc", "Gemm", List.of("x", "w16"), "y",
                        attribute("transB", 1L))), half),
                "ONNX node 'fc' (op Gemm) stores its weight 'w16' as FLOAT16, which cannot hold the tuned float32 "
                        + "values exactly; abacim cannot write its tuned weight back into the ONNX model");
    }

    @Test
    void aLinearWrittenAsTransposeThenMatMulImportsAsThatLinearButIsNotWrittenBack() throws IOException {
        // PyTorch 2's exporter writes a Linear on other than N×F input as Transpose(weight) → MatMul → Add.
        Path model = save("t.onnx", input(1, 4), List.of(
                node("t", "Transpose", List.of("w"), "wt", OnnxMl.AttributeProto.newBuilder().setName("perm")
                        .addInts(1).addInts(0).setType(OnnxMl.AttributeProto.AttributeType.INTS).build()),
                node("fc", "MatMul", List.of("x", "wt"), "m"),
                node("fc_bias", "Add", List.of("m", "b"), "y")), floats("w", 3, 4), floats("b", 3));
        Network net = OnnxImporter.read(model);
        // The IR holds a Linear's weight as [out, in], as PyTorch's Linear does: the initializer itself.
        float[] weight = ((LayerParams.Dense) net.params("fc")).weight().data();
        float[] stored = new float[12];
        for (int i = 0; i < stored.length; i++) stored[i] = 0.1f * (i + 1);
        assertThat(weight).containsExactly(stored);
        assertRefused(model, "ONNX node 'fc' (op MatMul) takes its weight from 'wt', which other nodes compute (not an "
                + "initializer); abacim cannot write its tuned weight back into the ONNX model");
    }

    @Test
    void twoNodesSharingOneInitializerTunedApartEachGetTheirOwn() throws IOException {
        Path model = save("shared.onnx", input(1, 4), List.of(node("fc1", "MatMul", List.of("x", "w"), "h"),
                node("fc2", "MatMul", List.of("h", "w"), "y")), floats("w", 4, 4));
        OnnxWeightWriter writer = OnnxWeightWriter.forModel(model);
        Network tuned = perturbed(writer.network());
        Path out = dir.resolve("shared-tuned.onnx");
        writer.write(tuned, out, Map.of());
        OnnxMl.GraphProto g = parse(out).getGraph();
        assertThat(g.getInitializerList()).extracting(OnnxMl.TensorProto::getName).containsExactly("w", "w.fc2.weight");
        assertThat(g.getNode(0).getInput(1)).isEqualTo("w");
        assertThat(g.getNode(1).getInput(1)).isEqualTo("w.fc2.weight");
        Map<String, float[]> read = values(OnnxImporter.read(out));
        values(tuned).forEach((k, v) -> assertThat(read.get(k)).as(k).isEqualTo(v));
        // Tuned alike (here: not tuned), the two keep sharing: the file is written back byte for byte.
        Path same = dir.resolve("shared-same.onnx");
        writer.write(writer.network(), same, Map.of());
        assertThat(Files.readAllBytes(same)).isEqualTo(Files.readAllBytes(model));
    }

    @Test
    void anInitializerAlsoReadAsAPlainConstantKeepsItsValuesAndTheParameterGetsACopy() throws IOException {
        // The Gemm's bias 'b' (0.1) is also the Clip's upper bound: tuning the bias must not move the bound.
        OnnxMl.TensorProto zero = OnnxMl.TensorProto.newBuilder().setName("zero").setDataType(1).addFloatData(0f).build();
        Path model = save("bound.onnx", input(1, 4), List.of(
                node("fc", "Gemm", List.of("x", "w", "b"), "h", attribute("transB", 1L)),
                node("clip", "Clip", List.of("h", "zero", "b"), "y")), floats("w", 1, 4), floats("b", 1), zero);
        OnnxWeightWriter writer = OnnxWeightWriter.forModel(model);
        Network tuned = perturbed(writer.network());
        Path out = dir.resolve("bound-tuned.onnx");
        writer.write(tuned, out, Map.of());
        OnnxMl.GraphProto g = parse(out).getGraph();
        assertThat(g.getNode(0).getInput(2)).isEqualTo("b.fc.bias");
        assertThat(g.getNode(1).getInput(2)).isEqualTo("b");
        assertThat(OnnxImporter.tensor(g.getInitializer(1), "b").data()).containsExactly(0.1f);
        Network again = OnnxImporter.read(out);
        Map<String, float[]> read = values(again);
        values(tuned).forEach((k, v) -> assertThat(read.get(k)).as(k).isEqualTo(v));
        assertThat(again.nodes().stream().map(Network.Node::layer).filter(l -> l instanceof Activation)
                .map(l -> ((Activation) l).clip()).toList()).containsExactly((double) 0.1f);
    }
}
