package org.abacim.core.exec;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntFunction;
import org.abacim.core.analog.ActivityCounter;
import org.abacim.core.analog.Chip;
import org.abacim.core.analog.Streams;
import org.abacim.core.network.Conv2d;
import org.abacim.core.network.Linear;
import org.abacim.core.network.Network;
import org.abacim.core.network.Shape;
import org.abacim.core.tech.MvmNumerics;
import org.abacim.core.tech.ProgrammedLayer;
import org.abacim.core.tensor.MatrixProducts;
import java.util.ArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;

/**
 * The network run on one simulated chip: the integer engine's quantization and rescaling, with every convolution
 * (all output positions at once) and fully connected product computed by the arrays the technology programmed for
 * this chip ({@link MvmNumerics#program}). On the chip as designed, with a lossless ADC, it equals
 * {@link QuantizedEngine} exactly.
 */
public final class ArrayEngine extends QuantizedEngine {
    private final ProgrammedLayer[][] programmed; // node → group → layer on the arrays
    private final long chipSeed;
    private final MvmNumerics.CycleShape cycleShape; // null: no zero-skipping cycles to count
    private final boolean linear;                    // every layer a fixed linear map: chunks run batched

    /** What one forward pass draws its read noise from and counts its activity into (per node; may be null). */
    private record Pass(SplittableRandom readNoise, ActivityCounter[] activity, StatisticalLayer.Fit[][] fits) {
        Pass(SplittableRandom readNoise, ActivityCounter[] activity) {
            this(readNoise, activity, null);
        }
    }

    /** The network quantized and calibrated as {@link QuantizedEngine} does, on the chip as designed. */
    public ArrayEngine(Network net, Scheme scheme, float[][] calibration, MvmNumerics numerics) {
        this(new QuantizedEngine(net, scheme, calibration), numerics, Chip.asDesigned(), null);
    }

    /**
     * Programs {@code quantization}'s integer weights onto {@code chip}; each layer (and convolution group) draws
     * from its own stream keyed by the chip's seed and the node. {@code adcFullScale}, per node, sets calibrated
     * ADC ranges (null: none).
     */
    public ArrayEngine(QuantizedEngine quantization, MvmNumerics numerics, Chip chip, double[] adcFullScale) {
        this(quantization, numerics, chip, adcFullScale, 1);
    }

