package org.abacim.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.abacim.core.data.Datasets;
import org.abacim.core.result.Result;
import org.abacim.experiments.report.ResultFormats;
import org.abacim.experiments.run.DesignRun;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `abacim run` with an accuracy section: cost and Monte-Carlo accuracy in one result (issue #5). */
public class AccuracyRunTest {
    @TempDir
    Path dir;

    /** LeNet-5 on 8-bit ISAAC crossbars, trained for one epoch (cached), 150 test digits, log-normal σ = 0.1. */
    /** LeNet-5 on ISAAC under σ = 0.1, scored on 150 MNIST digits over 3 chips (other tests vary it). */
    public static final String CONFIG = """
            preset: isaac
            network: lenet5
            weights: { bits: 8 }
            inputBits: 8
            device:
              programming: { kind: lognormal, sigma: 0.1 }
            accuracy:
              dataset: mnist
              samples: 150
              trials: 3
              seed: 7
              training: { epochs: 1, seed: 1 }
              activity: measured
            """;

    @BeforeEach
    void needsMnist() {
        assumeTrue(Datasets.available("mnist"), "MNIST not fetched (scripts/fetch-data mnist)");
    }

    private Path config(String yaml) throws Exception {
        Path file = dir.resolve("acc.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    @Test
    void theResultCarriesAccuracyAndMeasuredActivity() throws Exception {
        Cli cli = Cli.run("run", config(CONFIG).toString(), "--format", "json");
        assertThat(cli.code()).as(cli.err()).isZero();
        JsonNode r = new ObjectMapper().readTree(cli.out());
        JsonNode a = r.get("accuracy");
        // One epoch of training, 150 digits of every class: 89.3 % (the first 150 of the sorted split, all zeros,
        // had scored over 90 % for any model that recognized zeros).
        assertThat(a.get("reference").asDouble()).isGreaterThan(0.85);
        assertThat(a.get("quantized").asDouble()).isGreaterThan(0.85);
        assertThat(a.get("trials")).hasSize(3);
        // 150 of the class-sorted test split, drawn by class in proportion to its digits (the first 150 were all
        // zeros): each count within one of 150 × (that digit's share of the split).
        int[] split = Datasets.load("mnist")[1].classCounts();
        assertThat(a.get("class_counts")).hasSize(10);
        int total = 0;
        for (int digit = 0; digit < 10; digit++) {
            int count = a.get("class_counts").get(digit).asInt();
            assertThat((double) count).isCloseTo(150.0 * split[digit] / 1996, within(1.0));
            total += count;
        }
        assertThat(total).isEqualTo(150);
        double mean = (a.get("trials").get(0).asDouble() + a.get("trials").get(1).asDouble()
                + a.get("trials").get(2).asDouble()) / 3;
        assertThat(a.get("mean").asDouble()).isCloseTo(mean, within(1e-12));
        assertThat(a.get("min").asDouble()).isLessThanOrEqualTo(a.get("mean").asDouble());
        assertThat(a.get("std").asDouble()).isPositive();
        assertThat(r.get("activity").get("source").asText()).isEqualTo("measured");
        assertThat(r.get("activity").get("layers")).hasSize(5);
    }

    @Test
    void measuredActivityLowersTheEnergyOfRowDrivesAndReads() throws Exception {
        Path file = config(CONFIG);
        Result measured = DesignRun.load(file, null, null, List.of()).evaluate(2);
        Result assumed = DesignRun.load(file, null, null, List.of("accuracy.activity=default")).evaluate(2);
        assertThat(assumed.activity().source()).isEqualTo("default");
        double density = measured.activity().layer("conv2").orElseThrow().inputDigitDensity();
        assertThat(density).isBetween(0.05, 0.6);
        // DAC and crossbar energy scale with the driven fraction; ADCs convert every cycle regardless.
        double dacMeasured = measured.inference().energyBreakdownJ().get("dac");
        double dacAssumed = assumed.inference().energyBreakdownJ().get("dac");
        assertThat(dacMeasured).isLessThan(dacAssumed * 0.6);
        assertThat(measured.inference().energyBreakdownJ().get("adc")).isEqualTo(assumed.inference().energyBreakdownJ().get("adc"));
        assertThat(measured.inference().energyJ()).isLessThan(assumed.inference().energyJ());
        assertThat(measured.accuracy()).isEqualTo(assumed.accuracy());
    }

    @Test
    void sameConfigAndSeedGiveTheSameBytesForAnyThreadCount() throws Exception {
        DesignRun point = DesignRun.load(config(CONFIG), null, null, List.of());
        assertThat(ResultFormats.json(point.evaluate(1))).isEqualTo(ResultFormats.json(point.evaluate(2)));
    }

    @Test
    void anIdealChipScoresTheIntegerReferenceOnEveryTrial() throws Exception {
        Cli cli = Cli.run("run", config(CONFIG).toString(), "--set", "device.programming.sigma=0", "--format", "json");
        JsonNode a = new ObjectMapper().readTree(cli.out()).get("accuracy");
        for (JsonNode t : a.get("trials")) assertThat(t.asDouble()).isEqualTo(a.get("quantized").asDouble());
    }

    @Test
    void noCacheTrainsAfreshAndLeavesTheModelCacheUntouched() throws Exception {
        assertThat(org.abacim.experiments.run.ModelCache.directory().toString()).as("tests use a cache of their own")
                .contains("test-model-cache");
        // This test's own empty cache, so that what it finds there is what its runs wrote.
        Path cache = dir.resolve("cache");
        String previous = System.getProperty("abacim.modelCache");
        System.setProperty("abacim.modelCache", cache.toString());
        try {
            Path file = config(CONFIG.replace("samples: 150", "samples: 20").replace("trials: 3", "trials: 1"));
            Cli cli = Cli.run("run", file.toString(), "--no-cache", "--format", "json");
            assertThat(cli.code()).as(cli.err()).isZero();
            assertThat(cache).doesNotExist();
            // The same run with the cache trains once into it (a manifest and its weights) and gives the same result.
            Cli cached = Cli.run("run", file.toString(), "--format", "json");
            assertThat(cached.out()).isEqualTo(cli.out());
            try (var s = Files.list(cache)) {
                assertThat(s.map(p -> p.getFileName().toString()).sorted().toList())
                        .hasSize(2).allMatch(n -> n.startsWith("lenet5-mnist-"));
            }
        } finally {
            if (previous == null) System.clearProperty("abacim.modelCache");
            else System.setProperty("abacim.modelCache", previous);
        }
        // The switch is per command: the next one uses the cache again.
        Cli.run("run", "--preset", "isaac", "--network", "lenet5");
        assertThat(org.abacim.experiments.run.ModelCache.enabled()).isTrue();
    }

    @Test
    void aFixedPointFormatSetsTheInputBitsZeroSkippingSeesAndCountsSaturations() throws Exception {
        // 8-bit inputs in Q4.4 and Q6.2: every code of the coarser format is min(255, round(4x)) ≤ min(255, round(16x)),
        // so its arrays finish their bit-serial cycles no later in any layer, and values of 16 or more saturate in Q4.4
        // (LeNet-5's later activations reach beyond 16) more often than values of 64 or more in Q6.2.
        Path file = config(CONFIG.replace("samples: 150", "samples: 50").replace("trials: 3", "trials: 1"));
        JsonNode q44 = json(file, 4);
        JsonNode q62 = json(file, 2);
        assertThat(new ObjectMapper().readTree(Cli.run("run", file.toString(), "--format", "json").out())
                .at("/accuracy/input_format").asText()).isEqualTo("calibrated");
        assertThat(q44.at("/accuracy/input_format").asText()).isEqualTo("fixed-point Q4.4");
        assertThat(q62.at("/accuracy/input_format").asText()).isEqualTo("fixed-point Q6.2");
        double cycles44 = 0;
        double cycles62 = 0;
        double saturated44 = 0;
        double saturated62 = 0;
        for (int layer = 0; layer < 5; layer++) {
            JsonNode a = q44.at("/activity/layers/" + layer);
            JsonNode b = q62.at("/activity/layers/" + layer);
            assertThat(b.get("array_cycles").asDouble()).isLessThanOrEqualTo(a.get("array_cycles").asDouble());
            cycles44 += a.get("array_cycles").asDouble();
            cycles62 += b.get("array_cycles").asDouble();
            saturated44 += a.get("input_saturation_fraction").asDouble();
            saturated62 += b.get("input_saturation_fraction").asDouble();
        }
        assertThat(cycles62).isLessThan(cycles44);
        assertThat(saturated44).isPositive().isGreaterThan(saturated62);
        // Bad values are answered like every other key.
        Cli kind = Cli.run("run", file.toString(), "--set", "inputFormat.kind=floating");
        assertThat(kind.code()).isEqualTo(2);
        assertThat(kind.err().strip()).contains("--set inputFormat.kind=floating", "inputFormat.kind = floating",
                "expected calibrated or fixed-point").doesNotContain("\tat ");
        Cli wide = Cli.run("run", file.toString(), "--set", "inputFormat.kind=fixed-point", "--set",
                "inputFormat.fractionBits=9");
        assertThat(wide.code()).isEqualTo(2);
        assertThat(wide.err().strip()).contains("inputFormat.fractionBits = 9", "has 0 to 8 fraction bits");
    }

    private static JsonNode json(Path file, int fractionBits) throws Exception {
        Cli q = Cli.run("run", file.toString(), "--set", "inputFormat.kind=fixed-point", "--set",
                "inputFormat.fractionBits=" + fractionBits, "--format", "json");
        assertThat(q.code()).as(q.err()).isZero();
        return new ObjectMapper().readTree(q.out());
    }

    @Test
    void theStatisticalModeIsRefusedInOneLineWhereItDoesNotApply() throws Exception {
        Path file = config(CONFIG);
        Cli measured = Cli.run("run", file.toString(), "--set", "accuracy.mode=statistical");
        assertThat(measured.code()).isEqualTo(2);
        assertThat(measured.err().strip()).contains("accuracy.mode = statistical: activity: measured needs every conversion");
        Cli linear = Cli.run("run", file.toString(), "--set", "accuracy.mode=statistical", "--set", "accuracy.activity=default",
                "--set", "adc.range=ideal");
        assertThat(linear.code()).isEqualTo(2);
        assertThat(linear.err().strip()).contains("accuracy.mode = statistical: this design's chips already compute one product");
        Cli unknown = Cli.run("run", file.toString(), "--set", "accuracy.mode=fast");
        assertThat(unknown.code()).isEqualTo(2);
        for (Cli c : List.of(measured, linear, unknown)) {
            assertThat(c.err()).doesNotContain("Exception", "\tat ");
            assertThat(c.err().strip().lines()).hasSize(1);
        }
    }

    @Test
    void badAccuracySettingsAreOneLineErrors() throws Exception {
        Path file = config(CONFIG);
        Cli tooMany = Cli.run("run", file.toString(), "--set", "accuracy.samples=5000");
        assertThat(tooMany.code()).isEqualTo(2);
        assertThat(tooMany.err().strip()).endsWith("accuracy.samples = 5000: the mnist test split has 1996 images");
        Cli noModel = Cli.run("run", file.toString(), "--set", "accuracy.model=missing.json");
        assertThat(noModel.code()).isEqualTo(2);
        assertThat(noModel.err().strip()).contains("--set accuracy.model=missing.json", "accuracy.model = missing.json: no such model file");
        Cli badDataset = Cli.run("run", file.toString(), "--set", "accuracy.dataset=imagenet");
        assertThat(badDataset.code()).isEqualTo(2);
        assertThat(badDataset.err().strip()).contains("accuracy.dataset = imagenet");
        Cli badSigma = Cli.run("run", file.toString(), "--set", "device.programming.sigma=-1");
        assertThat(badSigma.code()).isEqualTo(2);
        assertThat(badSigma.err().strip()).contains("device.programming.sigma = -1", "relative σ");
        Cli noDataset = Cli.run("run", config(CONFIG.replace("  dataset: mnist\n", "")).toString());
        assertThat(noDataset.code()).isEqualTo(2);
        assertThat(noDataset.err().strip()).endsWith("accuracy.dataset: missing required value");
        for (Cli c : List.of(tooMany, noModel, badDataset, badSigma, noDataset)) {
            assertThat(c.err()).doesNotContain("Exception", "\tat ");
            assertThat(c.err().strip().lines()).hasSize(1);
        }
    }
}
