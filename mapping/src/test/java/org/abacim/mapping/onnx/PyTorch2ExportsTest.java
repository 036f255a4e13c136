package org.abacim.mapping.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.abacim.core.data.DataException;
import org.abacim.core.data.Npy;
import org.abacim.core.exec.FloatEngine;
import org.abacim.core.network.Network;
import org.abacim.core.tensor.Tensor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * ONNX as PyTorch 2's default exporter writes it (issue #34 item 1): opsets 18–21, IR version 10, the weights in
 * {@code NAME.onnx.data} beside the model, and the exporter's op forms (ReduceMean with its axes as an input,
 * Reshape with allowzero, MaxPool's unused indices output, BatchNormalization with training_mode 0). The fixtures
 * come from {@code scripts/make-pytorch2-fixtures}; {@code fixtures.tsv} says how each was made. External data that
 * is missing, truncated, outside the model's folder or too large is refused naming the tensor and the file.
 */
class PyTorch2ExportsTest {
    private static final Path FIXTURES = Path.of("src/test/resources/onnx/pytorch2");

    @TempDir
    Path dir;

    private static List<String> fixtures() throws IOException {
        try (Stream<String> lines = Files.lines(FIXTURES.resolve("fixtures.tsv"))) {
            return lines.skip(1).filter(l -> !l.isBlank()).map(l -> l.split("\t")[0]).toList();
        }
    }

