package org.abacim.core.accuracy;

import java.util.ArrayList;
import java.util.List;
import org.abacim.core.analog.ActivityCounter;
import org.abacim.core.analog.Chip;
import org.abacim.core.analog.Streams;
import org.abacim.core.data.Dataset;
import org.abacim.core.exec.ArrayEngine;
import org.abacim.core.exec.FloatEngine;
import org.abacim.core.exec.QuantizedEngine;
import org.abacim.core.network.Network;
import org.abacim.core.progress.Progress;
import org.abacim.core.result.Result;
import org.abacim.core.tech.MvmNumerics;
import org.abacim.core.train.Trainer;
import java.util.Arrays;

/**
 * Monte-Carlo accuracy of a trained network on an array technology: the float32 reference, the integer-quantized
 * network on ideal arrays, then {@code trials} simulated chips, each with its devices drawn from its own stream
 * (seed, trial) and every read's noise from (seed, trial, image). Trials and images are split into fixed chunks of
 * the flattened (trial, image) space and run in parallel; every draw and every count depends on its key alone, so the
 * result is the same for any thread count.
 */
public final class MonteCarlo {
    /** Calibration images whose column sums set a calibrated ADC range. */
    private static final int ADC_CALIBRATION_IMAGES = 64;
    /** Calibration images on which each chip fits its statistical error models (accuracy.mode: statistical). */
    public static final int STATISTICAL_CALIBRATION_IMAGES = 8;

    private MonteCarlo() {}

    /**
     * What to run. {@code timesS}: times after programming (seconds) at which every chip is scored again, its
     * devices drawn once and aged to each time; empty for none.
     */
    public record Setup(Network network, MvmNumerics numerics, QuantizedEngine.Scheme scheme, Dataset test,
                        float[][] calibration, int trials, long seed, boolean calibrateAdc, boolean measureActivity,
                        int threads, double[] timesS, boolean statistical) {
        /** The bit-serial mode (every conversion simulated), at one time. */
        public Setup(Network network, MvmNumerics numerics, QuantizedEngine.Scheme scheme, Dataset test,
                     float[][] calibration, int trials, long seed, boolean calibrateAdc, boolean measureActivity,
                     int threads) {
            this(network, numerics, scheme, test, calibration, trials, seed, calibrateAdc, measureActivity, threads,
                    new double[0], false);
        }

        /** The bit-serial or the statistical mode, at one time. */
        public Setup(Network network, MvmNumerics numerics, QuantizedEngine.Scheme scheme, Dataset test,
                     float[][] calibration, int trials, long seed, boolean calibrateAdc, boolean measureActivity,
                     int threads, boolean statistical) {
            this(network, numerics, scheme, test, calibration, trials, seed, calibrateAdc, measureActivity, threads,
                    new double[0], statistical);
        }
    }

    /**
     * Accuracy figures and, when measured, each weighted layer's activity on trial 0's chip. Statistics come from
     * the integer counts of correct images, so identical trials give exactly their accuracy and a zero spread.
     */
    public record Outcome(double reference, double quantized, long[] correct, int images,
                          List<Result.LayerActivity> activity, long[][] correctAt) {
        public Outcome(double reference, double quantized, long[] correct, int images,
                       List<Result.LayerActivity> activity) {
            this(reference, quantized, correct, images, activity, new long[0][]);
        }

        /** The chips scored at the {@code i}th of the setup's times, as an outcome of their own. */
        public Outcome at(int i) {
            return new Outcome(reference, quantized, correctAt[i], images, List.of());
        }

        public double[] trials() {
            double[] a = new double[correct.length];
            for (int t = 0; t < a.length; t++) a[t] = (double) correct[t] / images;
            return a;
        }

        public double mean() {
            long sum = 0;
            for (long c : correct) sum += c;
            return (double) sum / ((double) images * correct.length);
        }

        /** Sample standard deviation over trials (0 for one trial). */
        public double std() {
            int n = correct.length;
            if (n < 2) return 0;
            long sum = 0;
            long squares = 0;
            for (long c : correct) {
                sum += c;
                squares += c * c;
            }
            // n·Σc² − (Σc)² is exact in integers; it is 0 when every trial scored the same.
            double spread = (double) (n * squares - sum * sum) / ((double) n * (n - 1));
            return Math.sqrt(spread) / images;
        }

        public double min() {
            long v = Long.MAX_VALUE;
            for (long c : correct) v = Math.min(v, c);
            return (double) v / images;
        }

        public double max() {
            long v = Long.MIN_VALUE;
            for (long c : correct) v = Math.max(v, c);
            return (double) v / images;
        }
    }

