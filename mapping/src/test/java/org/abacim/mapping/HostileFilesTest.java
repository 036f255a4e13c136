package org.abacim.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.abacim.core.data.DataException;
import org.abacim.core.network.NetworkException;
import org.abacim.core.tensor.Tensor;
import org.abacim.mapping.onnx.OnnxImporter;
import org.abacim.core.data.Npy;

/**
 * Model files as a hostile user would write them: .npy headers that lie about their shape, and ONNX graphs with
 * missing inputs, empty or zero strides, lying initializer dimensions. Each is read or refused with a
 * {@link DataException} / {@link NetworkException} (one line at the CLI) — never another exception, never an
 * allocation the file's bytes do not back.
 */
class HostileFilesTest {
    private static final byte[] VALID_NPY = Npy.write(new Tensor(new int[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6}));

    @Provide
    Arbitrary<String> shapes() {
        Arbitrary<String> dim = Arbitraries.of("0", "1", "3", "6", "-1", "2147483647", "2147483648", "4294967298",
                "1000000000000", "99999999999999999999", "x", "");
        return dim.list().ofMinSize(0).ofMaxSize(6).map(dims -> "(" + String.join(", ", dims) + ",)");
    }

    @Property(tries = 150)
    void npyHeadersThatLieAreRefusedBeforeAllocating(@ForAll("shapes") String shape) {
        String text = new String(VALID_NPY, StandardCharsets.ISO_8859_1);
        byte[] lying = text.replaceFirst("'shape': \\([^)]*\\)", "'shape': " + shape)
                .getBytes(StandardCharsets.ISO_8859_1);
        readNpy(lying);
    }

    @Property(tries = 150)
    void npyFilesCutOrFlippedAreRefused(@ForAll("cuts") int cut, @ForAll("cuts") int flip) {
        byte[] damaged = java.util.Arrays.copyOf(VALID_NPY, Math.min(cut, VALID_NPY.length));
        if (damaged.length > 0) damaged[flip % damaged.length] ^= 0x5A;
        readNpy(damaged);
    }

    @Provide
    Arbitrary<Integer> cuts() {
        return Arbitraries.integers().between(0, VALID_NPY.length + 8);
    }

    private static void readNpy(byte[] bytes) {
        try {
            Tensor t = Npy.read(new ByteArrayInputStream(bytes), "x.npy", bytes.length);
            assertThat(Tensor.size(t.shape())).isLessThanOrEqualTo(bytes.length);
        } catch (DataException expected) {
            assertThat(expected.getMessage()).startsWith("x.npy");
        }
    }

    /** A Conv (or Gemm) node with attributes and inputs drawn from a hostile list, and an initializer that may lie. */
    @Provide
    Arbitrary<OnnxMl.ModelProto> models() {
        Arbitrary<List<Long>> ints = Arbitraries.of(0L, 1L, 2L, 3L, -1L, 4294967298L).list().ofMaxSize(4);
        Arbitrary<List<Long>> dims = Arbitraries.of(0L, 1L, 2L, 3L, -5L, 4294967298L, 100000000000L).list()
                .ofMinSize(0).ofMaxSize(4);
        Arbitrary<String> op = Arbitraries.of("Conv", "Gemm", "MaxPool", "AveragePool", "Relu", "Flatten", "Reshape",
                "Concat", "Add", "BatchNormalization", "Softmax", "NoSuchOp");
        Arbitrary<Integer> inputs = Arbitraries.integers().between(0, 4);
        Arbitrary<Boolean> withOutput = Arbitraries.of(true, false);
        return net.jqwik.api.Combinators.combine(op, ints, ints, dims, inputs, withOutput)
                .as((type, strides, pads, wDims, nInputs, output) -> {
                    OnnxMl.NodeProto.Builder node = OnnxMl.NodeProto.newBuilder().setName("n0").setOpType(type)
                            .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("strides").addAllInts(strides))
                            .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("pads").addAllInts(pads))
                            .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("kernel_shape").addAllInts(strides));
                    List<String> names = List.of("x", "w", "b", "ghost");
                    for (int i = 0; i < nInputs; i++) node.addInput(names.get(i));
                    node.addOutput("y");
                    OnnxMl.TensorProto w = OnnxMl.TensorProto.newBuilder().setName("w").setDataType(1)
                            .addAllDims(wDims).setRawData(ByteString.copyFrom(new byte[16])).build();
                    OnnxMl.TypeProto image = OnnxMl.TypeProto.newBuilder().setTensorType(OnnxMl.TypeProto.Tensor
                            .newBuilder().setElemType(1).setShape(OnnxMl.TensorShapeProto.newBuilder()
                                    .addDim(dim(1)).addDim(dim(1)).addDim(dim(4)).addDim(dim(4)))).build();
                    OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().addNode(node).addInitializer(w)
                            .addInput(OnnxMl.ValueInfoProto.newBuilder().setName("x").setType(image));
                    if (output) g.addOutput(OnnxMl.ValueInfoProto.newBuilder().setName("y"));
                    return OnnxMl.ModelProto.newBuilder().setGraph(g)
                            .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setVersion(13)).build();
                });
    }

    private static OnnxMl.TensorShapeProto.Dimension dim(long v) {
        return OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(v).build();
    }

    @Property(tries = 200)
    void malformedOnnxGraphsAreReadOrRefusedInOneLine(@ForAll("models") OnnxMl.ModelProto model) throws Exception {
        Path file = Files.createTempFile("hostile", ".onnx");
        try {
            Files.write(file, model.toByteArray());
            OnnxImporter.read(file);
        } catch (DataException | NetworkException | org.abacim.core.config.ConfigException expected) {
            assertThat(expected.getMessage()).doesNotContain("\n");
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
