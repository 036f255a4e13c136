package org.abacim.mapping.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.abacim.core.data.DataException;
import org.abacim.core.exec.FloatEngine;
import org.abacim.core.network.Network;
import org.abacim.core.network.NetworkException;
import org.abacim.core.tensor.Tensor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Small graphs at the importer's edges ({@code scripts/make-edge-fixtures}, outputs computed by NumPy): each matches
 * NumPy within 1e-5 of its largest value, or is refused naming its node.
 */
class EdgeFixturesTest {
    private static final Path FIXTURES = Path.of("src/test/resources/onnx/edge");

    private record Fixture(String name, boolean refused) {}

    private static List<Fixture> fixtures() throws IOException {
        try (Stream<String> lines = Files.lines(FIXTURES.resolve("fixtures.tsv"))) {
            return lines.skip(1).filter(l -> !l.isBlank()).map(l -> l.split("\t"))
                    .map(c -> new Fixture(c[0], c[1].equals("refused"))).toList();
        }
    }

    @TestFactory
    Stream<DynamicTest> everyEdgeGraphMatchesNumPyOrIsRefused() throws IOException {
        List<Fixture> all = fixtures();
        assertThat(all).hasSizeGreaterThanOrEqualTo(7);
        return all.stream().map(f -> DynamicTest.dynamicTest(f.name(), () -> {
            Path model = FIXTURES.resolve(f.name() + ".onnx");
            if (f.refused()) {
                assertThatThrownBy(() -> OnnxImporter.read(model)).isInstanceOfAny(NetworkException.class, DataException.class)
                        .hasMessageContaining("node '");
                return;
            }
            Network net = OnnxImporter.read(model);
            Tensor x = PyTorchOutputs.npy(FIXTURES.resolve(f.name() + ".input.npy"));
            Tensor expected = PyTorchOutputs.npy(FIXTURES.resolve(f.name() + ".output.npy"));
            float[] y = new FloatEngine(net).forward(new float[][] {x.data()}, 1)[0];
            float largest = 0;
            for (float v : expected.data()) largest = Math.max(largest, Math.abs(v));
            assertThat(y).hasSize(expected.size());
            for (int k = 0; k < y.length; k++) {
                assertThat(Float.isNaN(y[k])).as("%s value %d is NaN", f.name(), k).isFalse();
                assertThat(Math.abs(y[k] - expected.data()[k])).as("%s value %d", f.name(), k).isLessThanOrEqualTo(1e-5f * largest);
            }
        }));
    }

    @Test
    void aLoopOfMatMulsOnOneInitializerIsOneWeightTensor() {
        Network net = OnnxImporter.read(FIXTURES.resolve("loop_of_matmuls.onnx"));
        assertThat(net.sharedWeights()).hasSize(2);
        assertThat(net.weights()).isEqualTo(9);
    }

    @Test
    void aGruWithOtherActivationsIsRefusedSayingSo() {
        assertThatThrownBy(() -> OnnxImporter.read(FIXTURES.resolve("gru_relu_activation.onnx")))
                .hasMessageContaining("activations other than sigmoid and tanh");
    }
}