    private record Chunk(int trial, int correct, ActivityCounter[] activity) {}

    public static Outcome run(Setup s) {
        return run(s, null);
    }

    /**
     * Where the trials of a Monte-Carlo run are scored: elsewhere than this process's threads (a cluster). The
     * engine scores chip {@code trial}'s images [from, to) as {@link #correct} does, on a setup it rebuilds
     * from the same run.
     */
    public interface TrialBackend {
        /**
         * Scores trials [firstTrial, trials) on images [0, images) and hands each trial's count of images right to
         * {@code done} as soon as it is known (for progress), in trial order.
         */
        void correct(double[] adcFullScale, int firstTrial, int trials, int images, TrialDone done);
    }

    /** A trial's count of images right, and the same chip's count at each of the setup's times after programming. */
    @FunctionalInterface
    public interface TrialDone {
        void accept(int trial, long correct, long[] correctAtTimes);
    }

    /**
     * As {@link #run(Setup)}, with trials scored by {@code backend} (null: this process). Trial 0 stays here when
     * activity is measured (its counters are summed here). The counts, and so the outcome, are the same either way.
     */
    public static Outcome run(Setup s, TrialBackend backend) {
        Dataset test = s.test();
        double reference = Trainer.accuracy(new FloatEngine(s.network()), test, s.threads());
        QuantizedEngine quantized = quantized(s);
        double quantizedAccuracy = Trainer.accuracy(quantized, test, s.threads());
        double[] fullScale = s.calibrateAdc() ? adcFullScale(quantized, s) : null;

        int trials = s.trials();
        int n = test.size();
        long[] correct = new long[trials];
        double[] times = s.timesS();
        long[][] correctAt = new long[times.length][trials];
        ActivityCounter[] activity = null;
        // One simulated chip at a time (programmed, then scored on every image across the threads): memory holds one
        // chip's programmed arrays, whatever the number of trials.
        try (Progress.Stage progress = Progress.start(
                "Monte-Carlo " + s.network().name() + " (" + n + " images per chip)", trials, "chips")) {
            int here = backend == null ? trials : s.measureActivity() ? 1 : 0;
            for (int t = 0; t < here; t++) {
                int trial = t;
                boolean count = trial == 0 && s.measureActivity();
                // Trial 0 simulates every conversion when activity is measured, so ADC codes are counted.
                Chip chip = new Chip(Streams.key(s.seed(), t), false, Double.NaN, count);
                ArrayEngine chipEngine = chip(s, quantized, chip, fullScale);
                int nodes = chipEngine.nodeCount();
                List<Chunk> parts = FloatEngine.parallelChunks(n, s.threads(), (from, to) -> {
                    ActivityCounter[] counted = count ? counters(nodes) : null;
                    return new Chunk(trial, score(chipEngine, s, trial, from, to, counted), counted);
                });
                if (count) activity = counters(nodes);
                for (Chunk c : parts) {
                    correct[trial] += c.correct();
                    if (c.activity() != null) for (int k = 0; k < nodes; k++) activity[k].add(c.activity()[k]);
                }
                // The same chip (the same draws) read at each time after programming.
                for (int i = 0; i < times.length; i++) {
                    ArrayEngine aged = chip(s, quantized,
                            new Chip(Streams.key(s.seed(), t), false, Double.NaN, false).at(times[i]), fullScale);
                    for (Chunk c : FloatEngine.parallelChunks(n, s.threads(),
                            (from, to) -> new Chunk(trial, score(aged, s, trial, from, to, null), null))) {
                        correctAt[i][trial] += c.correct();
                    }
                }
                progress.step();
            }
            if (here < trials) {
                backend.correct(fullScale, here, trials, n, (trial, right, rightAt) -> {
                    correct[trial] = right;
                    for (int i = 0; i < times.length; i++) correctAt[i][trial] = rightAt[i];
                    progress.step();
                });
            }
        }
        return new Outcome(reference, quantizedAccuracy, correct, n,
                activity == null ? List.of() : report(s.network(), activity), correctAt);
    }

    /** The quantized network a setup's chips are programmed from (built once per process that scores chips). */
    public static QuantizedEngine quantized(Setup s) {
        return new QuantizedEngine(s.network(), s.scheme(), s.calibration());
    }

