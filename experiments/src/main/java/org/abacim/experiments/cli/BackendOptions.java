package org.abacim.experiments.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.api.java.JavaSparkContext;
import org.abacim.core.accuracy.MonteCarlo;
import org.abacim.core.data.Datasets;
import org.abacim.experiments.run.ModelCache;
import org.abacim.experiments.spark.SparkContexts;
import org.abacim.experiments.spark.SparkSweepBackend;
import org.abacim.experiments.spark.SparkTrialBackend;
import org.abacim.experiments.sweep.SweepRunner;
import picocli.CommandLine.Option;

/**
 * Where the work runs, the backend: {@code --backend threads} (the default: a pool of threads in this process) or
 * {@code --backend spark} (Spark tasks, on {@code --master} — e.g. {@code local[2]} embedded in this JVM,
 * {@code spark://host:7077} a standalone cluster — or the master {@code spark-submit} set). Spark is not inside
 * {@code abacim.jar}: {@code scripts/abacim-spark} puts it on the class path, as does {@code spark-submit}.
 * ({@code --engine} is the option's old name, kept as an alias: "engine" now means only the functional engines.)
 */
final class BackendOptions {
    @Option(names = {"--backend", "--engine"}, paramLabel = "BACKEND", defaultValue = "threads",
            description = "threads (default: this process's cores) or spark (Spark tasks; see --master). "
                    + "--engine is its old name.")
    String backend;

    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master for --backend spark: local[N], local[N,F] (F attempts per task), "
                    + "spark://HOST:PORT, yarn, k8s://… (default: the one spark-submit set, else local[*]).")
    String master;

    @Option(names = "--points-per-task", paramLabel = "N", defaultValue = "64",
            description = "Sweep points per Spark task (default 64); any value gives the same results.")
    int pointsPerTask;

    private boolean checked;

    static final int MAX_LOCAL_THREADS = 4096;
    static final int MAX_TASK_ATTEMPTS = 100;
    private static final Pattern LOCAL =
            Pattern.compile("local\\[(\\*|[0-9]{1,9})(?:,([0-9]{1,9}))?\\]");
    private static final Pattern HOST_PORT =
            Pattern.compile("([A-Za-z0-9](?:[A-Za-z0-9.-]{0,252})|\\[[0-9A-Fa-f:.]{2,45}\\]):([0-9]{1,5})");

    /**
     * Whether Spark can use {@code url} as its master: {@code local}, {@code local[N]}, {@code local[N,F]} (N from 1
     * to 4096 or {@code *}, F from 1 to 100), {@code spark://HOST:PORT[,HOST:PORT…]} (ports 1–65535), {@code yarn}
     * or {@code k8s://…}. Anything else Spark would refuse with a stack trace, or misread.
     */
    static boolean usableMaster(String url) {
        if (url.equals("local") || url.equals("yarn")) return true;
        Matcher local = LOCAL.matcher(url);
        if (local.matches()) {
            boolean threads = local.group(1).equals("*") || between(local.group(1), MAX_LOCAL_THREADS);
            return threads && (local.group(2) == null || between(local.group(2), MAX_TASK_ATTEMPTS));
        }
        if (url.startsWith("spark://")) {
            for (String master : url.substring("spark://".length()).split(",", -1)) {
                Matcher m = HOST_PORT.matcher(master);
                if (!m.matches() || !between(m.group(2), 65535)) return false;
            }
            return true;
        }
        if (url.startsWith("k8s://")) {
            String rest = url.substring("k8s://".length());
            return !rest.isEmpty() && rest.chars().noneMatch(c -> c <= ' ' || c == 0x7F);
        }
        return false;
    }

    private static boolean between(String digits, int max) {
        long n = Long.parseLong(digits);
        return n >= 1 && n <= max;
    }

    /** A backend and what it holds open (a Spark context), closed after the run. */
    interface Backend extends AutoCloseable {
        SweepRunner.SweepBackend sweep();

        @Override
        void close();
    }

    Backend sweepBackend(int threads, Path sweepFile) {
        check();
        if (backend.equals("threads")) {
            SweepRunner.InProcess inProcess = new SweepRunner.InProcess(threads);
            return new Backend() {
                @Override public SweepRunner.SweepBackend sweep() { return inProcess; }

                @Override public void close() {}
            };
        }
        return SparkBackend.start(master, sweepFile, pointsPerTask);
    }

    /** Where a run's Monte-Carlo trials are scored, held open for the command. */
    interface Trials extends AutoCloseable {
        /** The backend for one design point (null: this process's threads). */
        MonteCarlo.TrialBackend forPoint(Path config, String preset, String network,
                                         List<String> sets);

        @Override
        void close();
    }

    Trials trialBackend() {
        check();
        if (backend.equals("threads")) {
            return new Trials() {
                @Override public MonteCarlo.TrialBackend forPoint(Path config, String preset,
                        String network, List<String> sets) { return null; }

                @Override public void close() {}
            };
        }
        return SparkBackend.trials(master);
    }

    /** Checks the options as given, before any work: a command calls it first (the backends call it again). */
    void check() {
        if (checked) return;
        if (!backend.equals("threads") && !backend.equals("spark")) OptionChecks.fail("--backend", backend, "expected threads or spark");
        if (master != null && !backend.equals("spark")) OptionChecks.fail("--master", master, "applies only with --backend spark");
        if (master != null && !usableMaster(master)) {
            OptionChecks.fail("--master", master, "not a Spark master URL Spark can use; expected local, local[N], "
                    + "local[N,F] (N threads from 1 to " + MAX_LOCAL_THREADS + " or *, F attempts per task from 1 to "
                    + MAX_TASK_ATTEMPTS + "), spark://HOST:PORT[,HOST:PORT…], yarn or k8s://…");
        }
        OptionChecks.atLeast("--points-per-task", pointsPerTask, 1);
        if (backend.equals("spark") && !SparkContexts.available()) {
            OptionChecks.fail("--backend", backend, "Spark is not on the class path (abacim.jar leaves it out): run "
                    + "scripts/abacim-spark, which adds the Spark jars mvn package copied, or spark-submit "
                    + "--class org.abacim.experiments.cli.Abacim abacim.jar");
        }
        // A standalone master that does not answer is one line now, not after a run has trained its model.
        if (backend.equals("spark") && master != null) {
            SparkContexts.probe(master, "--master " + master);
        }
        checked = true;
    }

    /** Kept apart so that the threads backend never loads a class that names Spark's. */
    private static final class SparkBackend implements Backend {
        private final JavaSparkContext context;
        private final SweepRunner.SweepBackend sweep;

        private SparkBackend(String master, Path sweepFile, int pointsPerTask) {
            context = SparkContexts.start(master, "abacim sweep " + sweepFile.getFileName());
            sweep = new SparkSweepBackend(context, sweepFile, pointsPerTask);
        }

        static Backend start(String master, Path sweepFile, int pointsPerTask) {
            return new SparkBackend(master, sweepFile, pointsPerTask);
        }

        static Trials trials(String master) {
            // Started on first use: a run whose points have no accuracy section needs no Spark.
            JavaSparkContext[] context = new JavaSparkContext[1];
            Supplier<JavaSparkContext> started = () -> {
                if (context[0] == null) context[0] = SparkContexts.start(master, "abacim run");
                return context[0];
            };
            return new Trials() {
                @Override
                public MonteCarlo.TrialBackend forPoint(Path config, String preset,
                        String network, List<String> sets) {
                    return new SparkTrialBackend(started,
                            new SparkTrialBackend.PointSpec(
                                    config == null ? null : config.toAbsolutePath().normalize().toString(), preset,
                                    network, sets, Datasets.directory().toAbsolutePath().toString(),
                                    ModelCache.directory().toAbsolutePath().toString()));
                }

                @Override public void close() {
                    if (context[0] != null) context[0].stop();
                }
            };
        }

        @Override public SweepRunner.SweepBackend sweep() { return sweep; }

        @Override public void close() { context.stop(); }
    }
}
