package org.abacim.core.exec;

import org.abacim.core.network.Concat;
import org.abacim.core.network.Multiply;
import org.abacim.core.network.RecurrentGates;
import org.abacim.core.network.SelectChannels;
import org.abacim.core.network.Quantization;
import org.abacim.core.network.DynamicQuantization;
import org.abacim.core.network.Softmax;
import org.abacim.core.blas.Gemm;
import org.abacim.core.network.Activation;
import org.abacim.core.network.Affine;
import org.abacim.core.network.ActivationProduct;
import org.abacim.core.network.ChannelNorm;
import org.abacim.core.network.Constant;
import org.abacim.core.network.Embedding;
import org.abacim.core.network.Mask;
import org.abacim.core.network.Rearrange;
import org.abacim.core.network.Add;
import org.abacim.core.network.BatchNorm;
import org.abacim.core.network.Conv2d;
import org.abacim.core.network.Flatten;
import org.abacim.core.network.Input;
import org.abacim.core.network.Layer;
import org.abacim.core.network.Linear;
import org.abacim.core.network.Network;
import org.abacim.core.network.NetworkException;
import org.abacim.core.network.Pool;
import org.abacim.core.network.Shape;

/**
 * Gradients of a loss through the float engine's forward tape. Batch norm is treated as the fixed per-channel
 * affine it is at inference (its statistics are not trained here).
 */
public final class Backprop {
    private Backprop() {}

    /** Weight and bias gradients per node (null where a node has no parameters). */
    public static final class Gradients {
        public final float[][] weight;
        public final float[][] bias;
        /** Batch norm γ and β gradients per node (null where a node is not a batch norm or its statistics are fixed). */
        public final float[][] gamma;
        public final float[][] beta;
        /** Batch norm: the sums over chunks of each chunk's per-channel mean and unbiased variance, and the chunks. */
        public final float[][] batchMean;
        public final float[][] batchVariance;
        public int normChunks;
        public double loss;
        public int correct;

        public Gradients(FloatEngine e) {
            int n = e.nodes.size();
            weight = new float[n][];
            bias = new float[n][];
            gamma = new float[n][];
            beta = new float[n][];
            batchMean = new float[n][];
            batchVariance = new float[n][];
            for (int i = 0; i < n; i++) {
                if (e.weights[i] != null) weight[i] = new float[e.weights[i].length];
                if (e.biases[i] != null) bias[i] = new float[e.biases[i].length];
                if (e.normScale[i] != null) {
                    int c = e.normScale[i].length;
                    gamma[i] = new float[c];
                    beta[i] = new float[c];
                    batchMean[i] = new float[c];
                    batchVariance[i] = new float[c];
                }
            }
        }

        /** Adds another chunk's gradients (called in chunk order, so sums are deterministic). */
        public void add(Gradients o) {
            for (int i = 0; i < weight.length; i++) {
                if (weight[i] != null) for (int k = 0; k < weight[i].length; k++) weight[i][k] += o.weight[i][k];
                if (bias[i] != null) for (int k = 0; k < bias[i].length; k++) bias[i][k] += o.bias[i][k];
                if (gamma[i] != null) {
                    for (int k = 0; k < gamma[i].length; k++) {
                        gamma[i][k] += o.gamma[i][k];
                        beta[i][k] += o.beta[i][k];
                        batchMean[i][k] += o.batchMean[i][k];
                        batchVariance[i][k] += o.batchVariance[i][k];
                    }
                }
            }
            normChunks += o.normChunks;
            loss += o.loss;
            correct += o.correct;
        }
    }

    /** The node whose output is the logits: the last node, or its input when the network ends with softmax. */
    public static int logitsNode(FloatEngine e) {
        Layer lastLayer = e.nodes.get(e.last).layer();
        return lastLayer instanceof Softmax ? e.inputs[e.last][0] : e.last;
    }