    /**
     * As above, the layers (and groups) programmed on {@code threads} threads: each draws from its own stream, so the
     * chip is the same for any thread count.
     */
    public ArrayEngine(QuantizedEngine quantization, MvmNumerics numerics, Chip chip, double[] adcFullScale, int threads) {
        super(quantization);
        this.chipSeed = chip.seed();
        this.cycleShape = numerics.cycleShape().orElse(null);
        programmed = new ProgrammedLayer[nodes.size()][];
        List<Runnable> tasks = new ArrayList<>();
        Map<String, String> shared = net.sharedWeights();
        // One programmed matrix serves every step that shares it (the integer engine made their inputs all signed
        // if any is): its converters' range the widest any step needs.
        double[] widest = new double[nodes.size()];
        for (int i = 0; i < nodes.size(); i++) {
            int owner = shared.containsKey(nodes.get(i).name()) ? net.indexOf(shared.get(nodes.get(i).name())) : i;
            if (adcFullScale != null) widest[owner] = Math.max(widest[owner], adcFullScale[i]);
        }
        for (int i = 0; i < nodes.size(); i++) {
            int[] q = integerWeights(i);
            if (q == null || shared.containsKey(nodes.get(i).name())) continue;
            double fullScale = adcFullScale == null ? chip.adcFullScale() : widest[i];
            boolean signed = !unsignedInput(i);
            MvmNumerics layerNumerics = weightBits(i) < scheme().weightBits() ? numerics.forWeightBits(weightBits(i)) : numerics;
            if (nodes.get(i).layer() instanceof Conv2d c) {
                int groups = c.groups();
                int coutG = c.outChannels() / groups;
                int k = c.inChannels() / groups * c.kernelH() * c.kernelW();
                programmed[i] = new ProgrammedLayer[groups];
                for (int g = 0; g < groups; g++) {
                    Chip layerChip = chip.withSeed(Streams.key(chip.seed(), i, g)).withFullScale(fullScale);
                    ProgrammedLayer[] into = programmed[i];
                    int group = g;
                    tasks.add(() -> into[group] = layerNumerics.program(transposed(q, group, k, coutG), k, coutG, signed, layerChip));
                }
            } else {
                Linear l = (Linear) nodes.get(i).layer();
                Chip layerChip = chip.withSeed(Streams.key(chip.seed(), i, 0)).withFullScale(fullScale);
                ProgrammedLayer[] into = programmed[i] = new ProgrammedLayer[1];
                tasks.add(() -> into[0] = layerNumerics.program(transposed(q, 0, l.inFeatures(), l.outFeatures()),
                        l.inFeatures(), l.outFeatures(), signed, layerChip));
            }
        }
        each(tasks.size(), threads, t -> {
            tasks.get(t).run();
            return null;
        });
        // A layer using an earlier layer's weights (an unrolled RNN's step) reads that layer's arrays: the same
        // programmed conductances, errors and all, at every step.
        for (int i = 0; i < nodes.size(); i++) {
            String owner = shared.get(nodes.get(i).name());
            if (owner != null) programmed[i] = programmed[net.indexOf(owner)];
        }
        boolean allLinear = true;
        for (int i = 0; i < nodes.size(); i++) {
            boolean hasWeights = nodes.get(i).layer() instanceof Conv2d || nodes.get(i).layer() instanceof Linear;
            if (hasWeights && programmed[i] == null) allLinear = false;
            if (programmed[i] != null) for (ProgrammedLayer layer : programmed[i]) allLinear &= layer.linear();
        }
        this.linear = allLinear;
        this.scaledEffective = new float[nodes.size()][];
    }

    /** This chip with other layers (the statistical mode's). */
    private ArrayEngine(ArrayEngine chip, ProgrammedLayer[][] programmed) {
        super(chip);
        this.chipSeed = chip.chipSeed;
        this.cycleShape = chip.cycleShape;
        this.programmed = programmed;
        this.linear = false;
        this.scaledEffective = new float[nodes.size()][];
    }

    /**
     * This chip in the statistical accuracy mode: every layer that is not a fixed linear map becomes a
     * {@link StatisticalLayer} — its folded weights plus an error model fitted per output channel to what this
     * chip's own arrays computed on {@code calibration} images (image k's read noise from the chip's stream
     * (seed, −2, k)). Layers that are already linear stay as they are. The fit's sums are taken in fixed chunks and
     * added in order, so the model is the same for any thread count.
     *
     * @throws IllegalArgumentException when a layer's technology cannot fold its weights ({@link
     *     ProgrammedLayer#foldedWeights} is null)
     */
    public ArrayEngine statistical(float[][] calibration, int threads) {
        StatisticalLayer.Fit[][] fits = new StatisticalLayer.Fit[nodes.size()][];
        for (int i = 0; i < nodes.size(); i++) {
            if (programmed[i] == null) continue;
            fits[i] = new StatisticalLayer.Fit[programmed[i].length];
            int rows, cols;
            if (nodes.get(i).layer() instanceof Conv2d c) {
                rows = c.inChannels() / c.groups() * c.kernelH() * c.kernelW();
                cols = c.outChannels() / c.groups();
            } else {
                Linear l = (Linear) nodes.get(i).layer();
                rows = l.inFeatures();
                cols = l.outFeatures();
            }
            for (int g = 0; g < programmed[i].length; g++) {
                ProgrammedLayer layer = programmed[i][g];
                if (layer.linear()) continue;
                float[] w = layer.foldedWeights();
                if (w == null) {
                    throw new IllegalArgumentException("layer " + nodes.get(i).name()
                            + ": its arrays cannot fold their weights, so it has no statistical model");
                }
                StatisticalLayer.Cycles cycles = cycleShape == null ? null
                        : new StatisticalLayer.Cycles(cycleShape.groupRows(), cycleShape.inputBits(), cycleShape.dacBits());
                fits[i][g] = new StatisticalLayer.Fit(MatrixProducts.installed().floatMatrix(rows, cols, w), rows, cols, cycles);
            }
        }
        // One task per image, its sums added in image order: the same model for any thread count.
        List<StatisticalLayer.Fit[][]> parts = each(calibration.length, threads, k -> {
            StatisticalLayer.Fit[][] local = new StatisticalLayer.Fit[fits.length][];
            for (int i = 0; i < fits.length; i++) {
                if (fits[i] == null) continue;
                local[i] = new StatisticalLayer.Fit[fits[i].length];
                for (int g = 0; g < fits[i].length; g++) if (fits[i][g] != null) local[i][g] = fits[i][g].empty();
            }
            forward(calibration[k], false, new Pass(Streams.random(chipSeed, -2, k), null, local));
            return local;
        });
        ProgrammedLayer[][] layers = new ProgrammedLayer[programmed.length][];
        for (int i = 0; i < fits.length; i++) {
            if (programmed[i] == null) continue;
            layers[i] = programmed[i].clone();
            for (int g = 0; g < layers[i].length; g++) {
                if (fits[i][g] == null) continue;
                for (StatisticalLayer.Fit[][] part : parts) fits[i][g].merge(part[i][g]);
                layers[i][g] = fits[i][g].layer();
            }
        }
        return new ArrayEngine(this, layers);
    }

