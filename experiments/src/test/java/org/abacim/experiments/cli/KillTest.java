package org.abacim.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.abacim.core.data.Datasets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process killed outright (SIGKILL: no shutdown hook, no finally) at random moments of {@code sweep}, {@code run}
 * {@code train} and {@code compress} leaves only whole files, and the run that follows finishes with the same bytes as one that was
 * never interrupted. The kills land at seeded random delays; what a kill interrupts varies with the machine, and
 * every outcome must hold the invariants.
 */
class KillTest {
    private static final int KILLS = 5;

    @TempDir
    Path dir;

    /** A sweep long enough (about ten seconds) for kills to land mid-write; resumed after each kill. */
    private static final String SWEEP = """
            name: killed
            baseline: isaac
            base: { preset: isaac, network: resnet18 }
            grid: { array.bitsPerCell: [1, 2, 4] }
            random:
              samples: 2000
              seed: 11
              axes: { array.readCycle: { min: 50 ns, max: 200 ns, scale: log } }
            """;

    @Test
    void aSweepKilledAtRandomMomentsAndResumedEqualsAnUninterruptedOne() throws Exception {
        Path file = dir.resolve("killed.yaml");
        Files.writeString(file, SWEEP);
        Cli reference = Cli.run("sweep", file.toString(), "--out", dir.resolve("reference").toString(), "--threads", "2");
        assertThat(reference.code()).as(reference.err()).isZero();

        Path out = dir.resolve("killed");
        SplittableRandom random = new SplittableRandom(18);
        int killed = 0;
        for (int attempt = 0; attempt < KILLS; attempt++) {
            List<String> args = new ArrayList<>(List.of("sweep", file.toString(), "--out", out.toString(), "--threads", "2"));
            if (attempt > 0) args.add("--resume");
            if (killAfter(args, 800 + random.nextInt(3000))) killed++;
            // Whatever the moment, every complete line is a distinct point in plan order.
            List<String> lines = completeLines(out.resolve("results.jsonl"));
            for (int i = 0; i < lines.size(); i++) assertThat(lines.get(i)).startsWith("{\"index\":" + i + ",");
        }
        Process last = start(List.of("sweep", file.toString(), "--out", out.toString(), "--threads", "2", "--resume"));
        assertThat(last.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(last.exitValue()).as(Files.readString(dir.resolve("stderr.txt"))).isZero();
        assertThat(killed).as("kills that landed while the sweep ran").isPositive();
        for (String f : List.of("results.jsonl", "results.csv")) {
            assertThat(Files.readAllBytes(out.resolve(f))).as(f).isEqualTo(Files.readAllBytes(dir.resolve("reference").resolve(f)));
        }
    }

    @Test
    void aTenMillionPointSweepWritesItsFirstResultsAtOnceInA128MegabyteHeap() throws Exception {
        // Before the plan was walked lazily, this sweep built all 10^7 points first: 6 GB, or OutOfMemoryError.
        Path file = dir.resolve("big.yaml");
        Files.writeString(file, """
                name: big
                baseline: isaac
                base: { preset: isaac, network: lenet5 }
                random:
                  samples: 10000000
                  seed: 3
                  axes: { array.readCycle: { min: 50 ns, max: 200 ns, scale: log } }
                """);
        Path out = dir.resolve("big");
        Process p = start(List.of("sweep", file.toString(), "--out", out.toString(), "--threads", "2"), dir.resolve("cache"),
                "-Xmx128m");
        try {
            // A bounded wait for the first results (at most 600 polls), not a speed check: the assertion is on memory.
            for (int polls = 0; polls < 600 && completeLines(out.resolve("results.jsonl")).size() < 5000 && p.isAlive(); polls++) {
                Thread.sleep(200);
            }
            assertThat(p.isAlive()).as("still running: %s", Files.readString(dir.resolve("stderr.txt"))).isTrue();
            assertThat(completeLines(out.resolve("results.jsonl"))).hasSizeGreaterThanOrEqualTo(5000);
            assertThat(Files.readString(out.resolve("plan.json"))).contains("\"points\" : 10000000");
        } finally {
            p.destroyForcibly();
            p.waitFor();
        }
    }

    /** AccuracyRunTest's LeNet-5 run (trained for one epoch into the test's own cache, three trials), on 300 digits. */
    private static final String ACCURACY_RUN = AccuracyRunTest.CONFIG.replace("samples: 150", "samples: 300")
            .replace("training: { epochs: 1, seed: 1 }", "training: { epochs: 1, seed: 5 }");

    @Test
    void anAccuracyRunKilledWhileTrainingOrWritingLeavesWholeFilesAndAWholeModelCache() throws Exception {
        assumeTrue(Datasets.available("mnist"), "MNIST not fetched (scripts/fetch-data mnist)");
        Path file = dir.resolve("acc.yaml");
        Files.writeString(file, ACCURACY_RUN);
        // The run uninterrupted, with a cache of its own; its duration places the kills.
        Path fresh = dir.resolve("fresh");
        long millis = timed(List.of("run", file.toString(), "--out", fresh.toString()), dir.resolve("fresh-cache"));

        Path cache = dir.resolve("cache");
        Path out = dir.resolve("run");
        SplittableRandom random = new SplittableRandom(5);
        int killed = 0;
        double aim = 1.0;
        for (int attempt = 0; attempt < KILLS; attempt++) {
            // Spread over the whole run, most near its end, where the model and the results are written. A run that
            // finished before its kill was faster than the timed one (its model already cached, cores no longer
            // shared): aim earlier.
            long at = (long) (aim * millis * (attempt < 2 ? random.nextDouble() : 0.6 + 0.5 * random.nextDouble()));
            if (killAfter(List.of("run", file.toString(), "--out", out.toString()), at, cache)) killed++;
            else aim *= 0.5;
            assertOnlyWholeOrNoFiles(out, fresh);
        }
        timed(List.of("run", file.toString(), "--out", out.toString()), cache);
        assertThat(killed).as("kills that landed while the run ran").isPositive();
        // The killed runs left nothing half-made in the cache or the output folder to reuse.
        assertThat(visibleFiles(out)).hasSameSizeAs(visibleFiles(fresh));
        assertOnlyWholeOrNoFiles(out, fresh);
    }

    @Test
    void trainingKilledAtRandomMomentsLeavesNoManifestWithoutItsWholeWeights() throws Exception {
        assumeTrue(Datasets.available("mnist"), "MNIST not fetched (scripts/fetch-data mnist)");
        List<String> train = List.of("train", "--network", "lenet5", "--dataset", "mnist", "--epochs", "2",
                "--train-samples", "3000", "--seed", "3", "--threads", "2", "--out");
        Path reference = dir.resolve("reference").resolve("lenet5.npz");
        long millis = timed(with(train, reference.toString()), dir.resolve("cache"));

        Path out = dir.resolve("killed").resolve("lenet5.npz");
        SplittableRandom random = new SplittableRandom(9);
        int killed = 0;
        double aim = 1.0;
        for (int attempt = 0; attempt < KILLS; attempt++) {
            // Near the end, where the weights and then the manifest are written. A run that finished before its
            // kill was faster than the timed one (a warm disk cache, cores no longer shared): aim earlier.
            if (killAfter(with(train, out.toString()), (long) ((0.85 + 0.25 * random.nextDouble()) * aim * millis),
                    dir.resolve("cache"))) killed++;
            else aim *= 0.75;
            Path manifest = out.resolveSibling("lenet5.json");
            if (Files.exists(manifest)) {
                // The manifest is written last: when it is there, the weights it names are complete.
                assertThat(Files.readAllBytes(out)).isEqualTo(Files.readAllBytes(reference));
                assertThat(Files.readAllBytes(manifest)).isEqualTo(Files.readAllBytes(reference.resolveSibling("lenet5.json")));
            } else if (Files.exists(out)) {
                assertThat(Files.readAllBytes(out)).as("weights written whole").isEqualTo(Files.readAllBytes(reference));
            }
            Files.deleteIfExists(manifest);
            Files.deleteIfExists(out);
        }
        assertThat(killed).as("kills that landed while training ran").isPositive();
    }

    @Test
    void compressKilledAtRandomMomentsLeavesOnlyWholeFilesAndFinishesTheSame() throws Exception {
        assumeTrue(Datasets.available("mnist"), "MNIST not fetched (scripts/fetch-data mnist)");
        // Both run as "compress c.yaml" in their own folder: the manifest records the config path as given.
        Path fresh = Files.createDirectories(dir.resolve("fresh"));
        Files.writeString(fresh.resolve("c.yaml"), CompressCommandTest.CONFIG);
        long millis = timed(List.of("compress", "c.yaml", "--threads", "2"), dir.resolve("fresh-cache"), fresh);

        Path out = Files.createDirectories(dir.resolve("killed"));
        Files.writeString(out.resolve("c.yaml"), CompressCommandTest.CONFIG);
        SplittableRandom random = new SplittableRandom(21);
        int killed = 0;
        double aim = 1.0;
        for (int attempt = 0; attempt < 3; attempt++) { // compress is the slowest command: three kills
            // Over the whole run, most near its end, where the model, its manifest and the step table are written
            // (earlier after a kill that came too late: see the run test above).
            long at = (long) (aim * millis * (attempt < 1 ? random.nextDouble() : 0.7 + 0.4 * random.nextDouble()));
            if (killAfter(List.of("compress", "c.yaml", "--threads", "2"), at, dir.resolve("cache"), out)) killed++;
            else aim *= 0.5;
            assertOnlyWholeOrNoFiles(out, fresh);
        }
        timed(List.of("compress", "c.yaml", "--threads", "2"), dir.resolve("cache"), out);
        assertThat(killed).as("kills that landed while compress ran").isPositive();
        assertThat(visibleFiles(out)).hasSameSizeAs(visibleFiles(fresh));
        assertOnlyWholeOrNoFiles(out, fresh);
    }

    /** Runs the command to completion (it must succeed) and returns how long it took. */
    private long timed(List<String> args, Path cache) throws Exception {
        return timed(args, cache, Path.of(""));
    }

    private long timed(List<String> args, Path cache, Path workDir) throws Exception {
        long start = System.nanoTime();
        Process p = start(args, cache, workDir);
        assertThat(p.waitFor(600, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(dir.resolve("stderr.txt"))).isZero();
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static List<String> with(List<String> args, String last) {
        List<String> all = new ArrayList<>(args);
        all.add(last);
        return all;
    }

    /** Every file a run shows is byte-identical to what an uninterrupted run wrote, or absent. */
    private static void assertOnlyWholeOrNoFiles(Path out, Path uninterrupted) throws IOException {
        for (Path f : visibleFiles(out)) {
            Path whole = uninterrupted.resolve(f.getFileName());
            assertThat(whole).as("a file the uninterrupted run also writes").exists();
            assertThat(Files.readAllBytes(f)).as(f.getFileName().toString()).isEqualTo(Files.readAllBytes(whole));
        }
    }

    private static List<Path> visibleFiles(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) return List.of();
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> !f.getFileName().toString().startsWith(".")).sorted().toList();
        }
    }