    /** Forward and backward for one labelled sample with softmax cross-entropy; accumulates into {@code g}. */
    public static void sample(FloatEngine e, float[] x, int label, Gradients g) {
        sample(e, x, label, null, 0, 1, g);
    }

    /**
     * Forward and backward for one sample with the distillation loss (1 − α)·CE(label) + α·T²·KL(q ‖ p_T), q and
     * p_T the softmax at temperature T of the teacher's logits and of the network's; accumulates into {@code g}.
     * Its gradient at the logits is (1 − α)(p − y) + α·T·(p_T − q) — the T² keeps the soft term on the scale of the
     * hard one as T changes. Without teacher logits (null) it is plain cross-entropy.
     */
    public static void sample(FloatEngine e, float[] x, int label, float[] teacherLogits, double alpha,
                              double temperature, Gradients g) {
        FloatEngine.Tape t = e.forward(x, true);
        int logits = logitsNode(e);
        float[] dz = lossGradient(t.act[logits], label, teacherLogits, alpha, temperature, g);
        backward(e, t, logits, dz, g);
    }

    /**
     * The loss of one sample's logits {@code z} (cross-entropy, or the distillation loss when {@code teacherLogits}
     * is not null), added with its hit into {@code g}; returns the loss's gradient at the logits.
     */
    static float[] lossGradient(float[] z, int label, float[] teacherLogits, double alpha, double temperature,
                                Gradients g) {
        if (label < 0 || label >= z.length) {
            throw new NetworkException("label " + label + " outside the network's " + z.length + " outputs");
        }
        float[] p = FloatEngine.softmax(z);
        double loss = -Math.log(Math.max(p[label], 1e-30));
        float[] dz = p.clone();
        dz[label] -= 1f;
        if (teacherLogits != null) {
            if (teacherLogits.length != z.length) {
                throw new NetworkException(teacherLogits.length + " teacher outputs do not fit the network's "
                        + z.length + " outputs");
            }
            float[] pT = FloatEngine.softmax(scaled(z, 1 / temperature));
            float[] q = FloatEngine.softmax(scaled(teacherLogits, 1 / temperature));
            double kl = 0;
            for (int k = 0; k < z.length; k++) {
                if (q[k] > 0) kl += q[k] * (Math.log(q[k]) - Math.log(Math.max(pT[k], 1e-30)));
            }
            loss = (1 - alpha) * loss + alpha * temperature * temperature * kl;
            for (int k = 0; k < z.length; k++) {
                dz[k] = (float) ((1 - alpha) * (p[k] - (k == label ? 1 : 0)) + alpha * temperature * (pT[k] - q[k]));
            }
        }
        g.loss += loss;
        if (FloatEngine.argmax(z) == label) g.correct++;
        return dz;
    }

    private static float[] scaled(float[] v, double factor) {
        float[] out = new float[v.length];
        for (int k = 0; k < v.length; k++) out[k] = (float) (v[k] * factor);
        return out;
    }

    /** Back-propagates {@code dOut} (the gradient at node {@code from}'s output) to every parameter. */
    public static void backward(FloatEngine e, FloatEngine.Tape t, int from, float[] dOut, Gradients g) {
        int n = e.nodes.size();
        float[][] d = new float[n][];
        d[from] = dOut;
        for (int i = from; i >= 0; i--) {
            if (d[i] == null || e.nodes.get(i).layer() instanceof Input) continue;
            backwardNode(e, t, i, d, g);
            d[i] = null;
        }
    }

