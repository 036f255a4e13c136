package org.abacim.core.exec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import org.abacim.core.network.Activation;
import org.abacim.core.network.ActivationProduct;
import org.abacim.core.network.Affine;
import org.abacim.core.network.Constant;
import org.abacim.core.network.Embedding;
import org.abacim.core.network.Mask;
import org.abacim.core.network.Rearrange;
import org.abacim.core.network.RecurrentGates;
import org.abacim.core.network.ChannelNorm;
import org.abacim.core.network.Add;
import org.abacim.core.network.BatchNorm;
import org.abacim.core.network.Conv2d;
import org.abacim.core.network.DynamicQuantization;
import org.abacim.core.network.Flatten;
import org.abacim.core.network.Input;
import org.abacim.core.network.Layer;
import org.abacim.core.network.LayerParams;
import org.abacim.core.network.Linear;
import org.abacim.core.network.Multiply;
import org.abacim.core.network.Network;
import org.abacim.core.network.NetworkException;
import org.abacim.core.network.Concat;
import org.abacim.core.network.Pool;
import org.abacim.core.network.SelectChannels;
import org.abacim.core.network.Shape;
import org.abacim.core.network.Quantization;
import org.abacim.core.network.Softmax;
import org.abacim.core.blas.Gemm;

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
    final boolean[] inPlace;       // node index → whether the batched forward may overwrite its first input
    final int[] fusedNorm;         // conv node → the batch norm its batched product applies as it scatters, or -1
    final int[] fusedRelu;         // conv node → the ReLU after that batch norm it applies too, or -1
    final boolean[] fusedAway;     // node index → computed by the convolution before it (batched forward only)
    final int[][] gather;          // rearrange node → for each output value, the input value it takes
    final int[][] selectRuns;      // channel selection → (first input channel, first output channel, count) runs
    final int[][] gatherRuns;      // rearrange node → {run, step} of its gather as runs (see runs), or null
    final int[][] recycleAt;       // node index → nodes whose arrays the batched forward may reuse once it has run

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
        gather = new int[n][];
        selectRuns = new int[n][];
        gatherRuns = new int[n][];
        for (int i = 0; i < n; i++) {
            Layer l = nodes.get(i).layer();
            if (l instanceof Rearrange r) {
                gather[i] = r.sourceIndex();
                gatherRuns[i] = runs(gather[i]);
            }
            if (l instanceof SelectChannels sc) selectRuns[i] = channelRuns(sc.channels());
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
        inPlace = inPlace(nodes, inputs, lastReader);
        fusedNorm = new int[n];
        fusedRelu = new int[n];
        fusedAway = new boolean[n];
        fuseEpilogues();
        recycleAt = recycleAt(nodes, inputs, lastReader, inPlace, fusedAway, last);
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

    /**
     * Finds convolution → batch norm → ReLU chains whose links are each other's only reader: the batched forward
     * applies the norm and the ReLU to the product as it scatters it (one pass over the output instead of three).
     */
    private void fuseEpilogues() {
        int[] readers = new int[nodes.size()];
        for (int[] in : inputs) for (int j : in) readers[j]++;
        Arrays.fill(fusedNorm, -1);
        Arrays.fill(fusedRelu, -1);
        for (int i = 0; i < nodes.size(); i++) {
            if (!(nodes.get(i).layer() instanceof Conv2d) || readers[i] != 1) continue;
            int norm = soleReader(i);
            if (!(nodes.get(norm).layer() instanceof BatchNorm) || !inPlace[norm]) continue;
            fusedNorm[i] = norm;
            fusedAway[norm] = true;
            if (readers[norm] != 1) continue;
            int relu = soleReader(norm);
            if (nodes.get(relu).layer() instanceof Activation a && a.kind() == Activation.Kind.RELU && inPlace[relu]) {
                fusedRelu[i] = relu;
                fusedAway[relu] = true;
            }
        }
    }

    /** Channels as runs of consecutive ones: (first input channel, first output channel, count) triples. */
    static int[] channelRuns(int[] channels) {
        int[] runs = new int[3 * channels.length];
        int n = 0;
        for (int k = 0; k < channels.length; k++) {
            if (n > 0 && channels[k] == runs[n - 3] + runs[n - 1]) {
                runs[n - 1]++;
            } else {
                runs[n++] = channels[k];
                runs[n++] = k;
                runs[n++] = 1;
            }
        }
        return Arrays.copyOf(runs, n);
    }

    private int soleReader(int node) {
        for (int i = node + 1; i < inputs.length; i++) for (int j : inputs[i]) if (j == node) return i;
        throw new IllegalStateException("node " + node + " has no reader");
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
        this.inPlace = other.inPlace;
        this.fusedNorm = other.fusedNorm;
        this.fusedRelu = other.fusedRelu;
        this.fusedAway = other.fusedAway;
        this.gather = other.gather;
        this.selectRuns = other.selectRuns;
        this.gatherRuns = other.gatherRuns;
        this.recycleAt = other.recycleAt;
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
        /** Where the batched forward's outputs may come from (dropped activations), or null: fresh arrays. */
        ArrayPool pool;

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
            float[] x = t.act[inputs[i][0]];
            return activation(a, x, fresh(t, x.length));
        } else if (l instanceof Pool p) {
            return pool(p, node.inputShapes().get(0), out, t.act[inputs[i][0]], t, i, keep);
        } else if (l instanceof BatchNorm) {
            float[] x = t.act[inputs[i][0]];
            return affine(x, normScale[i], normShift[i], out.height() * out.width(), new float[x.length]);
        } else if (l instanceof Add) {
            return add(i, t, t.act[inputs[i][0]].clone());
        } else if (l instanceof Multiply) {
            float[] a = t.act[inputs[i][0]];
            float[] b = t.act[inputs[i][1]];
            return a.length >= b.length ? multiply(a, b, fresh(t, a.length)) : multiply(b, a, fresh(t, b.length));
        } else if (l instanceof SelectChannels sc) {
            float[] x = t.act[inputs[i][0]];
            int area = out.height() * out.width();
            float[] picked = fresh(t, (int) out.elements());
            // One copy per run of consecutive channels: a recurrent step's gate slices are 32–64 channels of one
            // value each, and a copy per channel was a third of a GRU's forward.
            int[] runs = selectRuns[i];
            for (int r = 0; r < runs.length; r += 3) {
                System.arraycopy(x, runs[r] * area, picked, runs[r + 1] * area, runs[r + 2] * area);
            }
            return picked;
        } else if (l instanceof Concat) {
            // Channel planes are contiguous per sample: concatenating channels is concatenating arrays.
            float[] joined = fresh(t, (int) out.elements());
            int at = 0;
            for (int src : inputs[i]) {
                System.arraycopy(t.act[src], 0, joined, at, t.act[src].length);
                at += t.act[src].length;
            }
            return joined;
        } else if (l instanceof Flatten) {
            return t.act[inputs[i][0]];
        } else if (l instanceof Softmax s) {
            float[] x = t.act[inputs[i][0]];
            return softmax(x, s.span(out), fresh(t, x.length));
        } else if (l instanceof Rearrange r) {
            float[] x = t.act[inputs[i][0]];
            int[] from = gather[i];
            float[] y = fresh(t, from.length);
            int[] runs = gatherRuns[i];
            if (runs == null) {
                for (int k = 0; k < y.length; k++) y[k] = x[from[k]];
            } else {
                // A reshape is one run, a transpose a run per output row: copies without an index per value.
                int run = runs[0], step = runs[1];
                for (int at = 0; at < y.length; at += run) {
                    int src = from[at];
                    if (step == 1) {
                        System.arraycopy(x, src, y, at, run);
                    } else {
                        for (int q = 0; q < run; q++) y[at + q] = x[src + q * step];
                    }
                }
            }
            return y;
        } else if (l instanceof ActivationProduct p) {
            return product(p, node.inputShapes().get(0), node.inputShapes().get(1), t.act[inputs[i][0]], t.act[inputs[i][1]],
                    fresh(t, (int) out.elements()));
        } else if (l instanceof RecurrentGates g) {
            return RecurrentGateMath.forward(g, t.act[inputs[i][0]], t.act[inputs[i][1]], t.act[inputs[i][2]],
                    fresh(t, g.stateSize()));
        } else if (l instanceof Mask m) {
            float[] x = t.act[inputs[i][0]];
            float[] y = new float[x.length];
            for (int k = 0; k < y.length; k++) y[k] = m.keeps(k) ? x[k] : m.fillAt(k);
            return y;
        } else if (l instanceof Embedding e) {
            float[] ids = t.act[inputs[i][0]];
            float[] y = new float[ids.length * e.dim()];
            for (int k = 0; k < ids.length; k++) e.copyRow(e.row(ids[k], k), y, k * e.dim());
            return y;
        } else if (l instanceof Constant c) {
            // A copy: a later layer may write its output over its input's array.
            return c.values();
        } else if (l instanceof Quantization q) {
            return quantization(q, out, t.act[inputs[i][0]]);
        } else if (l instanceof DynamicQuantization) {
            return DynamicQuantization.apply(t.act[inputs[i][0]]);
        } else if (l instanceof ChannelNorm c) {
            float[] x = t.act[inputs[i][0]];
            return channelNorm(c, out, x, fresh(t, x.length));
        } else if (l instanceof Affine a) {
            float[] x = t.act[inputs[i][0]];
            return affine(a, out, x, fresh(t, x.length));
        }
        throw new NetworkException("layer " + l.name() + ": no float kernel for " + l.getClass().getSimpleName());
    }

    /**
     * ONNX's QuantizeLinear or DequantizeLinear on one sample, as the operators define them: codes are
     * clamp(round_half_even(x / s) + z), values (q − z)·s, in float32.
     */
    static float[] quantization(Quantization q, Shape shape, float[] x) {
        float[] y = new float[x.length];
        int groups = q.perChannel() ? shape.channels() : 1;
        int area = x.length / groups;
        for (int c = 0; c < groups; c++) {
            float s = q.scale(c);
            int z = q.zeroPoint(c);
            for (int k = c * area, end = k + area; k < end; k++) {
                y[k] = q.dequantize() ? Quantization.value(x[k], s, z) : Quantization.code(x[k], s, z, q.lowest(), q.highest());
            }
        }
        return y;
    }

    /** The sum of node {@code i}'s inputs into {@code sum}, which holds its first input already. */
    private float[] add(int i, Tape t, float[] sum) {
        for (int k = 1; k < inputs[i].length; k++) {
            float[] other = t.act[inputs[i][k]];
            for (int j = 0; j < sum.length; j++) sum[j] += other[j];
        }
        return sum;
    }

    /**
     * A gather as equal runs, {run, step}: every {@code run} consecutive outputs take inputs {@code step} apart
     * (from the run's first); null when it is not so, or the runs are single values, or there are none.
     */
    static int[] runs(int[] from) {
        if (from.length == 0) return null;
        int step = from.length == 1 ? 1 : from[1] - from[0];
        int run = 1;
        while (run < from.length && from[run] == from[0] + run * step) run++;
        // Runs of one value would be a copy per value: the plain gather is as fast.
        if (run == 1 && from.length > 1 || from.length % run != 0) return null;
        for (int at = 0; at < from.length; at += run) {
            for (int q = 1; q < run; q++) if (from[at + q] != from[at] + q * step) return null;
        }
        return new int[] {run, step};
    }

    /**
     * Node {@code i}'s output written over its first input's array, for batch norm, activations, sums, products,
     * affines, softmax and layer norm whose first input no later node reads (the batched forward keeps no tape): no
     * allocation (fresh arrays cost more than these layers' arithmetic), one pass over memory; a regrouping takes the
     * array as it is. Same arithmetic as {@link #node}, so the same bytes.
     */
    private float[] nodeInPlace(int i, Tape t) {
        Layer l = nodes.get(i).layer();
        Shape out = nodes.get(i).outputShape();
        float[] x = t.act[inputs[i][0]];
        if (l instanceof Activation a) return activation(a, x, x);
        if (l instanceof BatchNorm) return affine(x, normScale[i], normShift[i], out.height() * out.width(), x);
        if (l instanceof Affine a) return affine(a, out, x, x);
        if (l instanceof Multiply) return multiply(x, t.act[inputs[i][1]], x);
        if (l instanceof Softmax s) return softmax(x, s.span(out), x);
        if (l instanceof ChannelNorm c) return channelNorm(c, out, x, x);
        if (l instanceof Rearrange) return x;
        return add(i, t, x);
    }

    /**
     * Per node, whether it may write its output over its first input (see {@link #nodeInPlace}): a layer that
     * writes each output value after reading the input values it needs (element-wise, or a row's or position's
     * values read before any is written), or a rearrange that only regroups, whose first input is read by no later
     * node, is not read twice by this one, and is an array of its own (not the caller's sample, nor a Flatten's view
     * of another node's array, nor viewed by a Flatten); a product, only over its longer input.
     */
    private static boolean[] inPlace(List<Network.Node> nodes, int[][] inputs, int[] lastReader) {
        boolean[] ok = new boolean[nodes.size()];
        for (int i = 1; i < nodes.size(); i++) {
            Layer l = nodes.get(i).layer();
            List<Shape> in = nodes.get(i).inputShapes();
            boolean overwritable = l instanceof Activation || l instanceof BatchNorm || l instanceof Add
                    || l instanceof Affine || l instanceof Softmax || l instanceof ChannelNorm
                    || l instanceof Multiply && in.get(0).elements() >= in.get(1).elements()
                    || l instanceof Rearrange r && !r.movesData();
            if (!overwritable) continue;
            int src = inputs[i][0];
            Layer producer = nodes.get(src).layer();
            boolean readOnce = Arrays.stream(inputs[i]).filter(j -> j == src).count() == 1;
            ok[i] = src != 0 && lastReader[src] == i && readOnce
                    && !(producer instanceof Input || producer instanceof Flatten);
        }
        // A Flatten's output is its input's array: that array lives as long as the Flatten's readers do.
        for (int f = 1; f < nodes.size(); f++) {
            if (nodes.get(f).layer() instanceof Flatten) {
                for (int i = 1; i < nodes.size(); i++) if (inputs[i].length > 0 && inputs[i][0] == inputs[f][0]) ok[i] = false;
            }
        }
        return ok;
    }

    /** An output array: from the tape's pool in the batched forward (old contents), else fresh. */
    static float[] fresh(Tape t, int length) {
        return t.pool == null ? new float[length] : t.pool.take(length);
    }

    /**
     * Per node, the nodes whose arrays the batched forward may reuse once it has run: an array passes from node to
     * node (a Flatten's view, a layer written over its input, an epilogue fused into its convolution) and is free
     * when the last node reading any of them has run; never the caller's sample nor the output. Each array is named
     * by one node whose slot still holds it then.
     */
    private static int[][] recycleAt(List<Network.Node> nodes, int[][] inputs, int[] lastReader, boolean[] inPlace,
                                     boolean[] fusedAway, int last) {
        int n = nodes.size();
        int[] owner = new int[n];
        for (int i = 0; i < n; i++) {
            boolean sameArray = i > 0 && (nodes.get(i).layer() instanceof Flatten || inPlace[i] || fusedAway[i]);
            owner[i] = sameArray ? owner[inputs[i][0]] : i;
        }
        int[] end = new int[n];
        int[] holder = new int[n];
        boolean[] kept = new boolean[n];
        for (int i = 0; i < n; i++) {
            int o = owner[i];
            if (lastReader[i] >= end[o]) {
                end[o] = lastReader[i];
                holder[o] = i;
            }
            if (i == last) kept[o] = true;
        }
        List<List<Integer>> at = new ArrayList<>();
        for (int i = 0; i < n; i++) at.add(new ArrayList<>());
        for (int o = 1; o < n; o++) if (owner[o] == o && !kept[o]) at.get(end[o]).add(holder[o]);
        int[][] recycle = new int[n][];
        for (int i = 0; i < n; i++) recycle[i] = at.get(i).stream().mapToInt(Integer::intValue).toArray();
        return recycle;
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
        if (!batchesProducts()) {
            parallelChunks(samples.length, threads, (from, to) -> {
                for (int s = from; s < to; s++) out[s] = forward(samples[s]);
                return null;
            });
            return out;
        }
        // Products read the weights from native memory (Winograd's transformed filters for the layers it runs),
        // prepared once and kept while the weights stay the same (training changes them between calls).
        Gemm.FloatConstant[] constants = preparedWeights();
        parallelChunks(samples.length, threads, (from, to) -> {
            forwardBatch(samples, from, to, out, constants);
            return null;
        });
        return out;
    }

    /** Per convolution node, its weights as the batched products read them, and the weights' fingerprint then. */
    private Gemm.FloatConstant[] prepared;
    private long[] preparedFingerprint;

    private synchronized Gemm.FloatConstant[] preparedWeights() {
        if (prepared == null) {
            prepared = new Gemm.FloatConstant[nodes.size()];
            preparedFingerprint = new long[nodes.size()];
        }
        Gemm.FloatConstant[] now = prepared.clone();
        for (int i = 0; i < nodes.size(); i++) {
            if (!(nodes.get(i).layer() instanceof Conv2d c)) continue;
            float[] w = batchWeights(i);
            if (w == null) continue;
            long fingerprint = fingerprint(w);
            if (now[i] != null && preparedFingerprint[i] == fingerprint) continue;
            // The old constant is left to the collector: a call still running may be reading it.
            now[i] = Winograd.applies(c) ? Winograd.filters(c, w) : new Gemm.FloatConstant(c.outChannels(), c.matrixRows(), w);
            preparedFingerprint[i] = fingerprint;
        }
        prepared = now;
        return now;
    }

    /** A 64-bit digest of the values' bits (four independent lanes, so the loop runs at memory speed). */
    static long fingerprint(float[] values) {
        long a = 1, b = 3, c = 5, d = 7;
        int i = 0;
        for (; i + 3 < values.length; i += 4) {
            a = a * 0x9E3779B97F4A7C15L + Float.floatToRawIntBits(values[i]);
            b = b * 0xC2B2AE3D27D4EB4FL + Float.floatToRawIntBits(values[i + 1]);
            c = c * 0x165667B19E3779F9L + Float.floatToRawIntBits(values[i + 2]);
            d = d * 0x27D4EB2F165667C5L + Float.floatToRawIntBits(values[i + 3]);
        }
        for (; i < values.length; i++) a = a * 0x9E3779B97F4A7C15L + Float.floatToRawIntBits(values[i]);
        return a ^ Long.rotateLeft(b, 17) ^ Long.rotateLeft(c, 31) ^ Long.rotateLeft(d, 47) ^ values.length;
    }

    /**
     * Whether a chunk of samples runs each convolution and fully connected layer as one matrix product over all of
     * them. Engines whose kernels work per sample (integer arithmetic, noisy arrays) answer false and run sample by
     * sample; engines with batched kernels of their own override {@link #batchInput}, {@link #batchWeights},
     * {@link #tileProduct} and {@link #linearBatch}.
     */
    protected boolean batchesProducts() {
        return true;
    }

    /**
     * The float weights ([out][in/groups][kh][kw]) a convolution's batched product multiplies {@link #batchInput}
     * by, its output then being that product plus the layer's bias; null when the engine computes the product
     * otherwise ({@link #tileProduct}). Read once per change: the array's contents are fingerprinted per call.
     */
    protected float[] batchWeights(int node) {
        return weights[node];
    }

    /** A convolution's input for the batched products (the float engine: as it is). */
    protected float[] batchInput(int node, float[] x) {
        return x;
    }

    /**
     * For an engine whose {@link #batchWeights} are null: group {@code g}'s outputs for a tile of im2col columns,
     * {@code y[coutG × columns]}, bias included, before any fused batch norm.
     */
    protected void tileProduct(int node, int g, int coutG, int k, float[] cols, int columns, float[] y) {
        throw new IllegalStateException("node " + node + ": no batched product");
    }

    /**
     * Floats of im2col matrix one batched product aims at: 1 MiB, so that the matrix is still in cache when the
     * product reads it. Measured on ResNet-18 (CIFAR), 2 threads: 16 MiB 99 images/s, 4 MiB 105, 1 MiB 117,
     * 256 KiB 103. A product takes at least {@link #MIN_COLUMNS} columns, so that deep layers' large weight
     * matrices are read once for many columns, not once for a few.
     */
    private static final long BATCH_COLUMNS_TARGET = 1L << 18;
    private static final int MIN_COLUMNS = 256;

    /**
     * Samples [from, to) through the network together: a layer's products for all of them are one GEMM (the
     * samples side by side along its columns), the other layers run sample by sample; each activation is dropped
     * once the last node reading it has run, its array left for later outputs of the chunk (see {@link #recycleAt}).
     */
    private void forwardBatch(float[][] samples, int from, int to, float[][] out, Gemm.FloatConstant[] constants) {
        Tape[] tapes = new Tape[to - from];
        ArrayPool pool = new ArrayPool();
        for (int s = 0; s < tapes.length; s++) {
            checkSample(samples[from + s]);
            tapes[s] = new Tape(nodes.size());
            tapes[s].act[0] = samples[from + s];
            tapes[s].pool = pool;
        }
        for (int i = 1; i < nodes.size(); i++) {
            Network.Node node = nodes.get(i);
            if (node.layer() instanceof Conv2d c) {
                convBatch(i, c, node.inputShapes().get(0), node.outputShape(), tapes, constants[i]);
            } else if (node.layer() instanceof Linear l) {
                linearBatch(i, l, tapes);
            } else if (fusedAway[i]) {
                for (Tape t : tapes) t.act[i] = t.act[inputs[i][0]]; // computed with the convolution before it
            } else if (inPlace[i]) {
                for (Tape t : tapes) t.act[i] = nodeInPlace(i, t);
            } else {
                for (Tape t : tapes) t.act[i] = node(i, t, false);
            }
            for (int j : recycleAt[i]) for (Tape t : tapes) pool.give(t.act[j]);
            for (int j : inputs[i]) {
                if (lastReader[j] == i && j != last) for (Tape t : tapes) t.act[j] = null;
            }
        }
        for (int s = 0; s < tapes.length; s++) out[from + s] = tapes[s].output();
    }

    /**
     * A batched convolution as products over tiles of columns: whole samples side by side when a sample's columns
     * fit the target, else one sample's output rows a band at a time. Each output value is the same dot product
     * whatever the tiling, so the tiling changes no result.
     */
    private void convBatch(int i, Conv2d c, Shape in, Shape outShape, Tape[] tapes, Gemm.FloatConstant w) {
        int groups = c.groups();
        int cinG = c.inChannels() / groups;
        int coutG = c.outChannels() / groups;
        int k = cinG * c.kernelH() * c.kernelW();
        int width = outShape.width();
        int positions = outShape.height() * width;
        long wanted = Math.max(MIN_COLUMNS, BATCH_COLUMNS_TARGET / k);
        int per = (int) Math.max(1, Math.min(tapes.length, wanted / positions));
        int band = per > 1 ? outShape.height() : (int) Math.max(1, Math.min(outShape.height(), wanted / width));
        float[] b = w == null ? null : biases[i]; // tileProduct adds its own
        float[][] x = new float[tapes.length][];
        float[][] y = new float[tapes.length][];
        boolean winograd = w != null && Winograd.applies(c);
        for (int s = 0; s < tapes.length; s++) {
            x[s] = batchInput(i, tapes[s].act[inputs[i][0]]);
            // The scatter below writes every output value; Winograd's tiles are left to fresh arrays.
            int size = c.outChannels() * positions;
            y[s] = tapes[s].act[i] = winograd ? new float[size] : fresh(tapes[s], size);
        }
        int norm = fusedNorm[i];
        if (winograd) {
            Winograd.convolve(c, in, outShape, x, y, w, b, norm < 0 ? null : normScale[norm],
                    norm < 0 ? null : normShift[norm], fusedRelu[i] >= 0);
            return;
        }
        for (int first = 0; first < tapes.length; first += per) {
            int n = Math.min(per, tapes.length - first);
            for (int oy = 0; oy < outShape.height(); oy += band) {
                int rows = Math.min(band, outShape.height() - oy);
                int span = rows * width;
                int columns = n * span;
                float[] cols = Workspace.floats(Workspace.WINDOWS, k * columns);
                float[] product = Workspace.floats(Workspace.PRODUCT, coutG * columns);
                for (int g = 0; g < groups; g++) {
                    for (int s = 0; s < n; s++) {
                        im2col(c, in, outShape, x[first + s], g * cinG, cinG, cols, s * span, columns, oy, oy + rows);
                    }
                    if (w != null) Gemm.sgemm(w, g * coutG * k, coutG, k, cols, columns, product);
                    else tileProduct(i, g, coutG, k, cols, columns, product);
                    scatterProduct(product, columns, span, oy * width, positions, g, coutG, b, norm < 0 ? null : normScale[norm],
                            norm < 0 ? null : normShift[norm], fusedRelu[i] >= 0, tapes, first, n, i);
                }
            }
        }
    }

    /**
     * Group {@code g}'s product rows y[coutG × columns] (samples side by side, {@code positions} columns each) into
     * node {@code node}'s output planes of tapes [first, first + n), adding each output channel's bias.
     */
    static void scatterProduct(float[] y, int columns, int positions, int g, int coutG, float[] bias, Tape[] tapes,
                               int first, int n, int node) {
        scatterProduct(y, columns, positions, 0, positions, g, coutG, bias, null, null, false, tapes, first, n, node);
    }

    /**
     * As above for a band of output positions — each sample's {@code span} columns are its positions
     * [at, at + span) of {@code positions} — then, when given, a batch norm's affine and a ReLU: the arithmetic of
     * the separate layers, in their order, so the same bytes.
     */
    static void scatterProduct(float[] y, int columns, int span, int at, int positions, int g, int coutG, float[] bias,
                               float[] scale, float[] shift, boolean relu, Tape[] tapes, int first, int n, int node) {
        for (int s = 0; s < n; s++) {
            float[] ys = tapes[first + s].act[node];
            for (int o = 0; o < coutG; o++) {
                int oc = g * coutG + o;
                float b = bias == null ? 0f : bias[oc];
                int src = o * columns + s * span;
                int dst = oc * positions + at;
                if (scale == null) {
                    for (int p = 0; p < span; p++) ys[dst + p] = y[src + p] + b;
                } else if (!relu) {
                    float sc = scale[oc], sh = shift[oc];
                    for (int p = 0; p < span; p++) ys[dst + p] = (y[src + p] + b) * sc + sh;
                } else {
                    float sc = scale[oc], sh = shift[oc];
                    for (int p = 0; p < span; p++) ys[dst + p] = Math.max((y[src + p] + b) * sc + sh, 0f);
                }
            }
        }
    }

    /** A fully connected layer for a chunk of samples, one product. */
    protected void linearBatch(int i, Linear l, Tape[] tapes) {
        int in = l.inFeatures();
        int outs = l.outFeatures();
        // The chunk's inputs and products in this thread's scratch arrays, each sample's output from the chunk's pool:
        // a recurrent network runs this once per step, and fresh arrays were much of its time.
        float[] x = Workspace.floats(Workspace.WINDOWS, tapes.length * in);
        for (int s = 0; s < tapes.length; s++) System.arraycopy(tapes[s].act[inputs[i][0]], 0, x, s * in, in);
        float[] y = Workspace.floats(Workspace.PRODUCT, tapes.length * outs);
        Gemm.sgemm(false, true, tapes.length, outs, in, x, 0, weights[i], 0, y, 0, false);
        for (int s = 0; s < tapes.length; s++) {
            float[] ys = fresh(tapes[s], outs);
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
        } catch (ExecutionException e) {
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
        im2col(c, in, out, x, firstChannel, channels, cols, base, ld, 0, out.height());
    }

    /** As {@link #im2col(Conv2d, Shape, Shape, float[], int, int, float[], int, int)}, output rows [oyFrom, oyTo) only. */
    static void im2col(Conv2d c, Shape in, Shape out, float[] x, int firstChannel, int channels, float[] cols, int base,
                       int ld, int oyFrom, int oyTo) {
        if (c.strideW() == 1 && out.width() == in.width()) {
            im2colSameWidth(c, in, out, x, firstChannel, channels, cols, base, ld, oyFrom, oyTo);
        } else {
            im2colByRows(c, in, out, x, firstChannel, channels, cols, base, ld, oyFrom, oyTo);
        }
    }

    /** im2col for any geometry, output row by output row (rows [oyFrom, oyTo)). */
    static void im2colByRows(Conv2d c, Shape in, Shape out, float[] x, int firstChannel, int channels, float[] cols,
                             int base, int ld, int oyFrom, int oyTo) {
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
                    for (int oy = oyFrom; oy < oyTo; oy++) {
                        int iy = oy * c.strideH() - c.padH() + ky * c.dilation();
                        int d = dst + (oy - oyFrom) * out.width();
                        if (iy < 0 || iy >= h) {
                            Arrays.fill(cols, d, d + out.width(), 0f);
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

    /**
     * im2col when output rows are as wide as input rows and the horizontal stride is 1 ("same" convolutions): a kernel
     * tap's window values for consecutive output rows are consecutive input rows shifted by the tap's column offset,
     * so all of a vertical stride's run is one copy, after which only the columns the shift pulled in from the
     * neighbouring row (the padding) are zeroed. Same values as the general loop, with one copy per tap instead of
     * one per output row — the difference that matters for ResNet's 8×8 and 4×4 planes.
     */
    private static void im2colSameWidth(Conv2d c, Shape in, Shape out, float[] x, int firstChannel, int channels,
                                        float[] cols, int base, int ld, int oyFrom, int oyTo) {
        int h = in.height();
        int w = in.width();
        int row = 0;
        for (int ch = 0; ch < channels; ch++) {
            int xc = (firstChannel + ch) * h * w;
            for (int ky = 0; ky < c.kernelH(); ky++) {
                for (int kx = 0; kx < c.kernelW(); kx++, row++) {
                    int dst = base + row * ld - oyFrom * w;     // where output row 0 would go
                    int offset = kx * c.dilation() - c.padW(); // input column = output column + offset
                    int first = oyFrom, end = oyTo;             // output rows whose input row lies inside
                    while (first < oyTo && rowOutside(c, first, ky, h)) first++;
                    while (end > first && rowOutside(c, end - 1, ky, h)) end--;
                    // Plain loops: these runs are a row or two, shorter than a fill call's own overhead.
                    for (int q = dst + oyFrom * w, stop = dst + first * w; q < stop; q++) cols[q] = 0f;
                    for (int q = dst + end * w, stop = dst + oyTo * w; q < stop; q++) cols[q] = 0f;
                    if (c.strideH() == 1 && end > first) {
                        int iy = first - c.padH() + ky * c.dilation();
                        int from = xc + iy * w + offset, to = from + (end - first) * w;
                        // The run's first and last values may lie before or after this channel's plane.
                        int lo = Math.max(from, xc), hi = Math.min(to, xc + h * w);
                        int d = dst + first * w;
                        if (hi > lo) System.arraycopy(x, lo, cols, d + (lo - from), hi - lo);
                    } else {
                        for (int oy = first; oy < end && Math.abs(offset) < w; oy++) {
                            int iy = oy * c.strideH() - c.padH() + ky * c.dilation();
                            System.arraycopy(x, xc + iy * w + Math.max(offset, 0), cols,
                                    dst + oy * w + Math.max(-offset, 0), w - Math.abs(offset));
                        }
                    }
                    // Columns whose window hangs over the left (offset < 0) or right edge read padding: the
                    // first -offset or the last offset columns of each row (one value for a 3×3 window).
                    int zeroFrom = offset < 0 ? 0 : Math.max(w - offset, 0);
                    int zeroTo = offset < 0 ? Math.min(-offset, w) : w;
                    if (offset != 0) {
                        for (int d = dst + first * w, stop = dst + end * w; d < stop; d += w) {
                            for (int q = d + zeroFrom; q < d + zeroTo; q++) cols[q] = 0f;
                        }
                    }
                }
            }
        }
    }

    private static boolean rowOutside(Conv2d c, int oy, int ky, int h) {
        int iy = oy * c.strideH() - c.padH() + ky * c.dilation();
        return iy < 0 || iy >= h;
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

    /** {@code a} applied to {@code x} into {@code y} ({@code y} may be {@code x}). */
    static float[] activation(Activation a, float[] x, float[] y) {
        switch (a.kind()) {
            // max, not a comparison: branch-free (a quarter of the float forward's time went to mispredicted
            // branches), and NaN stays NaN as in PyTorch.
            case RELU -> { for (int i = 0; i < x.length; i++) y[i] = Math.max(x[i], 0f); }
            case CLIPPED_RELU -> {
                float clip = (float) a.clip();
                for (int i = 0; i < x.length; i++) y[i] = x[i] > 0 ? Math.min(x[i], clip) : 0f;
            }
            case SIGMOID -> { for (int i = 0; i < x.length; i++) y[i] = sigmoid(x[i]); }
            case TANH -> { for (int i = 0; i < x.length; i++) y[i] = tanh(x[i]); }
            case HARD_SIGMOID -> { for (int i = 0; i < x.length; i++) y[i] = hardSigmoid(x[i]); }
            case HARD_SWISH -> { for (int i = 0; i < x.length; i++) y[i] = x[i] * hardSigmoid(x[i]); }
            // Erf in three loops (widen, erf, narrow) so that the middle one vectorizes (see FloatErf).
            case ERF -> {
                double[] d = Workspace.doubles(x.length);
                for (int i = 0; i < x.length; i++) d[i] = x[i];
                FloatErf.erf(d, x.length);
                for (int i = 0; i < x.length; i++) y[i] = (float) d[i];
            }
            case GELU -> {
                double[] d = Workspace.doubles(x.length);
                for (int i = 0; i < x.length; i++) d[i] = x[i] / Math.sqrt(2);
                FloatErf.erf(d, x.length);
                for (int i = 0; i < x.length; i++) y[i] = (float) (x[i] < GELU_TAIL ? geluTail(x[i]) : 0.5 * x[i] * (1 + d[i]));
            }
            case GELU_TANH -> {
                for (int i = 0; i < x.length; i++) {
                    double v = x[i];
                    y[i] = (float) (0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v))));
                }
            }
        }
        return y;
    }

    /** Below this the erf is clamped (x/√2 < −4): GELU takes its asymptotic form instead of x·(1 + erf)/2. */
    private static final double GELU_TAIL = -4 * Math.sqrt(2);

    /**
     * x·Φ(x) for x below {@link #GELU_TAIL}: −φ(x)·(1 − 1/x² + 3/x⁴ − 15/x⁶), the asymptotic series of Mills' ratio
     * (relative error under 1e-4 from −5.66 down, vanishing beyond); the clamped erf would give −8e-9·|x| there,
     * growing without bound with |x|, where the exact value is under 5e-8 and falls to −0.
     */
    static double geluTail(double x) {
        double inv2 = 1 / (x * x);
        return -Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI) * (1 - inv2 * (1 - inv2 * (3 - 15 * inv2)));
    }

    static float sigmoid(float x) {
        return (float) (1 / (1 + Math.exp(-x)));
    }

    /**
     * tanh to float32: 1 − 2/(1 + e^{2x}) in double, x itself where |x| < 10⁻⁴ (there tanh(x) = x to float precision
     * and the difference would cancel). It is (float) Math.tanh(x) but for one value in about ten million, one ulp off
     * ({@code FloatTanhTest}), and takes 7 ns instead of 30 on Java 17 (its Math.tanh is not an intrinsic; Math.exp
     * is): a recurrent step's tanh was most of a GRU's or an LSTM's forward.
     */
    static float tanh(float x) {
        return Math.abs(x) < 1e-4f ? x : (float) (1 - 2 / (1 + Math.exp(2.0 * x)));
    }

    /**
     * Layer normalization over the channels of each position (float sums in double, as a reference would), into
     * {@code y} ({@code y} may be {@code x}: the last loop writes each value after reading it). The loops run channel
     * by channel over all positions at once, so that they read memory in order; each position's sums still add its
     * channels in channel order.
     */
    static float[] channelNorm(ChannelNorm n, Shape shape, float[] x, float[] y) {
        int channels = shape.channels();
        int area = x.length / channels;
        double[] mean = new double[area];
        double[] inv = new double[area];
        for (int c = 0; c < channels; c++) {
            for (int p = 0, at = c * area; p < area; p++) mean[p] += x[at + p];
        }
        for (int p = 0; p < area; p++) mean[p] /= channels;
        for (int c = 0; c < channels; c++) {
            for (int p = 0, at = c * area; p < area; p++) {
                double d = x[at + p] - mean[p];
                inv[p] += d * d;
            }
        }
        for (int p = 0; p < area; p++) inv[p] = 1 / Math.sqrt(inv[p] / channels + n.eps());
        float[] gamma = n.gamma();
        float[] beta = n.beta();
        for (int c = 0; c < channels; c++) {
            for (int p = 0, at = c * area; p < area; p++) {
                y[at + p] = (float) ((x[at + p] - mean[p]) * inv[p] * gamma[c] + beta[c]);
            }
        }
        return y;
    }

    static float hardSigmoid(float x) {
        return Math.min(Math.max(x / 6f + 0.5f, 0f), 1f);
    }

    /**
     * {@code a · b} into {@code y} ({@code y} may be {@code a}), {@code b} of {@code a}'s shape or one value per
     * channel of {@code a}.
     */
    static float[] multiply(float[] a, float[] b, float[] y) {
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

    /** An affine layer's {@code x·scale + shift}, per tensor or per channel, into {@code y} (which may be {@code x}). */
    static float[] affine(Affine a, Shape out, float[] x, float[] y) {
        int groups = a.perChannel() ? out.channels() : 1;
        int area = x.length / groups;
        for (int c = 0; c < groups; c++) {
            float s = a.scale(c), b = a.shift(c);
            for (int k = c * area, end = k + area; k < end; k++) y[k] = x[k] * s + b;
        }
        return y;
    }

    /** Per-channel {@code x·scale + shift} into {@code y} ({@code y} may be {@code x}). */
    static float[] affine(float[] x, float[] scale, float[] shift, int area, float[] y) {
        for (int c = 0; c < scale.length; c++) {
            for (int i = c * area, end = i + area; i < end; i++) y[i] = x[i] * scale[c] + shift[c];
        }
        return y;
    }

    static float[] softmax(float[] x) {
        return softmax(x, x.length, new float[x.length]);
    }

    /**
     * Softmax over each run of {@code span} consecutive values (a row of attention scores). The divisions by the
     * rows' sums run over the whole array at once, in doubles only, a loop C2 vectorizes (a row of 17 is too short,
     * and C2 does not vectorize a loop that also widens floats); the same division of the same values. Into
     * {@code y}, which may be {@code x}: each value is read before it is written.
     */
    static float[] softmax(float[] x, int span, float[] y) {
        int n = x.length;
        // Each value's exponential in [0, n), its row's sum in [n, 2n).
        double[] d = Workspace.doubles(2 * n);
        for (int from = 0; from < n; from += span) {
            float max = Float.NEGATIVE_INFINITY;
            for (int i = from; i < from + span; i++) max = Math.max(max, x[i]);
            double sum = 0;
            for (int i = from; i < from + span; i++) {
                // A row masked out entirely (every score −∞) gives NaN, as PyTorch's softmax does.
                y[i] = (float) Math.exp(x[i] - max);
                sum += y[i];
            }
            for (int i = n + from; i < n + from + span; i++) d[i] = sum;
        }
        for (int i = 0; i < n; i++) d[i] = y[i];
        for (int i = 0; i < n; i++) d[i] = d[i] / d[n + i];
        for (int i = 0; i < n; i++) y[i] = (float) d[i];
        return y;
    }

    /**
     * An activation product per channel, C×M×N from A (C×M×K, or C×K×M transposed) and B (C×K×N, or C×N×K), a
     * single-channel operand shared by every channel; each output a float sum from 0 in index order. Attention's
     * products are small (17 tokens by a head of 16 in a small ViT): too short a row for C2's vectorized loops, whose
     * scalar remainder then did all the work. Instead, tiles of 4×4 outputs with their sixteen sums in registers
     * (one row or column by four at the edges), each sum still the same additions in the same order as a plain dot
     * product, so the same bits.
     */
    static float[] product(ActivationProduct p, Shape sa, Shape sb, float[] a, float[] b) {
        int[] d = p.dims(sa, sb);
        return product(p, sa, sb, a, b, new float[d[0] * d[1] * d[3]]);
    }

    /** As above, into {@code y} (every value written, whatever it held). */
    static float[] product(ActivationProduct p, Shape sa, Shape sb, float[] a, float[] b, float[] y) {
        int[] d = p.dims(sa, sb);
        int channels = d[0], m = d[1], k = d[2], n = d[3];
        // A(i, j) at aAt + i·aRow + j·aCol; B(j, o) at bAt + j·bRow + o·bCol.
        int aRow = p.transposeA() ? 1 : k, aCol = p.transposeA() ? m : 1;
        int bRow = p.transposeB() ? 1 : n, bCol = p.transposeB() ? k : 1;
        int fullRows = m - m % 4, fullCols = n - n % 4;
        float[] tile = new float[16];
        for (int c = 0; c < channels; c++) {
            int aAt = sa.channels() == 1 ? 0 : c * m * k;
            int bAt = sb.channels() == 1 ? 0 : c * k * n;
            int yAt = c * m * n;
            for (int i = 0; i < fullRows; i += 4) {
                int a0 = aAt + i * aRow;
                for (int o = 0; o < fullCols; o += 4) {
                    int b0 = bAt + o * bCol;
                    productTile(a, a0, aRow, aCol, b, b0, bCol, bRow, k, tile);
                    for (int q = 0; q < 4; q++) System.arraycopy(tile, 4 * q, y, yAt + (i + q) * n + o, 4);
                }
                // A column of B left over: against A's four rows.
                for (int o = fullCols; o < n; o++) {
                    productEdge(b, bAt + o * bCol, bRow, a, a0, a0 + aRow, a0 + 2 * aRow, a0 + 3 * aRow, aCol, k, tile);
                    for (int q = 0; q < 4; q++) y[yAt + (i + q) * n + o] = tile[q];
                }
            }
            // A row of A left over: against B's columns four at a time (the last repeated past the end, unused).
            for (int i = fullRows; i < m; i++) {
                for (int o = 0; o < n; o += 4) {
                    int b0 = bAt + o * bCol, last = bAt + (n - 1) * bCol;
                    productEdge(a, aAt + i * aRow, aCol, b, b0, Math.min(b0 + bCol, last), Math.min(b0 + 2 * bCol, last),
                            Math.min(b0 + 3 * bCol, last), bRow, k, tile);
                    for (int r = 0; r < 4 && o + r < n; r++) y[yAt + i * n + o + r] = tile[r];
                }
            }
        }
        return y;
    }

    /**
     * A 4×4 tile of an activation product, row-major into {@code tile}: A's rows at {@code a0 + q·aRow}, their
     * elements {@code aStep} apart; B's columns at {@code b0 + r·bCol}, elements {@code bStep} apart.
     */
    private static void productTile(float[] a, int a0, int aRow, int aStep, float[] b, int b0, int bCol, int bStep, int k,
                                    float[] tile) {
        int a1 = a0 + aRow, a2 = a1 + aRow, a3 = a2 + aRow;
        int b1 = b0 + bCol, b2 = b1 + bCol, b3 = b2 + bCol;
        float s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
        float s20 = 0, s21 = 0, s22 = 0, s23 = 0, s30 = 0, s31 = 0, s32 = 0, s33 = 0;
        for (int j = 0, ja = 0, jb = 0; j < k; j++, ja += aStep, jb += bStep) {
            float x0 = a[a0 + ja], x1 = a[a1 + ja], x2 = a[a2 + ja], x3 = a[a3 + ja];
            float z0 = b[b0 + jb], z1 = b[b1 + jb], z2 = b[b2 + jb], z3 = b[b3 + jb];
            s00 += x0 * z0; s01 += x0 * z1; s02 += x0 * z2; s03 += x0 * z3;
            s10 += x1 * z0; s11 += x1 * z1; s12 += x1 * z2; s13 += x1 * z3;
            s20 += x2 * z0; s21 += x2 * z1; s22 += x2 * z2; s23 += x2 * z3;
            s30 += x3 * z0; s31 += x3 * z1; s32 += x3 * z2; s33 += x3 * z3;
        }
        tile[0] = s00; tile[1] = s01; tile[2] = s02; tile[3] = s03;
        tile[4] = s10; tile[5] = s11; tile[6] = s12; tile[7] = s13;
        tile[8] = s20; tile[9] = s21; tile[10] = s22; tile[11] = s23;
        tile[12] = s30; tile[13] = s31; tile[14] = s32; tile[15] = s33;
    }

    /**
     * One line (at {@code x0}, elements {@code xStep} apart) against four (at {@code z0..z3}, {@code zStep} apart):
     * four dot products into {@code out[0..3]}, each summed in index order. Float products commute exactly, so
     * which operand is the one line does not change a bit.
     */
    private static void productEdge(float[] x, int x0, int xStep, float[] z, int z0, int z1, int z2, int z3, int zStep,
                                    int k, float[] out) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (int j = 0, jx = 0, jz = 0; j < k; j++, jx += xStep, jz += zStep) {
            float v = x[x0 + jx];
            s0 += v * z[z0 + jz];
            s1 += v * z[z1 + jz];
            s2 += v * z[z2 + jz];
            s3 += v * z[z3 + jz];
        }
        out[0] = s0; out[1] = s1; out[2] = s2; out[3] = s3;
    }
}
