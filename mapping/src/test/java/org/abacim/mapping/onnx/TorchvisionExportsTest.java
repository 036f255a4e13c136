package org.abacim.mapping.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.abacim.core.data.DataException;
import org.abacim.core.network.NetworkException;
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
            PyTorchOutputs.assertMatch(OnnxImporter.read(model), FIXTURES, f.name(), 1e-4f);
        }));
    }
}
