package org.abacim.experiments.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.abacim.core.data.Datasets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code abacim run --backend spark}: LeNet-5's Monte-Carlo trials on simulated ISAAC chips scored as Spark tasks
 * give the result JSON the in-process run gives, byte for byte — with an 8-bit ADC converting every bit (image by
 * image, activity measured on trial 0, which stays on the driver) and with the variation folded into effective
 * weights (chunks batched); also when tasks fail once and are retried, and with the chips scored again at times
 * after programming ({@code accuracy.times}).
 */
class SparkMonteCarloTest {
    static final String CONFIG = org.abacim.experiments.cli.AccuracyRunTest.CONFIG.replace("trials: 3", "trials: 5");

    @TempDir
    Path dir;

    @BeforeEach
    void needsMnist() {
        assumeTrue(Datasets.available("mnist"), "MNIST not fetched (scripts/fetch-data mnist)");
    }

    private String run(String... extra) {
        List<String> args = new ArrayList<>(List.of("run", dir.resolve("acc.yaml").toString(), "--format", "json"));
        args.addAll(List.of(extra));
        org.abacim.experiments.cli.Cli r = org.abacim.experiments.cli.Cli.run(args.toArray(String[]::new));
        assertThat(r.code()).as(r.err()).isZero();
        return r.out();
    }

    @ParameterizedTest(name = "adc.range={0}")
    @ValueSource(strings = {"calibrated", "ideal"})
    void trialsOnSparkGiveTheResultOfTheThreadEngine(String adcRange) throws Exception {
        Files.writeString(dir.resolve("acc.yaml"), CONFIG);
        String threads = run("--set", "adc.range=" + adcRange);
        assertThat(threads).contains("\"trials\"");
        assertThat(run("--set", "adc.range=" + adcRange, "--backend", "spark", "--master", "local[2]")).isEqualTo(threads);
        System.setProperty("abacim.spark.failFirstAttempt", "true");
        try {
            assertThat(run("--set", "adc.range=" + adcRange, "--backend", "spark", "--master", "local[2,3]"))
                    .isEqualTo(threads);
        } finally {
            System.clearProperty("abacim.spark.failFirstAttempt");
        }
    }

    @Test
    void chipsScoredAtSeveralTimesAfterProgrammingGiveTheSameResultOnSpark() throws Exception {
        // Drift (PCM-like ν, 1/f read noise): each task scores its chip as programmed and at each time.
        Files.writeString(dir.resolve("acc.yaml"), CONFIG.replace("  programming: { kind: lognormal, sigma: 0.1 }\n",
                "  programming: { kind: lognormal, sigma: 0.05 }\n  drift: { nu: 0.05, nuSigma: 0.01, flicker: 0.0088 }\n")
                .replace("  activity: measured\n", "  activity: measured\n  times: [1 h, 1 year]\n"));
        String threads = run();
        assertThat(threads).contains("\"at_times\"");
        assertThat(run("--backend", "spark", "--master", "local[2]")).isEqualTo(threads);
    }
}
