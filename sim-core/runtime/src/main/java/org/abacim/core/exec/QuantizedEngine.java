package org.abacim.core.exec;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.abacim.core.network.Conv2d;
import org.abacim.core.network.Flatten;
import org.abacim.core.network.Layer;
import org.abacim.core.network.Linear;
import org.abacim.core.network.Network;
import org.abacim.core.network.NetworkException;
import org.abacim.core.network.Quantization;
import org.abacim.core.network.Shape;
import org.abacim.core.network.WeightGrid;
import org.abacim.core.blas.Gemm;

/**
 * Integer reference execution: every convolution and fully connected layer multiplies k-bit integer weights by
 * m-bit integer activations and accumulates exactly (64-bit), then rescales: y = acc · s_w · s_x + b. Weights are
 * quantized symmetrically (round to nearest, per output channel or per layer); each layer's input scale is
 * calibrated from the largest magnitude it sees on calibration samples (at 4 bits or fewer, from the clip with the
 * least quantization error), unsigned when those inputs are never negative (after a ReLU). Everything between weighted layers stays float32. This is the arithmetic the array
 * numerics must reproduce exactly when the hardware is ideal.
 */
public class QuantizedEngine extends FloatEngine {
    /** How to quantize: weight and activation bits, per-channel weight scales, and the activations' number format. */
    public record Scheme(int weightBits, int activationBits, boolean perChannel, InputFormat inputFormat) {
        public Scheme {
            if (weightBits < 2 || weightBits > 16 || activationBits < 2 || activationBits > 16) {
                throw new IllegalArgumentException("weight and activation bits must be 2 to 16");
            }
            if (inputFormat.fixedPoint() && inputFormat.fractionBits() > activationBits) {
                throw new IllegalArgumentException("a fixed-point input of " + activationBits + " bits has at most "
                        + activationBits + " fraction bits (inputFormat.fractionBits is " + inputFormat.fractionBits() + ")");
            }
        }

        /** Calibrated activations. */
        public Scheme(int weightBits, int activationBits, boolean perChannel) {
            this(weightBits, activationBits, perChannel, InputFormat.CALIBRATED);
        }
    }

    private final Scheme scheme;
    private final int[][] qWeights;       // node → integer weights
    private final float[][] weightScales; // node → per output channel (or one) scale
    private final float[] inputScales;    // node → scale of its input
    private final boolean[] unsignedInput;
    private final int[] weightBits;       // node → bits its integer weights take (below the scheme's on a grid)
    /** True while input ranges are measured: the dense layers then run in float. */
    private boolean calibrating;

