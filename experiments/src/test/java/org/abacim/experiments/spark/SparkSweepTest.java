package org.abacim.experiments.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.abacim.experiments.cli.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sweeps on Spark embedded in the test's JVM write the same bytes as the in-process engine: whatever the number of
 * executor threads and points per task, with tasks that fail and are retried, and when resuming a sweep the other
 * engine began. The sweep has points that are refused (an invalid cell size), recorded as such by both engines.
 */
class SparkSweepTest {
    static final String SWEEP = """
            name: spark
            baseline: isaac
            base: { preset: isaac, network: resnet18 }
            grid: { array.bitsPerCell: [1, 2, 99] }
            random:
              samples: 40
              seed: 3
              axes: { array.readCycle: { min: 50 ns, max: 200 ns, scale: log } }
            """;
    static final List<String> FILES = List.of("results.jsonl", "results.csv", "plan.json", "sweep.json");

    @TempDir
    Path dir;

    private Path sweep(String name, String... extra) {
        Path out = dir.resolve(name);
        List<String> args = new ArrayList<>(List.of("sweep", dir.resolve("spark.yaml").toString(), "--out", out.toString()));
        args.addAll(List.of(extra));
        Cli r = Cli.run(args.toArray(String[]::new));
        assertThat(r.code()).as(r.err()).isZero();
        return out;
    }

    private Path reference() throws Exception {
        Files.writeString(dir.resolve("spark.yaml"), SWEEP);
        Path reference = sweep("threads", "--threads", "2");
        assertThat(Files.readAllLines(reference.resolve("results.jsonl"))).hasSize(120)
                .anyMatch(l -> l.contains("\"status\":\"invalid\"")).anyMatch(l -> l.contains("\"status\":\"ok\""));
        return reference;
    }

    private static void assertSameFiles(Path actual, Path expected) throws Exception {
        for (String f : FILES) {
            assertThat(Files.readString(actual.resolve(f), StandardCharsets.UTF_8)).as(f)
                    .isEqualTo(Files.readString(expected.resolve(f), StandardCharsets.UTF_8));
        }
    }

    @Test
    void sparkInThisJvmWritesTheBytesOfTheThreadEngineWhateverItsPartitioning() throws Exception {
        Path reference = reference();
        assertSameFiles(sweep("spark-2x64", "--backend", "spark", "--master", "local[2]"), reference);
        assertSameFiles(sweep("spark-1x7", "--backend", "spark", "--master", "local[1]", "--points-per-task", "7"), reference);
    }

    @Test
    void tasksThatFailAreRetriedWithoutLostOrDuplicatedRows() throws Exception {
        Path reference = reference();
        System.setProperty("abacim.spark.failFirstAttempt", "true");
        try {
            // local[2,3]: two threads, three attempts per task; every even task fails its first attempt.
            assertSameFiles(sweep("retried", "--backend", "spark", "--master", "local[2,3]", "--points-per-task", "5"), reference);
        } finally {
            System.clearProperty("abacim.spark.failFirstAttempt");
        }
    }

    @Test
    void aSweepBegunInProcessIsResumedOnSparkWithoutRecomputingWhatIsWritten() throws Exception {
        Path reference = reference();
        Path partial = dir.resolve("partial");
        Files.createDirectories(partial);
        for (String f : FILES) Files.copy(reference.resolve(f), partial.resolve(f));
        // Keep the first 50 points (and the CSV's header), as a sweep stopped there leaves them.
        List<String> jsonl = Files.readAllLines(partial.resolve("results.jsonl"));
        List<String> csv = Files.readAllLines(partial.resolve("results.csv"));
        Files.write(partial.resolve("results.jsonl"), jsonl.subList(0, 50));
        Files.write(partial.resolve("results.csv"), csv.subList(0, 51));
        Cli r = Cli.run("sweep", dir.resolve("spark.yaml").toString(), "--out", partial.toString(), "--resume",
                "--backend", "spark", "--master", "local[2]");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("120 points (50 already done)");
        assertSameFiles(partial, reference);
    }

    @Test
    void aBadBackendOrAMasterWithoutSparkIsOneLineAndExitCodeTwo() throws Exception {
        Files.writeString(dir.resolve("spark.yaml"), SWEEP);
        // --engine, the option's old name, still works; the error names the option by its name now.
        Cli backend = Cli.run("sweep", dir.resolve("spark.yaml").toString(), "--engine", "ray");
        assertThat(backend.code()).isEqualTo(2);
        assertThat(backend.err().strip()).contains("--backend").contains("ray").contains("expected threads or spark")
                .doesNotContain("\tat ");
        Cli master = Cli.run("sweep", dir.resolve("spark.yaml").toString(), "--master", "local[2]");
        assertThat(master.code()).isEqualTo(2);
        assertThat(master.err()).contains("--master").contains("only with --backend spark");
    }
}
