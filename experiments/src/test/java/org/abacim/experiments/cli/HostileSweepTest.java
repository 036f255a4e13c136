package org.abacim.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sweeps, reports and engine options tried as a hostile user would (issue #29, items 10–12): every refusal is exit 2
 * with one line {@code abacim: …} naming the file (with line and column where there is one), and nothing is written
 * or appended where it should not be.
 */
class HostileSweepTest {
    @TempDir
    Path dir;

    private static final String SWEEP = """
            base: { preset: isaac, network: lenet5 }
            grid: { array.bitsPerCell: [1, 2] }
            baseline: isaac
            """;

    /** Exit 2, one {@code abacim:} line on stderr containing {@code expected}, no stack trace. */
    static Cli refused(Cli cli, String expected) {
        assertThat(cli.code()).as("exit code; stderr: %s", cli.err()).isEqualTo(2);
        assertThat(cli.err()).as("stderr").doesNotContain("\tat ").doesNotContain("Exception");
        List<String> lines = cli.err().strip().lines().filter(l -> l.startsWith("abacim: ")).toList();
        assertThat(lines).as("error lines: %s", cli.err()).hasSize(1);
        assertThat(lines.get(0)).contains(expected);
        return cli;
    }

    private Path file(String name, String text) throws Exception {
        Path f = dir.resolve(name);
        Files.createDirectories(f.getParent());
        Files.writeString(f, text);
        return f;
    }

    private Cli sweep(Path sweepFile, Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("sweep", sweepFile.toString(), "--out", out.toString(),
                "--threads", "1"));
        args.addAll(List.of(extra));
        return Cli.run(args.toArray(String[]::new));
    }

    // ---- 10. A sweep owns its folder. ----

    @Test
    void aResultsFileTheSweepDidNotWriteIsRefusedNotAppendedTo() throws Exception {
        Path s = file("s.yaml", SWEEP);
        for (String name : List.of("results.csv", "results.jsonl")) {
            Path out = dir.resolve("foreign-" + name);
            String foreign = "name,value\nmine,42\n";
            file("foreign-" + name + "/" + name, foreign);
            for (boolean resume : new boolean[] {false, true}) {
                Cli cli = resume ? sweep(s, out, "--resume") : sweep(s, out);
                refused(cli, out.resolve(name) + ": not written by this sweep: no sweep plan beside the results");
                assertThat(Files.readString(out.resolve(name))).isEqualTo(foreign);
                assertThat(out.resolve("plan.json")).doesNotExist();
            }
        }
        // Results of another sweep (its plan.json beside them) are refused too, and left as they were.
        Path other = dir.resolve("other");
        assertThat(sweep(file("t.yaml", SWEEP.replace("[1, 2]", "[1, 4]")), other).code()).isZero();
        String before = Files.readString(other.resolve("results.csv"));
        refused(sweep(s, other, "--resume"), "plan.json: these results belong to another sweep plan");
        assertThat(Files.readString(other.resolve("results.csv"))).isEqualTo(before);
    }

    @TestFactory
    Stream<DynamicTest> nothingASweepWritesIsFollowedThroughASymbolicLink() {
        return Stream.of("results.jsonl", "results.csv", "plan.json", ".lock", "sweep.json").map(name ->
                DynamicTest.dynamicTest(name, () -> {
                    Path s = file("s.yaml", SWEEP);
                    Path target = file("target-" + name, "not the sweep's\n");
                    Path out = Files.createDirectories(dir.resolve("linked-" + name));
                    Files.createSymbolicLink(out.resolve(name), target);
                    refused(sweep(s, out), out.resolve(name) + ": is a symbolic link");
                    assertThat(Files.readString(target)).isEqualTo("not the sweep's\n");
                    assertThat(Files.isSymbolicLink(out.resolve(name))).isTrue();
                }));
    }

    @Test
    void aReportWritesNothingThroughASymbolicLink() throws Exception {
        Path out = dir.resolve("r");
        assertThat(sweep(file("s.yaml", SWEEP), out).code()).isZero();
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        Files.createSymbolicLink(out.resolve("charts"), elsewhere);
        refused(Cli.run("report", out.toString()), out.resolve("charts") + ": is a symbolic link");
        try (Stream<Path> files = Files.list(elsewhere)) {
            assertThat(files).isEmpty();
        }
        Files.delete(out.resolve("charts"));
        Path page = file("page.html", "mine\n");
        Files.createSymbolicLink(out.resolve("report.html"), page);
        refused(Cli.run("report", out.toString()), out.resolve("report.html") + ": is a symbolic link");
        assertThat(Files.readString(page)).isEqualTo("mine\n");
    }

    @Test
    void aReportOfAnEmptyOrBinaryResultsFileIsOneLineAndWritesNothing() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Files.write(empty.resolve("results.jsonl"), new byte[0]);
        refused(Cli.run("report", empty.toString()), "results.jsonl: the file is empty: no sweep results to report");
        Path binary = Files.createDirectories(dir.resolve("binary"));
        Files.write(binary.resolve("results.jsonl"), new byte[] {'P', 'K', 3, 4, 0, 0, (byte) 0xff, '\n'});
        refused(Cli.run("report", binary.toString()), "results.jsonl:1:3: byte 0x03: a binary file, not a sweep's results");
        Path notUtf8 = Files.createDirectories(dir.resolve("latin1"));
        Files.write(notUtf8.resolve("results.jsonl"), "{\"id\":\"\u00e9\"}\n".getBytes(StandardCharsets.ISO_8859_1));
        refused(Cli.run("report", notUtf8.toString()), "results.jsonl: not UTF-8 text");
        for (Path d : List.of(empty, binary, notUtf8)) {
            assertThat(d.resolve("report.html")).doesNotExist();
            assertThat(d.resolve("charts")).doesNotExist();
        }
    }

    // ---- 11. A sweep file is checked as a whole before any point runs. ----

    @TestFactory
    Stream<DynamicTest> aSweepFileIsRefusedAtTheLineAndColumnOfItsMistakeBeforeAnyPointRuns() {
        String base = "base: { preset: isaac, network: lenet5 }\nbaseline: none\n";
        return Stream.of(
                new String[] {"an unknown preset", base + "presets: [isaac, isaak]\n",
                        "s.yaml:3:18 presets[1] = isaak: unknown preset; built in: isaac"},
                new String[] {"an unknown network", base + "networks: [lenet5, lenett]\n",
                        "s.yaml:3:20 networks[1] = lenett: unknown network; built in: lenet5"},
                new String[] {"a constraint on a path no config has", base
                        + "constraints: [ { path: array.readCyle, max: 5 ns } ]\n",
                        "s.yaml:3:16 array.readCyle: no such value in the config of preset isaac"},
                new String[] {"a constraint bound of the wrong unit", base
                        + "constraints: [ { path: array.readCycle, max: 5 GHz } ]\n",
                        "s.yaml:3:16 array.readCycle = 5 GHz: the bound's unit does not fit the value 100 ns"},
                new String[] {"a constraint bound of the wrong unit for an axis value", base
                        + "grid: { array.rows: [64, 128] }\nconstraints: [ { path: array.rows, max: 5 ns } ]\n",
                        "s.yaml:4:16 array.rows = 5 ns: the bound and the value 64 are not the same kind"},
                new String[] {"a presetSets entry without =", base.replace("none", "isaac")
                        + "presets: [isaac, capram]\npresetSets: { capram: [organization.macrosPerChip] }\n",
                        "s.yaml:4:24 presetSets.capram[0] = organization.macrosPerChip: expected PATH=VALUE"},
                new String[] {"an empty axis path", base + "grid: { '': [1, 2] }\n", "s.yaml:3:13 grid. = '': not a config path"},
                new String[] {"an axis path with an empty key", base + "zip: { array..rows: [1, 2] }\n",
                        "s.yaml:3:21 zip.array..rows = array..rows: not a config path"},
                new String[] {"an axis path far past its list", base + "grid: { 'layers[999999].bits': [1] }\n",
                        "s.yaml:3:33 layers[999999]: index out of range; the list has 0 elements"},
                new String[] {"an axis index past any list", base + "grid: { 'layers[99999999999].bits': [1] }\n",
                        "s.yaml:3:37 grid.layers[99999999999].bits = layers[99999999999].bits: the index"},
                new String[] {"a random whole-number range wider than a long", base
                        + "random: { samples: 2, seed: 1, axes: { array.rows: { min: -9223372036854775808, max: 9223372036854775807 } } }\n",
                        "s.yaml:3:52 random.axes.array.rows = -9223372036854775808 … 9223372036854775807: the range holds "
                                + "more whole numbers than a 64-bit count"},
                new String[] {"a random range beyond a long", base
                        + "random: { samples: 2, seed: 1, axes: { array.rows: { min: 1, max: 99999999999999999999 } } }\n",
                        "random.axes.array.rows = 1 … 99999999999999999999: expected whole numbers from"})
                .map(c -> DynamicTest.dynamicTest(c[0], () -> {
                    Path s = file("s.yaml", c[1]);
                    Path out = dir.resolve("out-" + c[0].replace(' ', '-'));
                    refused(sweep(s, out), c[2]);
                    assertThat(out.resolve("results.jsonl")).doesNotExist();
                    assertThat(out.resolve("plan.json")).doesNotExist();
                }));
    }

    @Test
    void aSweepWhoseEveryPointIsInvalidExitsTwoWithItsResultsWritten() throws Exception {
        Path s = file("s.yaml", SWEEP.replace("[1, 2]", "[9, 10]"));
        Path out = dir.resolve("invalid");
        Cli cli = refused(sweep(s, out), "s.yaml: every point of the sweep is invalid (2 of 2");
        assertThat(cli.out()).contains("2 invalid");
        assertThat(Files.readAllLines(out.resolve("results.jsonl"))).hasSize(2)
                .allMatch(l -> l.contains("\"status\":\"invalid\"") && l.contains("must be between 1 and 8"));
        // A resume of it says so again; a sweep with one valid point is not an error.
        refused(sweep(s, out, "--resume"), "every point of the sweep is invalid");
        assertThat(sweep(file("t.yaml", SWEEP.replace("[1, 2]", "[2, 10]")), dir.resolve("some")).code()).isZero();
    }

    @Test
    void aResumeOverADuplicatedRecordEndsWithTheBytesOfAnUninterruptedRun() throws Exception {
        Path s = file("s.yaml", SWEEP.replace("[1, 2]", "[1, 2, 4]"));
        Path full = dir.resolve("full");
        assertThat(sweep(s, full).code()).isZero();
        List<String> records = Files.readAllLines(full.resolve("results.jsonl"));
        Path resumed = Files.createDirectories(dir.resolve("resumed"));
        Files.copy(full.resolve("plan.json"), resumed.resolve("plan.json"));
        // Point 0 twice, then point 1, then point 1 again cut short by a kill.
        Files.writeString(resumed.resolve("results.jsonl"), records.get(0) + "\n" + records.get(0) + "\n"
                + records.get(1) + "\n" + records.get(1).substring(0, 30));
        Cli cli = sweep(s, resumed, "--resume");
        assertThat(cli.code()).as(cli.err()).isZero();
        assertThat(cli.out()).contains("3 points (2 already done)");
        for (String f : List.of("results.jsonl", "results.csv")) {
            assertThat(Files.readAllBytes(resumed.resolve(f))).as(f).isEqualTo(Files.readAllBytes(full.resolve(f)));
        }
        // Two records of one point that differ are never mixed: refused, the file untouched.
        Path mixed = Files.createDirectories(dir.resolve("mixed"));
        Files.copy(full.resolve("plan.json"), mixed.resolve("plan.json"));
        String two = records.get(0) + "\n" + records.get(0).replace("\"ok\"", "\"skipped\"") + "\n";
        Files.writeString(mixed.resolve("results.jsonl"), two);
        refused(sweep(s, mixed, "--resume"), "results.jsonl:2:1: a second record of point 0 that differs from the first");
        assertThat(Files.readString(mixed.resolve("results.jsonl"))).isEqualTo(two);
    }

    // ---- 12. Engine options are checked. ----

    @TestFactory
    Stream<DynamicTest> aMasterUrlSparkCannotUseIsRefused() {
        return Stream.of("", "locale", "local[0]", "local[-1]", "local[2,0]", "local[99999999999]", "local[2",
                        "local[a]", "spark://", "spark://host", "spark://host:0", "spark://host:99999",
                        "spark://host:7077,", "spark://a b:7077", "mesos://host:5050", "k8s://", "yarn-client",
                        "http://example.org")
                .map(url -> DynamicTest.dynamicTest("--master '" + url + "'", () -> {
                    Path s = file("s.yaml", SWEEP);
                    refused(sweep(s, dir.resolve("m"), "--backend", "spark", "--master", url),
                            "--master " + url + " --master = " + url + ": not a Spark master URL Spark can use");
                    assertThat(dir.resolve("m")).doesNotExist();
                }));
    }

    @Test
    void aMasterWithoutTheSparkEngineIsRefusedByEveryCommandThatTakesIt() throws Exception {
        refused(Cli.run("run", "--preset", "isaac", "--network", "lenet5", "--master", "local[2]"),
                "--master local[2] --master = local[2]: applies only with --backend spark");
        // A comparison config took --master without a word and ran on threads: refused before any work.
        refused(Cli.run("run", "configs/forms-vs-isaac.yaml", "--master", "local[2]"),
                "--master = local[2]: applies only with --backend spark");
        refused(sweep(file("s.yaml", SWEEP), dir.resolve("x"), "--master", "local[2]"),
                "--master = local[2]: applies only with --backend spark");
    }

    /** The JVM options Spark needs on Java 17 (those this test JVM runs with), for a CLI process of its own. */
    private static String[] sparkJvmOptions(String... more) {
        List<String> options = new ArrayList<>(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()
                .stream().filter(a -> a.startsWith("--add-opens") || a.startsWith("-Djdk.reflect")
                        || a.startsWith("-Dio.netty")).toList());
        options.addAll(List.of(more));
        return options.toArray(String[]::new);
    }

    /** {@code abacim ARGS} in a JVM of its own (as a user runs it): exit code, stderr and the seconds it took. */
    private record Run(int code, String err, double seconds) {}

    private Run process(List<String> args, String... jvmOptions) throws Exception {
        Path err = dir.resolve("stderr-" + System.nanoTime());
        long start = System.nanoTime();
        Process p = new ProcessBuilder(CliProcess.command(args, dir.resolve("models"), jvmOptions))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile()).start();
        boolean ended = p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS);
        if (!ended) p.destroyForcibly().waitFor();
        assertThat(ended).as("the CLI ended within 120 s").isTrue();
        return new Run(p.exitValue(), Files.readString(err), (System.nanoTime() - start) / 1e9);
    }

    private static void oneLine(Run run, String expected) {
        refused(new Cli(run.code(), "", run.err()), expected);
    }

    @Test
    void aClosedMasterPortIsOneLineAtOnceNotAMinuteAndAStackTrace() throws Exception {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort(); // closed again below: nothing listens there
        }
        Path out = dir.resolve("closed");
        Run run = process(List.of("sweep", file("s.yaml", SWEEP).toString(), "--out", out.toString(), "--backend",
                "spark", "--master", "spark://127.0.0.1:" + port), sparkJvmOptions());
        oneLine(run, "--master spark://127.0.0.1:" + port + ": no Spark master answers at 127.0.0.1:" + port
                + " (connection refused)");
        assertThat(run.seconds()).as("seconds until the refusal").isLessThan(20);
        assertThat(out).doesNotExist();
    }

    @Test
    void aClosedMasterPortIsRefusedBeforeARunDoesAnyWork() throws Exception {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        // Spark would start only when Monte-Carlo trials are scored (after training a model): the master is tried first.
        Path out = dir.resolve("run-out");
        long start = System.nanoTime();
        refused(Cli.run("run", "--preset", "isaac", "--network", "lenet5", "--backend", "spark", "--master",
                "spark://127.0.0.1:" + port, "--out", out.toString()),
                "no Spark master answers at 127.0.0.1:" + port + " (connection refused)");
        assertThat((System.nanoTime() - start) / 1e9).isLessThan(10);
        assertThat(out).doesNotExist();
    }

    @Test
    void aMasterThatAcceptsConnectionsButNeverAnswersIsOneLineAfterTheRegistrationTimeout() throws Exception {
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            List<java.net.Socket> held = new java.util.concurrent.CopyOnWriteArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) held.add(silent.accept()); // accepted, never answered
                } catch (java.io.IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            int port = silent.getLocalPort();
            Path out = dir.resolve("silent");
            Run run = process(List.of("sweep", file("s.yaml", SWEEP).toString(), "--out", out.toString(), "--backend",
                    "spark", "--master", "spark://127.0.0.1:" + port),
                    sparkJvmOptions("-Dabacim.spark.registrationTimeout=4"));
            oneLine(run, "the master at 127.0.0.1:" + port + " accepts connections but did not take the application "
                    + "within 4 s");
            assertThat(run.seconds()).as("seconds until the refusal").isLessThan(20);
            assertThat(out).doesNotExist();
            for (java.net.Socket s : held) s.close();
        }
    }
}
