package org.imcsim.core.exec;

import org.imcsim.core.network.Conv2d;
import org.imcsim.core.network.Linear;
import org.imcsim.core.network.Network;
import org.imcsim.core.network.Shape;

/**
 * Float execution in which every convolution and fully connected layer sees its input quantized as the integer
 * engine will quantize it — same bits, same calibrated scale, unsigned after a ReLU, clipped — while weights,
 * products and everything between layers stay float. Training through it (straight-through: the gradient passes the
 * rounding unchanged) is quantization-aware training: the network learns to work with, say, 3-bit activations.
 * Shares its network's parameter arrays, so an optimizer's updates are seen at once; {@link #calibrate} re-derives
 * the input scales from the current weights (the trainer does so every epoch).
 */
public final class FakeQuantEngine extends FloatEngine {
    private final int bits;
    private final float[] scales;
    private final boolean[] unsigned;

    public FakeQuantEngine(Network net, int bits, float[][] calibration) {
        super(net);
        this.bits = bits;
        this.scales = new float[nodes.size()];
        this.unsigned = new boolean[nodes.size()];
        calibrate(net, calibration);
    }

    /** Input scales as {@link QuantizedEngine} calibrates them on {@code calibration} samples, for the current weights. */
    public void calibrate(Network net, float[][] calibration) {
        QuantizedEngine q = new QuantizedEngine(net, new QuantizedEngine.Scheme(8, bits, true), calibration);
        for (int i = 0; i < nodes.size(); i++) {
            if (weights[i] == null) continue;
            scales[i] = q.inputScale(i);
            unsigned[i] = q.unsignedInput(i);
        }
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
    protected float[] convLayer(int i, Conv2d c, Shape in, Shape out, float[] x, Tape t, boolean keep) {
        return super.convLayer(i, c, in, out, quantized(i, x), t, keep);
    }

    @Override
    protected float[] linearLayer(int i, Linear l, float[] x, Tape t) {
        return super.linearLayer(i, l, quantized(i, x), t);
    }
}
