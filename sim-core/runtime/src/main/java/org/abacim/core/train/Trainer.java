package org.abacim.core.train;

import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.abacim.core.data.Dataset;
import org.abacim.core.exec.Backprop;
import org.abacim.core.exec.BatchBackprop;
import org.abacim.core.exec.FakeQuantEngine;
import org.abacim.core.exec.FloatEngine;
import org.abacim.core.network.BatchNorm;
import org.abacim.core.network.Conv2d;
import org.abacim.core.network.LayerParams;
import org.abacim.core.network.Linear;
import org.abacim.core.network.Network;
import org.abacim.core.network.NetworkException;
import org.abacim.core.progress.Progress;
import org.abacim.core.tensor.Tensor;

/**
 * Mini-batch training with softmax cross-entropy. Deterministic: initialization and each epoch's shuffle come
 * from the seed; gradients are summed over fixed chunks in a fixed order, so the trained weights are the same
 * bytes for any thread count.
 */
public final class Trainer {
    /** What one epoch did. */
    public record Epoch(int epoch, double loss, double trainAccuracy, double testAccuracy, double seconds) {}

    private Trainer() {}

    /**
     * Layers on an earlier layer's weight tensor (an unrolled RNN's steps): node indices {sharer, owner, 1 when the
     * bias is the same tensor too}.
     */
    public static int[][] sharing(Network net) {
        Map<String, String> shared = net.sharedWeights();
        int[][] pairs = new int[shared.size()][];
        int k = 0;
        for (Map.Entry<String, String> e : shared.entrySet()) {
            LayerParams.Dense a = (LayerParams.Dense) net.params(e.getKey());
            LayerParams.Dense b = (LayerParams.Dense) net.params(e.getValue());
            pairs[k++] = new int[] {net.indexOf(e.getKey()), net.indexOf(e.getValue()), a.bias() != null && a.bias() == b.bias() ? 1 : 0};
        }
        return pairs;
    }

    /**
     * A shared weight's gradient is the sum of its readers' (backpropagation through time): each sharer's is added
     * to its owner's and dropped, so the optimizer, masks and ADMM's terms see the weight once. A bias shared as the
     * same tensor is merged too.
     */
    public static void mergeShared(Backprop.Gradients g, int[][] sharing) {
        for (int[] pair : sharing) {
            int sharer = pair[0], owner = pair[1];
            addInto(g.weight[owner], g.weight[sharer]);
            g.weight[sharer] = null;
            if (pair[2] == 1) {
                addInto(g.bias[owner], g.bias[sharer]);
                g.bias[sharer] = null;
            }
        }
    }

    private static void addInto(float[] into, float[] from) {
        if (into == null || from == null) return;
        for (int k = 0; k < into.length; k++) into[k] += from[k];
    }

    /**
     * Fresh parameters as PyTorch initializes them: weights and biases uniform in ±1/√fan_in (its default
     * Kaiming-uniform with a = √5), batch norm γ = 1, β = 0, mean 0, variance 1.
     */
    public static Network initialize(Network shapes, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, LayerParams> params = new LinkedHashMap<>();
        for (Network.Node n : shapes.nodes()) {
            if (n.layer() instanceof Conv2d c) {
                int fanIn = c.matrixRows();
                params.put(c.name(), new LayerParams.Dense(
                        uniform(random, fanIn, c.outChannels(), c.inChannels() / c.groups(), c.kernelH(), c.kernelW()),
                        c.bias() ? uniform(random, fanIn, c.outChannels()) : null));
            } else if (n.layer() instanceof Linear l) {
                params.put(l.name(), new LayerParams.Dense(uniform(random, l.inFeatures(), l.outFeatures(), l.inFeatures()),
                        l.bias() ? uniform(random, l.inFeatures(), l.outFeatures()) : null));
            } else if (n.layer() instanceof BatchNorm b) {
                float[] ones = new float[b.channels()];
                Arrays.fill(ones, 1f);
                params.put(b.name(), new LayerParams.Norm(new Tensor(new int[] {b.channels()}, ones),
                        Tensor.zeros(b.channels()), Tensor.zeros(b.channels()),
                        new Tensor(new int[] {b.channels()}, ones.clone()), 1e-5f));
            }
        }
        return shapes.withParams(params);
    }

