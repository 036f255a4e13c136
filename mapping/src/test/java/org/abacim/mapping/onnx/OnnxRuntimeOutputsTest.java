package org.abacim.mapping.onnx;

import static org.abacim.mapping.onnx.QuantizedModelsTest.imageInput;
import static org.abacim.mapping.onnx.QuantizedModelsTest.op;
import static org.abacim.mapping.onnx.QuantizedModelsTest.tensor;
import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.abacim.core.exec.FloatEngine;
import org.abacim.core.network.Network;
import org.abacim.core.network.Quantization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Imported models against onnxruntime itself (issue #34 item 2: a quantized model's own scales and zero points,
 * "matching onnxruntime's outputs on the same inputs"): onnxruntime 1.20 from Maven Central runs each model on
 * images neither side was fitted to, one thread, and abacim's float engine must give its outputs. For quantized
 * models, whose outputs are codes times a scale, an output may sit one code apart where the two accumulate in
 * different orders (onnxruntime in integers, abacim in float) and land on either side of a rounding boundary; the
 * test bounds that by one step of the output's scale and counts the outputs that are equal.
 */
class OnnxRuntimeOutputsTest {
    private static final Path QUANTIZED = Path.of("src/test/resources/onnx/quantized");
    private static final Path SEQUENCE = Path.of("src/test/resources/onnx/sequence");

    @TempDir
    Path dir;