    /** Tasks 0 … n − 1 on {@code threads} threads, their results in task order. */
    private static <T> List<T> each(int n, int threads, IntFunction<T> task) {
        List<T> results = new ArrayList<>(n);
        if (threads <= 1 || n <= 1) {
            for (int t = 0; t < n; t++) results.add(task.apply(t));
            return results;
        }
        ForkJoinPool pool = new ForkJoinPool(threads);
        try {
            List<Future<T>> futures = new ArrayList<>(n);
            for (int t = 0; t < n; t++) {
                int at = t;
                futures.add(pool.submit(() -> task.apply(at)));
            }
            for (Future<T> f : futures) results.add(f.get());
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            if (e.getCause() instanceof Error error) throw error;
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdown();
        }
    }

    /**
     * Whether every layer is a fixed linear map (the exact product, or static non-idealities folded into effective
     * weights): then a pass draws no noise, and {@link #forward(float[][], int)} runs chunks of samples through one
     * product per layer, as the float engine does. Activity is still counted sample by sample.
     */
    public boolean linear() {
        return linear;
    }

    @Override
    protected boolean batchesProducts() {
        return linear;
    }

    /**
     * A convolution whose arrays hold float effective weights (static non-idealities folded in) runs as the float
     * engine runs its layers — Winograd or one product — on those weights scaled back to the layer's real units; the
     * exact chip keeps its double-precision integer products ({@link #tileProduct}).
     */
    @Override
    protected float[] batchWeights(int node) {
        if (!(nodes.get(node).layer() instanceof Conv2d c) || programmed[node] == null) return null;
        float[][] cached = scaledEffective;
        if (cached[node] != null) return cached[node];
        int groups = c.groups(), coutG = c.outChannels() / groups, k = c.matrixRows();
        float[] w = new float[c.outChannels() * k];
        float[] sw = weightScales(node);
        for (int g = 0; g < groups; g++) {
            float[] effective = programmed[node][g].linearWeights(); // [k × coutG]
            if (effective == null) return null;
            for (int o = 0; o < coutG; o++) {
                int oc = g * coutG + o;
                double scale = (double) (sw.length == 1 ? sw[0] : sw[oc]) * inputScale(node);
                for (int kk = 0; kk < k; kk++) w[oc * k + kk] = (float) (effective[kk * coutG + o] * scale);
            }
        }
        cached[node] = w;
        return w;
    }

    /** Per node, the effective weights in the layer's units once built (a chip's never change). */
    private final float[][] scaledEffective;

