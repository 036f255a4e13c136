package org.abacim.core.exec;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.abacim.core.network.Conv2d;
import org.abacim.core.network.Linear;
import org.abacim.core.network.Network;
import org.abacim.core.network.Shape;

/**
 * Float execution in which every convolution and fully connected layer sees its input quantized as the integer
 * engine will quantize it — same bits, same calibrated scale, unsigned after a ReLU, clipped — while weights,
 * products and everything between layers stay float. Training through it (straight-through: the gradient passes the
 * rounding unchanged) is quantization-aware training: the network learns to work with, say, 3-bit activations.
 * Shares its network's parameter arrays, so an optimizer's updates are seen at once; {@link #calibrate} re-derives
 * the input scales from the current weights (the trainer does so every epoch).
 *
 * <p>With {@code noiseLsb} > 0 each layer's output also gets the analog error of the conversions that made it
 * (noise-aware training): normal, σ = noiseLsb · √⌈k / noiseRows⌉ · max|w| · s_x for a layer of k inputs per output
 * — one conversion per {@code noiseRows} rows, each off by noiseLsb units of (largest weight × input step). The
 * draws are keyed by the layer's input values, the node and the epoch, so they do not depend on threads.
 */
public final class FakeQuantEngine extends FloatEngine {
    private final int bits;
    private final float[] scales;
    private final boolean[] unsigned;
    private final double noiseLsb;
    private final int noiseRows;
    private final double[] noiseSigma;
    private int epoch;

    public FakeQuantEngine(Network net, int bits, float[][] calibration) {
        this(net, bits, calibration, 0, 1);
    }

    public FakeQuantEngine(Network net, int bits, float[][] calibration, double noiseLsb, int noiseRows) {
        super(net);
        this.bits = bits;
        this.scales = new float[nodes.size()];
        this.unsigned = new boolean[nodes.size()];
        this.noiseLsb = noiseLsb;
        this.noiseRows = noiseRows;
        this.noiseSigma = new double[nodes.size()];
        calibrate(net, calibration);
    }

    /** Input scales as {@link QuantizedEngine} calibrates them on {@code calibration} samples, for the current weights. */
    public void calibrate(Network net, float[][] calibration) {
        QuantizedEngine q = new QuantizedEngine(net, new QuantizedEngine.Scheme(8, bits, true), calibration);
        epoch++;
        for (int i = 0; i < nodes.size(); i++) {
            if (weights[i] == null) continue;
            scales[i] = q.inputScale(i);
            unsigned[i] = q.unsignedInput(i);
            if (noiseLsb > 0) {
                int out = nodes.get(i).layer() instanceof Conv2d c ? c.outChannels() : ((Linear) nodes.get(i).layer()).outFeatures();
                int k = weights[i].length / out;
                double maxW = 0;
                for (float w : weights[i]) maxW = Math.max(maxW, Math.abs(w));
                noiseSigma[i] = noiseLsb * Math.sqrt(Math.ceil((double) k / noiseRows)) * maxW * scales[i];
            }
        }
    }

    /** Adds the layer's conversion noise to its outputs (none when noise is off). */
    private float[] noisy(int i, float[] input, float[] y) {
        if (noiseSigma[i] == 0) return y;
        SplittableRandom random = new SplittableRandom(
                Arrays.hashCode(input) * 0x9E3779B97F4A7C15L + i * 1_000_003L + epoch);
        for (int k = 0; k < y.length; k++) y[k] += (float) (noiseSigma[i] * random.nextGaussian());
        return y;
    }


    public float inputScale(int node) { return scales[node]; }

    private float[] quantized(int i, float[] x) {
        int levels = unsigned[i] ? (1 << bits) - 1 : (1 << (bits - 1)) - 1;
        int low = unsigned[i] ? 0 : -levels;
        float s = scales[i];
        float[] q = new float[x.length];
        for (int k = 0; k < x.length; k++) q[k] = Math.max(low, Math.min(levels, Math.round(x[k] / s))) * s;
        return q;
    }

    @Override
    protected boolean batchesProducts() {
        return false;
    }

    @Override
    protected float[] convLayer(int i, Conv2d c, Shape in, Shape out, float[] x, Tape t, boolean keep) {
        float[] q = quantized(i, x);
        return noisy(i, q, super.convLayer(i, c, in, out, q, t, keep));
    }

    @Override
    protected float[] linearLayer(int i, Linear l, float[] x, Tape t) {
        float[] q = quantized(i, x);
        return noisy(i, q, super.linearLayer(i, l, q, t));
    }
}
