package org.abacim.reram;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.abacim.core.exec.ArrayEngine;
import org.abacim.core.exec.QuantizedEngine;
import org.abacim.core.network.Network;
import org.abacim.core.network.NetworkZoo;
import org.abacim.core.tech.MvmNumerics;
import org.abacim.core.train.Trainer;
import org.junit.jupiter.api.Test;

/** A whole network on ISAAC's crossbars, walking every bit, equals the integer reference exactly. */
class ArrayEngineTest {
    private static float[][] samples(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] x = new float[n][784];
        for (float[] s : x) for (int i = 0; i < s.length; i++) s[i] = (float) r.nextDouble();
        return x;
    }

    /** The crossbar arithmetic with its fast path disabled: every column sum goes through the ADC. */
    private static MvmNumerics bitLevel(CrossbarNumerics n) {
        return bitLevel(n, new java.util.ArrayList<>());
    }

    /** The same, noting the weight widths layers asked for. */
    private static MvmNumerics bitLevel(CrossbarNumerics n, java.util.List<Integer> widths) {
        return new MvmNumerics() {
            @Override public MvmNumerics forWeightBits(int bits) {
                widths.add(bits);
                return bitLevel((CrossbarNumerics) n.forWeightBits(bits), widths);
            }

            @Override public long[] multiply(int[] w, int rows, int cols, int[] x, boolean signed) {
                return n.bitLevel(w, rows, cols, x, signed);
            }

            @Override public boolean exact() { return false; }
        };
    }

    @Test
    void lenet5OnIdealIsaacCrossbarsEqualsTheIntegerReferenceBitForBit() {
        Network net = Trainer.initialize(NetworkZoo.lenet5(), 3);
        QuantizedEngine.Scheme scheme = new QuantizedEngine.Scheme(8, 8, true);
        float[][] cal = samples(8, 1);
        ReramDesign isaac = Presets.load("isaac");
        QuantizedEngine reference = new QuantizedEngine(net, scheme, cal);
        ArrayEngine arrays = new ArrayEngine(net, scheme, cal, bitLevel((CrossbarNumerics) isaac.numerics().orElseThrow()));
        for (float[] x : samples(3, 2)) {
            assertThat(arrays.forward(x)).containsExactly(reference.forward(x));
        }
    }

    /**
     * A chip of fixed linear maps (the exact product; static variation folded into effective weights) runs a chunk
     * of images through one product per layer, batch norm and ReLU applied as each product is scattered: every
     * image gets the output of its own pass — the same bytes on the exact chip (integer sums in double). On the
     * folded chip the float32 products change shape, their last bits move, and now and then an activation rounds to
     * the neighbouring 8-bit level in the next layer's quantizer: measured 5e-4 of the largest output at worst, so
     * 1e-2 is asserted (a wrong layout or scale would be off by the output's own size).
     */
    @Test
    void aLinearChipRunsAChunkBatchedWithEachImagesOwnOutputs() {
        Network net = Trainer.initialize(NetworkZoo.find("resnet20").orElseThrow(), 3);
        SplittableRandom r = new SplittableRandom(4);
        float[][] images = new float[18][3 * 32 * 32];
        for (float[] x : images) for (int i = 0; i < x.length; i++) x[i] = (float) r.nextDouble();
        QuantizedEngine quantized = new QuantizedEngine(net, new QuantizedEngine.Scheme(8, 8, true),
                java.util.Arrays.copyOf(images, 4));
        ArrayEngine exact = new ArrayEngine(quantized, Presets.load("isaac", "weights.bits=8", "inputBits=8")
                .numerics().orElseThrow(), org.abacim.core.analog.Chip.asDesigned(), null);
        ArrayEngine folded = new ArrayEngine(quantized, Presets.load("isaac", "weights.bits=8", "inputBits=8",
                "device.programming.sigma=0.1", "adc.range=ideal").numerics().orElseThrow(),
                new org.abacim.core.analog.Chip(7, false, Double.NaN, false), null);
        assertThat(exact.linear()).isTrue();
        assertThat(folded.linear()).isTrue();
        float[][] exactBatch = exact.forward(images, 1, 18, SplittableRandom::new);
        float[][] foldedBatch = folded.forward(images, 1, 18, SplittableRandom::new);
        for (int k = 1; k < 18; k++) {
            assertThat(exactBatch[k - 1]).containsExactly(exact.forward(images[k], new SplittableRandom(k), null));
            float[] one = folded.forward(images[k], new SplittableRandom(k), null);
            float largest = 0;
            for (float v : one) largest = Math.max(largest, Math.abs(v));
            assertThat(foldedBatch[k - 1]).containsExactly(one, org.assertj.core.api.Assertions.within(1e-2f * largest));
        }
        assertThat(exactBatch[0]).isNotEqualTo(foldedBatch[0]);
    }

    @Test
    void aFourBitAdcOnIsaacChangesTheOutputs() {
        Network net = Trainer.initialize(NetworkZoo.lenet5(), 3);
        QuantizedEngine.Scheme scheme = new QuantizedEngine.Scheme(8, 8, true);
        float[][] cal = samples(8, 1);
        ReramDesign lossy = Presets.load("isaac", "adc.bits=4");
        QuantizedEngine reference = new QuantizedEngine(net, scheme, cal);
        ArrayEngine arrays = new ArrayEngine(net, scheme, cal, lossy.numerics().orElseThrow());
        float[] x = samples(1, 5)[0];
        assertThat(arrays.forward(x)).isNotEqualTo(reference.forward(x));
    }

    @Test
    void layersQuantizedToFourBitsRunInOneCellEachAndStayBitExact() {
        Network net = Trainer.initialize(NetworkZoo.lenet5(), 3);
        // Snap every layer onto its own 4-bit grid (levels ±7 of max / 7), as a 4-bit weight map holds it.
        java.util.Map<String, org.abacim.core.network.LayerParams> params = new java.util.HashMap<>();
        for (Network.Node node : net.nodes()) {
            if (!(net.params(node.name()) instanceof org.abacim.core.network.LayerParams.Dense d)) continue;
            float[] w = d.weight().data().clone();
            float max = 0;
            for (float v : w) max = Math.max(max, Math.abs(v));
            for (int i = 0; i < w.length; i++) w[i] = Math.round(w[i] / max * 7) * (max / 7);
            params.put(node.name(), new org.abacim.core.network.LayerParams.Dense(
                    new org.abacim.core.tensor.Tensor(d.weight().shape(), w), d.bias()));
        }
        Network fourBit = net.withParams(params);
        QuantizedEngine.Scheme scheme = new QuantizedEngine.Scheme(8, 8, true);
        float[][] cal = samples(8, 1);
        ReramDesign design = Presets.load("isaac", "weights.bits=8");
        java.util.List<Integer> widths = new java.util.ArrayList<>();
        QuantizedEngine reference = new QuantizedEngine(fourBit, scheme, cal);
        ArrayEngine arrays = new ArrayEngine(fourBit, scheme, cal,
                bitLevel((CrossbarNumerics) design.numerics().orElseThrow(), widths));
        assertThat(widths).containsExactly(4, 4, 4, 4, 4);
        for (float[] x : samples(3, 2)) {
            assertThat(arrays.forward(x)).containsExactly(reference.forward(x));
        }
    }
}