    @Override
    protected float[] batchInput(int node, float[] x) {
        int[] qx = quantizeInput(node, x);
        float[] qxf = new float[qx.length]; // integers up to 2^16 are exact in float
        for (int j = 0; j < qx.length; j++) qxf[j] = qx[j];
        return qxf;
    }

    @Override
    protected void tileProduct(int node, int g, int coutG, int k, float[] cols, int columns, float[] y) {
        double[] acc = new double[columns * coutG];
        // The default multiplyColumns takes the rows from the array's length: hand it exactly the tile.
        float[] tile = cols.length == k * columns ? cols : Arrays.copyOf(cols, k * columns);
        programmed[node][g].multiplyColumns(tile, columns, acc);
        for (int o = 0; o < coutG; o++) {
            int oc = g * coutG + o;
            for (int p = 0; p < columns; p++) y[o * columns + p] = rescale(node, oc, acc[p * coutG + o]);
        }
    }

    @Override
    protected void linearBatch(int i, Linear l, Tape[] tapes) {
        int in = l.inFeatures();
        int[] qx = new int[tapes.length * in];
        for (int s = 0; s < tapes.length; s++) {
            System.arraycopy(quantizeInput(i, tapes[s].act[inputs[i][0]]), 0, qx, s * in, in);
        }
        double[] acc = new double[tapes.length * l.outFeatures()];
        // A linear layer draws nothing from the stream.
        programmed[i][0].multiply(qx, tapes.length, acc, new SplittableRandom(0), null);
        for (int s = 0; s < tapes.length; s++) {
            float[] y = new float[l.outFeatures()];
            for (int o = 0; o < y.length; o++) y[o] = rescale(i, o, acc[s * y.length + o]);
            tapes[s].act[i] = y;
        }
    }

    /** Group g's weights laid out [k][coutG], as the arrays hold them (inputs along rows). */
    private static int[] transposed(int[] q, int g, int k, int coutG) {
        int[] t = new int[k * coutG];
        for (int o = 0; o < coutG; o++) {
            int from = (g * coutG + o) * k;
            for (int kk = 0; kk < k; kk++) t[kk * coutG + o] = q[from + kk];
        }
        return t;
    }

    /**
     * The output for one sample, with this pass's read noise drawn from {@code readNoise}; when {@code activity} is
     * given (one counter per node, null entries allowed), what each layer's arrays saw is added to it.
     */
    public float[] forward(float[] sample, SplittableRandom readNoise, ActivityCounter[] activity) {
        return forward(sample, false, new Pass(readNoise, activity)).output();
    }

    /**
     * Outputs for images [from, to), image {@code k}'s read noise from {@code readNoise.apply(k)}: one product per
     * layer over all of them when the chip is {@link #linear} (nothing drawn), else image by image.
     */
    public float[][] forward(float[][] images, int from, int to, IntFunction<SplittableRandom> readNoise) {
        if (linear) return forward(Arrays.copyOfRange(images, from, to), 1);
        float[][] out = new float[to - from][];
        for (int k = from; k < to; k++) out[k - from] = forward(images[k], readNoise.apply(k), null);
        return out;
    }

    @Override
    public Tape forward(float[] sample, boolean keep) {
        // Without a stream of its own, a pass draws the same noise every time: results stay reproducible.
        return forward(sample, keep, new Pass(Streams.random(chipSeed, -1), null));
    }

    private static Pass pass(Tape t) {
        return (Pass) t.context;
    }

    /** The number of nodes (indices of activity counters). */
    public int nodeCount() { return nodes.size(); }

