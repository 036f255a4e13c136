package org.abacim.experiments.spark;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.abacim.core.accuracy.MonteCarlo;
import org.abacim.core.exec.FloatEngine;
import org.abacim.core.exec.QuantizedEngine;
import org.abacim.core.progress.Progress;
import org.abacim.experiments.run.AccuracyRun;
import org.abacim.experiments.run.DesignRun;

/**
 * Monte-Carlo trials as Spark tasks: each task scores one simulated chip (trial) on a range of whole 16-image chunks,
 * so its count is the one the in-process run gets for those images; the driver sums counts per trial. What every
 * executor gets once (a broadcast): how to rebuild the design point (config file, preset, network, --set values),
 * where the data sets and the model cache are, and the calibrated ADC ranges the driver measured. Each executor JVM
 * prepares the point once — the model is read from the model cache the driver filled, so on a cluster that cache and
 * the data must sit on a shared folder — and programs one chip per task.
 */
public final class SparkTrialBackend implements MonteCarlo.TrialBackend {
    /** How to rebuild a design point elsewhere: {@code abacim run}'s own arguments, and its folders. */
    public record PointSpec(String configFile, String preset, String network, List<String> sets, String dataDir,
                            String modelCache) implements Serializable {
        public PointSpec {
            sets = List.copyOf(sets);
        }
    }

    record Job(PointSpec point, double[] adcFullScale) implements Serializable {}

    record Task(int trial, int from, int to) implements Serializable {}

    private final Supplier<JavaSparkContext> context;
    private final PointSpec point;

    /** {@code context} is asked for the Spark context when trials are first scored (a run without any starts none). */
    public SparkTrialBackend(Supplier<JavaSparkContext> context, PointSpec point) {
        this.context = context;
        this.point = point;
    }

    /**
     * Each trial is cut into at most one task per executor core (whole chunks), and trials go out in waves of about
     * two tasks per core, so every core is busy and progress moves wave by wave; a task programs its chip once.
     */
    @Override
    public void correct(double[] adcFullScale, int firstTrial, int trials, int images, MonteCarlo.TrialDone done) {
        JavaSparkContext spark = context.get();
        int chunks = (images + FloatEngine.CHUNK - 1) / FloatEngine.CHUNK;
        int slots = Math.max(1, spark.defaultParallelism());
        int chunksPerTask = (chunks + slots - 1) / slots;
        int tasksPerTrial = (chunks + chunksPerTask - 1) / chunksPerTask;
        int trialsPerWave = Math.max(1, (2 * slots + tasksPerTrial - 1) / tasksPerTrial);
        Broadcast<Job> job = spark.broadcast(new Job(point, adcFullScale));
        try {
            for (int first = firstTrial; first < trials; first += trialsPerWave) {
                int last = Math.min(trials, first + trialsPerWave);
                List<Task> tasks = new ArrayList<>();
                for (int t = first; t < last; t++) {
                    for (int c = 0; c < chunks; c += chunksPerTask) {
                        tasks.add(new Task(t, c * FloatEngine.CHUNK, Math.min(images, (c + chunksPerTask) * FloatEngine.CHUNK)));
                    }
                }
                // Each task: its trial, then its count as programmed and at each time after programming.
                List<long[]> counts = spark.parallelize(tasks, tasks.size())
                        .map(task -> withTrial(task.trial(), score(job.value(), task))).collect();
                long[][] correct = new long[last - first][];
                for (long[] c : counts) {
                    long[] sum = correct[(int) c[0] - first];
                    if (sum == null) correct[(int) c[0] - first] = sum = new long[c.length - 1];
                    for (int k = 1; k < c.length; k++) sum[k - 1] += c[k];
                }
                for (int t = first; t < last; t++) {
                    long[] c = correct[t - first];
                    done.accept(t, c[0], Arrays.copyOfRange(c, 1, c.length));
                }
            }
        } finally {
            job.destroy();
        }
    }

    /** A point prepared on this JVM, and the quantized network its chips are programmed from. */
    private record Prepared(MonteCarlo.Setup setup, QuantizedEngine quantized) {}

    private static final Map<PointSpec, Prepared> PREPARED = new ConcurrentHashMap<>();

    private static long[] withTrial(int trial, long[] counts) {
        long[] row = new long[counts.length + 1];
        row[0] = trial;
        System.arraycopy(counts, 0, row, 1, counts.length);
        return row;
    }

    static long[] score(Job job, Task task) {
        SparkSweepBackend.FailureInjection.maybeFail();
        Prepared p = PREPARED.computeIfAbsent(job.point(), SparkTrialBackend::prepare);
        return MonteCarlo.correct(p.setup(), p.quantized(), job.adcFullScale(), task.trial(), task.from(), task.to());
    }

    private static Prepared prepare(PointSpec spec) {
        // The driver's folders: an executor of a cluster reads the data and the trained model where the driver put them.
        System.setProperty("abacim.data", spec.dataDir());
        System.setProperty("abacim.modelCache", spec.modelCache());
        MonteCarlo.Setup setup = Progress.muted(() -> AccuracyRun.prepare(DesignRun.load(
                spec.configFile() == null ? null : Path.of(spec.configFile()), spec.preset(), spec.network(),
                spec.sets()), 1).setup());
        return new Prepared(setup, MonteCarlo.quantized(setup));
    }
}