    /**
     * One node of one sample's backward pass: from {@code d[i]}, the gradient at its output, adds its parameters'
     * gradients into {@code g} and its inputs' gradients into {@code d} (batch norm as the fixed affine).
     */
    static void backwardNode(FloatEngine e, FloatEngine.Tape t, int i, float[][] d, Gradients g) {
        float[] dy = d[i];
        Network.Node node = e.nodes.get(i);
        Layer l = node.layer();
        int in = e.inputs[i].length > 0 ? e.inputs[i][0] : -1;
        boolean needInput = in >= 0 && !(e.nodes.get(in).layer() instanceof Input);
        if (l instanceof Conv2d c) {
            float[] dx = needInput ? accumulator(d, in, t.act[in].length) : null;
            conv(c, node.inputShapes().get(0), node.outputShape(), t.cols[i], e.weights[i], dy, g.weight[i], g.bias[i], dx);
        } else if (l instanceof Linear lin) {
            float[] x = t.act[in];
            float[] w = e.weights[i];
            float[] dw = g.weight[i];
            int inF = lin.inFeatures();
            float[] dx = needInput ? accumulator(d, in, inF) : null;
            for (int o = 0; o < dy.length; o++) {
                float go = dy[o];
                if (g.bias[i] != null) g.bias[i][o] += go;
                if (go == 0f) continue;
                int wo = o * inF;
                for (int k = 0; k < inF; k++) dw[wo + k] += go * x[k];
                if (dx != null) for (int k = 0; k < inF; k++) dx[k] += w[wo + k] * go;
            }
        } else if (l instanceof Activation a) {
            float[] y = t.act[i];
            float[] x = t.act[in];
            if (a.kind() == Activation.Kind.RELU && d[in] == null) {
                // The common case on its own: the gradient passes where the output is positive.
                float[] dx = new float[y.length];
                for (int k = 0; k < y.length; k++) if (y[k] > 0) dx[k] = dy[k];
                d[in] = dx;
                return;
            }
            float[] dx = accumulator(d, in, y.length);
            for (int k = 0; k < y.length; k++) {
                float grad = switch (a.kind()) {
                    case RELU -> y[k] > 0 ? 1f : 0f;
                    case CLIPPED_RELU -> y[k] > 0 && y[k] < a.clip() ? 1f : 0f;
                    case SIGMOID -> y[k] * (1 - y[k]);
                    case TANH -> 1 - y[k] * y[k];
                    case HARD_SIGMOID -> x[k] > -3f && x[k] < 3f ? 1f / 6f : 0f;
                    case HARD_SWISH -> x[k] <= -3f ? 0f : x[k] >= 3f ? 1f : (2 * x[k] + 3) / 6f;
                    case ERF -> (float) (2 / Math.sqrt(Math.PI) * Math.exp(-x[k] * (double) x[k]));
                    case GELU, GELU_TANH -> {
                        // x·Φ(x): Φ(x) + x·φ(x) (the tanh form's own derivative differs by under 10⁻³).
                        double v = x[k];
                        yield (float) (0.5 * (1 + FloatErf.erf(v / Math.sqrt(2))) + v * Math.exp(-v * v / 2) / Math.sqrt(2 * Math.PI));
                    }
                };
                dx[k] += dy[k] * grad;
            }
        } else if (l instanceof Pool p) {
            Shape is = node.inputShapes().get(0);
            float[] dx = accumulator(d, in, (int) is.elements());
            pool(p, is, node.outputShape(), t.argmax[i], dy, dx);
        } else if (l instanceof BatchNorm) {
            int area = node.outputShape().height() * node.outputShape().width();
            float[] dx = accumulator(d, in, dy.length);
            float[] s = e.normScale[i];
            for (int c = 0; c < s.length; c++) {
                for (int k = c * area, end = k + area; k < end; k++) dx[k] += dy[k] * s[c];
            }
        } else if (l instanceof Add) {
            for (int src : e.inputs[i]) {
                if (d[src] == null) {
                    d[src] = dy.clone();
                    continue;
                }
                float[] dx = d[src];
                for (int k = 0; k < dy.length; k++) dx[k] += dy[k];
            }
        } else if (l instanceof Multiply) {
            int ia = e.inputs[i][0];
            int ib = e.inputs[i][1];
            float[] a = t.act[ia];
            float[] b = t.act[ib];
            boolean aIsMap = a.length >= b.length;
            float[] map = aIsMap ? a : b;
            float[] scale = aIsMap ? b : a;
            float[] dMap = accumulator(d, aIsMap ? ia : ib, map.length);
            float[] dScale = accumulator(d, aIsMap ? ib : ia, scale.length);
            int area = map.length / scale.length;
            for (int c = 0; c < scale.length; c++) {
                for (int k = c * area, end = k + area; k < end; k++) {
                    dMap[k] += dy[k] * scale[scale.length == map.length ? k : c];
                    dScale[scale.length == map.length ? k : c] += dy[k] * map[k];
                }
            }
        } else if (l instanceof Affine a) {
            float[] dx = accumulator(d, in, dy.length);
            int groups = a.perChannel() ? node.outputShape().channels() : 1;
            int area = dy.length / groups;
            for (int c = 0; c < groups; c++) {
                float s = a.scale(c);
                for (int k = c * area, end = k + area; k < end; k++) dx[k] += dy[k] * s;
            }
        } else if (l instanceof ChannelNorm n) {
            // Per position: dx = (γ·dy − mean(γ·dy) − x̂·mean(γ·dy·x̂)) / σ, over the channels.
            float[] x = t.act[in];
            float[] dx = accumulator(d, in, dy.length);
            int channels = node.outputShape().channels();
            int area = dy.length / channels;
            for (int p = 0; p < area; p++) {
                double sum = 0;
                for (int c = 0; c < channels; c++) sum += x[c * area + p];
                double mean = sum / channels;
                double squares = 0;
                for (int c = 0; c < channels; c++) squares += (x[c * area + p] - mean) * (x[c * area + p] - mean);
                double inv = 1 / Math.sqrt(squares / channels + n.eps());
                double meanG = 0, meanGx = 0;
                for (int c = 0; c < channels; c++) {
                    double gy = dy[c * area + p] * n.gamma()[c];
                    double xh = (x[c * area + p] - mean) * inv;
                    meanG += gy;
                    meanGx += gy * xh;
                }
                meanG /= channels;
                meanGx /= channels;
                for (int c = 0; c < channels; c++) {
                    double gy = dy[c * area + p] * n.gamma()[c];
                    double xh = (x[c * area + p] - mean) * inv;
                    dx[c * area + p] += (float) ((gy - meanG - xh * meanGx) * inv);
                }
            }
        } else if (l instanceof DynamicQuantization) {
            // Straight through: every value lies within its own sample's range.
            float[] dx = accumulator(d, in, dy.length);
            for (int k = 0; k < dy.length; k++) dx[k] += dy[k];
        } else if (l instanceof Quantization q) {
            // Straight through: a code moves by 1/s per unit of value wherever it is not clamped; a value by s per code.
            float[] x = t.act[in];
            float[] dx = accumulator(d, in, dy.length);
            int groups = q.perChannel() ? node.outputShape().channels() : 1;
            int area = dy.length / groups;
            for (int c = 0; c < groups; c++) {
                float s = q.scale(c);
                int z = q.zeroPoint(c);
                for (int k = c * area, end = k + area; k < end; k++) {
                    if (q.dequantize()) {
                        dx[k] += dy[k] * s;
                    } else {
                        float code = x[k] / s + z;
                        if (code >= q.lowest() && code <= q.highest()) dx[k] += dy[k] / s;
                    }
                }
            }
        } else if (l instanceof SelectChannels sc) {
            Shape is = node.inputShapes().get(0);
            int area = is.height() * is.width();
            float[] dx = accumulator(d, in, (int) is.elements());
            int[] channels = sc.channels();
            for (int k = 0; k < channels.length; k++) {
                for (int j = 0; j < area; j++) dx[channels[k] * area + j] += dy[k * area + j];
            }
        } else if (l instanceof Concat) {
            int at = 0;
            for (int k = 0; k < e.inputs[i].length; k++) {
                int size = (int) node.inputShapes().get(k).elements();
                float[] dx = accumulator(d, e.inputs[i][k], size);
                for (int j = 0; j < size; j++) dx[j] += dy[at + j];
                at += size;
            }
        } else if (l instanceof Flatten) {
            float[] dx = accumulator(d, in, dy.length);
            for (int k = 0; k < dy.length; k++) dx[k] += dy[k];
        } else if (l instanceof Softmax s) {
            // Per row: dx = y ⊙ (dy − Σ dy⊙y).
            float[] y = t.act[i];
            float[] dx = accumulator(d, in, dy.length);
            int span = s.span(node.outputShape());
            for (int from = 0; from < dy.length; from += span) {
                double dot = 0;
                for (int k = from; k < from + span; k++) dot += dy[k] * (double) y[k];
                for (int k = from; k < from + span; k++) dx[k] += (float) (y[k] * (dy[k] - dot));
            }
        } else if (l instanceof Rearrange) {
            int[] from = e.gather[i];
            float[] dx = accumulator(d, in, dy.length);
            for (int k = 0; k < dy.length; k++) dx[from[k]] += dy[k];
        } else if (l instanceof ActivationProduct p) {
            productBackward(p, node.inputShapes().get(0), node.inputShapes().get(1), t.act[e.inputs[i][0]],
                    t.act[e.inputs[i][1]], dy, accumulator(d, e.inputs[i][0], t.act[e.inputs[i][0]].length),
                    accumulator(d, e.inputs[i][1], t.act[e.inputs[i][1]].length));
        } else if (l instanceof RecurrentGates gates) {
            RecurrentGateMath.backward(gates, t.act[e.inputs[i][0]], t.act[e.inputs[i][1]], t.act[e.inputs[i][2]], dy,
                    accumulator(d, e.inputs[i][0], t.act[e.inputs[i][0]].length),
                    accumulator(d, e.inputs[i][1], t.act[e.inputs[i][1]].length),
                    accumulator(d, e.inputs[i][2], t.act[e.inputs[i][2]].length));
        } else if (l instanceof Mask m) {
            float[] dx = accumulator(d, in, dy.length);
            for (int k = 0; k < dy.length; k++) if (m.keeps(k)) dx[k] += dy[k];
        } else if (l instanceof Constant || l instanceof Embedding) {
            // The same for every sample, or a lookup by token ids: nothing to pass on (the table is not trained).
            return;
        } else {
            throw new NetworkException("layer " + l.name() + ": training through "
                    + l.getClass().getSimpleName() + " is not supported");
        }
    }

