package org.abacim.mapping.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.abacim.core.data.DataException;
import org.abacim.core.exec.FloatEngine;
import org.abacim.core.exec.QuantizedEngine;
import org.abacim.core.network.Network;
import org.abacim.core.network.NetworkException;
import org.abacim.core.data.Npy;
import org.abacim.core.tensor.Tensor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * ONNX as PyTorch writes it: torchvision's CNN families exported by {@code scripts/make-onnx-fixtures} (torch
 * 1.13, opsets 11–17, constant folding on and off, dynamic batch). A family that imports must match PyTorch's
 * output within 1e-4 of its largest magnitude; one that does not yet import must say which op of which node stops
 * it. The families listed in {@link #IMPORTED} are the op coverage docs/models-and-data.md states.
 */
class TorchvisionExportsTest {
    private static final Path FIXTURES = Path.of("src/test/resources/onnx/torchvision");

    /** Families whose exports import and match PyTorch; the others fail naming an op not supported yet. */
    static final Set<String> IMPORTED = Set.of("resnet18", "resnet50", "vgg11", "alexnet", "mobilenet_v2",
            "mobilenet_v3", "efficientnet_b0", "squeezenet", "googlenet", "densenet", "shufflenet_v2", "convnext");

    private record Fixture(String name, String family, String opset, String folding) {}

    private static List<Fixture> fixtures() throws IOException {
        try (Stream<String> lines = Files.lines(FIXTURES.resolve("fixtures.tsv"))) {
            return lines.skip(1).filter(l -> !l.isBlank()).map(l -> l.split("\t"))
                    .map(c -> new Fixture(c[0], c[1], c[2], c[3])).toList();
        }
    }

    private static Tensor npy(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return Npy.read(in, file.toString(), Files.size(file));
        }
    }

    @TestFactory
    Stream<DynamicTest> everyExportImportsAndMatchesPyTorchOrNamesTheOpThatStopsIt() throws IOException {
        List<Fixture> all = fixtures();
        assertThat(all).as("fixtures.tsv lists the exports").hasSizeGreaterThanOrEqualTo(18);
        return all.stream().map(f -> DynamicTest.dynamicTest(f.name(), () -> {
            Path model = FIXTURES.resolve(f.name() + ".onnx");
            if (!IMPORTED.contains(f.family())) {
                assertThatThrownBy(() -> OnnxImporter.read(model))
                        .isInstanceOfAny(NetworkException.class, DataException.class)
                        .hasMessageContaining("node '").hasMessageContaining("(op ");
                return;
            }
            Network net = OnnxImporter.read(model);
            Tensor x = npy(FIXTURES.resolve(f.name() + ".input.npy"));
            Tensor expected = npy(FIXTURES.resolve(f.name() + ".output.npy"));
            int batch = x.dim(0);
            int per = x.size() / batch;
            float[][] images = new float[batch][];
            for (int i = 0; i < batch; i++) images[i] = java.util.Arrays.copyOfRange(x.data(), i * per, (i + 1) * per);
            float[][] y = new FloatEngine(net).forward(images, 2);
            float largest = 0;
            for (float v : expected.data()) largest = Math.max(largest, Math.abs(v));
            int outs = expected.size() / batch;
            for (int i = 0; i < batch; i++) {
                assertThat(y[i]).hasSize(outs);
                for (int k = 0; k < outs; k++) {
                    assertThat(Math.abs(y[i][k] - expected.data()[i * outs + k]))
                            .as("%s image %d output %d", f.name(), i, k).isLessThanOrEqualTo(1e-4f * largest);
                }
            }
            // The integer engine (which the crossbar engines build on) runs the same graph: at 16-bit weights and
            // activations, calibrated on the two images, it stays within 1 % of the largest output.
            float[][] q = new QuantizedEngine(net, new QuantizedEngine.Scheme(16, 16, true), images).forward(images, 2);
            for (int i = 0; i < batch; i++) {
                for (int k = 0; k < outs; k++) {
                    assertThat(Math.abs(q[i][k] - expected.data()[i * outs + k]))
                            .as("%s integer engine, image %d output %d", f.name(), i, k).isLessThanOrEqualTo(1e-2f * largest);
                }
            }
        }));
    }
}
