package org.abacim.experiments.spark;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.abacim.experiments.sweep.ResultsStore;
import org.abacim.experiments.sweep.SweepPoint;
import org.abacim.experiments.sweep.SweepRunner;
import org.abacim.experiments.sweep.SweepSpec;

/**
 * A sweep's points evaluated as Spark tasks. The driver walks the plan (skipping points already written), cuts the
 * pending points into tasks of {@link #pointsPerTask} consecutive points, and runs them a wave at a time (a few
 * tasks per executor core); a wave's results come back in task order and are written in plan order, so the files
 * are the bytes the in-process backend writes. Executors evaluate a point exactly as the in-process backend does
 * ({@link SweepRunner#render}); what they get once per job is a broadcast of the sweep file's path and the
 * baselines the driver computed, and each builds its runner once per JVM. A task that fails is retried by Spark;
 * its results reach the files only through the driver, once, so a retry can neither lose nor duplicate a row.
 * A point that fails deterministically is recorded as failed, as in-process.
 */
public final class SparkSweepBackend implements SweepRunner.SweepBackend {
    private final JavaSparkContext spark;
    private final Path sweepFile;
    private final int pointsPerTask;

    /** {@code sweepFile} must be readable at the same path by every executor (a shared folder on a cluster). */
    public SparkSweepBackend(JavaSparkContext spark, Path sweepFile, int pointsPerTask) {
        if (pointsPerTask < 1) throw new IllegalArgumentException("points per task must be positive: " + pointsPerTask);
        this.spark = spark;
        this.sweepFile = sweepFile.toAbsolutePath().normalize();
        this.pointsPerTask = pointsPerTask;
    }

    /** What every executor gets once per sweep. */
    record Job(String sweepFile, Map<String, Map<String, Double>> baselines) implements Serializable {}

    @Override
    public void evaluate(Iterator<SweepPoint> pending, SweepRunner runner, Consumer<ResultsStore.Rendered> inOrder) {
        Broadcast<Job> job = spark.broadcast(new Job(sweepFile.toString(), new HashMap<>(runner.baselines())));
        int tasksPerWave = Math.max(1, spark.defaultParallelism()) * 4;
        try {
            while (pending.hasNext()) {
                List<List<SweepPoint>> tasks = new ArrayList<>();
                while (pending.hasNext() && tasks.size() < tasksPerWave) {
                    List<SweepPoint> task = new ArrayList<>(pointsPerTask);
                    while (pending.hasNext() && task.size() < pointsPerTask) task.add(pending.next());
                    tasks.add(task);
                }
                List<List<String[]>> results = spark.parallelize(tasks, tasks.size())
                        .map(task -> evaluateTask(job.value(), task)).collect();
                for (List<String[]> task : results) {
                    for (String[] lines : task) {
                        inOrder.accept(new ResultsStore.Rendered(ResultsStore.parse(lines[0]), lines[0], lines[1]));
                    }
                }
            }
        } finally {
            job.destroy();
        }
    }

    /** Runners built on this JVM, per sweep file and baselines (executors keep them across tasks). */
    private static final Map<Job, SweepRunner> RUNNERS = new ConcurrentHashMap<>();

    /** One task: its points evaluated in order, each as its JSON line and CSV line. */
    static List<String[]> evaluateTask(Job job, List<SweepPoint> points) {
        FailureInjection.maybeFail();
        SweepRunner runner = RUNNERS.computeIfAbsent(job,
                j -> SweepRunner.withBaselines(SweepSpec.read(Path.of(j.sweepFile())), j.baselines()));
        List<String[]> lines = new ArrayList<>(points.size());
        for (SweepPoint p : points) {
            ResultsStore.Rendered r = runner.render(p);
            lines.add(new String[] {r.jsonLine(), r.csvLine()});
        }
        return lines;
    }

    /**
     * A test's way to make tasks fail on their first attempt (system property {@code abacim.spark.failFirstAttempt}
     * on the executors: every task whose partition number is even), to check that Spark's retries lose and duplicate
     * nothing.
     */
    static final class FailureInjection {
        private FailureInjection() {}

        static void maybeFail() {
            if (!Boolean.getBoolean("abacim.spark.failFirstAttempt")) return;
            TaskContext task = TaskContext.get();
            if (task != null && task.attemptNumber() == 0 && task.partitionId() % 2 == 0) {
                throw new IllegalStateException("injected failure of partition " + task.partitionId() + ", attempt 0");
            }
        }
    }
}
