package org.abacim.core.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.abacim.core.network.Activation;
import org.abacim.core.network.Add;
import org.abacim.core.network.BatchNorm;
import org.abacim.core.network.Conv2d;
import org.abacim.core.network.Flatten;
import org.abacim.core.network.Input;
import org.abacim.core.network.LayerParams;
import org.abacim.core.network.Linear;
import org.abacim.core.network.Network;
import org.abacim.core.network.NetworkException;
import org.abacim.core.network.Pool;
import org.abacim.core.network.Shape;
import org.abacim.core.network.Softmax;
import org.abacim.core.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class FloatEngineTest {
    private static Tensor random(SplittableRandom r, int... shape) {
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.size(); i++) t.data()[i] = (float) (r.nextDouble() * 2 - 1);
        return t;
    }

    /** Convolution straight from its definition, in double precision. */
    private static double[] naiveConv(Conv2d c, Shape in, Shape out, float[] x, float[] w, float[] b) {
        double[] y = new double[(int) out.elements()];
        int cinG = c.inChannels() / c.groups();
        int coutG = c.outChannels() / c.groups();
        for (int o = 0; o < c.outChannels(); o++) {
            int g = o / coutG;
            for (int oy = 0; oy < out.height(); oy++) {
                for (int ox = 0; ox < out.width(); ox++) {
                    double s = b[o];
                    for (int ci = 0; ci < cinG; ci++) {
                        int ch = g * cinG + ci;
                        for (int ky = 0; ky < c.kernelH(); ky++) {
                            for (int kx = 0; kx < c.kernelW(); kx++) {
                                int iy = oy * c.strideH() - c.padH() + ky * c.dilation();
                                int ix = ox * c.strideW() - c.padW() + kx * c.dilation();
                                if (iy < 0 || iy >= in.height() || ix < 0 || ix >= in.width()) continue;
                                s += w[((o * cinG + ci) * c.kernelH() + ky) * c.kernelW() + kx]
                                        * x[(ch * in.height() + iy) * in.width() + ix];
                            }
                        }
                    }
                    y[(o * out.height() + oy) * out.width() + ox] = s;
                }
            }
        }
        return y;
    }

    @ParameterizedTest(name = "conv {0}→{1} k{2} s{3} p{4} d{5} g{6} on {7}×{7}")
    @CsvSource({"3, 8, 3, 1, 1, 1, 1, 9", "4, 6, 5, 2, 2, 1, 2, 11", "6, 6, 3, 1, 2, 2, 6, 10", "2, 4, 1, 1, 0, 1, 1, 5",
            "8, 4, 3, 3, 0, 1, 4, 13", "2, 3, 5, 1, 4, 1, 1, 2", "1, 2, 3, 2, 3, 2, 1, 3"})
    void convolutionMatchesItsDefinition(int cin, int cout, int k, int stride, int pad, int dilation, int groups, int size) {
        SplittableRandom r = new SplittableRandom(cin * 31L + k);
        Conv2d conv = new Conv2d("conv", "input", cin, cout, k, k, stride, stride, pad, pad, dilation, groups, true);
        Network net = Network.of("t", "", "test", List.of(new Input("input", new Shape(cin, size, size)), conv));
        Tensor w = random(r, cout, cin / groups, k, k);
        Tensor b = random(r, cout);
        net = net.withParams(Map.of("conv", new LayerParams.Dense(w, b)));
        float[] x = random(r, cin, size, size).data();
        float[] y = new FloatEngine(net).forward(x);
        Shape out = net.nodes().get(1).outputShape();
        double[] expected = naiveConv(conv, new Shape(cin, size, size), out, x, w.data(), b.data());
        assertThat(y).hasSize(expected.length);
        for (int i = 0; i < y.length; i++) assertThat((double) y[i]).isCloseTo(expected[i], within(1e-4));
    }

    /**
     * The one-copy-per-tap im2col of "same"-width convolutions, and both kernels on a band of output rows, write
     * every window value the row-by-row loop writes for the whole output, padding included, over every small
     * geometry (buffers start as NaN so a missed slot shows).
     */
    @Test
    void im2colOfAnyBandEqualsTheRowByRowLoop() {
        int sameWidth = 0;
        SplittableRandom r = new SplittableRandom(5);
        for (int k = 1; k <= 4; k++) for (int stride = 1; stride <= 2; stride++) for (int pad = 0; pad <= 2; pad++)
        for (int dilation = 1; dilation <= 2; dilation++) for (int h = 1; h <= 6; h++) for (int w = 1; w <= 6; w++) {
            int span = dilation * (k - 1) + 1;
            if (h + 2 * pad < span || w + 2 * pad < span) continue;
            boolean same = w + 2 * pad - span + 1 == w;
            // Same-width geometries run with a horizontal stride of 1 (the fast path); the others with both strides.
            Conv2d c = new Conv2d("c", "in", 2, 1, k, k, stride, same ? 1 : stride, pad, pad, dilation, 1, false);
            Shape in = new Shape(2, h, w);
            Shape out = c.outputShape(List.of(in));
            float[] x = random(r, 2, h, w).data();
            int positions = out.height() * out.width();
            int ld = positions + 3; // columns of other samples sit beside these
            float[] whole = new float[2 * k * k * ld];
            java.util.Arrays.fill(whole, Float.NaN);
            FloatEngine.im2colByRows(c, in, out, x, 0, 2, whole, 1, ld, 0, out.height());
            for (int from = 0; from < out.height(); from++) for (int to = from + 1; to <= out.height(); to++) {
                int band = (to - from) * out.width();
                float[] actual = new float[2 * k * k * band];
                java.util.Arrays.fill(actual, Float.NaN);
                FloatEngine.im2col(c, in, out, x, 0, 2, actual, 0, band, from, to);
                float[] expected = new float[actual.length];
                for (int row = 0; row < 2 * k * k; row++) {
                    System.arraycopy(whole, 1 + row * ld + from * out.width(), expected, row * band, band);
                }
                assertThat(actual).as("k%d stride %d pad %d dilation %d on %d×%d, rows %d..%d", k, stride, pad,
                        dilation, h, w, from, to).containsExactly(expected);
            }
            if (same) sameWidth++;
        }
        assertThat(sameWidth).isGreaterThan(50);
    }

    /**
     * Winograd's F(2×2, 3×3) against the convolution's definition (in double): odd and even output sizes (a last
     * tile half outside), padding 0 to 2, several samples of one chunk, bias, folded batch norm and ReLU; within
     * 1e-5 of the largest output.
     */
    @ParameterizedTest(name = "{0}→{1} on {2}×{3}, padding {4}")
    @CsvSource({"16, 8, 7, 7, 1", "16, 5, 8, 6, 1", "20, 3, 5, 9, 0", "16, 4, 3, 3, 2", "32, 16, 1, 1, 1"})
    void winogradMatchesTheConvolutionsDefinition(int cin, int cout, int h, int w, int pad) {
        SplittableRandom r = new SplittableRandom(cin * 31 + h);
        Conv2d c = new Conv2d("c", "in", cin, cout, 3, 3, 1, 1, pad, pad, 1, 1, true);
        assertThat(Winograd.applies(c)).isTrue();
        Shape in = new Shape(cin, h, w);
        Shape out = c.outputShape(List.of(in));
        float[] weights = random(r, cout, cin, 3, 3).data();
        float[] bias = random(r, cout).data();
        float[] scale = random(r, cout).data();
        float[] shift = random(r, cout).data();
        float[][] x = new float[3][];
        float[][] y = new float[3][];
        for (int s = 0; s < 3; s++) {
            x[s] = random(r, cin, h, w).data();
            y[s] = new float[(int) out.elements()];
        }
        try (var u = Winograd.filters(c, weights)) {
            Winograd.convolve(c, in, out, x, y, u, bias, scale, shift, true);
        }
        for (int s = 0; s < 3; s++) {
            double[] expected = naiveConv(c, in, out, x[s], weights, bias);
            int area = out.height() * out.width();
            double largest = 0;
            for (int j = 0; j < expected.length; j++) {
                expected[j] = Math.max(expected[j] * scale[j / area] + shift[j / area], 0);
                largest = Math.max(largest, Math.abs(expected[j]));
            }
            for (int j = 0; j < expected.length; j++) {
                assertThat((double) y[s][j]).as("sample %d output %d", s, j).isCloseTo(expected[j], within(1e-5 * largest));
            }
        }
    }

    /** The batched forward keeps its prepared weights only while they are unchanged: training edits them in place. */
    @Test
    void weightsChangedInPlaceAreSeenByTheNextBatchedForward() {
        Network net = org.abacim.core.train.Trainer.initialize(org.abacim.core.network.NetworkZoo.find("resnet20").orElseThrow(), 2);
        SplittableRandom r = new SplittableRandom(3);
        float[][] xs = {random(r, 3, 32, 32).data(), random(r, 3, 32, 32).data()};
        FloatEngine e = new FloatEngine(net);
        float[][] before = e.forward(xs, 1);
        for (float[] w : e.parameters(true)) if (w != null) for (int k = 0; k < w.length; k += 7) w[k] *= 1.5f;
        float[][] after = e.forward(xs, 1);
        assertThat(after[0]).isNotEqualTo(before[0]);
        assertThat(after[0]).containsExactly(new FloatEngine(net).forward(xs, 1)[0]);
    }

    @Test
    void poolingActivationsNormAddAndSoftmax() {
        Network net = Network.of("t", "", "test", List.of(
                new Input("input", new Shape(1, 4, 4)),
                new Pool("max", "input", Pool.Kind.MAX, 2, 2, 0, false),
                new Pool("avg", "input", Pool.Kind.AVERAGE, 2, 2, 0, false),
                new Add("add", List.of("max", "avg")),
                new BatchNorm("bn", "add", 1),
                new Activation("relu6", "bn", Activation.Kind.CLIPPED_RELU, 6),
                new Flatten("flat", "relu6"),
                new Softmax("softmax", "flat")));
        net = net.withParams(Map.of("bn", new LayerParams.Norm(new Tensor(new int[] {1}, new float[] {2f}),
                new Tensor(new int[] {1}, new float[] {1f}), new Tensor(new int[] {1}, new float[] {0.5f}),
                new Tensor(new int[] {1}, new float[] {4f - 1e-5f}), 1e-5f)));
        float[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
        FloatEngine.Tape t = new FloatEngine(net).forward(x, false);
        assertThat(t.activation(1)).containsExactly(6, 8, 14, 16);
        assertThat(t.activation(2)).containsExactly(3.5f, 5.5f, 11.5f, 13.5f);
        // bn: (x − 0.5) · 2 / 2 + 1 = x + 0.5, then clipped at 6.
        assertThat(t.activation(4)).containsExactly(10f, 14f, 26f, 30f);
        assertThat(t.activation(5)).containsExactly(6f, 6f, 6f, 6f);
        assertThat(t.output()).containsExactly(0.25f, 0.25f, 0.25f, 0.25f);
    }

    @Test
    void linearAndGlobalPooling() {
        Network net = Network.of("t", "", "test", List.of(
                new Input("input", new Shape(2, 2, 2)),
                new Pool("gap", "input", Pool.Kind.AVERAGE, 0, 0, 0, true),
                new Flatten("flat", "gap"),
                new Linear("fc", "flat", 2, 3, true)));
        net = net.withParams(Map.of("fc", new LayerParams.Dense(
                new Tensor(new int[] {3, 2}, new float[] {1, 0, 0, 1, 1, -1}), new Tensor(new int[] {3}, new float[] {0, 1, 2}))));
        float[] y = new FloatEngine(net).forward(new float[] {1, 2, 3, 4, 10, 10, 10, 10});
        assertThat(y).containsExactly(2.5f, 11f, -5.5f);
    }

    @Test
    void batchesGiveTheSameOutputsWhateverTheThreadCount() {
        SplittableRandom r = new SplittableRandom(3);
        Network net = org.abacim.core.train.Trainer.initialize(org.abacim.core.network.NetworkZoo.lenet5(), 5);
        float[][] xs = new float[40][];
        for (int i = 0; i < xs.length; i++) xs[i] = random(r, 784).data();
        FloatEngine e = new FloatEngine(net);
        float[][] one = e.forward(xs, 1);
        float[][] three = e.forward(xs, 3);
        for (int i = 0; i < xs.length; i++) assertThat(three[i]).containsExactly(one[i]);
    }

    /**
     * A chunk of samples runs each convolution and fully connected layer as one product with the samples side by
     * side; each sample's output is what it gets alone (to float rounding), on a residual network with grouped
     * convolutions and for a chunk that is not full.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"resnet18-cifar", "grouped", "lenet5"})
    void batchedProductsGiveEachSampleItsOwnOutput(String name) {
        Network shapes = name.equals("grouped")
                ? new org.abacim.core.network.NetworkBuilder("grouped").input(4, 9, 9).conv(8, 3, 1, 1).relu()
                        .add(new Conv2d("depthwise", "relu1", 8, 8, 3, 3, 2, 2, 1, 1, 1, 8, true))
                        .add(new Conv2d("pointwise", "depthwise", 8, 6, 1, 1, 1, 1, 0, 0, 1, 2, false))
                        .globalAvgPool().flatten().linear(5).build("grouped", "test")
                : org.abacim.core.network.NetworkZoo.find(name).orElseThrow();
        Network net = org.abacim.core.train.Trainer.initialize(shapes, 7);
        SplittableRandom r = new SplittableRandom(11);
        float[][] xs = new float[FloatEngine.CHUNK + 3][];
        for (int i = 0; i < xs.length; i++) xs[i] = random(r, (int) net.nodes().get(0).outputShape().elements()).data();
        FloatEngine e = new FloatEngine(net);
        float[][] batched = e.forward(xs, 2);
        for (int i = 0; i < xs.length; i++) {
            float[] alone = e.forward(xs[i]);
            double largest = 0;
            for (float v : alone) largest = Math.max(largest, Math.abs(v));
            for (int j = 0; j < alone.length; j++) {
                assertThat((double) batched[i][j]).isCloseTo(alone[j], within(1e-5 * Math.max(1, largest)));
            }
        }
    }

    @Test
    void wrongInputSizeAndMissingWeightsAreErrors() {
        Network shapes = org.abacim.core.network.NetworkZoo.lenet5();
        assertThatThrownBy(() -> new FloatEngine(shapes)).isInstanceOf(NetworkException.class).hasMessageContaining("no weights");
        FloatEngine e = new FloatEngine(org.abacim.core.train.Trainer.initialize(shapes, 1));
        assertThatThrownBy(() -> e.forward(new float[100])).hasMessageContaining("takes 784 values per sample");
        assertThatThrownBy(() -> shapes.withParams(Map.of("conv1", new LayerParams.Dense(Tensor.zeros(6, 1, 3, 3), null))))
                .hasMessageContaining("layer conv1: weight of shape [6, 1, 3, 3], expected [6, 1, 5, 5]");
    }
}
