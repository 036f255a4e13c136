package org.abacim.mapping.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.abacim.core.data.DataException;
import org.abacim.core.exec.FloatEngine;
import org.abacim.core.network.Network;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Local functions (PyTorch 2's exporter without its optimizer writes aten ops as them; so do onnxscript models): a
 * model that calls them imports as the same network as one with their bodies written out.
 */
class FunctionInliningTest {
    @TempDir
    Path dir;

    private static OnnxMl.TensorProto weights(String name, long... dims) {
        long count = 1;
        for (long d : dims) count *= d;
        ByteBuffer b = ByteBuffer.allocate((int) count * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < count; i++) b.putFloat((float) Math.sin(i + 1) * 0.5f);
        OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(name).setDataType(1)
                .setRawData(ByteString.copyFrom(b.array()));
        for (long d : dims) t.addDims(d);
        return t.build();
    }

    private static OnnxMl.AttributeProto ints(String name, long... values) {
        OnnxMl.AttributeProto.Builder a = OnnxMl.AttributeProto.newBuilder().setName(name)
                .setType(OnnxMl.AttributeProto.AttributeType.INTS);
        for (long v : values) a.addInts(v);
        return a.build();
    }

    private static OnnxMl.NodeProto node(String name, String op, String domain, List<String> in, String out,
                                         OnnxMl.AttributeProto... attributes) {
        OnnxMl.NodeProto.Builder n = OnnxMl.NodeProto.newBuilder().setName(name).setOpType(op).setDomain(domain)
                .addAllInput(in).addOutput(out);
        for (OnnxMl.AttributeProto a : attributes) n.addAttribute(a);
        return n.build();
    }

    private Path save(String name, List<OnnxMl.NodeProto> nodes, List<OnnxMl.FunctionProto> functions) throws Exception {
        OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
        for (long d : new long[] {1, 2, 8, 8}) shape.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        OnnxMl.GraphProto g = OnnxMl.GraphProto.newBuilder().setName("g")
                .addInput(OnnxMl.ValueInfoProto.newBuilder().setName("x").setType(OnnxMl.TypeProto.newBuilder()
                        .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(1).setShape(shape))))
                .addAllNode(nodes).addOutput(OnnxMl.ValueInfoProto.newBuilder().setName("y"))
                .addInitializer(weights("w1", 4, 2, 3, 3)).addInitializer(weights("w2", 4, 4, 3, 3)).build();
        Path file = dir.resolve(name);
        Files.write(file, OnnxMl.ModelProto.newBuilder().setIrVersion(10).setGraph(g).addAllFunctions(functions)
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setVersion(18))
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("local").setVersion(1))
                .build().toByteArray());
        return file;
    }

    /** ConvRelu(x, w) with strides taken from the caller's attribute: Conv then a Relu function (nested). */
    private static List<OnnxMl.FunctionProto> functions() {
        OnnxMl.FunctionProto relu = OnnxMl.FunctionProto.newBuilder().setName("MyRelu").setDomain("local")
                .addInput("a").addOutput("b").addNode(node("", "Relu", "", List.of("a"), "b")).build();
        OnnxMl.FunctionProto convRelu = OnnxMl.FunctionProto.newBuilder().setName("ConvRelu").setDomain("local")
                .addInput("x").addInput("w").addOutput("y").addAttribute("strides")
                .addNode(node("conv", "Conv", "", List.of("x", "w"), "t", ints("pads", 1, 1, 1, 1),
                        OnnxMl.AttributeProto.newBuilder().setName("strides").setRefAttrName("strides")
                                .setType(OnnxMl.AttributeProto.AttributeType.INTS).build()))
                .addNode(node("act", "MyRelu", "local", List.of("t"), "y")).build();
        return List.of(relu, convRelu);
    }

    @Test
    void aModelCallingLocalFunctionsImportsAsItsBodiesWrittenOut() throws Exception {
        Path withFunctions = save("functions.onnx", List.of(
                node("block1", "ConvRelu", "local", List.of("x", "w1"), "h", ints("strides", 2, 2)),
                node("block2", "ConvRelu", "local", List.of("h", "w2"), "y", ints("strides", 1, 1))), functions());
        Path plain = save("plain.onnx", List.of(
                node("c1", "Conv", "", List.of("x", "w1"), "t1", ints("pads", 1, 1, 1, 1), ints("strides", 2, 2)),
                node("r1", "Relu", "", List.of("t1"), "h"),
                node("c2", "Conv", "", List.of("h", "w2"), "t2", ints("pads", 1, 1, 1, 1), ints("strides", 1, 1)),
                node("r2", "Relu", "", List.of("t2"), "y")), List.of());
        Network a = OnnxImporter.read(withFunctions);
        Network b = OnnxImporter.read(plain);
        assertThat(a.nodes()).hasSameSizeAs(b.nodes());
        float[] x = new float[2 * 8 * 8];
        for (int i = 0; i < x.length; i++) x[i] = (float) Math.cos(i);
        assertThat(new FloatEngine(a).forward(x)).containsExactly(new FloatEngine(b).forward(x));
        assertThat(a.nodes().get(1).outputShape().height()).as("strides 2 from the caller").isEqualTo(4);
    }

    @Test
    void aFunctionThatCallsItselfIsRefused() throws Exception {
        OnnxMl.FunctionProto loop = OnnxMl.FunctionProto.newBuilder().setName("Loop").setDomain("local")
                .addInput("a").addOutput("b").addNode(node("", "Loop", "local", List.of("a"), "b")).build();
        Path file = save("loop.onnx", List.of(node("l", "Loop", "local", List.of("x"), "y")), List.of(loop));
        assertThatThrownBy(() -> OnnxImporter.read(file)).isInstanceOf(DataException.class)
                .hasMessageContaining("function local.Loop calls itself");
    }
}
