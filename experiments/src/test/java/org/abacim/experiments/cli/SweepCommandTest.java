package org.abacim.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepCommandTest {
    @TempDir
    Path dir;

    @Test
    void sweepThenResumeThenReportFromTheCommandLine() throws Exception {
        Path out = dir.resolve("out");
        String sweep = "configs/sweeps/isaac-array-adc.yaml";
        Cli first = Cli.run("sweep", sweep, "--out", out.toString(), "--threads", "2");
        assertThat(first.code()).as(first.err()).isZero();
        assertThat(first.out()).contains("sweep isaac-array-adc: 60 points (0 already done): 50 ok, 10 skipped");
        assertThat(first.err()).contains("sweep isaac-array-adc: 60/60 points (100%)");
        assertThat(Files.readAllLines(out.resolve("results.csv"))).hasSize(61);

        // Running again into the same directory would overwrite results: refused, exit 2.
        Cli again = Cli.run("sweep", sweep, "--out", out.toString());
        assertThat(again.code()).isEqualTo(2);
        assertThat(again.err()).contains("results already exist; add --resume");

        Cli resumed = Cli.run("sweep", sweep, "--out", out.toString(), "--resume");
        assertThat(resumed.code()).as(resumed.err()).isZero();
        assertThat(resumed.out()).contains("60 points (60 already done): 0 ok");
        assertThat(Files.readAllLines(out.resolve("results.jsonl"))).hasSize(60);

        Cli report = Cli.run("report", out.toString());
        assertThat(report.code()).as(report.err()).isZero();
        assertThat(out.resolve("report.html")).exists();
        assertThat(out.resolve("charts/pareto-vgg16.svg")).exists();
    }

    @Test
    void badSweepFileAndMissingResultsAreUserErrors() throws Exception {
        Path file = dir.resolve("s.yaml");
        Files.writeString(file, "base: { preset: isaac, network: vgg16 }\ngrid: { array.rows: 128 }\nbaseline: isaac\n");
        Cli bad = Cli.run("sweep", file.toString(), "--out", dir.resolve("o").toString());
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err().strip()).endsWith("s.yaml:2:21 grid.array.rows: expected a non-empty list of values");
        Cli missing = Cli.run("report", dir.resolve("nothing").toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("no such file");
    }
}
