package org.abacim.core.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.List;
import org.abacim.core.network.Activation;
import org.abacim.core.network.ActivationProduct;
import org.abacim.core.network.Affine;
import org.abacim.core.network.ChannelNorm;
import org.abacim.core.network.Multiply;
import org.abacim.core.network.NetworkBuilder;
import org.abacim.core.network.Rearrange;
import org.abacim.core.network.Softmax;
import org.abacim.core.network.Shape;
import org.junit.jupiter.api.Test;

/**
 * The float engine's attention kernels against the plain loops they replaced (kept here as references): the same
 * float and double operations in the same order, so the outputs must match bit for bit. Rearranges, which only
 * move values, must move them as their plain gather does; layers the batched forward runs over their input's array,
 * or into an array another layer's output left, must give what they give into a fresh one.
 */
class FloatKernelsTest {
    private static float[] random(SplittableRandom r, int size) {
        float[] x = new float[size];
        // Mixed magnitudes and signs, some exact zeros and negative zeros, so that rounding differs by order.
        for (int i = 0; i < size; i++) {
            int pick = r.nextInt(20);
            x[i] = pick == 0 ? 0f : pick == 1 ? -0f : (float) ((r.nextDouble() * 2 - 1) * Math.pow(10, r.nextInt(-3, 4)));
        }
        return x;
    }