    /** An activation product's input gradients: dA = dY·Bᵀ and dB = Aᵀ·dY per channel (as stored, transposed or not). */
    static void productBackward(ActivationProduct p, Shape sa, Shape sb, float[] a, float[] b, float[] dy, float[] da,
                                float[] db) {
        int[] dims = p.dims(sa, sb);
        int channels = dims[0], m = dims[1], k = dims[2], n = dims[3];
        for (int c = 0; c < channels; c++) {
            int aAt = sa.channels() == 1 ? 0 : c * m * k;
            int bAt = sb.channels() == 1 ? 0 : c * k * n;
            for (int i = 0; i < m; i++) {
                for (int o = 0; o < n; o++) {
                    float g = dy[(c * m + i) * n + o];
                    if (g == 0f) continue;
                    for (int j = 0; j < k; j++) {
                        int ai = p.transposeA() ? aAt + j * m + i : aAt + i * k + j;
                        int bi = p.transposeB() ? bAt + o * k + j : bAt + j * n + o;
                        da[ai] += g * b[bi];
                        db[bi] += g * a[ai];
                    }
                }
            }
        }
    }

    /** Node {@code node}'s gradient accumulator in {@code d}, made (zeros) on first use. */
    static float[] accumulator(float[][] d, int node, int size) {
        if (d[node] == null) d[node] = new float[size];
        return d[node];
    }

