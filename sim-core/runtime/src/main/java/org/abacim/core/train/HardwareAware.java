package org.abacim.core.train;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.abacim.core.analog.Chip;
import org.abacim.core.analog.Streams;
import org.abacim.core.network.Conv2d;
import org.abacim.core.network.Linear;
import org.abacim.core.network.Network;
import org.abacim.core.tech.MvmNumerics;
import org.abacim.core.tech.ProgrammedLayer;

/**
 * Hardware-aware training (the method of IBM's aihwkit and Joshi et al., Nat. Commun. 11, 2473, 2020): every batch
 * runs forward and backward through the weights as a freshly drawn simulated chip holds them, and the gradient
 * updates the float weights as if it had been taken at them (straight-through).
 *
 * <p>For each batch, each convolution and fully connected layer's float weights are quantized as the integer engine
 * quantizes them ({@code weightBits}, symmetric, one scale per output channel), programmed onto a new chip of the
 * design ({@link MvmNumerics#program}: its cell slicing, sign encoding, on/off ratio, programming variation and
 * stuck-at cells, drawn from the stream keyed by the seed, the epoch, the batch, the layer and the convolution group),
 * and read back as the chip's effective weights, rescaled to the layer's units. The batch's forward and backward
 * passes see those weights; {@link #beforeStep} puts the float weights back before the optimizer steps them with the
 * gradient so computed. Inputs are quantized by the trainer's {@link org.abacim.core.exec.FakeQuantEngine} (give
 * {@link TrainConfig#activationBits()} the design's input bits).
 *
 * <p>The design's numerics must fold into effective weights per chip ({@link ProgrammedLayer#linearWeights}, static
 * device effects through ideal converters) or be the exact product: per-read noise and ADC quantization are not
 * trained with (the CLI trains on the design with an ideal ADC and no read noise). The draws depend on their keys
 * alone, so the tuned weights are the same bytes for any thread count.
 */
public final class HardwareAware implements Trainer.Hook {
    private final Network net;
    private final MvmNumerics numerics;
    private final int weightBits;
    private final long seed;
    private final boolean device;
    private float[][] floatWeights;

    /**
     * @param net the network trained (its node order is the trainer's)
     * @param numerics the design's array numerics, with static device effects only
     * @param weightBits the design's weight bits
     * @param seed the seed of the chips' draws
     * @param device false: quantize the weights only (no chip is programmed) — quantization-aware training
     */
    public HardwareAware(Network net, MvmNumerics numerics, int weightBits, long seed, boolean device) {
        if (weightBits < 2 || weightBits > 16) throw new IllegalArgumentException("weight bits must be 2 to 16, not " + weightBits);
        this.net = net;
        this.numerics = numerics;
        this.weightBits = weightBits;
        this.seed = seed;
        this.device = device;
    }

    @Override
    public void beforeBatch(int epoch, int batch, float[][] weights) {
        floatWeights = new float[weights.length][];
        // A weight array several layers share (an unrolled RNN's steps) is one programmed matrix: drawn once.
        Set<float[]> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int i = 0; i < weights.length; i++) {
            if (weights[i] == null || !seen.add(weights[i])) continue;
            floatWeights[i] = weights[i].clone();
            float[] chip = onChip(i, weights[i], Streams.key(seed, epoch, batch));
            System.arraycopy(chip, 0, weights[i], 0, chip.length);
        }
    }

    @Override
    public void beforeStep(float[][] weights, float[][] weightGradients, int batch) {
        if (floatWeights == null) return;
        for (int i = 0; i < weights.length; i++) {
            if (floatWeights[i] != null) System.arraycopy(floatWeights[i], 0, weights[i], 0, weights[i].length);
        }
        floatWeights = null;
    }

    /**
     * Node {@code node}'s weights {@code w} ([out][k], the engine's layout) as chip {@code chipKey} holds them, in the
     * layer's units: per output channel, scale s = max|w| / (2^(bits−1) − 1) and codes round(w / s); the effective
     * codes the programmed arrays compute with, times s.
     */
    public float[] onChip(int node, float[] w, long chipKey) {
        var layer = net.nodes().get(node).layer();
        int out;
        int groups;
        if (layer instanceof Conv2d c) {
            out = c.outChannels();
            groups = c.groups();
        } else if (layer instanceof Linear l) {
            out = l.outFeatures();
            groups = 1;
        } else {
            throw new IllegalArgumentException("node " + node + " (" + layer.name() + ") has no weights to program");
        }
        int k = w.length / out;
        int coutG = out / groups;
        int qMax = (1 << (weightBits - 1)) - 1;
        float[] scale = new float[out];
        int[] q = new int[w.length];
        for (int o = 0; o < out; o++) {
            float max = 0;
            for (int j = o * k; j < (o + 1) * k; j++) max = Math.max(max, Math.abs(w[j]));
            scale[o] = max == 0 ? 1f : max / qMax;
            for (int j = o * k; j < (o + 1) * k; j++) q[j] = Math.round(w[j] / scale[o]);
        }
        float[] result = new float[w.length];
        for (int g = 0; g < groups; g++) {
            float[] effective = device ? programmed(node, g, q, k, coutG, chipKey, layer.name()) : null;
            for (int o = 0; o < coutG; o++) {
                int oc = g * coutG + o;
                for (int j = 0; j < k; j++) {
                    double code = effective == null ? q[oc * k + j] : effective[j * coutG + o];
                    result[oc * k + j] = (float) (code * scale[oc]);
                }
            }
        }
        return result;
    }

    /** Group g's effective codes [k × coutG] on the chip, or null when its arrays compute the exact product. */
    private float[] programmed(int node, int g, int[] q, int k, int coutG, long chipKey, String name) {
        int[] t = new int[k * coutG];
        for (int o = 0; o < coutG; o++) {
            int from = (g * coutG + o) * k;
            for (int j = 0; j < k; j++) t[j * coutG + o] = q[from + j];
        }
        // Signedness of the inputs does not change what the cells hold (unsigned: any DAC width takes them).
        ProgrammedLayer p = numerics.program(t, k, coutG, false,
                new Chip(Streams.key(chipKey, node, g), false, Double.NaN, false));
        float[] effective = p.linearWeights();
        if (effective == null && !p.linear()) {
            throw new IllegalArgumentException("layer " + name + ": the design's arrays do not fold into effective "
                    + "weights (read noise, 1/f noise or ADC errors per conversion, or line resistance); hardware-aware training "
                    + "needs static device effects");
        }
        return effective;
    }
}
