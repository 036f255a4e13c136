package org.imcsim.core.exec;

import org.imcsim.core.network.Conv2d;
import org.imcsim.core.network.Linear;
import org.imcsim.core.network.Network;
import org.imcsim.core.network.Shape;
import org.imcsim.core.tech.MvmNumerics;

/**
 * The network run through an array technology's arithmetic: the integer engine's quantization and rescaling, with
 * every convolution and fully connected product computed by {@link MvmNumerics} (cell slicing, bit-serial inputs,
 * column sums, ADC, shift-and-add). With ideal arrays and a lossless ADC it equals {@link QuantizedEngine} exactly.
 */
public final class ArrayEngine extends QuantizedEngine {
    private final MvmNumerics numerics;
    private final int[][] transposed; // node → integer weights laid out [inputs][outputs], as the arrays hold them

    public ArrayEngine(Network net, Scheme scheme, float[][] calibration, MvmNumerics numerics) {
        super(net, scheme, calibration);
        this.numerics = numerics;
        transposed = new int[nodes.size()][];
        for (int i = 0; i < nodes.size(); i++) {
            int[] q = integerWeights(i);
            if (q == null) continue;
            int out = nodes.get(i).layer() instanceof Conv2d c ? c.outChannels() : ((Linear) nodes.get(i).layer()).outFeatures();
            int per = q.length / out;
            int[] t = new int[q.length];
            for (int o = 0; o < out; o++) for (int k = 0; k < per; k++) t[k * out + o] = q[o * per + k];
            transposed[i] = t;
        }
    }

    @Override
    protected float[] convLayer(int i, Conv2d c, Shape in, Shape out, float[] x, Tape t, boolean keep) {
        // The parent calibrates in its constructor, before this engine's fields exist: defer to it until then.
        if (transposed == null || transposed[i] == null) return super.convLayer(i, c, in, out, x, t, keep);
        int[] qx = quantizeInput(i, x);
        float[] qxf = new float[qx.length];
        for (int j = 0; j < qx.length; j++) qxf[j] = qx[j];
        int groups = c.groups();
        int cinG = c.inChannels() / groups;
        int coutG = c.outChannels() / groups;
        int k = cinG * c.kernelH() * c.kernelW();
        int positions = out.height() * out.width();
        float[] cols = new float[k * positions];
        float[] y = new float[c.outChannels() * positions];
        int[] column = new int[k];
        for (int g = 0; g < groups; g++) {
            im2col(c, in, out, qxf, g * cinG, cinG, cols, 0);
            int[] wG = groupWeights(i, g, k, coutG, c.outChannels());
            for (int p = 0; p < positions; p++) {
                for (int kk = 0; kk < k; kk++) column[kk] = (int) cols[kk * positions + p];
                long[] acc = numerics.multiply(wG, k, coutG, column, !unsignedInput(i));
                for (int o = 0; o < coutG; o++) {
                    int oc = g * coutG + o;
                    y[oc * positions + p] = rescale(i, oc, acc[o]);
                }
            }
        }
        return y;
    }

    @Override
    protected float[] linearLayer(int i, Linear l, float[] x) {
        if (transposed == null || transposed[i] == null) return super.linearLayer(i, l, x);
        long[] acc = numerics.multiply(transposed[i], l.inFeatures(), l.outFeatures(), quantizeInput(i, x), !unsignedInput(i));
        float[] y = new float[l.outFeatures()];
        for (int o = 0; o < y.length; o++) y[o] = rescale(i, o, acc[o]);
        return y;
    }

    private float rescale(int node, int outChannel, long acc) {
        float[] sw = weightScales(node);
        double scale = (double) (sw.length == 1 ? sw[0] : sw[outChannel]) * inputScale(node);
        return (float) (acc * scale + (biases[node] == null ? 0f : biases[node][outChannel]));
    }

    /** Group g's weights [k][coutG] out of the whole layer's [k_total][cout] transposed layout. */
    private int[] groupWeights(int node, int g, int k, int coutG, int cout) {
        if (cout == coutG) return transposed[node];
        int[] wG = new int[k * coutG];
        int[] q = integerWeights(node);
        for (int o = 0; o < coutG; o++) {
            int oc = g * coutG + o;
            for (int kk = 0; kk < k; kk++) wG[kk * coutG + o] = q[oc * k + kk];
        }
        return wG;
    }
}
