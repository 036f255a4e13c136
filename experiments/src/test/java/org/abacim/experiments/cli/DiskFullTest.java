package org.abacim.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.abacim.core.data.Datasets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A disk that fills mid-run: a 1 MiB tmpfs mounted in a user namespace of its own ({@code unshare -rm}, util-linux,
 * so no privileges are needed and nothing outside the test sees the mount). {@code sweep}, {@code run} and
 * {@code train} each stop with one line naming the file and "No space left on device", exit 2, and leave no half
 * file; the sweep's results, moved to a disk with room, resume to the bytes of an uninterrupted sweep.
 */
class DiskFullTest {
    @TempDir
    Path dir;

    private static final String SWEEP = """
            name: fill
            baseline: isaac
            base: { preset: isaac, network: lenet5 }
            random:
              samples: 3000
              seed: 3
              axes: { array.readCycle: { min: 50 ns, max: 200 ns, scale: log } }
            """;

    @Test
    void aFullDiskStopsEachCommandWithOneLineAndNoHalfFile() throws Exception {
        assumeTrue(Datasets.available("mnist"), "MNIST not fetched (scripts/fetch-data mnist)");
        Path sweepFile = dir.resolve("fill.yaml");
        Files.writeString(sweepFile, SWEEP);
        Path mnt = Files.createDirectories(dir.resolve("mnt"));
        // Mounting needs user namespaces (util-linux's unshare, a kernel that allows them); without them, say so.
        Process probe = new ProcessBuilder("unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs " + q(mnt))
                .redirectErrorStream(true).redirectOutput(dir.resolve("probe.out").toFile()).start();
        assumeTrue(probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0,
                "cannot mount a tmpfs in a user namespace here: " + Files.readString(dir.resolve("probe.out")));
        Path out = Files.createDirectories(dir.resolve("out"));
        Path cache = dir.resolve("cache");
        String script = String.join("\n",
                "mount -t tmpfs -o size=1m tmpfs " + q(mnt) + " || exit 97",
                // 1. A sweep that outgrows the disk; its folder is then copied out to resume elsewhere.
                run(CliProcess.command(List.of("sweep", sweepFile.toString(), "--out", mnt.resolve("s").toString(),
                        "--threads", "2"), cache), out, "sweep"),
                "cp -r " + q(mnt.resolve("s")) + " " + q(out.resolve("s")),
                "rm -rf " + q(mnt.resolve("s")),
                // 2. A run on a disk with no room at all.
                "dd if=/dev/zero of=" + q(mnt.resolve("fill")) + " bs=64k 2>/dev/null",
                run(CliProcess.command(List.of("run", "--preset", "isaac", "--network", "resnet18", "--out",
                        mnt.resolve("r").toString()), cache), out, "run"),
                "ls -A " + q(mnt.resolve("r")) + " > " + q(out.resolve("run.ls")) + " 2>&1",
                // 3. Training with 64 KiB left: the weights (about 250 KB) do not fit.
                "truncate -s -64K " + q(mnt.resolve("fill")),
                "mkdir -p " + q(mnt.resolve("t")),
                run(CliProcess.command(List.of("train", "--network", "lenet5", "--dataset", "mnist", "--epochs", "1",
                        "--train-samples", "500", "--threads", "2", "--out", mnt.resolve("t").resolve("lenet5.npz").toString()),
                        cache), out, "train"),
                "ls -A " + q(mnt.resolve("t")) + " > " + q(out.resolve("train.ls")) + " 2>&1",
                "exit 0");
        Process p = new ProcessBuilder("unshare", "-rm", "sh", "-c", script)
                .redirectOutput(dir.resolve("script.out").toFile()).redirectErrorStream(true).start();
        assertThat(p.waitFor(600, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(dir.resolve("script.out"))).isZero();

        for (String command : List.of("sweep", "run", "train")) {
            assertThat(Files.readString(out.resolve(command + ".rc")).strip()).as(command + " exit code").isEqualTo("2");
            String err = Files.readString(out.resolve(command + ".err"));
            assertThat(err).as(command).doesNotContain("\tat ").doesNotContain("Exception");
            String last = err.strip().lines().reduce((a, b) -> b).orElse("");
            assertThat(last).as(command).startsWith("abacim: " + mnt).endsWith(": No space left on device");
            assertThat(last.split(java.util.regex.Pattern.quote(mnt.toString()), -1)).as("the file named once: " + last).hasSize(2);
        }
        assertThat(Files.readString(out.resolve("run.ls")).strip()).as("files left by run").isEmpty();
        assertThat(Files.readString(out.resolve("train.ls")).lines().collect(Collectors.toList()))
                .as("a manifest never names weights that did not fit").doesNotContain("lenet5.json");

        Cli resumed = Cli.run("sweep", sweepFile.toString(), "--out", out.resolve("s").toString(), "--resume");
        assertThat(resumed.code()).as(resumed.err()).isZero();
        Cli whole = Cli.run("sweep", sweepFile.toString(), "--out", dir.resolve("whole").toString());
        assertThat(whole.code()).as(whole.err()).isZero();
        for (String f : List.of("results.jsonl", "results.csv")) {
            assertThat(Files.readAllBytes(out.resolve("s").resolve(f))).as(f)
                    .isEqualTo(Files.readAllBytes(dir.resolve("whole").resolve(f)));
        }
    }

    /** A shell line running {@code command}, its stderr to NAME.err and its exit code to NAME.rc. */
    private static String run(List<String> command, Path out, String name) {
        return command.stream().map(DiskFullTest::q).collect(Collectors.joining(" ")) + " > /dev/null 2> "
                + q(out.resolve(name + ".err")) + "; echo $? > " + q(out.resolve(name + ".rc"));
    }

    private static String q(Object word) {
        return "'" + word.toString().replace("'", "'\\''") + "'";
    }
}