    private static Tensor npy(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return Npy.read(in, file.toString(), Files.size(file));
        }
    }

    /** The largest difference from PyTorch's output, as a fraction of PyTorch's largest output magnitude. */
    private static float relativeError(Network net, String name) throws IOException {
        Tensor x = npy(FIXTURES.resolve(name + ".input.npy"));
        Tensor expected = npy(FIXTURES.resolve(name + ".output.npy"));
        int batch = x.dim(0);
        int per = x.size() / batch;
        float[][] images = new float[batch][];
        for (int i = 0; i < batch; i++) images[i] = Arrays.copyOfRange(x.data(), i * per, (i + 1) * per);
        float[][] y = new FloatEngine(net).forward(images, 2);
        int outs = expected.size() / batch;
        float largest = 0;
        float worst = 0;
        for (float v : expected.data()) largest = Math.max(largest, Math.abs(v));
        for (int i = 0; i < batch; i++) {
            assertThat(y[i]).hasSize(outs);
            for (int k = 0; k < outs; k++) worst = Math.max(worst, Math.abs(y[i][k] - expected.data()[i * outs + k]));
        }
        return worst / largest;
    }

    @TestFactory
    Stream<DynamicTest> everyExportImportsWithItsExternalWeightsAndMatchesPyTorch() throws IOException {
        List<String> all = fixtures();
        assertThat(all).as("fixtures.tsv lists the exports").hasSizeGreaterThanOrEqualTo(4);
        return all.stream().map(name -> DynamicTest.dynamicTest(name, () -> {
            Path model = FIXTURES.resolve(name + ".onnx");
            OnnxMl.ModelProto proto = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(model));
            assertThat(proto.getGraph().getInitializerList()).as("the weights are stored beside the model")
                    .anyMatch(ExternalData::isExternal);
            assertThat(relativeError(OnnxImporter.read(model), name)).as(name).isLessThanOrEqualTo(1e-5f);
        }));
    }

    @Test
    void theFixturesCoverOpsetsEighteenToTwentyOneAndTheUnoptimizedForms() throws IOException {
        String table = Files.readString(FIXTURES.resolve("fixtures.tsv"));
        for (String opset : List.of("\t18\t", "\t20\t", "\t21\t")) assertThat(table).contains(opset);
        OnnxMl.GraphProto g = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(
                FIXTURES.resolve("resnet18-dynamo-opset18-unoptimized.onnx"))).getGraph();
        assertThat(g.getNodeList()).extracting(OnnxMl.NodeProto::getOpType)
                .contains("BatchNormalization", "ReduceMean", "Constant", "MaxPool");
        OnnxMl.NodeProto mean = g.getNodeList().stream().filter(n -> n.getOpType().equals("ReduceMean")).findFirst().orElseThrow();
        assertThat(mean.getInputCount()).as("opset 18: axes are an input").isEqualTo(2);
    }

    // ---- refusals ----

    /** A copy of the opset-18 ResNet in {@link #dir}, its model rewritten by {@code change}. */
    private Path copy(UnaryOperator<OnnxMl.ModelProto> change) throws IOException {
        String name = "resnet18-dynamo-opset18";
        Files.copy(FIXTURES.resolve(name + ".onnx.data"), dir.resolve(name + ".onnx.data"));
        OnnxMl.ModelProto m = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(FIXTURES.resolve(name + ".onnx")));
        Path model = dir.resolve(name + ".onnx");
        Files.write(model, change.apply(m).toByteArray());
        return model;
    }

    /** The model with the first external tensor's {@code key} entry set to {@code value}. */
    private static OnnxMl.ModelProto withEntry(OnnxMl.ModelProto m, String key, String value) {
        OnnxMl.GraphProto.Builder g = m.getGraph().toBuilder();
        for (int i = 0; i < g.getInitializerCount(); i++) {
            OnnxMl.TensorProto t = g.getInitializer(i);
            if (!ExternalData.isExternal(t)) continue;
            OnnxMl.TensorProto.Builder b = t.toBuilder().clearExternalData();
            boolean set = false;
            for (OnnxMl.StringStringEntryProto e : t.getExternalDataList()) {
                if (e.getKey().equals(key)) {
                    b.addExternalData(e.toBuilder().setValue(value));
                    set = true;
                } else {
                    b.addExternalData(e);
                }
            }
            if (!set) b.addExternalData(OnnxMl.StringStringEntryProto.newBuilder().setKey(key).setValue(value));
            g.setInitializer(i, b);
            break;
        }
        return m.toBuilder().setGraph(g).build();
    }

    @Test
    void aMissingDataFileIsNamedWithTheTensorThatNeedsIt() throws IOException {
        Path model = copy(m -> m);
        Files.delete(dir.resolve("resnet18-dynamo-opset18.onnx.data"));
        assertThatThrownBy(() -> OnnxImporter.read(model)).isInstanceOf(DataException.class)
                .hasMessageContaining(model.toString()).hasMessageContaining("tensor ")
                .hasMessageContaining("'resnet18-dynamo-opset18.onnx.data', which is not beside the model");
    }

    @Test
    void aTruncatedDataFileIsRefusedBeforeAnythingIsRead() throws IOException {
        Path model = copy(m -> m);
        Path data = dir.resolve("resnet18-dynamo-opset18.onnx.data");
        byte[] bytes = Files.readAllBytes(data);
        Files.write(data, Arrays.copyOf(bytes, bytes.length / 2));
        assertThatThrownBy(() -> OnnxImporter.read(model)).isInstanceOf(DataException.class)
                .hasMessageContaining("which has " + bytes.length / 2 + " bytes (truncated?)");
    }

    @Test
    void aLocationOutsideTheModelsFolderIsRefused() throws IOException {
        for (String outside : List.of("../secret.data", "/etc/passwd", "sub/../../secret.data")) {
            Path model = copy(m -> withEntry(m, "location", outside));
            assertThatThrownBy(() -> OnnxImporter.read(model)).as(outside).isInstanceOf(DataException.class)
                    .hasMessageContaining("'" + outside + "', outside the model's folder");
            Files.delete(dir.resolve("resnet18-dynamo-opset18.onnx.data"));
        }
    }

    @Test
    void aLinkLeadingOutOfTheFolderIsRefused(@TempDir Path elsewhere) throws IOException {
        Path model = copy(m -> withEntry(m, "location", "link.data"));
        Files.copy(dir.resolve("resnet18-dynamo-opset18.onnx.data"), elsewhere.resolve("w.data"));
        Files.createSymbolicLink(dir.resolve("link.data"), elsewhere.resolve("w.data"));
        assertThatThrownBy(() -> OnnxImporter.read(model)).isInstanceOf(DataException.class)
                .hasMessageContaining("'link.data', a link to").hasMessageContaining("outside the model's folder");
    }

    @Test
    void aLengthOrOffsetThatDisagreesWithTheTensorIsRefused() throws IOException {
        Path longer = copy(m -> withEntry(m, "length", "12"));
        assertThatThrownBy(() -> OnnxImporter.read(longer)).isInstanceOf(DataException.class)
                .hasMessageContaining("has 'length' 12 in resnet18-dynamo-opset18.onnx.data but its shape and type need");
        Files.delete(dir.resolve("resnet18-dynamo-opset18.onnx.data"));
        Path offset = copy(m -> withEntry(m, "offset", "-5"));
        assertThatThrownBy(() -> OnnxImporter.read(offset)).isInstanceOf(DataException.class)
                .hasMessageContaining("'offset' = '-5'; expected a whole number of bytes");
    }

    @Test
    void weightsLargerThanTheBudgetAreRefusedBeforeTheyAreRead() throws IOException {
        Path model = copy(m -> m);
        OnnxMl.ModelProto m = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(model));
        assertThatThrownBy(() -> ExternalData.inline(m, model, 1024)).isInstanceOf(DataException.class)
                .hasMessageContaining("MiB of weights, more than the").hasMessageContaining("-Xmx");
        assertThat(ExternalData.inline(m, model, 64 << 20).getGraph().getInitializerList())
                .noneMatch(ExternalData::isExternal);
    }

    @Test
    void aTunedExternalDataModelIsWrittenAsOneFileThatReimportsTheSame() throws IOException {
        Path model = copy(m -> m);
        OnnxWeightWriter writer = OnnxWeightWriter.forModel(model);
        Path out = dir.resolve("out").resolve("tuned.onnx");
        writer.write(writer.network(), out, Map.of("abacim.tune", "test"));
        try (Stream<Path> files = Files.list(out.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("tuned.onnx");
        }
        Network again = OnnxImporter.read(out);
        assertThat(relativeError(again, "resnet18-dynamo-opset18")).isLessThanOrEqualTo(1e-5f);
    }
}