    private static void assertBitIdentical(float[] actual, float[] expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            assertThat(Float.floatToRawIntBits(actual[i])).as("element %d", i).isEqualTo(Float.floatToRawIntBits(expected[i]));
        }
    }

    /** The product as it was: a gathered row of A, then dot products with B's rows when B is transposed. */
    private static float[] referenceProduct(ActivationProduct p, Shape sa, Shape sb, float[] a, float[] b) {
        int[] d = p.dims(sa, sb);
        int channels = d[0], m = d[1], k = d[2], n = d[3];
        float[] y = new float[channels * m * n];
        float[] row = new float[k];
        for (int c = 0; c < channels; c++) {
            int aAt = sa.channels() == 1 ? 0 : c * m * k;
            int bAt = sb.channels() == 1 ? 0 : c * k * n;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < k; j++) row[j] = p.transposeA() ? a[aAt + j * m + i] : a[aAt + i * k + j];
                int yAt = (c * m + i) * n;
                if (p.transposeB()) {
                    for (int o = 0; o < n; o++) {
                        float s = 0;
                        int at = bAt + o * k;
                        for (int j = 0; j < k; j++) s += row[j] * b[at + j];
                        y[yAt + o] = s;
                    }
                } else {
                    for (int j = 0; j < k; j++) {
                        float r = row[j];
                        int at = bAt + j * n;
                        for (int o = 0; o < n; o++) y[yAt + o] += r * b[at + o];
                    }
                }
            }
        }
        return y;
    }

    /** Layer norm as it was: position by position, channels strided. */
    private static float[] referenceNorm(ChannelNorm n, Shape shape, float[] x) {
        int channels = shape.channels();
        int area = x.length / channels;
        float[] y = new float[x.length];
        for (int p = 0; p < area; p++) {
            double sum = 0;
            for (int c = 0; c < channels; c++) sum += x[c * area + p];
            double mean = sum / channels;
            double squares = 0;
            for (int c = 0; c < channels; c++) {
                double d = x[c * area + p] - mean;
                squares += d * d;
            }
            double inv = 1 / Math.sqrt(squares / channels + n.eps());
            for (int c = 0; c < channels; c++) {
                y[c * area + p] = (float) ((x[c * area + p] - mean) * inv * n.gamma()[c] + n.beta()[c]);
            }
        }
        return y;
    }

    /** Softmax as it was: row by row, each value divided by its row's sum in the same loop. */
    private static float[] referenceSoftmax(float[] x, int span) {
        float[] y = new float[x.length];
        for (int from = 0; from < x.length; from += span) {
            float max = Float.NEGATIVE_INFINITY;
            for (int i = from; i < from + span; i++) max = Math.max(max, x[i]);
            double sum = 0;
            for (int i = from; i < from + span; i++) {
                y[i] = (float) Math.exp(x[i] - max);
                sum += y[i];
            }
            for (int i = from; i < from + span; i++) y[i] = (float) (y[i] / sum);
        }
        return y;
    }

    @Test
    void softmaxMatchesTheRowByRowLoopsBitForBit() {
        SplittableRandom r = new SplittableRandom(17);
        for (int trial = 0; trial < 200; trial++) {
            int span = r.nextInt(1, 40), rows = r.nextInt(1, 40);
            float[] x = random(r, span * rows);
            // Masked scores, and now and then a row masked out entirely.
            for (int i = 0; i < x.length; i++) if (r.nextInt(10) == 0) x[i] = Float.NEGATIVE_INFINITY;
            if (r.nextInt(4) == 0) Arrays.fill(x, 0, span, Float.NEGATIVE_INFINITY);
            float[] expected = referenceSoftmax(x, span);
            assertBitIdentical(FloatEngine.softmax(x, span, new float[x.length]), expected);
            // Over its input, as the batched forward runs it when nothing else reads the scores.
            assertBitIdentical(FloatEngine.softmax(x, span, x), expected);
        }
    }

    @Test
    void productMatchesTheDotProductLoopsBitForBit() {
        SplittableRandom r = new SplittableRandom(7);
        for (int trial = 0; trial < 400; trial++) {
            boolean ta = r.nextBoolean(), tb = r.nextBoolean();
            int channels = r.nextInt(1, 5), m = r.nextInt(1, 40), k = r.nextInt(1, 40), n = r.nextInt(1, 40);
            // Sometimes one operand is a single channel shared by all.
            int share = r.nextInt(3);
            int ca = share == 1 ? 1 : channels, cb = share == 2 ? 1 : channels;
            Shape sa = ta ? new Shape(ca, k, m) : new Shape(ca, m, k);
            Shape sb = tb ? new Shape(cb, n, k) : new Shape(cb, k, n);
            ActivationProduct p = new ActivationProduct("p", "a", "b", ta, tb);
            float[] a = random(r, (int) sa.elements());
            float[] b = random(r, (int) sb.elements());
            assertBitIdentical(FloatEngine.product(p, sa, sb, a, b), referenceProduct(p, sa, sb, a, b));
        }
    }

    @Test
    void layerNormMatchesThePositionByPositionLoopsBitForBit() {
        SplittableRandom r = new SplittableRandom(11);
        for (int trial = 0; trial < 200; trial++) {
            int channels = r.nextInt(1, 70), height = r.nextInt(1, 4), width = r.nextInt(1, 30);
            Shape shape = new Shape(channels, height, width);
            float[] x = random(r, (int) shape.elements());
            ChannelNorm n = new ChannelNorm("n", "x", random(r, channels), random(r, channels), (float) Math.pow(10, -r.nextInt(3, 7)));
            float[] expected = referenceNorm(n, shape, x);
            assertBitIdentical(FloatEngine.channelNorm(n, shape, x, new float[x.length]), expected);
            assertBitIdentical(FloatEngine.channelNorm(n, shape, x, x), expected);
        }
    }

    @Test
    void rearrangesMoveValuesAsTheirGatherDoes() {
        SplittableRandom r = new SplittableRandom(13);
        for (int trial = 0; trial < 200; trial++) {
            int rank = r.nextInt(1, 5);
            int[] dims = new int[rank];
            int elements = 1;
            for (int a = 0; a < rank; a++) elements *= dims[a] = r.nextInt(1, 6);
            int[] order = new int[rank];
            for (int a = 0; a < rank; a++) order[a] = a;
            for (int a = rank - 1; a > 0; a--) {
                int b = r.nextInt(a + 1), swap = order[a];
                order[a] = order[b];
                order[b] = swap;
            }
            Rearrange move = new Rearrange("move", "input", dims, order, new Shape(1, 1, elements));
            FloatEngine e = new FloatEngine(new NetworkBuilder("r").input(1, 1, elements).add(move).build("r", "test"));
            float[] x = random(r, elements);
            int[] from = move.sourceIndex();
            float[] expected = new float[elements];
            for (int k = 0; k < elements; k++) expected[k] = x[from[k]];
            assertBitIdentical(e.forward(x), expected);
        }
        assertThat(FloatEngine.runs(new int[] {0, 1, 2, 3, 4, 5})).containsExactly(6, 1);
        assertThat(FloatEngine.runs(new int[] {0, 3, 1, 4, 2, 5})).containsExactly(2, 3);
        assertThat(FloatEngine.runs(new int[] {0, 2, 1, 3, 4, 5})).isNull();
    }

    @Test
    void layersOverTheirInputsOrDroppedArraysGiveTheSameBitsAsIntoFreshOnes() {
        SplittableRandom r = new SplittableRandom(19);
        NetworkBuilder b = new NetworkBuilder("over").input(2, 3, 4);
        b.add(new Affine("scaled", "input", new float[] {0.5f}, new float[] {0.1f}));
        // Read again by "gated": not overwritten by "shifted".
        b.add(new Affine("shifted", "scaled", new float[] {1.5f, -2f}, new float[] {0.25f, 3f}));
        b.add(new Softmax("rows", "shifted", Softmax.Axis.WIDTH));
        b.add(Rearrange.regroup("regrouped", "rows", new Shape(2, 3, 4), new Shape(2, 3, 4)));
        b.add(new Multiply("gated", List.of("regrouped", "scaled")));
        b.add(new ChannelNorm("norm", "gated", random(r, 2), random(r, 2), 1e-5f));
        b.add(new Activation("erf", "norm", Activation.Kind.ERF, 0));
        // Outputs into arrays dropped before ("scaled"'s, then the chain's): their old values must not show.
        b.add(new Rearrange("swapped", "erf", new int[] {2, 12}, new int[] {1, 0}, new Shape(2, 3, 4)));
        b.add(new Multiply("squared", List.of("swapped", "swapped")));
        FloatEngine e = new FloatEngine(b.build("layers over their inputs", "test"));
        float[][] xs = new float[40][];
        for (int s = 0; s < xs.length; s++) xs[s] = random(r, 24);
        float[][] batched = e.forward(xs, 2);
        for (int s = 0; s < xs.length; s++) assertBitIdentical(batched[s], e.forward(xs[s]));
    }
}
