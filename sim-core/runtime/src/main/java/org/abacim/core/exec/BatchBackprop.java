package org.abacim.core.exec;

import org.abacim.core.network.BatchNorm;
import org.abacim.core.network.Conv2d;
import org.abacim.core.network.Input;
import org.abacim.core.network.Layer;
import org.abacim.core.network.LayerParams;
import org.abacim.core.network.Linear;
import org.abacim.core.network.Network;
import org.abacim.core.network.NetworkException;
import org.abacim.core.network.Shape;
import org.abacim.core.blas.Gemm;

/**
 * Forward and backward for a chunk of samples at once, with batch norm in training mode. Convolutions and fully
 * connected layers run as one matrix product over the chunk (the samples side by side along the columns), in both
 * directions; the other layers run sample by sample with the kernels of the one-sample pass.
 *
 * <p>Batch norm normalizes with the chunk's own per-channel mean and variance and trains γ and β — "ghost" batch
 * normalization over the fixed chunks of {@link FloatEngine#CHUNK} samples (Hoffer, Hubara and Soudry, NeurIPS
 * 2017). Chunks are fixed whatever the thread count, so the statistics, and the trained weights, are too.
 */
public final class BatchBackprop {
    private BatchBackprop() {}

    /** Whether {@code e} trains this way: the float engine's own kernels, and a network with batch norm to train. */
    public static boolean applies(FloatEngine e) {
        if (e.getClass() != FloatEngine.class) return false;
        for (float[] s : e.normScale) if (s != null) return true;
        return false;
    }

    /** The chunk's forward record: one tape per sample and the batch statistics. */
    private static final class Chunk {
        final FloatEngine.Tape[] tapes;
        final float[][] mean;      // batch norm node → per-channel mean over the chunk
        final float[][] invStd;    // batch norm node → 1/√(variance + eps)

        Chunk(int nodes, int samples) {
            tapes = new FloatEngine.Tape[samples];
            for (int s = 0; s < samples; s++) tapes[s] = new FloatEngine.Tape(nodes);
            mean = new float[nodes][];
            invStd = new float[nodes][];
        }
    }

    /**
     * Forward and backward of {@code samples} with their {@code labels}, the loss cross-entropy or (with
     * {@code teacherLogits}, one row per sample) distillation as in {@link Backprop#sample}; accumulates the
     * gradients, the loss, the hits and the chunk's batch statistics into {@code g}.
     */
    public static void chunk(FloatEngine e, float[][] samples, int[] labels, float[][] teacherLogits, double alpha,
                             double temperature, Backprop.Gradients g) {
        int n = e.nodes.size();
        Chunk c = new Chunk(n, samples.length);
        for (int s = 0; s < samples.length; s++) {
            e.checkSample(samples[s]);
            c.tapes[s].act[0] = samples[s];
        }
        for (int i = 1; i < n; i++) forward(e, i, c, g);
        g.normChunks++; // the running averages take the mean of the step's chunks' statistics
        int logits = Backprop.logitsNode(e);
        float[][][] d = new float[samples.length][n][];
        for (int s = 0; s < samples.length; s++) {
            d[s][logits] = Backprop.lossGradient(c.tapes[s].act[logits], labels[s],
                    teacherLogits == null ? null : teacherLogits[s], alpha, temperature, g);
        }
        for (int i = logits; i > 0; i--) {
            if (d[0][i] == null || e.nodes.get(i).layer() instanceof Input) continue;
            Layer l = e.nodes.get(i).layer();
            if (l instanceof Conv2d conv) {
                convBackward(e, i, conv, c, d, g);
            } else if (l instanceof Linear lin) {
                linearBackward(e, i, lin, c, d, g);
            } else if (l instanceof BatchNorm) {
                normBackward(e, i, c, d, g);
            } else {
                for (int s = 0; s < samples.length; s++) Backprop.backwardNode(e, c.tapes[s], i, d[s], g);
            }
            for (float[][] ds : d) ds[i] = null;
        }
    }

