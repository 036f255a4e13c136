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
import org.abacim.core.network.NetworkException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An ONNX model abacim cannot import is refused once, naming every node that stops it (issue #34: "an unsupported
 * model is refused with every unsupported node listed at once, shapes printed as integers").
 */
class OnnxRefusalsTest {
    @TempDir
    Path dir;

    private static OnnxMl.NodeProto node(String name, String op, List<String> inputs, String output) {
        return OnnxMl.NodeProto.newBuilder().setName(name).setOpType(op).addAllInput(inputs).addOutput(output).build();
    }

    private static OnnxMl.TensorProto int64s(String name, long... values) {
        ByteBuffer b = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) b.putLong(v);
        return OnnxMl.TensorProto.newBuilder().setName(name).setDataType(7).addDims(values.length)
                .setRawData(ByteString.copyFrom(b.array())).build();
    }

    /** input x (1×1×4×4) → nodes; the last node's output is the graph's. */
    private Path model(List<OnnxMl.NodeProto> nodes, OnnxMl.TensorProto... initializers) throws Exception {
        OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
        for (long d : new long[] {1, 1, 4, 4}) shape.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().addAllNode(nodes)
                .addInput(OnnxMl.ValueInfoProto.newBuilder().setName("x").setType(OnnxMl.TypeProto.newBuilder()
                        .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(1).setShape(shape))))
                .addOutput(OnnxMl.ValueInfoProto.newBuilder().setName(nodes.get(nodes.size() - 1).getOutput(0)));
        for (OnnxMl.TensorProto t : initializers) g.addInitializer(t);
        Path file = dir.resolve("m.onnx");
        Files.write(file, OnnxMl.ModelProto.newBuilder().setGraph(g)
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setVersion(17)).build().toByteArray());
        return file;
    }

    @Test
    void everyRefusedNodeIsNamedInOneMessage() throws Exception {
        // elu and selu are refused; ln reads elu's output (an op with no conversion: named), the reshape reads
        // selu's (converted, but its input is unknown: counted), and the Add reads both.
        Path file = model(List.of(
                node("elu", "Elu", List.of("x"), "a"),
                node("selu", "Selu", List.of("x"), "b"),
                node("ln", "LpNormalization", List.of("a"), "c"),
                node("flat", "Reshape", List.of("b", "shape"), "d"),
                node("sum", "Add", List.of("c", "d"), "y")), int64s("shape", 1, -1));
        assertThatThrownBy(() -> OnnxImporter.read(file)).isInstanceOf(NetworkException.class).hasMessage(file
                + ": 2 ONNX nodes cannot be imported: ONNX node 'elu' (op Elu) is not supported; ONNX node 'selu' (op "
                + "Selu) is not supported; 1 later node of op LpNormalization, which abacim does not support ('ln'); "
                + "2 later nodes read their outputs and could not be checked; supported ops: "
                + String.join(", ", OnnxImporter.SUPPORTED));
    }

    @Test
    void aSingleRefusalReadsAsBeforeAndPrintsShapesAsIntegers() throws Exception {
        Path file = model(List.of(node("r", "Reshape", List.of("x", "shape"), "y")), int64s("shape", 1, 17, 1));
        assertThatThrownBy(() -> OnnxImporter.read(file)).isInstanceOf(NetworkException.class).hasMessage(file
                + ": ONNX node 'r' (op Reshape) uses a reshape of 16 values to [1, 17, 1], which abacim does not support");
    }

    @Test
    void everyOperatorTheImporterListsAsConvertedIsDispatched() throws Exception {
        // A node of each converted op on the image input: whatever else it may say, never "is not supported".
        for (String op : OnnxImporter.CONVERTED) {
            Path file = model(List.of(node("n", op, List.of("x"), "y")));
            try {
                OnnxImporter.read(file);
            } catch (RuntimeException e) {
                assertThat(e.getMessage()).as(op).doesNotContain("is not supported");
            }
        }
    }
}