    /** Quantizes {@code net} with input scales calibrated on {@code calibration} samples. */
    public QuantizedEngine(Network net, Scheme scheme, float[][] calibration) {
        super(net);
        if (calibration.length == 0) throw new NetworkException("calibration needs at least one sample");
        this.scheme = scheme;
        int n = nodes.size();
        qWeights = new int[n][];
        weightScales = new float[n][];
        inputScales = new float[n];
        unsignedInput = new boolean[n];
        weightBits = new int[n];
        int qMax = (1 << (scheme.weightBits() - 1)) - 1;
        for (int i = 0; i < n; i++) {
            if (weights[i] == null) continue;
            int out = nodes.get(i).layer() instanceof Conv2d c ? c.outChannels() : ((Linear) nodes.get(i).layer()).outFeatures();
            int per = weights[i].length / out;
            int channels = scheme.perChannel() ? out : 1;
            weightScales[i] = new float[channels];
            qWeights[i] = new int[weights[i].length];
            weightBits[i] = scheme.weightBits();
            // A layer already quantized to fewer bits keeps its exact codes and one layer-wide step: stored in
            // fewer cells, and computed as the compressed model computes.
            var grid = WeightGrid.below(weights[i], scheme.weightBits());
            if (grid.isPresent()) {
                weightBits[i] = grid.get().bits();
                Arrays.fill(weightScales[i], (float) grid.get().step());
                for (int k = 0; k < weights[i].length; k++) {
                    qWeights[i][k] = (int) Math.rint(weights[i][k] / grid.get().step());
                }
                continue;
            }
            for (int ch = 0; ch < channels; ch++) {
                int from = scheme.perChannel() ? ch * per : 0;
                int to = scheme.perChannel() ? from + per : weights[i].length;
                float max = 0;
                for (int k = from; k < to; k++) max = Math.max(max, Math.abs(weights[i][k]));
                float scale = max == 0 ? 1f : max / qMax;
                weightScales[i][ch] = scale;
                for (int k = from; k < to; k++) qWeights[i][k] = Math.round(weights[i][k] / scale);
            }
        }
        // Calibrate input ranges with the float engine.
        float[] maxAbs = new float[n];
        boolean[] negative = new boolean[n];
        calibrating = true;
        for (float[] sample : calibration) {
            Tape t = super.forward(sample, false);
            for (int i = 0; i < n; i++) {
                if (weights[i] == null) continue;
                for (float v : t.act[inputs[i][0]]) {
                    maxAbs[i] = Math.max(maxAbs[i], Math.abs(v));
                    if (v < 0) negative[i] = true;
                }
            }
        }
        // At 4 bits or fewer the largest input wastes most levels on rare values: clip where the quantization
        // error over the calibration inputs is least (a histogram of |x|, every bin edge tried).
        long[][] histogram = scheme.activationBits() <= LOW_BITS ? new long[n][] : null;
        if (histogram != null) {
            for (int i = 0; i < n; i++) if (weights[i] != null && maxAbs[i] > 0) histogram[i] = new long[BINS];
            for (float[] sample : calibration) {
                Tape t = super.forward(sample, false);
                for (int i = 0; i < n; i++) {
                    if (histogram[i] == null) continue;
                    for (float v : t.act[inputs[i][0]]) {
                        histogram[i][Math.min(BINS - 1, (int) (Math.abs(v) / maxAbs[i] * BINS))]++;
                    }
                }
            }
        }
        calibrating = false;
        // Steps on one weight tensor (an unrolled RNN's) are one programmed matrix: its inputs are signed if any
        // step's are (each step keeps its own scale).
        for (int pass = 0; pass < 2; pass++) {
            for (Map.Entry<String, String> e : net.sharedWeights().entrySet()) {
                int sharer = net.indexOf(e.getKey()), owner = net.indexOf(e.getValue());
                if (pass == 0) negative[owner] |= negative[sharer];
                else negative[sharer] = negative[owner];
            }
        }
        for (int i = 0; i < n; i++) {
            if (weights[i] == null) continue;
            unsignedInput[i] = !negative[i];
            if (scheme.inputFormat().fixedPoint()) {
                // One Q-format for every layer: the step is 2^-fractionBits wherever the values lie.
                inputScales[i] = (float) Math.scalb(1.0, -scheme.inputFormat().fractionBits());
                continue;
            }
            Quantization own = modelInputQuantization(nodes, inputs, i, scheme.activationBits());
            if (own != null) {
                // A model quantized by its own tools fixes this layer's input codes: its scale, so the array reads
                // exactly the model's codes.
                inputScales[i] = own.scale(0);
                unsignedInput[i] = true;
                continue;
            }
            int levels = unsignedInput[i] ? (1 << scheme.activationBits()) - 1 : (1 << (scheme.activationBits() - 1)) - 1;
            float range = histogram != null && histogram[i] != null ? clip(histogram[i], maxAbs[i], levels) : maxAbs[i];
            inputScales[i] = range == 0 ? 1f : range / levels;
        }
    }

    /**
     * The model's own quantization of weighted node {@code i}'s input, when the chip can read its codes exactly: the
     * input is a dequantized code (through Flatten at most) with one scale, zero point 0 and codes from 0 to at most
     * 2^activationBits − 1 (uint8 after a ReLU, as post-training quantizers write them). Otherwise null, and the
     * input scale is calibrated as for any model.
     */
    static Quantization modelInputQuantization(List<Network.Node> nodes, int[][] inputs, int i, int activationBits) {
        int at = inputs[i][0];
        while (nodes.get(at).layer() instanceof Flatten) at = inputs[at][0];
        if (!(nodes.get(at).layer() instanceof Quantization q) || !q.dequantize() || q.perChannel()) return null;
        // The codes themselves must come from a quantization of the same range (not, say, int8 codes read as uint8).
        Layer codes = nodes.get(inputs[at][0]).layer();
        if (!(codes instanceof Quantization made) || made.dequantize() || made.lowest() != q.lowest()
                || made.highest() != q.highest()) {
            return null;
        }
        return q.zeroPoint(0) == 0 && q.lowest() >= 0 && q.highest() <= (1 << activationBits) - 1 ? q : null;
    }

