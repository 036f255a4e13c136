package org.abacim.mapping.compress;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.abacim.core.data.Dataset;
import org.abacim.core.exec.FloatEngine;
import org.abacim.core.network.Conv2d;
import org.abacim.core.network.Linear;
import org.abacim.core.network.Network;
import org.abacim.core.train.TrainConfig;
import org.abacim.core.train.Trainer;
import org.abacim.mapping.weights.LayerCompression;

/**
 * ADMM-regularized compression (Zhang et al., ECCV 2018; the seed papers' frameworks): for each step, minimize
 * loss(W) + ρ/2 ‖W − Z + U‖² by training, with Z = Π(W + U) the Euclidean projection onto the step's constraint
 * set and U += W − Z after every epoch; then project W hard onto the set and retrain with it held there (pruned
 * weights masked at zero, quantized layers snapped to their levels after every update). Steps run in order and
 * what one step pruned stays pruned (progressive schedules are several steps).
 */
public final class Admm {
    private Admm() {}

    /**
     * One compression step: the projections applied in order (a pruning pattern, then quantization, say), the
     * layers they apply to (empty: every weighted layer), the penalty ρ, the epochs of ADMM and of retraining, and
     * the learning rate of its retraining (NaN: the optimizer's; a lower one settles the last, hardest steps).
     */
    public record Step(String name, List<Projection> projections, Set<String> layers, double rho, int admmEpochs,
                       int retrainEpochs, double retrainLearningRate) {
        /** Retraining at the optimizer's learning rate. */
        public Step(String name, List<Projection> projections, Set<String> layers, double rho, int admmEpochs,
                    int retrainEpochs) {
            this(name, projections, layers, rho, admmEpochs, retrainEpochs, Double.NaN);
        }
    }

    /** The state carried between steps: per node, which weights may be non-zero and, once quantized, the levels. */
    public static final class State {
        final boolean[][] mask;
        final Projection.Quantize[] quantizer;
        final float[] scale;
        final int[] fragment;
        /** Polarized layers: the sign each weight's fragment holds (+1, −1, 0 when it is empty), held in retraining. */
        final byte[][] sign;
        final String[] pruning;
        /** Value constraints (unification, device levels) re-applied after every retraining update. */
        final Projection[] held;
        final int[][] shape;

        public State(Network net) {
            int n = net.nodes().size();
            mask = new boolean[n][];
            quantizer = new Projection.Quantize[n];
            scale = new float[n];
            fragment = new int[n];
            sign = new byte[n][];
            pruning = new String[n];
            held = new Projection[n];
            shape = new int[n][];
            for (int i = 0; i < n; i++) shape[i] = Admm.shape(net.nodes().get(i));
        }

        /** What the steps so far did to each layer, for the weight map's manifest. */
        public Map<String, LayerCompression> describe(Network net, String source) {
            Map<String, LayerCompression> out = new LinkedHashMap<>();
            for (int i = 0; i < mask.length; i++) {
                if (mask[i] == null && quantizer[i] == null && fragment[i] == 0) continue;
                float[] m = null;
                if (pruning[i] != null) {
                    m = new float[mask[i].length];
                    for (int k = 0; k < m.length; k++) m[k] = mask[i][k] ? 1 : 0;
                }
                out.put(net.nodes().get(i).name(), new LayerCompression(bits(i), scale[i],
                        pruning[i], m, fragment[i], source));
            }
            return out;
        }

        /** Bits of a node's weights once quantized, or 0 while they are float. */
        public int bits(int node) { return quantizer[node] == null ? 0 : quantizer[node].bits(); }
    }

    /** The weighted layer of a node as an array matrix: k rows by out columns, or null for other nodes. */
    static int[] shape(Network.Node node) {
        if (node.layer() instanceof Conv2d c) {
            return new int[] {c.inChannels() / c.groups() * c.kernelH() * c.kernelW(), c.outChannels()};
        }
        if (node.layer() instanceof Linear l) return new int[] {l.inFeatures(), l.outFeatures()};
        return null;
    }

    /**
     * The projections applied once, with no training: a compression's structure on weights that were not trained
     * for it (generated weights of networks without data). {@code state} records masks and levels as a step does.
     */
    public static Network project(Network net, List<Projection> projections, State state) {
        return step(net, new Step("projection", projections, Set.of(), 0, 0, 0), state, null, null, e -> { });
    }

