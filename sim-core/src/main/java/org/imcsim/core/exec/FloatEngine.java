package org.imcsim.core.exec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import org.imcsim.core.network.Activation;
import org.imcsim.core.network.Add;
import org.imcsim.core.network.BatchNorm;
import org.imcsim.core.network.Conv2d;
import org.imcsim.core.network.Flatten;
import org.imcsim.core.network.Input;
import org.imcsim.core.network.Layer;
import org.imcsim.core.network.LayerParams;
import org.imcsim.core.network.Linear;
import org.imcsim.core.network.Network;
import org.imcsim.core.network.NetworkException;
import org.imcsim.core.network.Concat;
import org.imcsim.core.network.Pool;
import org.imcsim.core.network.Shape;
import org.imcsim.core.network.Softmax;
import org.imcsim.core.tensor.Gemm;

/**
 * Reference float32 execution of the network IR, one sample at a time (C×H×W, row-major), with a tape of every
 * activation for back-propagation. Batches run on fixed chunks of samples in parallel; chunking does not depend on
 * the thread count, so results are the same bytes whatever it is.
 */
public class FloatEngine {
    /** Samples per parallel task; fixed so that summation order never depends on threads. */
    public static final int CHUNK = 16;

    final Network net;
    final List<Network.Node> nodes;
    final int[][] inputs;          // node index → indices of its input nodes
    final float[][] weights;       // node index → weights (conv: [out][in/g][kh][kw], linear: [out][in]) or null
    final float[][] biases;
    final float[][] normScale;     // batch norm folded to a per-channel affine: y = x·scale + shift
    final float[][] normShift;
    final int last;
    final int[] lastReader;        // node index → the last node reading its output (itself if none)