    /** How many weighted layers of {@code net} read their inputs at the model's own scales (see above). */
    public static int modelScaledInputs(Network net, int activationBits) {
        List<Network.Node> nodes = net.nodes();
        Map<String, Integer> index = new HashMap<>();
        for (int k = 0; k < nodes.size(); k++) index.put(nodes.get(k).name(), k);
        int[][] inputs = new int[nodes.size()][];
        int count = 0;
        for (int k = 0; k < nodes.size(); k++) {
            inputs[k] = nodes.get(k).layer().inputs().stream().mapToInt(index::get).toArray();
            Layer l = nodes.get(k).layer();
            if ((l instanceof Conv2d || l instanceof Linear) && modelInputQuantization(nodes, inputs, k, activationBits) != null) {
                count++;
            }
        }
        return count;
    }

    /** Activation bits at or below which the input range is clipped for least error instead of set by the max. */
    public static final int LOW_BITS = 4;
    private static final int BINS = 1024;

    /** The clip c ∈ (0, max] whose uniform quantizer of {@code levels} steps has the least squared error. */
    static float clip(long[] histogram, float max, int levels) {
        double width = (double) max / histogram.length;
        double bestError = Double.MAX_VALUE;
        double best = max;
        for (int edge = 1; edge <= histogram.length; edge++) {
            double c = edge * width;
            double step = c / levels;
            double error = 0;
            for (int b = 0; b < histogram.length; b++) {
                if (histogram[b] == 0) continue;
                double x = (b + 0.5) * width;
                double q = Math.min(levels, Math.round(x / step)) * step;
                error += histogram[b] * (x - q) * (x - q);
            }
            if (error < bestError) {
                bestError = error;
                best = c;
            }
        }
        return (float) best;
    }

    /** The same quantization (shared, not copied) for a subclass that computes the products differently. */
    protected QuantizedEngine(QuantizedEngine other) {
        super(other);
        this.scheme = other.scheme;
        this.qWeights = other.qWeights;
        this.weightScales = other.weightScales;
        this.inputScales = other.inputScales;
        this.unsignedInput = other.unsignedInput;
        this.weightBits = other.weightBits;
    }

    public Scheme scheme() { return scheme; }

    /** The integer weights of a node (row-major as the float weights), for the array numerics to map. */
    public int[] integerWeights(int node) { return qWeights[node]; }

    public float[] weightScales(int node) { return weightScales[node]; }

    /**
     * Bits a node's integer weights take: the scheme's, or fewer when the layer's weights already lie on a narrower
     * grid ({@link org.abacim.core.network.WeightGrid}) — the placer then stores them in fewer cells.
     */
    public int weightBits(int node) { return weightBits[node]; }

    public float inputScale(int node) { return inputScales[node]; }

    public boolean unsignedInput(int node) { return unsignedInput[node]; }

    /** A layer input quantized to integers with its calibrated scale (clipped to the representable range). */
    public int[] quantizeInput(int node, float[] x) {
        int hi = unsignedInput[node] ? (1 << scheme.activationBits()) - 1 : (1 << (scheme.activationBits() - 1)) - 1;
        int lo = unsignedInput[node] ? 0 : -hi;
        float s = inputScales[node];
        int[] q = new int[x.length];
        for (int k = 0; k < x.length; k++) q[k] = Math.max(lo, Math.min(hi, Math.round(x[k] / s)));
        return q;
    }

    /** How many of {@code x}'s values lie beyond the node's input word and saturate when quantized. */
    public int saturatedInputs(int node, float[] x) {
        int hi = unsignedInput[node] ? (1 << scheme.activationBits()) - 1 : (1 << (scheme.activationBits() - 1)) - 1;
        int lo = unsignedInput[node] ? 0 : -hi;
        float s = inputScales[node];
        int count = 0;
        for (float v : x) {
            int q = Math.round(v / s);
            if (q > hi || q < lo) count++;
        }
        return count;
    }

    private float scaleOf(int node, int outChannel) {
        return weightScales[node].length == 1 ? weightScales[node][0] : weightScales[node][outChannel];
    }