    private static void forward(FloatEngine e, int i, Chunk c, Backprop.Gradients g) {
        Network.Node node = e.nodes.get(i);
        Layer l = node.layer();
        if (l instanceof Conv2d conv) {
            convForward(e, i, conv, node.inputShapes().get(0), node.outputShape(), c);
        } else if (l instanceof Linear lin) {
            linearForward(e, i, lin, c);
        } else if (l instanceof BatchNorm) {
            normForward(e, i, node.outputShape(), c, g);
        } else {
            for (FloatEngine.Tape t : c.tapes) t.act[i] = e.node(i, t, true);
        }
    }

    private static void convForward(FloatEngine e, int i, Conv2d conv, Shape in, Shape out, Chunk c) {
        int groups = conv.groups();
        int cinG = conv.inChannels() / groups;
        int coutG = conv.outChannels() / groups;
        int k = cinG * conv.kernelH() * conv.kernelW();
        int positions = out.height() * out.width();
        int columns = checkedColumns(conv, k, c.tapes.length, positions);
        float[] y = Workspace.floats(Workspace.PRODUCT, coutG * columns);
        for (FloatEngine.Tape t : c.tapes) t.act[i] = new float[conv.outChannels() * positions];
        for (int g = 0; g < groups; g++) {
            float[] cols = windows(e, i, conv, in, out, c, g, k, columns);
            Gemm.sgemm(false, false, coutG, columns, k, e.weights[i], g * coutG * k, cols, 0, y, 0, false);
            FloatEngine.scatterProduct(y, columns, positions, g, coutG, e.biases[i], c.tapes, 0, c.tapes.length, i);
        }
    }

    /** Columns of a chunk's window matrix, refused when the whole matrix would not fit one Java array. */
    private static int checkedColumns(Conv2d conv, int k, int samples, int positions) {
        long size = (long) k * samples * positions;
        if (size > Integer.MAX_VALUE - 8) {
            throw new NetworkException("layer " + conv.name() + ": a training chunk's window "
                    + "matrix would hold " + size + " values, more than one Java array can");
        }
        return samples * positions;
    }

    /**
     * Group {@code g}'s window matrix [k × samples·positions] of the chunk, in this thread's workspace. The backward
     * pass builds it again rather than keeping one per layer: a copy costs little next to the products, and kept
     * matrices were most of a chunk's memory.
     */
    private static float[] windows(FloatEngine e, int i, Conv2d conv, Shape in, Shape out, Chunk c, int g, int k,
                                   int columns) {
        float[] cols = Workspace.floats(Workspace.WINDOWS, k * columns);
        int cinG = conv.inChannels() / conv.groups();
        int positions = out.height() * out.width();
        int src = e.inputs[i][0];
        for (int s = 0; s < c.tapes.length; s++) {
            FloatEngine.im2col(conv, in, out, c.tapes[s].act[src], g * cinG, cinG, cols, s * positions, columns);
        }
        return cols;
    }