    public FloatEngine(Network net) {
        boolean needsParams = net.nodes().stream().anyMatch(n -> n.layer() instanceof Conv2d
                || n.layer() instanceof Linear || n.layer() instanceof BatchNorm);
        if (needsParams && !net.hasParams()) throw new NetworkException("network " + net.name() + " has no weights to run");
        this.net = net;
        this.nodes = net.nodes();
        int n = nodes.size();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < n; i++) index.put(nodes.get(i).name(), i);
        inputs = new int[n][];
        weights = new float[n][];
        biases = new float[n][];
        normScale = new float[n][];
        normShift = new float[n][];
        for (int i = 0; i < n; i++) {
            Layer l = nodes.get(i).layer();
            inputs[i] = l.inputs().stream().mapToInt(index::get).toArray();
            LayerParams p = net.params(l.name());
            if (p instanceof LayerParams.Dense d) {
                weights[i] = d.weight().data();
                biases[i] = d.bias() == null ? null : d.bias().data();
            } else if (p instanceof LayerParams.Norm nm) {
                normScale[i] = new float[nm.gamma().size()];
                normShift[i] = new float[nm.gamma().size()];
            }
        }
        last = n - 1;
        lastReader = lastReaders(inputs);
        refreshNormalization();
    }

    /**
     * Folds every batch norm's γ, β, mean and variance (the network's tensors) into its per-channel affine again;
     * training calls it after it changed them in place.
     */
    public final void refreshNormalization() {
        for (int i = 0; i < nodes.size(); i++) {
            if (normScale[i] == null) continue;
            LayerParams.Norm nm = norm(i);
            for (int k = 0; k < normScale[i].length; k++) {
                float s = (float) (nm.gamma().data()[k] / Math.sqrt(nm.variance().data()[k] + nm.eps()));
                normScale[i][k] = s;
                normShift[i][k] = nm.beta().data()[k] - nm.mean().data()[k] * s;
            }
        }
    }

    /** The batch norm parameters of node {@code i} (the network's tensors, not copies). */
    public LayerParams.Norm norm(int i) {
        return (LayerParams.Norm) net.params(nodes.get(i).layer().name());
    }

    private static int[] lastReaders(int[][] inputs) {
        int[] reader = new int[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            reader[i] = Math.max(reader[i], i);
            for (int j : inputs[i]) reader[j] = Math.max(reader[j], i);
        }
        return reader;
    }

    /** An engine over the same network and parameter arrays (shared, not copied), for subclasses that add state. */
    protected FloatEngine(FloatEngine other) {
        this.net = other.net;
        this.nodes = other.nodes;
        this.inputs = other.inputs;
        this.weights = other.weights;
        this.biases = other.biases;
        this.normScale = other.normScale;
        this.normShift = other.normShift;
        this.last = other.last;
        this.lastReader = other.lastReader;
    }

    public Network network() { return net; }

    /** The arrays the engine computes with (shared with the network's tensors): weights, or biases. */
    public float[][] parameters(boolean weightsNotBiases) {
        return weightsNotBiases ? weights : biases;
    }

    /** Everything one forward pass computed, kept for the backward pass. */
    public static final class Tape {
        final float[][] act;
        final float[][] cols;
        final int[][] argmax;
        /** What a subclass's kernels need for this one pass (per-sample random streams, counters), or null. */
        Object context;

        Tape(int n) {
            act = new float[n][];
            cols = new float[n][];
            argmax = new int[n][];
        }

        public float[] output() { return act[act.length - 1]; }

        public float[] activation(int node) { return act[node]; }
    }

    /** The network's output for one sample. */
    public float[] forward(float[] sample) {
        return forward(sample, false).output();
    }

    /** Forward pass for one sample; with {@code keep}, im2col buffers and max-pool choices are kept for backward. */
    public Tape forward(float[] sample, boolean keep) {
        return forward(sample, keep, null);
    }

    /** Forward pass carrying a per-pass {@code context} to the layer kernels. */
    protected Tape forward(float[] sample, boolean keep, Object context) {
        checkSample(sample);
        Tape t = new Tape(nodes.size());
        t.context = context;
        t.act[0] = sample;
        for (int i = 1; i < nodes.size(); i++) t.act[i] = node(i, t, keep);
        return t;
    }

    /** Node {@code i}'s output from the activations already on the tape (every node but the input). */
    float[] node(int i, Tape t, boolean keep) {
        Network.Node node = nodes.get(i);
        Layer l = node.layer();
        Shape out = node.outputShape();
        if (l instanceof Input) {
            return t.act[0];
        } else if (l instanceof Conv2d c) {
            return convLayer(i, c, node.inputShapes().get(0), out, t.act[inputs[i][0]], t, keep);
        } else if (l instanceof Linear lin) {
            return linearLayer(i, lin, t.act[inputs[i][0]], t);
        } else if (l instanceof Activation a) {
            return activation(a, t.act[inputs[i][0]]);
        } else if (l instanceof Pool p) {
            return pool(p, node.inputShapes().get(0), out, t.act[inputs[i][0]], t, i, keep);
        } else if (l instanceof BatchNorm) {
            return affine(t.act[inputs[i][0]], normScale[i], normShift[i], out.height() * out.width());
        } else if (l instanceof Add) {
            float[] sum = t.act[inputs[i][0]].clone();
            for (int k = 1; k < inputs[i].length; k++) {
                float[] other = t.act[inputs[i][k]];
                for (int j = 0; j < sum.length; j++) sum[j] += other[j];
            }
            return sum;
        } else if (l instanceof org.imcsim.core.network.Multiply) {
            float[] a = t.act[inputs[i][0]];
            float[] b = t.act[inputs[i][1]];
            return a.length >= b.length ? multiply(a, b) : multiply(b, a);
        } else if (l instanceof org.imcsim.core.network.SelectChannels sc) {
            float[] x = t.act[inputs[i][0]];
            int area = out.height() * out.width();
            float[] picked = new float[(int) out.elements()];
            int[] channels = sc.channels();
            for (int k = 0; k < channels.length; k++) System.arraycopy(x, channels[k] * area, picked, k * area, area);
            return picked;
        } else if (l instanceof Concat) {
            // Channel planes are contiguous per sample: concatenating channels is concatenating arrays.
            float[] joined = new float[(int) out.elements()];
            int at = 0;
            for (int src : inputs[i]) {
                System.arraycopy(t.act[src], 0, joined, at, t.act[src].length);
                at += t.act[src].length;
            }
            return joined;
        } else if (l instanceof Flatten) {
            return t.act[inputs[i][0]];
        } else if (l instanceof Softmax) {
            return softmax(t.act[inputs[i][0]]);
        }
        throw new NetworkException("layer " + l.name() + ": no float kernel for " + l.getClass().getSimpleName());
    }

    void checkSample(float[] sample) {
        Shape in = nodes.get(0).outputShape();
        if (sample.length != in.elements()) {
            throw new NetworkException("network " + net.name() + " takes " + in.elements() + " values per sample ("
                    + in + "), got " + sample.length);
        }
    }

    /** Outputs for many samples, computed in parallel on {@code threads} threads; same result for any thread count. */
    public float[][] forward(float[][] samples, int threads) {
        float[][] out = new float[samples.length][];
        parallelChunks(samples.length, threads, (from, to) -> {
            if (batchesProducts()) {
                forwardBatch(samples, from, to, out);
            } else {
                for (int s = from; s < to; s++) out[s] = forward(samples[s]);
            }
            return null;
        });
        return out;
    }

    /**
     * Whether a chunk of samples runs each convolution and fully connected layer as one matrix product (the float
     * kernels). Engines with kernels of their own (integer, arrays) answer false and run sample by sample.
     */
    protected boolean batchesProducts() {
        return true;
    }

    /** Floats of im2col buffer one batched product may take (16 MiB); larger chunks are split by samples. */
    private static final long BATCH_COLUMNS_LIMIT = 4L << 20;

    /**
     * Samples [from, to) through the network together: a layer's products for all of them are one GEMM (the
     * samples side by side along its columns), the other layers run sample by sample; each activation is dropped
     * once the last node reading it has run.
     */
    private void forwardBatch(float[][] samples, int from, int to, float[][] out) {
        Tape[] tapes = new Tape[to - from];
        for (int s = 0; s < tapes.length; s++) {
            checkSample(samples[from + s]);
            tapes[s] = new Tape(nodes.size());
            tapes[s].act[0] = samples[from + s];
        }
        for (int i = 1; i < nodes.size(); i++) {
            Network.Node node = nodes.get(i);
            if (node.layer() instanceof Conv2d c) {
                convBatch(i, c, node.inputShapes().get(0), node.outputShape(), tapes);
            } else if (node.layer() instanceof Linear l) {
                linearBatch(i, l, tapes);
            } else {
                for (Tape t : tapes) t.act[i] = node(i, t, false);
            }
            for (int j : inputs[i]) {
                if (lastReader[j] == i && j != last) for (Tape t : tapes) t.act[j] = null;
            }
        }
        for (int s = 0; s < tapes.length; s++) out[from + s] = tapes[s].output();
    }

    private void convBatch(int i, Conv2d c, Shape in, Shape outShape, Tape[] tapes) {
        int groups = c.groups();
        int cinG = c.inChannels() / groups;
        int coutG = c.outChannels() / groups;
        int k = cinG * c.kernelH() * c.kernelW();
        int positions = outShape.height() * outShape.width();
        int per = (int) Math.max(1, Math.min(tapes.length, BATCH_COLUMNS_LIMIT / ((long) k * positions)));
        float[] w = weights[i];
        float[] b = biases[i];
        for (Tape t : tapes) t.act[i] = new float[c.outChannels() * positions];
        for (int first = 0; first < tapes.length; first += per) {
            int n = Math.min(per, tapes.length - first);
            int columns = n * positions;
            float[] cols = Workspace.floats(Workspace.WINDOWS, k * columns);
            float[] y = Workspace.floats(Workspace.PRODUCT, coutG * columns);
            for (int g = 0; g < groups; g++) {
                for (int s = 0; s < n; s++) {
                    im2col(c, in, outShape, tapes[first + s].act[inputs[i][0]], g * cinG, cinG, cols, s * positions, columns);
                }
                Gemm.sgemm(false, false, coutG, columns, k, w, g * coutG * k, cols, 0, y, 0, false);
                scatterProduct(y, columns, positions, g, coutG, b, tapes, first, n, i);
            }
        }
    }

    /**
     * Group {@code g}'s product rows y[coutG × columns] (samples side by side, {@code positions} columns each) into
     * node {@code node}'s output planes of tapes [first, first + n), adding each output channel's bias.
     */
    static void scatterProduct(float[] y, int columns, int positions, int g, int coutG, float[] bias, Tape[] tapes,
                               int first, int n, int node) {
        for (int s = 0; s < n; s++) {
            float[] ys = tapes[first + s].act[node];
            for (int o = 0; o < coutG; o++) {
                int oc = g * coutG + o;
                float b = bias == null ? 0f : bias[oc];
                int src = o * columns + s * positions;
                int dst = oc * positions;
                for (int p = 0; p < positions; p++) ys[dst + p] = y[src + p] + b;
            }
        }
    }

    private void linearBatch(int i, Linear l, Tape[] tapes) {
        int in = l.inFeatures();
        int outs = l.outFeatures();
        float[] x = new float[tapes.length * in];
        for (int s = 0; s < tapes.length; s++) System.arraycopy(tapes[s].act[inputs[i][0]], 0, x, s * in, in);
        float[] y = new float[tapes.length * outs];
        Gemm.sgemm(false, true, tapes.length, outs, in, x, 0, weights[i], 0, y, 0, false);
        for (int s = 0; s < tapes.length; s++) {
            float[] ys = new float[outs];
            for (int o = 0; o < outs; o++) ys[o] = y[s * outs + o] + (biases[i] == null ? 0f : biases[i][o]);
            tapes[s].act[i] = ys;
        }
    }

    /** Index of the largest output of each sample. */
    public int[] predict(float[][] samples, int threads) {
        float[][] out = forward(samples, threads);
        int[] labels = new int[out.length];
        for (int s = 0; s < out.length; s++) labels[s] = argmax(out[s]);
        return labels;
    }

    public static int argmax(float[] v) {
        int best = 0;
        for (int k = 1; k < v.length; k++) if (v[k] > v[best]) best = k;
        return best;
    }

    /** Work on [0, n) split into CHUNK-sized ranges, run on a pool of {@code threads}, results in chunk order. */
    public static <T> List<T> parallelChunks(int n, int threads, ChunkTask<T> task) {
        int chunks = (n + CHUNK - 1) / CHUNK;
        List<T> results = new ArrayList<>(chunks);
        if (threads <= 1 || chunks <= 1) {
            for (int c = 0; c < chunks; c++) results.add(task.run(c * CHUNK, Math.min(n, (c + 1) * CHUNK)));
            return results;
        }
        ForkJoinPool pool = new ForkJoinPool(threads);
        try {
            List<Future<T>> futures = new ArrayList<>(chunks);
            for (int c = 0; c < chunks; c++) {
                int from = c * CHUNK;
                int to = Math.min(n, from + CHUNK);
                futures.add(pool.submit(() -> task.run(from, to)));
            }
            for (Future<T> f : futures) results.add(f.get());
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdown();
        }
    }

    /** One chunk of samples [from, to). */
    @FunctionalInterface
    public interface ChunkTask<T> {
        T run(int from, int to);
    }

    /** The convolution of node {@code i}; the quantized engine replaces it with integer arithmetic. */
    protected float[] convLayer(int i, Conv2d c, Shape in, Shape out, float[] x, Tape t, boolean keep) {
        return conv(c, in, out, x, weights[i], biases[i], t, i, keep);
    }

    /** The fully connected layer of node {@code i}; the quantized engine replaces it with integer arithmetic. */
    protected float[] linearLayer(int i, Linear l, float[] x, Tape t) {
        return linear(l, x, weights[i], biases[i]);
    }

    // ---- kernels -------------------------------------------------------------------------------------------

    /**
     * Convolution as im2col + GEMM per group: cols[k][p] holds input value k of output position p's window (zero
     * where the window hangs over the padding); out[o][p] = b[o] + Σ_k w[o][k]·cols[k][p].
     */
    static float[] conv(Conv2d c, Shape in, Shape outShape, float[] x, float[] w, float[] b, Tape t, int node, boolean keep) {
        int groups = c.groups();
        int cinG = c.inChannels() / groups;
        int coutG = c.outChannels() / groups;
        int kArea = c.kernelH() * c.kernelW();
        int k = cinG * kArea;
        int positions = outShape.height() * outShape.width();
        float[] y = new float[c.outChannels() * positions];
        float[] allCols = keep ? new float[groups * k * positions] : null;
        float[] cols = keep ? null : new float[k * positions];
        // Each group is one GEMM, y_g[coutG × P] = W_g[coutG × k] · cols_g[k × P].
        float[] out = new float[coutG * positions];
        for (int g = 0; g < groups; g++) {
            float[] gc = keep ? allCols : cols;
            int base = keep ? g * k * positions : 0;
            im2col(c, in, outShape, x, g * cinG, cinG, gc, base, positions);
            Gemm.sgemm(false, false, coutG, positions, k, w, g * coutG * k, gc, base, out, 0, false);
            for (int o = 0; o < coutG; o++) {
                int oc = g * coutG + o;
                float bias = b == null ? 0f : b[oc];
                int yo = oc * positions;
                int src = o * positions;
                for (int p = 0; p < positions; p++) y[yo + p] = out[src + p] + bias;
            }
        }
        if (keep) t.cols[node] = allCols;
        return y;
    }

    /** Window values into {@code cols} from {@code base}, row r (one kernel tap of one channel) at base + r·ld. */
    static void im2col(Conv2d c, Shape in, Shape out, float[] x, int firstChannel, int channels, float[] cols, int base,
                       int ld) {
        int h = in.height();
        int wIn = in.width();
        int row = 0;
        for (int ch = 0; ch < channels; ch++) {
            int xc = (firstChannel + ch) * h * wIn;
            for (int ky = 0; ky < c.kernelH(); ky++) {
                for (int kx = 0; kx < c.kernelW(); kx++, row++) {
                    int dst = base + row * ld;
                    // The window's column offset; output columns [lo, hi) read inside the input's row.
                    int offset = kx * c.dilation() - c.padW();
                    int stride = c.strideW();
                    int lo = offset >= 0 ? 0 : Math.min(out.width(), (-offset + stride - 1) / stride);
                    int hi = offset >= wIn ? 0 : Math.min(out.width(), (wIn - 1 - offset) / stride + 1);
                    if (hi < lo) hi = lo;
                    for (int oy = 0; oy < out.height(); oy++) {
                        int iy = oy * c.strideH() - c.padH() + ky * c.dilation();
                        int d = dst + oy * out.width();
                        if (iy < 0 || iy >= h) {
                            java.util.Arrays.fill(cols, d, d + out.width(), 0f);
                            continue;
                        }
                        int xr = xc + iy * wIn + offset;
                        // The padding columns are a few values each: plain loops, not a call per row.
                        for (int q = d; q < d + lo; q++) cols[q] = 0f;
                        if (stride == 1) {
                            if (hi > lo) System.arraycopy(x, xr + lo, cols, d + lo, hi - lo);
                        } else {
                            for (int ox = lo; ox < hi; ox++) cols[d + ox] = x[xr + ox * stride];
                        }
                        for (int q = d + hi, end = d + out.width(); q < end; q++) cols[q] = 0f;
                    }
                }
            }
        }
    }

    static float[] linear(Linear l, float[] x, float[] w, float[] b) {
        int in = l.inFeatures();
        float[] y = new float[l.outFeatures()];
        for (int o = 0; o < y.length; o++) {
            float s = b == null ? 0f : b[o];
            int wo = o * in;
            for (int i = 0; i < in; i++) s += w[wo + i] * x[i];
            y[o] = s;
        }
        return y;
    }

    static float[] activation(Activation a, float[] x) {
        float[] y = new float[x.length];
        switch (a.kind()) {
            case RELU -> { for (int i = 0; i < x.length; i++) y[i] = x[i] > 0 ? x[i] : 0f; }
            case CLIPPED_RELU -> {
                float clip = (float) a.clip();
                for (int i = 0; i < x.length; i++) y[i] = x[i] > 0 ? Math.min(x[i], clip) : 0f;
            }
            case SIGMOID -> { for (int i = 0; i < x.length; i++) y[i] = (float) (1 / (1 + Math.exp(-x[i]))); }
            case TANH -> { for (int i = 0; i < x.length; i++) y[i] = (float) Math.tanh(x[i]); }
            case HARD_SIGMOID -> { for (int i = 0; i < x.length; i++) y[i] = hardSigmoid(x[i]); }
            case HARD_SWISH -> { for (int i = 0; i < x.length; i++) y[i] = x[i] * hardSigmoid(x[i]); }
        }
        return y;
    }

    static float hardSigmoid(float x) {
        return Math.min(Math.max(x / 6f + 0.5f, 0f), 1f);
    }

    /** {@code a · b}, {@code b} of {@code a}'s shape or one value per channel of {@code a}. */
    static float[] multiply(float[] a, float[] b) {
        float[] y = new float[a.length];
        if (b.length == a.length) {
            for (int i = 0; i < a.length; i++) y[i] = a[i] * b[i];
        } else {
            int area = a.length / b.length;
            for (int c = 0; c < b.length; c++) {
                for (int i = c * area, end = i + area; i < end; i++) y[i] = a[i] * b[c];
            }
        }
        return y;
    }

    static float[] pool(Pool p, Shape in, Shape out, float[] x, Tape t, int node, boolean keep) {
        float[] y = new float[(int) out.elements()];
        int h = in.height();
        int w = in.width();
        if (p.global()) {
            int area = h * w;
            for (int c = 0; c < in.channels(); c++) {
                double s = 0;
                for (int i = 0; i < area; i++) s += x[c * area + i];
                y[c] = (float) (s / area);
            }
            return y;
        }
        int[] arg = keep && p.kind() == Pool.Kind.MAX ? new int[y.length] : null;
        int k = p.kernel();
        for (int c = 0; c < in.channels(); c++) {
            for (int oy = 0; oy < out.height(); oy++) {
                for (int ox = 0; ox < out.width(); ox++) {
                    int o = (c * out.height() + oy) * out.width() + ox;
                    float best = Float.NEGATIVE_INFINITY;
                    int bestAt = -1;
                    double sum = 0;
                    for (int ky = 0; ky < k; ky++) {
                        int iy = oy * p.stride() - p.padding() + ky;
                        if (iy < 0 || iy >= h) continue;
                        for (int kx = 0; kx < k; kx++) {
                            int ix = ox * p.stride() - p.padding() + kx;
                            if (ix < 0 || ix >= w) continue;
                            int at = (c * h + iy) * w + ix;
                            float v = x[at];
                            sum += v;
                            if (v > best) {
                                best = v;
                                bestAt = at;
                            }
                        }
                    }
                    // Average pooling divides by the window within the padded input (PyTorch's default,
                    // count_include_pad): the whole window, except a ceil-mode window past the input's end.
                    int sy = oy * p.stride() - p.padding();
                    int sx = ox * p.stride() - p.padding();
                    y[o] = p.kind() == Pool.Kind.MAX ? best
                            : (float) (sum / (p.extent(sy, h) * p.extent(sx, w)));
                    if (arg != null) arg[o] = bestAt;
                }
            }
        }
        if (arg != null) t.argmax[node] = arg;
        return y;
    }

    static float[] affine(float[] x, float[] scale, float[] shift, int area) {
        float[] y = new float[x.length];
        for (int c = 0; c < scale.length; c++) {
            for (int i = c * area, end = i + area; i < end; i++) y[i] = x[i] * scale[c] + shift[c];
        }
        return y;
    }

    static float[] softmax(float[] x) {
        float max = Float.NEGATIVE_INFINITY;
        for (float v : x) max = Math.max(max, v);
        double sum = 0;
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = (float) Math.exp(x[i] - max);
            sum += y[i];
        }
        for (int i = 0; i < x.length; i++) y[i] = (float) (y[i] / sum);
        return y;
    }
}