    private static Tensor uniform(SplittableRandom random, int fanIn, int... shape) {
        Tensor t = Tensor.zeros(shape);
        float bound = (float) (1 / Math.sqrt(fanIn));
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) d[i] = (float) (random.nextDouble() * 2 - 1) * bound;
        return t;
    }

    /** Training samples the input scales of quantization-aware training are calibrated on. */
    static final int CALIBRATION_SAMPLES = 64;

    /**
     * Trains a copy of {@code net}'s parameters on {@code train}, reporting each epoch (with accuracy on
     * {@code test}), and returns the network with the trained parameters.
     */
    public static Network train(Network net, Dataset train, Dataset test, TrainConfig cfg, Consumer<Epoch> onEpoch) {
        return train(net, train, test, cfg, onEpoch, Hook.NONE);
    }

    /**
     * What a training method adds around each optimizer step and epoch (ADMM's proximal term, masks). Weights are
     * the engine's arrays by node index (null where a node has none), updated in place.
     */
    public interface Hook {
        Hook NONE = new Hook() {};

        /**
         * Before batch {@code batch} (0-based) of {@code epoch} is run forward and backward: may change the weights
         * the batch sees (hardware-aware training puts a simulated chip's weights there and gives the float weights
         * back in {@link #beforeStep}, so the gradient passes straight through to them).
         */
        default void beforeBatch(int epoch, int batch, float[][] weights) {}

        /** Before the step: may add to the summed gradients (the optimizer divides them by {@code batch}). */
        default void beforeStep(float[][] weights, float[][] weightGradients, int batch) {}

        /** After the step: may change the weights (apply a mask, project). */
        default void afterStep(float[][] weights) {}

        /** After each epoch, before it is scored. */
        default void afterEpoch(int epoch, float[][] weights) {}
    }

    /** As {@link #train(Network, Dataset, Dataset, TrainConfig, Consumer)}, with a training {@code hook}. */
    public static Network train(Network net, Dataset train, Dataset test, TrainConfig cfg, Consumer<Epoch> onEpoch,
                                Hook hook) {
        Network working = copyParams(net);
        // Quantization-aware: the layers see inputs quantized with scales calibrated on a seeded, class-stratified
        // draw of the training data.
        float[][] calibration = cfg.activationBits() == 0 ? null
                : train.sample(CALIBRATION_SAMPLES, cfg.seed(), Dataset.Purpose.TRAINING_CALIBRATION).images();
        FloatEngine engine = calibration == null ? new FloatEngine(working)
                : new FakeQuantEngine(working, cfg.activationBits(), calibration, cfg.noiseLsb(),
                        cfg.noiseRows());
        // Networks with batch norm train it with each chunk's statistics (and train γ and β), a chunk as one product.
        boolean batched = BatchBackprop.applies(engine);
        Optimizer optimizer = new Optimizer(engine, cfg, batched);
        int[][] sharing = sharing(working);
        TrainConfig.Distillation distillation = cfg.distillation();
        float[][] teacherLogits = distillation == null ? null : logits(distillation.teacher(), train, cfg.threads());
        int n = train.size();
        int[] order = new int[n];
        long steps = (long) cfg.epochs() * ((n + cfg.batchSize() - 1) / cfg.batchSize());
        for (int i = 0; i < n; i++) order[i] = i;
        // One progress step per batch (not per epoch), so that a reporter has a rate, and an ETA, within seconds;
        // the note says which epoch it is in and the epoch's mean loss so far. Progress only reads the loss.
        try (Progress.Stage progress =
                     Progress.start("training " + net.name(), steps, "batches")) {
        for (int epoch = 1; epoch <= cfg.epochs(); epoch++) {
            long start = System.nanoTime();
            shuffle(order, new SplittableRandom(cfg.seed() * 1_000_003L + epoch));
            if (engine instanceof FakeQuantEngine q && epoch > 1) q.calibrate(working, calibration);
            double loss = 0;
            int correct = 0;
            for (int b = 0; b < n; b += cfg.batchSize()) {
                int from = b;
                int size = Math.min(cfg.batchSize(), n - b);
                hook.beforeBatch(epoch, b / cfg.batchSize(), engine.parameters(true));
                List<Backprop.Gradients> parts = FloatEngine.parallelChunks(size, cfg.threads(), (lo, hi) -> {
                    Backprop.Gradients g = new Backprop.Gradients(engine);
                    if (batched) {
                        float[][] xs = new float[hi - lo][];
                        int[] ys = new int[hi - lo];
                        float[][] soft = teacherLogits == null ? null : new float[hi - lo][];
                        for (int s = lo; s < hi; s++) {
                            int idx = order[from + s];
                            xs[s - lo] = train.images()[idx];
                            ys[s - lo] = train.labels()[idx];
                            if (soft != null) soft[s - lo] = teacherLogits[idx];
                        }
                        BatchBackprop.chunk(engine, xs, ys, soft,
                                soft == null ? 0 : distillation.weight(), soft == null ? 1 : distillation.temperature(), g);
                        return g;
                    }
                    for (int s = lo; s < hi; s++) {
                        int idx = order[from + s];
                        if (teacherLogits == null) {
                            Backprop.sample(engine, train.images()[idx], train.labels()[idx], g);
                        } else {
                            Backprop.sample(engine, train.images()[idx], train.labels()[idx], teacherLogits[idx],
                                    distillation.weight(), distillation.temperature(), g);
                        }
                    }
                    return g;
                });
                Backprop.Gradients total = parts.get(0);
                for (int k = 1; k < parts.size(); k++) total.add(parts.get(k));
                loss += total.loss;
                correct += total.correct;
                mergeShared(total, sharing);
                hook.beforeStep(engine.parameters(true), total.weight, size);
                optimizer.step(total, size, cfg.schedule().factor(optimizer.steps(), steps));
                hook.afterStep(engine.parameters(true));
                progress.note(epochNote(epoch, cfg.epochs(), loss / (b + size)));
                progress.step();
            }
            if (batched) engine.refreshNormalization();
            hook.afterEpoch(epoch, engine.parameters(true));
            double testAccuracy = test == null ? Double.NaN : accuracy(engine, test, cfg.threads());
            onEpoch.accept(new Epoch(epoch, loss / n, (double) correct / n, testAccuracy,
                    (System.nanoTime() - start) / 1e9));
        }
        }
        return working;
    }

    /** The progress note while training: "epoch 2 of 6, loss 0.1234" (the epoch's mean loss so far). */
    static String epochNote(int epoch, int epochs, double loss) {
        return String.format(Locale.ROOT, "epoch %d of %d, loss %.4f", epoch, epochs, loss);
    }

    /** The logits (the output before a final softmax) of {@code net} for every sample of {@code data}. */
    static float[][] logits(Network net, Dataset data, int threads) {
        FloatEngine engine = new FloatEngine(net);
        int node = Backprop.logitsNode(engine);
        float[][] out = new float[data.size()][];
        FloatEngine.parallelChunks(data.size(), threads, (from, to) -> {
            for (int s = from; s < to; s++) out[s] = engine.forward(data.images()[s], false).activation(node);
            return null;
        });
        return out;
    }

    /** Fraction of samples whose largest output is their label. */
    public static double accuracy(FloatEngine engine, Dataset data, int threads) {
        return fraction(correct(engine, data, threads));
    }

    /** Which samples' largest output is their label (for paired comparisons of two models on the same samples). */
    public static boolean[] correct(FloatEngine engine, Dataset data, int threads) {
        int[] predicted = engine.predict(data.images(), threads);
        boolean[] correct = new boolean[predicted.length];
        for (int i = 0; i < predicted.length; i++) correct[i] = predicted[i] == data.labels()[i];
        return correct;
    }

    /** The fraction of {@code true}s. */
    public static double fraction(boolean[] correct) {
        int right = 0;
        for (boolean c : correct) if (c) right++;
        return (double) right / correct.length;
    }

    private static void shuffle(int[] a, SplittableRandom random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** The same network with its own copy of every parameter tensor (training updates them in place). */
    public static Network copyParams(Network net) {
        Map<String, LayerParams> copy = new LinkedHashMap<>();
        // A tensor an unrolled RNN's steps share is copied once: the copies share it too. Any other layer gets its
        // own copies (convolutions that an exporter left on one equal initializer train apart, as in PyTorch).
        Map<Tensor, Tensor> copies = new IdentityHashMap<>();
        Map<String, String> shared = net.sharedWeights();
        net.params().forEach((k, v) -> {
            if (v instanceof LayerParams.Dense d) {
                boolean tied = shared.containsKey(k) || shared.containsValue(k);
                copy.put(k, new LayerParams.Dense(tied ? copies.computeIfAbsent(d.weight(), Tensor::copy) : d.weight().copy(),
                        d.bias() == null ? null : tied ? copies.computeIfAbsent(d.bias(), Tensor::copy) : d.bias().copy()));
            } else if (v instanceof LayerParams.Norm m) {
                copy.put(k, new LayerParams.Norm(m.gamma().copy(), m.beta().copy(), m.mean().copy(),
                        m.variance().copy(), m.eps()));
            }
        });
        return net.withParams(copy);
    }

    /** Adam (Kingma and Ba, 2015; β1 0.9, β2 0.999, ε 1e-8) or SGD with momentum, on the engine's arrays in place. */
    static final class Optimizer {
        private final float[][] weights;
        private final float[][] biases;
        private final float[][][] state;
        private final TrainConfig cfg;
        /** Batch norm tensors by node (null when batch norm is not trained): γ, β, running mean and variance. */
        private final LayerParams.Norm[] norms;
        private int step;

        Optimizer(FloatEngine engine, TrainConfig cfg, boolean trainNorms) {
            this.cfg = cfg;
            this.weights = engine.parameters(true);
            this.biases = engine.parameters(false);
            norms = new LayerParams.Norm[weights.length];
            state = new float[8][weights.length][];
            for (int i = 0; trainNorms && i < weights.length; i++) {
                if (engine.network().nodes().get(i).layer() instanceof BatchNorm) {
                    norms[i] = engine.norm(i);
                    int c = norms[i].gamma().size();
                    for (int k = 4; k < 8; k++) state[k][i] = new float[c];
                }
            }
            for (int i = 0; i < weights.length; i++) {
                if (weights[i] != null) {
                    state[0][i] = new float[weights[i].length];
                    state[1][i] = new float[weights[i].length];
                }
                if (biases[i] != null) {
                    state[2][i] = new float[biases[i].length];
                    state[3][i] = new float[biases[i].length];
                }
            }
        }

        /** Steps taken so far. */
        int steps() {
            return step;
        }

        /** One update from the summed gradients of {@code batch} samples, at {@code rateFactor} × the learning rate. */
        void step(Backprop.Gradients g, int batch, double rateFactor) {
            step++;
            double lr = cfg.learningRate() * rateFactor;
            for (int i = 0; i < weights.length; i++) {
                // (A layer on another's weights has no gradient of its own: it was merged into its owner's.)
                if (weights[i] != null && g.weight[i] != null) update(weights[i], g.weight[i], state[0][i], state[1][i], batch, lr, true);
                if (biases[i] != null && g.bias[i] != null) update(biases[i], g.bias[i], state[2][i], state[3][i], batch, lr, false);
                if (norms[i] != null) {
                    update(norms[i].gamma().data(), g.gamma[i], state[4][i], state[5][i], batch, lr, false);
                    update(norms[i].beta().data(), g.beta[i], state[6][i], state[7][i], batch, lr, false);
                    runningStatistics(norms[i], g.batchMean[i], g.batchVariance[i], g.normChunks);
                }
            }
        }

        /** Running mean and variance move 10 % of the way to the step's (the mean over its chunks), as PyTorch's. */
        private static void runningStatistics(LayerParams.Norm norm, float[] meanSum, float[] varianceSum, int chunks) {
            if (chunks == 0) return;
            float[] mean = norm.mean().data();
            float[] variance = norm.variance().data();
            for (int k = 0; k < mean.length; k++) {
                mean[k] = 0.9f * mean[k] + 0.1f * (meanSum[k] / chunks);
                variance[k] = 0.9f * variance[k] + 0.1f * (varianceSum[k] / chunks);
            }
        }

        private void update(float[] p, float[] grad, float[] m, float[] v, int batch, double lr, boolean decay) {
            float wd = decay ? (float) cfg.weightDecay() : 0f;
            if (cfg.optimizer() == TrainConfig.Optimizer.ADAM) {
                double b1 = 0.9, b2 = 0.999;
                double c1 = 1 - Math.pow(b1, step);
                double c2 = 1 - Math.pow(b2, step);
                for (int k = 0; k < p.length; k++) {
                    float gk = grad[k] / batch + wd * p[k];
                    m[k] = (float) (b1 * m[k] + (1 - b1) * gk);
                    v[k] = (float) (b2 * v[k] + (1 - b2) * gk * gk);
                    p[k] -= (float) (lr * (m[k] / c1) / (Math.sqrt(v[k] / c2) + 1e-8));
                }
            } else {
                float mu = (float) cfg.momentum();
                for (int k = 0; k < p.length; k++) {
                    float gk = grad[k] / batch + wd * p[k];
                    m[k] = mu * m[k] + gk;
                    p[k] -= (float) (lr * m[k]);
                }
            }
        }
    }
}