    /** dW += dY·colsᵀ and dcols = Wᵀ·dY, each one product over the chunk, then col2im sample by sample. */
    private static void convBackward(FloatEngine e, int i, Conv2d conv, Chunk c, float[][][] d, Backprop.Gradients g) {
        Network.Node node = e.nodes.get(i);
        Shape in = node.inputShapes().get(0);
        Shape out = node.outputShape();
        int groups = conv.groups();
        int cinG = conv.inChannels() / groups;
        int coutG = conv.outChannels() / groups;
        int k = cinG * conv.kernelH() * conv.kernelW();
        int positions = out.height() * out.width();
        int samples = c.tapes.length;
        int columns = samples * positions;
        int src = e.inputs[i][0];
        boolean needInput = !(e.nodes.get(src).layer() instanceof Input);
        float[] dy = Workspace.floats(Workspace.GRADIENT, coutG * columns);
        float[] dcols = needInput ? Workspace.floats(Workspace.WINDOW_GRADIENT, k * columns) : null;
        for (int gr = 0; gr < groups; gr++) {
            for (int s = 0; s < samples; s++) {
                float[] dys = d[s][i];
                for (int o = 0; o < coutG; o++) {
                    System.arraycopy(dys, (gr * coutG + o) * positions, dy, o * columns + s * positions, positions);
                }
            }
            if (g.bias[i] != null) {
                for (int o = 0; o < coutG; o++) {
                    float sum = 0;
                    for (int p = o * columns, end = p + columns; p < end; p++) sum += dy[p];
                    g.bias[i][gr * coutG + o] += sum;
                }
            }
            float[] cols = windows(e, i, conv, in, out, c, gr, k, columns);
            Gemm.sgemm(false, true, coutG, k, columns, dy, 0, cols, 0, g.weight[i], gr * coutG * k, true);
            if (dcols != null) {
                Gemm.sgemm(true, false, k, columns, coutG, e.weights[i], gr * coutG * k, dy, 0, dcols, 0, false);
                for (int s = 0; s < samples; s++) {
                    float[] dx = Backprop.accumulator(d[s], src, c.tapes[s].act[src].length);
                    Backprop.col2im(conv, in, out, dcols, s * positions, columns, gr * cinG, cinG, dx);
                }
            }
        }
    }

    private static void linearForward(FloatEngine e, int i, Linear l, Chunk c) {
        int in = l.inFeatures();
        int outs = l.outFeatures();
        int src = e.inputs[i][0];
        float[] x = rows(c, src, in);
        float[] y = new float[c.tapes.length * outs];
        Gemm.sgemm(false, true, c.tapes.length, outs, in, x, 0, e.weights[i], 0, y, 0, false);
        float[] b = e.biases[i];
        for (int s = 0; s < c.tapes.length; s++) {
            float[] ys = new float[outs];
            for (int o = 0; o < outs; o++) ys[o] = y[s * outs + o] + (b == null ? 0f : b[o]);
            c.tapes[s].act[i] = ys;
        }
    }

    /** dW += dYᵀ·X and dX = dY·W over the chunk (X and dY one row per sample). */
    private static void linearBackward(FloatEngine e, int i, Linear l, Chunk c, float[][][] d, Backprop.Gradients g) {
        int in = l.inFeatures();
        int outs = l.outFeatures();
        int samples = c.tapes.length;
        int src = e.inputs[i][0];
        float[] x = rows(c, src, in);
        float[] dy = new float[samples * outs];
        for (int s = 0; s < samples; s++) System.arraycopy(d[s][i], 0, dy, s * outs, outs);
        if (g.bias[i] != null) {
            for (int s = 0; s < samples; s++) for (int o = 0; o < outs; o++) g.bias[i][o] += dy[s * outs + o];
        }
        Gemm.sgemm(true, false, outs, in, samples, dy, 0, x, 0, g.weight[i], 0, true);
        if (!(e.nodes.get(src).layer() instanceof Input)) {
            float[] dx = new float[samples * in];
            Gemm.sgemm(false, false, samples, in, outs, dy, 0, e.weights[i], 0, dx, 0, false);
            for (int s = 0; s < samples; s++) {
                float[] acc = Backprop.accumulator(d[s], src, in);
                for (int f = 0; f < in; f++) acc[f] += dx[s * in + f];
            }
        }
    }

    /** The chunk's activations of node {@code src} as one row per sample. */
    private static float[] rows(Chunk c, int src, int features) {
        float[] x = new float[c.tapes.length * features];
        for (int s = 0; s < c.tapes.length; s++) System.arraycopy(c.tapes[s].act[src], 0, x, s * features, features);
        return x;
    }

