package org.imcsim.reram;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.imcsim.core.exec.ArrayEngine;
import org.imcsim.core.exec.QuantizedEngine;
import org.imcsim.core.network.Network;
import org.imcsim.core.network.NetworkZoo;
import org.imcsim.core.tech.MvmNumerics;
import org.imcsim.core.train.Trainer;
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
        java.util.Map<String, org.imcsim.core.network.LayerParams> params = new java.util.HashMap<>();
        for (Network.Node node : net.nodes()) {
            if (!(net.params(node.name()) instanceof org.imcsim.core.network.LayerParams.Dense d)) continue;
            float[] w = d.weight().data().clone();
            float max = 0;
            for (float v : w) max = Math.max(max, Math.abs(v));
            for (int i = 0; i < w.length; i++) w[i] = Math.round(w[i] / max * 7) * (max / 7);
            params.put(node.name(), new org.imcsim.core.network.LayerParams.Dense(
                    new org.imcsim.core.tensor.Tensor(d.weight().shape(), w), d.bias()));
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
