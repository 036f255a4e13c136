package org.abacim.mapping.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.onnx.proto.OnnxMl;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.abacim.core.data.Datasets;
import org.abacim.core.data.Npy;
import org.abacim.core.exec.FloatEngine;
import org.abacim.core.exec.QuantizedEngine;
import org.abacim.core.network.DynamicQuantization;
import org.abacim.core.network.Network;
import org.abacim.core.network.NetworkException;
import org.abacim.core.network.Quantization;
import org.abacim.core.tensor.Tensor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Quantized models with their own scales (issue #34 item 2): QDQ graphs as PyTorch's quantization-aware training
 * exports them and as onnxruntime's static quantizer stores them (int8 weight codes, int32 bias codes), made by
 * {@code scripts/make-quantized-fixtures}. Each imports with its QuantizeLinear/DequantizeLinear pairs as layers (and
 * its stored codes dequantized at import) and reproduces PyTorch's fake-quantized output; QLinearConv and
 * QLinearMatMul are checked against the ONNX backend suite in {@link OnnxConformanceTest}. Inconsistent scales and
 * zero points are refused naming the node.
 */
class QuantizedModelsTest {
    private static final Path FIXTURES = Path.of("src/test/resources/onnx/quantized");

    @TempDir
    Path dir;

    private static Tensor npy(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return Npy.read(in, file.toString(), Files.size(file));
        }
    }

    private static List<String> fixtures() throws IOException {
        try (Stream<String> lines = Files.lines(FIXTURES.resolve("fixtures.tsv"))) {
            return lines.skip(1).filter(l -> !l.isBlank()).map(l -> l.split("\t")[0]).toList();
        }
    }

    @TestFactory
    Stream<DynamicTest> everyQuantizedExportReproducesPyTorchsFakeQuantizedOutput() throws IOException {
        return fixtures().stream().map(name -> DynamicTest.dynamicTest(name, () -> {
            Network net = OnnxImporter.read(FIXTURES.resolve(name + ".onnx"));
            // The activations' quantization pairs are layers: four quantize, four dequantize (input, two
            // convolutions, the Linear); the weights' codes were dequantized at import.
            long quantize = net.nodes().stream().filter(n -> n.layer() instanceof Quantization q && !q.dequantize()).count();
            long dequantize = net.nodes().stream().filter(n -> n.layer() instanceof Quantization q && q.dequantize()).count();
            assertThat(quantize).as("quantize layers").isEqualTo(4);
            assertThat(dequantize).as("dequantize layers").isEqualTo(4);
            Tensor x = npy(FIXTURES.resolve(name + ".input.npy"));
            Tensor expected = npy(FIXTURES.resolve(name + ".output.npy"));
            int batch = x.dim(0);
            int per = x.size() / batch;
            int outs = expected.size() / batch;
            // The output is a dequantized code: one step of the last layer's scale apart at most, where float
            // accumulation in another order lands on the other side of a rounding boundary.
            Quantization last = (Quantization) net.nodes().stream().map(Network.Node::layer)
                    .filter(l -> l instanceof Quantization q && q.dequantize()).reduce((a, b) -> b).orElseThrow();
            int exact = 0;
            for (int i = 0; i < batch; i++) {
                float[] y = new FloatEngine(net).forward(Arrays.copyOfRange(x.data(), i * per, (i + 1) * per));
                assertThat(y).hasSize(outs);
                for (int k = 0; k < outs; k++) {
                    float diff = Math.abs(y[k] - expected.data()[i * outs + k]);
                    assertThat(diff).as("%s image %d output %d", name, i, k).isLessThanOrEqualTo(last.scale(0) * 1.001f);
                    if (diff <= 1e-6f * Math.max(1f, Math.abs(expected.data()[i * outs + k]))) exact++;
                }
            }
            assertThat(exact).as("outputs equal to PyTorch's").isGreaterThanOrEqualTo(batch * outs - 1);
        }));
    }

    /** The opset-13 QAT model with one initializer's values replaced. */
    private Path withInitializer(String name, float... values) throws IOException {
        OnnxMl.ModelProto m = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(FIXTURES.resolve("cnn-qat-qdq-opset13.onnx")));
        OnnxMl.GraphProto.Builder g = m.getGraph().toBuilder();
        for (int i = 0; i < g.getInitializerCount(); i++) {
            OnnxMl.TensorProto t = g.getInitializer(i);
            if (!t.getName().equals(name)) continue;
            OnnxMl.TensorProto.Builder b = t.toBuilder().clearRawData().clearFloatData().clearInt32Data();
            for (float v : values) {
                if (t.getDataType() == 1) b.addFloatData(v);
                else b.addInt32Data((int) v);
            }
            g.setInitializer(i, b);
        }
        Path file = dir.resolve("changed.onnx");
        Files.write(file, m.toBuilder().setGraph(g).build().toByteArray());
        return file;
    }

    @Test
    void aScaleThatIsNotAboveZeroIsRefusedNamingTheNode() throws IOException {
        Path file = withInitializer("quant.activation_post_process.scale", 0f);
        assertThatThrownBy(() -> OnnxImporter.read(file)).isInstanceOf(NetworkException.class)
                .hasMessageContaining("(op QuantizeLinear) has output scale 0.0; expected a finite number above 0");
    }

    @Test
    void aZeroPointOutsideItsTypesCodesIsRefusedNamingTheNode() throws IOException {
        Path file = withInitializer("onnx::QuantizeLinear_85", 300f);
        assertThatThrownBy(() -> OnnxImporter.read(file)).isInstanceOf(NetworkException.class)
                .hasMessageContaining("(op QuantizeLinear) has output zero point 300.0; expected a whole number 0 to 255");
    }

    /** The float32 graph input "x" of the given dimensions. */
    static OnnxMl.ValueInfoProto imageInput(int... dims) {
        OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
        for (int d : dims) shape.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        return OnnxMl.ValueInfoProto.newBuilder().setName("x").setType(OnnxMl.TypeProto.newBuilder()
                .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(1).setShape(shape))).build();
    }

    static OnnxMl.TensorProto tensor(String name, int type, int[] dims, float... values) {
        OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(name).setDataType(type);
        for (int d : dims) t.addDims(d);
        for (float v : values) {
            if (type == 1) t.addFloatData(v);
            else t.addInt32Data((int) v);
        }
        return t.build();
    }

    @Test
    void aLayerReadingTheModelsUint8CodesTakesTheModelsScaleOnTheChip() throws IOException {
        // x (1×1×2×2) → QuantizeLinear (scale 0.5, uint8 zero point 0) → DequantizeLinear → 1×1 Conv of weight 1.
        OnnxMl.GraphProto g = OnnxMl.GraphProto.newBuilder().addInput(imageInput(1, 1, 2, 2))
                .addNode(OnnxMl.NodeProto.newBuilder().setName("q").setOpType("QuantizeLinear").addInput("x")
                        .addInput("s").addInput("z").addOutput("xq"))
                .addNode(OnnxMl.NodeProto.newBuilder().setName("dq").setOpType("DequantizeLinear").addInput("xq")
                        .addInput("s").addInput("z").addOutput("xd"))
                .addNode(OnnxMl.NodeProto.newBuilder().setName("conv").setOpType("Conv").addInput("xd").addInput("w")
                        .addOutput("y"))
                .addOutput(OnnxMl.ValueInfoProto.newBuilder().setName("y"))
                .addInitializer(tensor("s", 1, new int[0], 0.5f)).addInitializer(tensor("z", 2, new int[0], 0f))
                .addInitializer(tensor("w", 1, new int[] {1, 1, 1, 1}, 1f)).build();
        Path file = dir.resolve("codes.onnx");
        Files.write(file, OnnxMl.ModelProto.newBuilder().setGraph(g)
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setVersion(13)).build().toByteArray());
        Network net = OnnxImporter.read(file);
        assertThat(QuantizedEngine.modelScaledInputs(net, 8)).isEqualTo(1);
        // Calibrated on its own, the layer would take 10 / 255 per level; it takes the model's 0.5.
        QuantizedEngine chip = new QuantizedEngine(net, new QuantizedEngine.Scheme(8, 8, true), new float[][] {{10, 0, 0, 0}});
        int conv = net.nodes().size() - 1;
        assertThat(chip.inputScale(conv)).isEqualTo(0.5f);
        assertThat(chip.unsignedInput(conv)).isTrue();
        // Codes 1, 3, 6 and 255 (clamped): the integer engine computes exactly the model's dequantized values.
        float[] sample = {0.74f, 1.26f, 3f, 200f};
        assertThat(chip.forward(sample)).containsExactly(0.5f, 1.5f, 3f, 127.5f);
        assertThat(new FloatEngine(net).forward(sample)).containsExactly(0.5f, 1.5f, 3f, 127.5f);
    }

    // ---- onnxruntime's com.microsoft QLinear operators, checked against ONNX's arithmetic written out here ----

    private static float code(float x, float s, int z) {
        return Math.max(0, Math.min(255, (float) Math.rint(x / s) + z));
    }

    private static float value(float q, float s, int z) {
        return (q - z) * s;
    }

    static OnnxMl.NodeProto op(String name, String type, String output, String... inputs) {
        return OnnxMl.NodeProto.newBuilder().setName(name).setOpType(type).setDomain(type.startsWith("QLinear")
                && !type.equals("QLinearConv") && !type.equals("QLinearMatMul") ? "com.microsoft" : "")
                .addAllInput(List.of(inputs)).addOutput(output).build();
    }

    /** x (1×1×2×2) quantized twice (a: 0.1, zero point 0; b: 0.2, zero point 10), then {@code nodes}. */
    private Network twoQuantizedBranches(String name, List<OnnxMl.NodeProto> nodes, OnnxMl.TensorProto... more) throws IOException {
        OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().addInput(imageInput(1, 1, 2, 2))
                .addNode(op("qa", "QuantizeLinear", "a", "x", "sa", "za"))
                .addNode(op("qb", "QuantizeLinear", "b", "x", "sb", "zb"))
                .addAllNode(nodes)
                .addOutput(OnnxMl.ValueInfoProto.newBuilder().setName(nodes.get(nodes.size() - 1).getOutput(0)))
                .addInitializer(tensor("sa", 1, new int[0], 0.1f)).addInitializer(tensor("za", 2, new int[0], 0f))
                .addInitializer(tensor("sb", 1, new int[0], 0.2f)).addInitializer(tensor("zb", 2, new int[0], 10f))
                .addInitializer(tensor("sc", 1, new int[0], 0.5f)).addInitializer(tensor("zc", 2, new int[0], 3f));
        for (OnnxMl.TensorProto t : more) g.addInitializer(t);
        Path file = dir.resolve(name);
        Files.write(file, OnnxMl.ModelProto.newBuilder().setGraph(g)
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setVersion(13))
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("com.microsoft").setVersion(1))
                .build().toByteArray());
        return OnnxImporter.read(file);
    }

    private static final float[] X = {1.0f, 20.0f, -3.0f, 7.3f};

    @Test
    void qlinearAddAndMulAddTheDequantizedInputsAndQuantizeTheResult() throws IOException {
        for (String type : List.of("QLinearAdd", "QLinearMul")) {
            Network net = twoQuantizedBranches(type + ".onnx", List.of(
                    op("sum", type, "c", "a", "sa", "za", "b", "sb", "zb", "sc", "zc"),
                    op("out", "DequantizeLinear", "y", "c", "sc", "zc")));
            float[] y = new FloatEngine(net).forward(X);
            for (int k = 0; k < X.length; k++) {
                float a = value(code(X[k], 0.1f, 0), 0.1f, 0);
                float b = value(code(X[k], 0.2f, 10), 0.2f, 10);
                float c = code(type.equals("QLinearAdd") ? a + b : a * b, 0.5f, 3);
                assertThat(y[k]).as("%s element %d", type, k).isEqualTo(value(c, 0.5f, 3));
            }
        }
    }

    @Test
    void qlinearGlobalAveragePoolAveragesTheDequantizedMap() throws IOException {
        Network net = twoQuantizedBranches("gap.onnx", List.of(
                op("gap", "QLinearGlobalAveragePool", "c", "a", "sa", "za", "sc", "zc"),
                op("out", "DequantizeLinear", "y", "c", "sc", "zc")));
        float sum = 0;
        for (float x : X) sum += value(code(x, 0.1f, 0), 0.1f, 0);
        assertThat(new FloatEngine(net).forward(X)).containsExactly(value(code(sum / 4, 0.5f, 3), 0.5f, 3));
    }

    @Test
    void qlinearConcatJoinsTheDequantizedInputsAlongChannels() throws IOException {
        OnnxMl.NodeProto concat = op("cat", "QLinearConcat", "c", "sc", "zc", "a", "sa", "za", "b", "sb", "zb").toBuilder()
                .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("axis").setI(1)
                        .setType(OnnxMl.AttributeProto.AttributeType.INT)).build();
        Network net = twoQuantizedBranches("cat.onnx", List.of(concat, op("out", "DequantizeLinear", "y", "c", "sc", "zc")));
        float[] y = new FloatEngine(net).forward(X);
        assertThat(y).hasSize(8);
        for (int k = 0; k < X.length; k++) {
            assertThat(y[k]).isEqualTo(value(code(value(code(X[k], 0.1f, 0), 0.1f, 0), 0.5f, 3), 0.5f, 3));
            assertThat(y[4 + k]).isEqualTo(value(code(value(code(X[k], 0.2f, 10), 0.2f, 10), 0.5f, 3), 0.5f, 3));
        }
    }

    // ---- dynamic quantization, as onnxruntime's quantize_dynamic writes a Linear ----

    @Test
    void aDynamicallyQuantizedLinearComputesOnnxRuntimesArithmetic() throws IOException {
        // x (1×4) → DynamicQuantizeLinear → MatMulInteger(W int8 4×3, zero point 0) → Cast → Mul(x_scale · w_scale)
        // → Add(bias).
        float[] codes = {12, -7, 100, 3, 0, -128, 55, 9, -31, 127, 64, -2};
        float wScale = 0.02f;
        float[] bias = {0.5f, -0.25f, 1f};
        OnnxMl.GraphProto g = OnnxMl.GraphProto.newBuilder().addInput(imageInput(1, 4))
                .addNode(OnnxMl.NodeProto.newBuilder().setName("dq").setOpType("DynamicQuantizeLinear").addInput("x")
                        .addOutput("xq").addOutput("xs").addOutput("xz"))
                .addNode(op("mm", "MatMulInteger", "acc", "xq", "w", "xz", "wz"))
                .addNode(OnnxMl.NodeProto.newBuilder(op("cast", "Cast", "accf", "acc")).addAttribute(
                        OnnxMl.AttributeProto.newBuilder().setName("to").setI(1).setType(OnnxMl.AttributeProto.AttributeType.INT)))
                .addNode(op("scales", "Mul", "s", "xs", "ws"))
                .addNode(op("rescale", "Mul", "y0", "accf", "s"))
                .addNode(op("bias", "Add", "y", "y0", "b"))
                .addOutput(OnnxMl.ValueInfoProto.newBuilder().setName("y"))
                .addInitializer(tensor("w", 3, new int[] {4, 3}, codes)).addInitializer(tensor("wz", 3, new int[0], 0f))
                .addInitializer(tensor("ws", 1, new int[0], wScale)).addInitializer(tensor("b", 1, new int[] {3}, bias))
                .build();
        Path file = dir.resolve("dynamic.onnx");
        Files.write(file, OnnxMl.ModelProto.newBuilder().setGraph(g)
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setVersion(13)).build().toByteArray());
        Network net = OnnxImporter.read(file);
        float[] x = {0.9f, -1.7f, 2.3f, 0.05f};
        // ONNX's DynamicQuantizeLinear on this sample, then the exact integer product times both scales.
        float min = -1.7f;
        float max = 2.3f;
        float s = (max - min) / 255f;
        float z = (float) Math.rint(-min / s);
        float[] y = new FloatEngine(net).forward(x);
        for (int o = 0; o < 3; o++) {
            long acc = 0;
            for (int i = 0; i < 4; i++) acc += (long) (Math.max(0, Math.min(255, Math.rint(x[i] / s) + z)) - z) * (long) codes[i * 3 + o];
            float expected = acc * (s * wScale) + bias[o];
            assertThat(y[o]).as("output %d", o).isCloseTo(expected, within(1e-5f * Math.abs(expected) + 1e-6f));
        }
    }

    @Test
    void dynamicQuantizationGivesTheValuesOfTheOnnxSuitesCodes() {
        // ONNX's own DynamicQuantizeLinear tests: input, codes, scale, zero point; the layer gives (codes − z)·s.
        Path root = Datasets.directory().resolve("onnx-testdata/usr/share/libonnx-testdata/data/node");
        assumeTrue(Files.isDirectory(root), "ONNX test data not fetched");
        for (String test : List.of("test_dynamicquantizelinear", "test_dynamicquantizelinear_max_adjusted",
                "test_dynamicquantizelinear_min_adjusted")) {
            Path set = root.resolve(test).resolve("test_data_set_0");
            float[] x = OnnxImporter.readTensor(set.resolve("input_0.pb")).data();
            float[] codes = OnnxImporter.readTensor(set.resolve("output_0.pb")).data();
            float scale = OnnxImporter.readTensor(set.resolve("output_1.pb")).data()[0];
            float zero = OnnxImporter.readTensor(set.resolve("output_2.pb")).data()[0];
            float[] y = DynamicQuantization.apply(x);
            for (int k = 0; k < x.length; k++) assertThat(y[k]).as("%s %d", test, k).isEqualTo((codes[k] - zero) * scale);
        }
    }

    @Test
    void anInt8ZeroPointKeepsItsTypeThroughIdentityAndADequantizeWithoutOneTakesItsCodesType() throws IOException {
        // x → QuantizeLinear(0.5, int8 zero point passed through Identity) → DequantizeLinear(0.5, no zero point)
        // → 1×1 Conv of weight 1: int8 codes saturate at 127 (63.5) and keep their sign.
        OnnxMl.GraphProto g = OnnxMl.GraphProto.newBuilder().addInput(imageInput(1, 1, 2, 2))
                .addNode(op("id", "Identity", "z", "z0"))
                .addNode(op("q", "QuantizeLinear", "xq", "x", "s", "z"))
                .addNode(op("dq", "DequantizeLinear", "xd", "xq", "s"))
                .addNode(op("conv", "Conv", "y", "xd", "w"))
                .addOutput(OnnxMl.ValueInfoProto.newBuilder().setName("y"))
                .addInitializer(tensor("s", 1, new int[0], 0.5f)).addInitializer(tensor("z0", 3, new int[0], 0f))
                .addInitializer(tensor("w", 1, new int[] {1, 1, 1, 1}, 1f)).build();
        Path file = dir.resolve("int8.onnx");
        Files.write(file, OnnxMl.ModelProto.newBuilder().setGraph(g)
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setVersion(13)).build().toByteArray());
        Network net = OnnxImporter.read(file);
        float[] x = {-3f, 1f, 70f, 100f};
        assertThat(new FloatEngine(net).forward(x)).containsExactly(-3f, 1f, 63.5f, 63.5f);
        // Signed codes are not the unsigned words the chip would read at the model's scale: calibrated instead.
        assertThat(QuantizedEngine.modelScaledInputs(net, 8)).isZero();
    }
}