    /** Convolution gradients per group: dW += dY·colsᵀ, db += Σ_p dY, dcols = Wᵀ·dY, then col2im. */
    static void conv(Conv2d c, Shape in, Shape out, float[] cols, float[] w, float[] dy, float[] dw, float[] db, float[] dx) {
        int groups = c.groups();
        int cinG = c.inChannels() / groups;
        int coutG = c.outChannels() / groups;
        int k = cinG * c.kernelH() * c.kernelW();
        int positions = out.height() * out.width();
        float[] dcols = dx == null ? null : new float[k * positions];
        for (int g = 0; g < groups; g++) {
            int dyAt = g * coutG * positions;
            if (db != null) {
                for (int o = 0; o < coutG; o++) {
                    float s = 0;
                    for (int p = 0, at = dyAt + o * positions; p < positions; p++) s += dy[at + p];
                    db[g * coutG + o] += s;
                }
            }
            Gemm.sgemm(false, true, coutG, k, positions, dy, dyAt, cols, g * k * positions, dw, g * coutG * k, true);
            if (dcols != null) {
                Gemm.sgemm(true, false, k, positions, coutG, w, g * coutG * k, dy, dyAt, dcols, 0, false);
                col2im(c, in, out, dcols, 0, positions, g * cinG, cinG, dx);
            }
        }
    }