    @Override
    protected float[] convLayer(int i, Conv2d c, Shape in, Shape out, float[] x, Tape t, boolean keep) {
        if (calibrating) return super.convLayer(i, c, in, out, x, t, keep);
        int[] qx = quantizeInput(i, x);
        int groups = c.groups();
        int cinG = c.inChannels() / groups;
        int coutG = c.outChannels() / groups;
        int k = cinG * c.kernelH() * c.kernelW();
        int positions = out.height() * out.width();
        float[] y = new float[c.outChannels() * positions];
        // Integers up to 2^16 are exact in float, so the float im2col gathers them without loss.
        float[] qxf = new float[qx.length];
        for (int j = 0; j < qx.length; j++) qxf[j] = qx[j];
        float[] cols = new float[k * positions];
        Gemm.Constant[] products = exactProducts(i, groups, coutG, k);
        double[] colsExact = products == null ? null : new double[k * positions];
        double[] accExact = products == null ? null : new double[coutG * positions];
        long[] acc = new long[positions];
        for (int g = 0; g < groups; g++) {
            im2col(c, in, out, qxf, g * cinG, cinG, cols, 0, positions);
            if (products != null) {
                // Integers, products and sums all below 2^53: the double product is the exact integer result.
                for (int j = 0; j < colsExact.length; j++) colsExact[j] = cols[j];
                Gemm.dgemm(products[g], colsExact, 0, positions, accExact, 0);
            }
            for (int o = 0; o < coutG; o++) {
                int oc = g * coutG + o;
                double scale = (double) scaleOf(i, oc) * inputScales[i];
                float bias = biases[i] == null ? 0f : biases[i][oc];
                if (products != null) {
                    for (int p = 0; p < positions; p++) {
                        y[oc * positions + p] = (float) ((long) accExact[o * positions + p] * scale + bias);
                    }
                    continue;
                }
                Arrays.fill(acc, 0L);
                int wo = oc * k;
                for (int kk = 0; kk < k; kk++) {
                    long w = qWeights[i][wo + kk];
                    if (w == 0) continue;
                    int co = kk * positions;
                    for (int p = 0; p < positions; p++) acc[p] += w * (long) cols[co + p];
                }
                for (int p = 0; p < positions; p++) y[oc * positions + p] = (float) (acc[p] * scale + bias);
            }
        }
        return y;
    }

    /** Integer weights on the matrix-product kernel, built on first use; null where the sums could pass 2^53. */
    private volatile Gemm.Constant[][] exactProducts;

    private Gemm.Constant[] exactProducts(int node, int groups, int coutG, int k) {
        // |w| < 2^15, |x| < 2^16 and k < 2^21 bound every partial sum below 2^52.
        if (k >= 1 << 21) return null;
        Gemm.Constant[][] all = exactProducts;
        if (all == null) {
            synchronized (this) {
                if (exactProducts == null) exactProducts = new Gemm.Constant[nodes.size()][];
                all = exactProducts;
            }
        }
        synchronized (all) {
            if (all[node] == null) {
                Gemm.Constant[] perGroup = new Gemm.Constant[groups];
                for (int g = 0; g < groups; g++) {
                    double[] w = new double[coutG * k];
                    for (int j = 0; j < w.length; j++) w[j] = qWeights[node][g * coutG * k + j];
                    perGroup[g] = new Gemm.Constant(coutG, k, w);
                }
                all[node] = perGroup;
            }
            return all[node];
        }
    }

    @Override
    protected boolean batchesProducts() {
        return false;
    }

    @Override
    protected float[] linearLayer(int i, Linear l, float[] x, Tape t) {
        if (calibrating) return super.linearLayer(i, l, x, t);
        int[] qx = quantizeInput(i, x);
        int in = l.inFeatures();
        float[] y = new float[l.outFeatures()];
        for (int o = 0; o < y.length; o++) {
            long acc = 0;
            int wo = o * in;
            for (int k = 0; k < in; k++) acc += (long) qWeights[i][wo + k] * qx[k];
            y[o] = (float) (acc * (double) scaleOf(i, o) * inputScales[i] + (biases[i] == null ? 0f : biases[i][o]));
        }
        return y;
    }

    /** The integer accumulations of a fully connected node for an integer input (the exact reference). */
    public long[] integerMatVec(int node, int[] qx) {
        Linear l = (Linear) nodes.get(node).layer();
        long[] acc = new long[l.outFeatures()];
        for (int o = 0; o < acc.length; o++) {
            for (int k = 0; k < l.inFeatures(); k++) acc[o] += (long) qWeights[node][o * l.inFeatures() + k] * qx[k];
        }
        return acc;
    }
}
