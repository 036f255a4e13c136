package org.abacim.mapping.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.abacim.core.data.DataException;
import org.abacim.core.data.Npy;
import org.abacim.core.exec.FloatEngine;
import org.abacim.core.exec.QuantizedEngine;
import org.abacim.core.network.Network;
import org.abacim.core.network.NetworkException;
import org.abacim.core.tensor.Tensor;
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

    static Tensor npy(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return Npy.read(in, file.toString(), Files.size(file));
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
            Network net = OnnxImporter.read(model);
            Tensor x = npy(FIXTURES.resolve(f.name() + ".input.npy"));
            Tensor expected = npy(FIXTURES.resolve(f.name() + ".output.npy"));
            int batch = x.dim(0);
            int per = x.size() / batch;
            float[][] samples = new float[batch][];
            for (int i = 0; i < batch; i++) samples[i] = Arrays.copyOfRange(x.data(), i * per, (i + 1) * per);
            float[][] y = new FloatEngine(net).forward(samples, 2);
            float largest = 0;
            for (float v : expected.data()) largest = Math.max(largest, Math.abs(v));
            int outs = expected.size() / batch;
            for (int i = 0; i < batch; i++) {
                assertThat(y[i]).hasSize(outs);
                for (int k = 0; k < outs; k++) {
                    assertThat(Math.abs(y[i][k] - expected.data()[i * outs + k]))
                            .as("%s sample %d output %d", f.name(), i, k).isLessThanOrEqualTo(1e-5f * largest);
                }
            }
            // The integer engine runs the same graph: 16-bit weights and activations stay within 1 % of the largest output.
            float[][] q = new QuantizedEngine(net, new QuantizedEngine.Scheme(16, 16, true), samples).forward(samples, 2);
            for (int i = 0; i < batch; i++) {
                for (int k = 0; k < outs; k++) {
                    assertThat(Math.abs(q[i][k] - expected.data()[i * outs + k]))
                            .as("%s integer engine, sample %d output %d", f.name(), i, k).isLessThanOrEqualTo(1e-2f * largest);
                }
            }
        }));
    }
}
