package org.abacim.mapping.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.abacim.core.data.Npy;
import org.abacim.core.exec.FloatEngine;
import org.abacim.core.exec.QuantizedEngine;
import org.abacim.core.network.Network;
import org.abacim.core.tensor.Tensor;

/** The check the export tests share: a fixture's imported network against the outputs PyTorch (or NumPy) saved. */
final class PyTorchOutputs {
    private PyTorchOutputs() {}

    static Tensor npy(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return Npy.read(in, file.toString(), Files.size(file));
        }
    }

    /**
     * {@code NAME.input.npy}'s samples through {@code net}: the float engine within {@code tolerance} of the largest
     * value of {@code NAME.output.npy}; and the integer engine (which the crossbar engines build on), at 16-bit weights
     * and activations calibrated on the same samples, within 1 % of it.
     */
    static void assertMatch(Network net, Path fixtures, String name, float tolerance) throws IOException {
        Tensor x = npy(fixtures.resolve(name + ".input.npy"));
        Tensor expected = npy(fixtures.resolve(name + ".output.npy"));
        int batch = x.dim(0);
        int per = x.size() / batch;
        float[][] samples = new float[batch][];
        for (int i = 0; i < batch; i++) samples[i] = Arrays.copyOfRange(x.data(), i * per, (i + 1) * per);
        float largest = 0;
        for (float v : expected.data()) largest = Math.max(largest, Math.abs(v));
        int outs = expected.size() / batch;
        float[][] y = new FloatEngine(net).forward(samples, 2);
        float[][] q = new QuantizedEngine(net, new QuantizedEngine.Scheme(16, 16, true), samples).forward(samples, 2);
        for (int i = 0; i < batch; i++) {
            assertThat(y[i]).hasSize(outs);
            for (int k = 0; k < outs; k++) {
                float want = expected.data()[i * outs + k];
                assertThat(Math.abs(y[i][k] - want)).as("%s sample %d output %d", name, i, k).isLessThanOrEqualTo(tolerance * largest);
                assertThat(Math.abs(q[i][k] - want)).as("%s integer engine, sample %d output %d", name, i, k)
                        .isLessThanOrEqualTo(1e-2f * largest);
            }
        }
    }
}