    private static List<String> completeLines(Path file) throws IOException {
        if (!Files.exists(file)) return List.of();
        String text = Files.readString(file);
        int end = text.lastIndexOf('\n');
        return end < 0 ? List.of() : text.substring(0, end + 1).lines().toList();
    }

    /** Starts the command, kills it (SIGKILL) after {@code millis} if still running; true when the kill landed. */
    private boolean killAfter(List<String> args, long millis) throws Exception {
        return killAfter(args, millis, dir.resolve("cache"));
    }

    private boolean killAfter(List<String> args, long millis, Path cache) throws Exception {
        return killAfter(args, millis, cache, Path.of(""));
    }

    private boolean killAfter(List<String> args, long millis, Path cache, Path workDir) throws Exception {
        Process p = start(args, cache, workDir);
        if (p.waitFor(millis, TimeUnit.MILLISECONDS)) {
            assertThat(p.exitValue()).as(Files.readString(dir.resolve("stderr.txt"))).isZero();
            return false;
        }
        p.destroyForcibly(); // SIGKILL on Unix
        p.waitFor();
        return true;
    }

    /** The CLI in a JVM of its own; its output goes to stdout.txt and stderr.txt in the test's folder. */
    private Process start(List<String> args, Path cache, String... jvmOptions) throws IOException {
        return start(args, cache, Path.of(""), jvmOptions);
    }

    /** As above, in the working folder {@code workDir}. */
    private Process start(List<String> args, Path cache, Path workDir, String... jvmOptions) throws IOException {
        return new ProcessBuilder(CliProcess.command(args, cache, jvmOptions)).directory(workDir.toAbsolutePath().toFile())
                .redirectOutput(dir.resolve("stdout.txt").toFile()).redirectError(dir.resolve("stderr.txt").toFile()).start();
    }

    private Process start(List<String> args) throws IOException {
        return start(args, dir.resolve("cache"));
    }
}
