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
 * Transformers and recurrent networks as PyTorch exports them ({@code scripts/make-sequence-fixtures}, torch 1.13):
 * ViTs written as timm writes them, torchvision's own ViT (nn.MultiheadAttention, heads merged with the batch axis),
 * a causal attention block with a Where mask, GRU and LSTM. An imported family must match PyTorch within 1e-5 of its
 * largest output (the bar); one not imported yet must name the node that stops it.
 */
class SequenceExportsTest {
    private static final Path FIXTURES = Path.of("src/test/resources/onnx/sequence");

    static final Set<String> IMPORTED = Set.of("token_encoder", "vit_timm", "vit_meanpool", "vit_torchvision", "causal_attention", "gru",
            "lstm", "gru_two_layer", "grucell_unrolled");

    private record Fixture(String name, String family) {}

    private static List<Fixture> fixtures() throws IOException {
        try (Stream<String> lines = Files.lines(FIXTURES.resolve("fixtures.tsv"))) {
            return lines.skip(1).filter(l -> !l.isBlank()).map(l -> l.split("\t")).map(c -> new Fixture(c[0], c[1])).toList();
        }
    }


    @TestFactory
    Stream<DynamicTest> everyExportImportsAndMatchesPyTorchOrNamesTheNodeThatStopsIt() throws IOException {
        List<Fixture> all = fixtures();
        assertThat(all).as("fixtures.tsv lists the exports").hasSizeGreaterThanOrEqualTo(10);
        return all.stream().map(f -> DynamicTest.dynamicTest(f.name(), () -> {
            Path model = FIXTURES.resolve(f.name() + ".onnx");
            if (!IMPORTED.contains(f.family())) {
                assertThatThrownBy(() -> OnnxImporter.read(model)).isInstanceOfAny(NetworkException.class, DataException.class)
                        .hasMessageContaining("node '").hasMessageContaining("(op ");
                return;
            }
            PyTorchOutputs.assertMatch(OnnxImporter.read(model), FIXTURES, f.name(), 1e-5f);
        }));
    }
}