    /**
     * The adjoint of im2col: adds each window value's gradient back to the input position it came from; row r of
     * {@code dcols} starts at base + r·ld.
     */
    static void col2im(Conv2d c, Shape in, Shape out, float[] dcols, int base, int ld, int firstChannel, int channels,
                       float[] dx) {
        int h = in.height();
        int wIn = in.width();
        int row = 0;
        for (int ch = 0; ch < channels; ch++) {
            int xc = (firstChannel + ch) * h * wIn;
            for (int ky = 0; ky < c.kernelH(); ky++) {
                for (int kx = 0; kx < c.kernelW(); kx++, row++) {
                    int src = base + row * ld;
                    // Output columns [lo, hi) read inside the input's row, as in im2col.
                    int offset = kx * c.dilation() - c.padW();
                    int stride = c.strideW();
                    int lo = offset >= 0 ? 0 : Math.min(out.width(), (-offset + stride - 1) / stride);
                    int hi = offset >= wIn ? 0 : Math.min(out.width(), (wIn - 1 - offset) / stride + 1);
                    for (int oy = 0; oy < out.height(); oy++) {
                        int iy = oy * c.strideH() - c.padH() + ky * c.dilation();
                        if (iy < 0 || iy >= h) continue;
                        int xr = xc + iy * wIn + offset;
                        int s = src + oy * out.width();
                        for (int ox = lo; ox < hi; ox++) dx[xr + ox * stride] += dcols[s + ox];
                    }
                }
            }
        }
    }

    static void pool(Pool p, Shape in, Shape out, int[] argmax, float[] dy, float[] dx) {
        int h = in.height();
        int w = in.width();
        if (p.global()) {
            int area = h * w;
            for (int c = 0; c < in.channels(); c++) {
                float g = dy[c] / area;
                for (int k = c * area, end = k + area; k < end; k++) dx[k] += g;
            }
            return;
        }
        if (p.kind() == Pool.Kind.MAX) {
            for (int o = 0; o < dy.length; o++) if (argmax[o] >= 0) dx[argmax[o]] += dy[o];
            return;
        }
        int k = p.kernel();
        for (int c = 0; c < in.channels(); c++) {
            for (int oy = 0; oy < out.height(); oy++) {
                for (int ox = 0; ox < out.width(); ox++) {
                    float scale = 1f / (p.extent(oy * p.stride() - p.padding(), h) * p.extent(ox * p.stride() - p.padding(), w));
                    float g = dy[(c * out.height() + oy) * out.width() + ox] * scale;
                    for (int ky = 0; ky < k; ky++) {
                        int iy = oy * p.stride() - p.padding() + ky;
                        if (iy < 0 || iy >= h) continue;
                        for (int kx = 0; kx < k; kx++) {
                            int ix = ox * p.stride() - p.padding() + kx;
                            if (ix >= 0 && ix < w) dx[(c * h + iy) * w + ix] += g;
                        }
                    }
                }
            }
        }
    }
}
