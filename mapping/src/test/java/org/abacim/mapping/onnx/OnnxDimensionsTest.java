package org.abacim.mapping.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import ai.onnx.proto.OnnxMl;
import org.abacim.core.data.DataException;
import org.abacim.core.network.Network;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ONNX dimensions and attributes are int64 in the file: beyond the int range they are refused, not truncated (#29). */
class OnnxDimensionsTest {
    @TempDir
    Path dir;

    private static OnnxMl.TensorShapeProto.Dimension dim(long v) {
        return OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(v).build();
    }

    /** input x (1×1×H×28) → node → y. */
    private Path model(long height, OnnxMl.NodeProto node, OnnxMl.TensorProto... initializers) throws Exception {
        OnnxMl.TypeProto image = OnnxMl.TypeProto.newBuilder().setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
                .setElemType(1).setShape(OnnxMl.TensorShapeProto.newBuilder()
                        .addDim(dim(1)).addDim(dim(1)).addDim(dim(height)).addDim(dim(28)))).build();
        OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().addNode(node)
                .addInput(OnnxMl.ValueInfoProto.newBuilder().setName("x").setType(image))
                .addOutput(OnnxMl.ValueInfoProto.newBuilder().setName("y"));
        for (OnnxMl.TensorProto t : initializers) g.addInitializer(t);
        Path file = dir.resolve("m.onnx");
        Files.write(file, OnnxMl.ModelProto.newBuilder().setGraph(g)
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setVersion(13)).build().toByteArray());
        return file;
    }

    private static OnnxMl.NodeProto relu() {
        return OnnxMl.NodeProto.newBuilder().setName("r").setOpType("Relu").addInput("x").addOutput("y").build();
    }

    @Test
    void anInputDimensionBeyondTheIntRangeIsRefusedNotCutToItsLowBits() throws Exception {
        long lying = (1L << 32) + 28; // read as an int, this was 28: a 28×28 image
        Path file = model(lying, relu());
        assertThatThrownBy(() -> OnnxImporter.read(file)).isInstanceOf(DataException.class)
                .hasMessage(file + ": input 'x' dimension 2 is " + lying + "; expected 0 to " + Integer.MAX_VALUE);
        Network ok = OnnxImporter.read(model(28, relu()));
        assertThat(ok.inputShape().height()).isEqualTo(28);
    }

    @Test
    void anAttributeBeyondTheIntRangeIsRefusedNamingTheNode() throws Exception {
        OnnxMl.TensorProto w = OnnxMl.TensorProto.newBuilder().setName("w").setDataType(1).addAllDims(List.of(1L, 1L, 3L, 3L))
                .setRawData(ByteString.copyFrom(new byte[36])).build();
        OnnxMl.NodeProto conv = OnnxMl.NodeProto.newBuilder().setName("c").setOpType("Conv").addInput("x").addInput("w")
                .addOutput("y").addAttribute(OnnxMl.AttributeProto.newBuilder().setName("strides")
                        .addAllInts(List.of((1L << 32) + 1, 1L))).build();
        Path file = model(28, conv, w);
        assertThatThrownBy(() -> OnnxImporter.read(file)).isInstanceOf(DataException.class)
                .hasMessageContaining("node 'c' (op Conv)")
                .hasMessageContaining("attribute strides holds " + ((1L << 32) + 1));
    }
}