    /** y = γ·(x − μ)/√(σ² + ε) + β with μ and σ² (biased) the channel's over the chunk; the statistics go into g. */
    private static void normForward(FloatEngine e, int i, Shape shape, Chunk c, Backprop.Gradients g) {
        LayerParams.Norm p = e.norm(i);
        float[] gamma = p.gamma().data();
        float[] beta = p.beta().data();
        int channels = gamma.length;
        int area = shape.height() * shape.width();
        int src = e.inputs[i][0];
        long count = (long) c.tapes.length * area;
        float[] mean = new float[channels];
        float[] invStd = new float[channels];
        for (FloatEngine.Tape t : c.tapes) t.act[i] = new float[channels * area];
        for (int ch = 0; ch < channels; ch++) {
            double sum = 0;
            for (FloatEngine.Tape t : c.tapes) {
                float[] x = t.act[src];
                for (int k = ch * area, end = k + area; k < end; k++) sum += x[k];
            }
            double mu = sum / count;
            double squares = 0;
            for (FloatEngine.Tape t : c.tapes) {
                float[] x = t.act[src];
                for (int k = ch * area, end = k + area; k < end; k++) squares += (x[k] - mu) * (x[k] - mu);
            }
            double variance = squares / count;
            mean[ch] = (float) mu;
            invStd[ch] = (float) (1 / Math.sqrt(variance + p.eps()));
            g.batchMean[i][ch] += (float) mu;
            g.batchVariance[i][ch] += (float) (count > 1 ? squares / (count - 1) : variance);
            float scale = gamma[ch] * invStd[ch];
            float shift = beta[ch] - mean[ch] * scale;
            for (FloatEngine.Tape t : c.tapes) {
                float[] x = t.act[src];
                float[] y = t.act[i];
                for (int k = ch * area, end = k + area; k < end; k++) y[k] = x[k] * scale + shift;
            }
        }
        c.mean[i] = mean;
        c.invStd[i] = invStd;
    }

    /**
     * With x̂ the normalized input and N the values per channel: dβ = Σ dy, dγ = Σ dy·x̂, and
     * dx = γ/√(σ² + ε) · (dy − dβ/N − x̂·dγ/N).
     */
    private static void normBackward(FloatEngine e, int i, Chunk c, float[][][] d, Backprop.Gradients g) {
        float[] gamma = e.norm(i).gamma().data();
        int channels = gamma.length;
        Shape shape = e.nodes.get(i).outputShape();
        int area = shape.height() * shape.width();
        int src = e.inputs[i][0];
        double count = (double) c.tapes.length * area;
        boolean needInput = !(e.nodes.get(src).layer() instanceof Input);
        for (int ch = 0; ch < channels; ch++) {
            float mu = c.mean[i][ch];
            float inv = c.invStd[i][ch];
            double dBeta = 0;
            double dGamma = 0;
            for (int s = 0; s < c.tapes.length; s++) {
                float[] x = c.tapes[s].act[src];
                float[] dy = d[s][i];
                for (int k = ch * area, end = k + area; k < end; k++) {
                    dBeta += dy[k];
                    dGamma += dy[k] * (x[k] - mu) * inv;
                }
            }
            g.beta[i][ch] += (float) dBeta;
            g.gamma[i][ch] += (float) dGamma;
            if (!needInput) continue;
            float scale = gamma[ch] * inv;
            float meanDy = (float) (dBeta / count);
            float meanDyXhat = (float) (dGamma / count);
            for (int s = 0; s < c.tapes.length; s++) {
                float[] x = c.tapes[s].act[src];
                float[] dy = d[s][i];
                float[] dx = Backprop.accumulator(d[s], src, x.length);
                for (int k = ch * area, end = k + area; k < end; k++) {
                    float xHat = (x[k] - mu) * inv;
                    dx[k] += scale * (dy[k] - meanDy - xHat * meanDyXhat);
                }
            }
        }
    }
}