    private static float[][] images(int count, int values, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] x = new float[count][values];
        for (float[] image : x) for (int k = 0; k < values; k++) image[k] = (float) r.nextGaussian();
        return x;
    }

    /**
     * onnxruntime's first output for each sample, run {@code shape[0]} samples at a time (a model exported with a
     * fixed batch takes that many) in the model's input shape.
     */
    private static float[][] onnxRuntime(Path model, float[][] samples, long... shape) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        int batch = (int) shape[0];
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            try (OrtSession session = env.createSession(model.toString(), options)) {
                String input = session.getInputNames().iterator().next();
                float[][] out = new float[samples.length][];
                int per = samples[0].length;
                for (int from = 0; from < samples.length; from += batch) {
                    float[] joined = new float[batch * per];
                    for (int s = 0; s < batch; s++) System.arraycopy(samples[from + s], 0, joined, s * per, per);
                    try (OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(joined), shape);
                         OrtSession.Result r = session.run(Map.of(input, x))) {
                        OnnxTensor y = (OnnxTensor) r.get(0);
                        float[] all = new float[(int) y.getInfo().getNumElements()];
                        y.getFloatBuffer().get(all);
                        int outs = all.length / batch;
                        for (int s = 0; s < batch; s++) out[from + s] = Arrays.copyOfRange(all, s * outs, (s + 1) * outs);
                    }
                }
                return out;
            }
        }
    }

    /** The last dequantization's scale: one code of the output. */
    private static float outputStep(Network net) {
        return ((Quantization) net.nodes().stream().map(Network.Node::layer)
                .filter(l -> l instanceof Quantization q && q.dequantize()).reduce((a, b) -> b).orElseThrow()).scale(0);
    }

    /** Every output within {@code tolerance}; returns the share of outputs equal to onnxruntime's within 1e-6. */
    private static double compare(Network net, float[][] samples, float[][] want, float tolerance) {
        float[][] got = new FloatEngine(net).forward(samples, 2);
        int equal = 0, all = 0;
        for (int i = 0; i < samples.length; i++) {
            assertThat(got[i]).hasSize(want[i].length);
            for (int k = 0; k < want[i].length; k++) {
                float diff = Math.abs(got[i][k] - want[i][k]);
                assertThat(diff).as("%s sample %d output %d", net.name(), i, k).isLessThanOrEqualTo(tolerance);
                if (diff <= 1e-6f * Math.max(1f, Math.abs(want[i][k]))) equal++;
                all++;
            }
        }
        return (double) equal / all;
    }

    @Test
    void theQdqFixturesGiveOnnxRuntimesOutputsOnImagesTheyWereNotMadeWith() throws Exception {
        for (String name : List.of("cnn-qat-qdq-opset13", "cnn-int8-qdq-opset13")) {
            Path model = QUANTIZED.resolve(name + ".onnx");
            Network net = OnnxImporter.read(model);
            float[][] x = images(64, 784, 11);
            double equal = compare(net, x, onnxRuntime(model, x, 2, 1, 28, 28), outputStep(net) * 1.001f);
            // Measured: all 640 of each equal.
            assertThat(equal).as(name + ": outputs equal to onnxruntime's").isGreaterThanOrEqualTo(0.99);
        }
    }

    @Test
    void onnxRuntimesOwnQOperatorFormOfAFixtureImportsAndGivesItsOutputs() throws Exception {
        // onnxruntime's extended graph optimizations fuse a QDQ convolution into QLinearConv; the model it writes
        // (QLinearConv beside QDQ pairs) is what a user's optimized export looks like.
        Path fused = dir.resolve("fused.onnx");
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.EXTENDED_OPT);
            options.setOptimizedModelFilePath(fused.toString());
            OrtEnvironment.getEnvironment().createSession(QUANTIZED.resolve("cnn-int8-qdq-opset13.onnx").toString(), options).close();
        }
        OnnxMl.ModelProto written = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(fused));
        assertThat(written.getGraph().getNodeList()).anyMatch(n -> n.getOpType().equals("QLinearConv"));
        Network net = OnnxImporter.read(fused);
        float[][] x = images(64, 784, 12);
        double equal = compare(net, x, onnxRuntime(fused, x, 2, 1, 28, 28), outputStep(net) * 1.001f);
        assertThat(equal).as("measured: 640 of 640").isGreaterThanOrEqualTo(0.99);
    }

    private Path write(String name, OnnxMl.GraphProto graph) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, OnnxMl.ModelProto.newBuilder().setIrVersion(7).setGraph(graph)
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setVersion(13)).build().toByteArray());
        return file;
    }

    private static float[] codes(SplittableRandom r, int n, int low, int high) {
        float[] c = new float[n];
        for (int k = 0; k < n; k++) c[k] = low + r.nextInt(high - low + 1);
        return c;
    }

    private static OnnxMl.NodeProto withInts(OnnxMl.NodeProto n, String name, long... values) {
        OnnxMl.AttributeProto.Builder a = OnnxMl.AttributeProto.newBuilder().setName(name)
                .setType(values.length == 1 && !name.equals("pads") ? OnnxMl.AttributeProto.AttributeType.INT
                        : OnnxMl.AttributeProto.AttributeType.INTS);
        if (a.getType() == OnnxMl.AttributeProto.AttributeType.INT) a.setI(values[0]);
        else for (long v : values) a.addInts(v);
        return n.toBuilder().addAttribute(a).build();
    }

    @Test
    void aQOperatorNetworkGivesOnnxRuntimesOutputs() throws Exception {
        // x (1×2×8×8) → QuantizeLinear (0.03, uint8 128) → QLinearConv 2→4, 3×3, pad 1 (int8 weights, per-channel
        // scales, int32 bias) → QLinearConv 4→4, 3×3, stride 2 → DequantizeLinear → Flatten → QuantizeLinear →
        // QLinearMatMul 36→5 (int8) → DequantizeLinear.
        SplittableRandom r = new SplittableRandom(21);
        float[] w1Scales = {0.011f, 0.007f, 0.013f, 0.009f};
        OnnxMl.GraphProto g = OnnxMl.GraphProto.newBuilder().addInput(imageInput(1, 2, 8, 8))
                .addNode(op("q", "QuantizeLinear", "xq", "x", "xs", "xz"))
                .addNode(withInts(op("c1", "QLinearConv", "y1", "xq", "xs", "xz", "w1", "w1s", "w1z", "y1s", "y1z", "b1"), "pads", 1, 1, 1, 1))
                .addNode(withInts(op("c2", "QLinearConv", "y2", "y1", "y1s", "y1z", "w2", "w2s", "w2z", "y2s", "y2z"), "strides", 2, 2))
                .addNode(op("dq2", "DequantizeLinear", "y2f", "y2", "y2s", "y2z"))
                .addNode(op("flat", "Flatten", "f", "y2f"))
                .addNode(op("qf", "QuantizeLinear", "fq", "f", "y2s", "y2z"))
                .addNode(op("mm", "QLinearMatMul", "y3", "fq", "y2s", "y2z", "w3", "w3s", "w3z", "y3s", "y3z"))
                .addNode(op("out", "DequantizeLinear", "y", "y3", "y3s", "y3z"))
                .addOutput(OnnxMl.ValueInfoProto.newBuilder().setName("y"))
                .addInitializer(tensor("xs", 1, new int[0], 0.03f)).addInitializer(tensor("xz", 2, new int[0], 128f))
                .addInitializer(tensor("w1", 3, new int[] {4, 2, 3, 3}, codes(r, 72, -127, 127)))
                .addInitializer(tensor("w1s", 1, new int[] {4}, w1Scales))
                .addInitializer(tensor("w1z", 3, new int[] {4}, 0, 0, 0, 0))
                .addInitializer(tensor("b1", 6, new int[] {4}, codes(r, 4, -2000, 2000)))
                .addInitializer(tensor("y1s", 1, new int[0], 0.05f)).addInitializer(tensor("y1z", 2, new int[0], 120f))
                .addInitializer(tensor("w2", 3, new int[] {4, 4, 3, 3}, codes(r, 144, -127, 127)))
                .addInitializer(tensor("w2s", 1, new int[0], 0.004f)).addInitializer(tensor("w2z", 3, new int[0], 0f))
                .addInitializer(tensor("y2s", 1, new int[0], 0.04f)).addInitializer(tensor("y2z", 2, new int[0], 130f))
                .addInitializer(tensor("w3", 3, new int[] {36, 5}, codes(r, 180, -127, 127)))
                .addInitializer(tensor("w3s", 1, new int[0], 0.003f)).addInitializer(tensor("w3z", 3, new int[0], 0f))
                .addInitializer(tensor("y3s", 1, new int[0], 0.06f)).addInitializer(tensor("y3z", 2, new int[0], 128f))
                .build();
        Path model = write("qoperator.onnx", g);
        Network net = OnnxImporter.read(model);
        float[][] x = images(64, 128, 13);
        double equal = compare(net, x, onnxRuntime(model, x, 1, 2, 8, 8), 0.06f * 1.001f);
        assertThat(equal).as("measured: 318 of 320, two one code apart").isGreaterThanOrEqualTo(0.95);
    }

    @Test
    void aDynamicallyQuantizedNetworkGivesOnnxRuntimesOutputs() throws Exception {
        // As onnxruntime's quantize_dynamic writes a convolution and a Linear: the input quantized per sample by
        // DynamicQuantizeLinear, ConvInteger / MatMulInteger on uint8 codes, the int32 sums cast to float and scaled by
        // the product of both scales, then the float bias. x (1×2×6×6) → conv 2→3, 3×3 → ReLU → Flatten → 48→4.
        SplittableRandom r = new SplittableRandom(22);
        OnnxMl.GraphProto g = OnnxMl.GraphProto.newBuilder().addInput(imageInput(1, 2, 6, 6))
                .addAllNode(dynamicallyQuantized("1", "ConvInteger", "x", "c1b"))
                .addNode(op("relu", "Relu", "a1", "c1b"))
                .addNode(op("flat", "Flatten", "f", "a1"))
                .addAllNode(dynamicallyQuantized("2", "MatMulInteger", "f", "y"))
                .addOutput(OnnxMl.ValueInfoProto.newBuilder().setName("y"))
                .addInitializer(tensor("w1", 2, new int[] {3, 2, 3, 3}, codes(r, 54, 0, 255)))
                .addInitializer(tensor("w1z", 2, new int[0], 128f)).addInitializer(tensor("w1s", 1, new int[0], 0.01f))
                .addInitializer(tensor("b1", 1, new int[] {3, 1, 1}, 0.2f, -0.1f, 0.05f))
                .addInitializer(tensor("w2", 3, new int[] {48, 4}, codes(r, 192, -127, 127)))
                .addInitializer(tensor("w2z", 3, new int[0], 0f)).addInitializer(tensor("w2s", 1, new int[0], 0.02f))
                .addInitializer(tensor("b2", 1, new int[] {4}, 0.5f, -0.25f, 1f, 0f))
                .build();
        Path model = write("dynamic.onnx", g);
        Network net = OnnxImporter.read(model);
        float[][] x = images(64, 72, 14);
        float[][] want = onnxRuntime(model, x, 1, 2, 6, 6);
        float largest = 0;
        for (float[] y : want) for (float v : y) largest = Math.max(largest, Math.abs(v));
        // Float outputs, no final rounding: the same integer sums times the same scales, to float precision.
        double equal = compare(net, x, want, 1e-5f * largest);
        assertThat(equal).as("measured: 245 of 256 within 1e-6").isGreaterThan(0.8);
    }

    /**
     * quantize_dynamic's form of one product {@code op} (ConvInteger or MatMulInteger) of {@code in} by the weight
     * codes w{@code k} (zero point w{@code k}z, scale w{@code k}s), then the bias b{@code k}, into {@code out}.
     */
    private static List<OnnxMl.NodeProto> dynamicallyQuantized(String k, String op, String in, String out) {
        OnnxMl.NodeProto toFloat = OnnxMl.NodeProto.newBuilder(op("cast" + k, "Cast", "acc" + k + "f", "acc" + k))
                .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("to").setI(1)
                        .setType(OnnxMl.AttributeProto.AttributeType.INT)).build();
        return List.of(
                OnnxMl.NodeProto.newBuilder().setName("dq" + k).setOpType("DynamicQuantizeLinear").addInput(in)
                        .addOutput("q" + k).addOutput("qs" + k).addOutput("qz" + k).build(),
                op("product" + k, op, "acc" + k, "q" + k, "w" + k, "qz" + k, "w" + k + "z"),
                toFloat,
                op("scales" + k, "Mul", "s" + k, "qs" + k, "w" + k + "s"),
                op("rescale" + k, "Mul", "r" + k, "acc" + k + "f", "s" + k),
                op("bias" + k, "Add", out, "r" + k, "b" + k));
    }

    @Test
    void theSequenceFixturesGiveOnnxRuntimesFloatOutputs() throws Exception {
        for (String name : List.of("gru-opset13", "lstm-opset13", "vit_timm-opset17")) {
            Path model = SEQUENCE.resolve(name + ".onnx");
            float[][] x = images(16, 784, 15);
            float[][] want = onnxRuntime(model, x, 1, 1, 28, 28);
            float largest = 0;
            for (float[] y : want) for (float v : y) largest = Math.max(largest, Math.abs(v));
            compare(OnnxImporter.read(model), x, want, 1e-5f * largest);
        }
    }
}