    @Override
    protected float[] convLayer(int i, Conv2d c, Shape in, Shape out, float[] x, Tape t, boolean keep) {
        // The quantization is calibrated before any array exists; until then, and for layers without weights, defer.
        if (programmed == null || programmed[i] == null) return super.convLayer(i, c, in, out, x, t, keep);
        Pass pass = pass(t);
        int[] qx = quantizeInput(i, x);
        countSaturation(pass, i, x);
        float[] qxf = new float[qx.length];
        for (int j = 0; j < qx.length; j++) qxf[j] = qx[j];
        int groups = c.groups();
        int cinG = c.inChannels() / groups;
        int coutG = c.outChannels() / groups;
        int k = cinG * c.kernelH() * c.kernelW();
        int positions = out.height() * out.width();
        float[] cols = new float[k * positions];
        double[] acc = new double[positions * coutG];
        float[] y = new float[c.outChannels() * positions];
        ActivityCounter counter = pass.activity() == null ? null : pass.activity()[i];
        boolean linear = counter == null;
        for (ProgrammedLayer layer : programmed[i]) linear &= layer.linear();
        int[] vectors = null; // input vectors for the cycle-by-cycle path, built when a group needs them
        for (int g = 0; g < groups; g++) {
            im2col(c, in, out, qxf, g * cinG, cinG, cols, 0, positions);
            if (programmed[i][g] instanceof StatisticalLayer statistical && counter == null) {
                statistical.multiplyColumns(cols, positions, acc, pass.readNoise());
                rescaleGroup(i, g, coutG, positions, acc, y);
                continue;
            }
            if (linear) {
                // A fixed linear map (exact, or folded static non-idealities): straight from the im2col matrix.
                programmed[i][g].multiplyColumns(cols, positions, acc);
                rescaleGroup(i, g, coutG, positions, acc, y);
                continue;
            }
            if (vectors == null) vectors = new int[positions * k];
            for (int kk = 0; kk < k; kk++) {
                for (int p = 0; p < positions; p++) vectors[p * k + kk] = (int) cols[kk * positions + p];
            }
            programmed[i][g].multiply(vectors, positions, acc, pass.readNoise(), counter);
            if (pass.fits() != null && pass.fits()[i][g] != null) pass.fits()[i][g].add(cols, positions, acc);
            countCycles(counter, vectors, positions, k);
            rescaleGroup(i, g, coutG, positions, acc, y);
        }
        return y;
    }

    /** Group g's accumulations [positions × coutG] rescaled into the output's channel planes. */
    private void rescaleGroup(int i, int g, int coutG, int positions, double[] acc, float[] y) {
        for (int o = 0; o < coutG; o++) {
            int oc = g * coutG + o;
            for (int p = 0; p < positions; p++) y[oc * positions + p] = rescale(i, oc, acc[p * coutG + o]);
        }
    }

    @Override
    protected float[] linearLayer(int i, Linear l, float[] x, Tape t) {
        if (programmed == null || programmed[i] == null) return super.linearLayer(i, l, x, t);
        Pass pass = pass(t);
        double[] acc = new double[l.outFeatures()];
        int[] qx = quantizeInput(i, x);
        countSaturation(pass, i, x);
        ActivityCounter counter = pass.activity() == null ? null : pass.activity()[i];
        programmed[i][0].multiply(qx, 1, acc, pass.readNoise(), counter);
        if (pass.fits() != null && pass.fits()[i][0] != null) {
            float[] column = new float[qx.length];
            for (int j = 0; j < qx.length; j++) column[j] = qx[j];
            pass.fits()[i][0].add(column, 1, acc);
        }
        countCycles(counter, qx, 1, qx.length);
        float[] y = new float[l.outFeatures()];
        for (int o = 0; o < y.length; o++) y[o] = rescale(i, o, acc[o]);
        return y;
    }

    private void countSaturation(Pass pass, int node, float[] x) {
        if (pass.activity() == null) return;
        pass.activity()[node].quantizedValues += x.length;
        pass.activity()[node].saturatedValues += saturatedInputs(node, x);
    }

    private void countCycles(ActivityCounter counter, int[] inputs, int positions, int rows) {
        if (counter == null || cycleShape == null) return;
        counter.countCycles(inputs, positions, rows, cycleShape.groupRows(), cycleShape.arrayRows(),
                cycleShape.inputBits(), cycleShape.dacBits());
    }

    private float rescale(int node, int outChannel, double acc) {
        float[] sw = weightScales(node);
        double scale = (double) (sw.length == 1 ? sw[0] : sw[outChannel]) * inputScale(node);
        return (float) (acc * scale + (biases[node] == null ? 0f : biases[node][outChannel]));
    }
}