    /**
     * Images [from, to) that chip {@code trial} (nothing counted) gets right — as programmed, then at each of the
     * setup's times after programming (entries 1…) — scored in the fixed chunks of {@link FloatEngine#CHUNK} images
     * the in-process run uses, so a cluster's task sees the same bytes.
     */
    public static long[] correct(Setup s, QuantizedEngine quantized, double[] adcFullScale, int trial, int from, int to) {
        if (from % FloatEngine.CHUNK != 0) throw new IllegalArgumentException("images from " + from + ": not a chunk start");
        double[] times = s.timesS();
        long[] right = new long[1 + times.length];
        for (int i = 0; i <= times.length; i++) {
            // The same chip (the same draws) as programmed, then read at each time after programming.
            Chip drawn = new Chip(Streams.key(s.seed(), trial), false, Double.NaN, false);
            ArrayEngine chip = chip(s, quantized, i == 0 ? drawn : drawn.at(times[i - 1]), adcFullScale);
            for (int chunk = from; chunk < to; chunk += FloatEngine.CHUNK) {
                right[i] += score(chip, s, trial, chunk, Math.min(to, chunk + FloatEngine.CHUNK), null);
            }
        }
        return right;
    }

    /**
     * One simulated chip, programmed; in the statistical mode, each layer then replaced by its fitted error model
     * ({@link ArrayEngine#statistical}) on the first calibration images.
     */
    private static ArrayEngine chip(Setup s, QuantizedEngine quantized, Chip chip, double[] fullScale) {
        // Programmed on the run's threads: every layer draws from its own stream, so the chip is the same.
        ArrayEngine engine = new ArrayEngine(quantized, s.numerics(), chip, fullScale, s.threads());
        if (!s.statistical()) return engine;
        float[][] images = Arrays.copyOf(s.calibration(), Math.min(STATISTICAL_CALIBRATION_IMAGES, s.calibration().length));
        return engine.statistical(images, s.threads());
    }

    /** One chunk of images on one chip; with counters, image by image (what the arrays see is counted). */
    private static int score(ArrayEngine chip, Setup s, int trial, int from, int to, ActivityCounter[] counted) {
        Dataset test = s.test();
        int right = 0;
        // Without counting, a chip of fixed linear maps runs the chunk batched (ArrayEngine.forward).
        float[][] batch = counted != null ? null
                : chip.forward(test.images(), from, to, image -> Streams.random(s.seed(), trial, image, 1));
        for (int image = from; image < to; image++) {
            float[] out = counted != null
                    ? chip.forward(test.images()[image], Streams.random(s.seed(), trial, image, 1), counted)
                    : batch[image - from];
            if (FloatEngine.argmax(out) == test.labels()[image]) right++;
        }
        return right;
    }

    private static ActivityCounter[] counters(int n) {
        ActivityCounter[] a = new ActivityCounter[n];
        for (int i = 0; i < n; i++) a[i] = new ActivityCounter();
        return a;
    }

    /**
     * A calibrated ADC range per layer: the largest column sum the chip as designed produces on the first
     * calibration images (every conversion simulated, the ADC read without range limit).
     */
    private static double[] adcFullScale(QuantizedEngine quantized, Setup s) {
        ArrayEngine nominal = new ArrayEngine(quantized, s.numerics(), new Chip(0, true, Double.POSITIVE_INFINITY, true), null);
        int images = Math.min(ADC_CALIBRATION_IMAGES, s.calibration().length);
        int nodes = nominal.nodeCount();
        List<ActivityCounter[]> parts = FloatEngine.parallelChunks(images, s.threads(), (from, to) -> {
            ActivityCounter[] a = counters(nodes);
            for (int k = from; k < to; k++) nominal.forward(s.calibration()[k], Streams.random(s.seed(), -1, k), a);
            return a;
        });
        ActivityCounter[] total = counters(nodes);
        for (ActivityCounter[] a : parts) for (int k = 0; k < nodes; k++) total[k].add(a[k]);
        double[] fullScale = new double[nodes];
        for (int k = 0; k < nodes; k++) fullScale[k] = total[k].conversions == 0 ? Double.NaN : total[k].maxColumnSum;
        return fullScale;
    }

    private static List<Result.LayerActivity> report(Network net, ActivityCounter[] activity) {
        List<Result.LayerActivity> out = new ArrayList<>();
        for (int k = 0; k < activity.length; k++) {
            ActivityCounter a = activity[k];
            if (a.inputs == 0) continue;
            out.add(new Result.LayerActivity(net.nodes().get(k).name(), a.digitDensity(), a.zeroInputFraction(),
                    a.conversions == 0 ? Double.NaN : a.meanCode(), a.conversions == 0 ? Double.NaN : a.saturationFraction(),
                    a.meanGroupCycles(), a.meanArrayCycles(), a.inputSaturationFraction()));
        }
        return out;
    }
}