    /** Runs one step on {@code net} (not changed) and returns the compressed network; {@code state} is updated. */
    public static Network step(Network net, Step step, State state, Dataset train, TrainConfig cfg,
                               Consumer<Trainer.Epoch> onEpoch) {
        List<Network.Node> nodes = net.nodes();
        int n = nodes.size();
        boolean[] target = new boolean[n];
        for (int i = 0; i < n; i++) {
            // A layer on another's weights (an unrolled RNN's step) is compressed through its owner.
            target[i] = shape(nodes.get(i)) != null && !net.sharedWeights().containsKey(nodes.get(i).name())
                    && (step.layers().isEmpty() || step.layers().contains(nodes.get(i).name()));
        }
        float[][] z = new float[n][];
        float[][] u = new float[n][];
        Trainer.Hook admm = new Trainer.Hook() {
            boolean started;

            @Override
            public void beforeStep(float[][] w, float[][] grad, int batch) {
                if (!started) {
                    for (int i = 0; i < n; i++) {
                        if (!target[i]) continue;
                        z[i] = project(step, state, i, w[i], nodes.get(i));
                        u[i] = new float[w[i].length];
                    }
                    started = true;
                }
                for (int i = 0; i < n; i++) {
                    if (grad[i] == null) continue;
                    if (target[i]) {
                        float r = (float) (step.rho() * batch);
                        for (int k = 0; k < grad[i].length; k++) grad[i][k] += r * (w[i][k] - z[i][k] + u[i][k]);
                    }
                    maskGradient(state, i, grad[i]);
                }
            }

            @Override
            public void afterStep(float[][] w) {
                hold(state, w);
            }

            @Override
            public void afterEpoch(int epoch, float[][] w) {
                for (int i = 0; i < n; i++) {
                    if (!target[i]) continue;
                    float[] wu = new float[w[i].length];
                    for (int k = 0; k < wu.length; k++) wu[k] = w[i][k] + u[i][k];
                    z[i] = project(step, state, i, wu, nodes.get(i));
                    for (int k = 0; k < wu.length; k++) u[i][k] += w[i][k] - z[i][k];
                }
            }
        };
        Network trained = step.admmEpochs() == 0 ? Trainer.copyParams(net)
                : Trainer.train(net, train, null, withEpochs(cfg, step.admmEpochs()), onEpoch, admm);
        // Hard projection: the constraint now holds exactly; zeros it created join the mask.
        Network projected = Trainer.copyParams(trained);
        for (Projection pr : step.projections()) {
            if (pr instanceof Projection.Purify purify) Purification.apply(projected, purify.threshold());
        }
        float[][] w = new FloatEngine(projected).parameters(true);
        for (int i = 0; i < n; i++) {
            if (!target[i]) continue;
            float[] p = project(step, state, i, w[i], nodes.get(i));
            boolean prunes = step.projections().stream().anyMatch(Projection::prunes);
            if (prunes || state.mask[i] == null) {
                boolean[] m = new boolean[p.length];
                for (int k = 0; k < p.length; k++) m[k] = p[k] != 0 && (state.mask[i] == null || state.mask[i][k]);
                state.mask[i] = m;
            }
            for (Projection pr : step.projections()) {
                if (pr instanceof Projection.Polarize pol) state.fragment[i] = pol.fragment();
                byte[] signs = pr.signs(p, state.shape[i][0], state.shape[i][1]);
                if (signs != null) state.sign[i] = signs;
                if (pr instanceof Projection.Unify || pr instanceof Projection.DeviceLevels) state.held[i] = pr;
                if (pr.prunes() && !(pr instanceof Projection.Polarize || pr instanceof Projection.BlockSign)) {
                    state.pruning[i] = state.pruning[i] == null ? pr.label() : state.pruning[i] + "; " + pr.label();
                }
                if (pr instanceof Projection.Quantize q) {
                    float max = 0;
                    for (float v : p) max = Math.max(max, Math.abs(v));
                    state.quantizer[i] = q;
                    state.scale[i] = max / ((1 << (q.bits() - 1)) - 1);
                }
            }
            System.arraycopy(p, 0, w[i], 0, p.length);
        }
        if (step.retrainEpochs() == 0) return projected;
        Trainer.Hook masked = new Trainer.Hook() {
            @Override
            public void beforeStep(float[][] weights, float[][] grad, int batch) {
                for (int i = 0; i < n; i++) if (grad[i] != null) maskGradient(state, i, grad[i]);
            }

            @Override
            public void afterStep(float[][] weights) {
                hold(state, weights);
            }
        };
        TrainConfig retrain = withEpochs(cfg, step.retrainEpochs());
        if (!Double.isNaN(step.retrainLearningRate())) retrain = withLearningRate(retrain, step.retrainLearningRate());
        return Trainer.train(projected, train, null, retrain, onEpoch, masked);
    }

    /** The step's projections in order, within the weights earlier steps left (their mask and levels). */
    private static float[] project(Step step, State state, int i, float[] w, Network.Node node) {
        int[] s = shape(node);
        float[] p = w.clone();
        if (state.mask[i] != null) for (int k = 0; k < p.length; k++) if (!state.mask[i][k]) p[k] = 0;
        int area = node.layer() instanceof Conv2d c ? c.kernelH() * c.kernelW() : 1;
        for (Projection pr : step.projections()) p = pr.project(p, s[0], s[1], area);
        if (state.quantizer[i] != null && step.projections().stream().noneMatch(x -> x instanceof Projection.Quantize)) {
            p = state.quantizer[i].snap(p, state.scale[i]);
        }
        return p;
    }

    private static void maskGradient(State state, int i, float[] grad) {
        boolean[] m = state.mask[i];
        if (m == null) return;
        for (int k = 0; k < grad.length; k++) if (!m[k]) grad[k] = 0;
    }

    /** Keeps every weight inside what earlier steps fixed: pruned ones at 0, quantized layers on their levels. */
    private static void hold(State state, float[][] w) {
        for (int i = 0; i < w.length; i++) {
            if (w[i] == null) continue;
            boolean[] m = state.mask[i];
            if (m != null) for (int k = 0; k < w[i].length; k++) if (!m[k]) w[i][k] = 0;
            byte[] sign = state.sign[i];
            // A weight that crossed zero against its fragment's sign goes to 0 (the nearest polarized point).
            if (sign != null) for (int k = 0; k < w[i].length; k++) if (sign[k] * w[i][k] < 0) w[i][k] = 0;
            if (state.held[i] != null) {
                float[] kept = state.held[i].project(w[i], state.shape[i][0], state.shape[i][1]);
                System.arraycopy(kept, 0, w[i], 0, kept.length);
            }
            if (state.quantizer[i] != null) {
                float[] snapped = state.quantizer[i].snap(w[i], state.scale[i]);
                System.arraycopy(snapped, 0, w[i], 0, snapped.length);
            }
        }
    }

    private static TrainConfig withLearningRate(TrainConfig c, double learningRate) {
        return c.with(c.epochs(), learningRate);
    }

    private static TrainConfig withEpochs(TrainConfig c, int epochs) {
        return c.with(epochs, c.learningRate());
    }
}
