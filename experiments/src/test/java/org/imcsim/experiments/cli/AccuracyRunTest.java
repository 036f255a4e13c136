package org.imcsim.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.imcsim.core.data.Datasets;
import org.imcsim.core.result.Result;
import org.imcsim.experiments.report.ResultFormats;
import org.imcsim.experiments.run.DesignPoint;
import org.imcsim.experiments.run.DesignPointLoader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `imcsim run` with an accuracy section: cost and Monte-Carlo accuracy in one result (issue #5). */
class AccuracyRunTest {
    @TempDir
    Path dir;

    /** LeNet-5 on 8-bit ISAAC crossbars, trained for one epoch (cached), 150 test digits, log-normal σ = 0.1. */
    static final String CONFIG = """
            preset: isaac
            network: lenet5
            weightBits: 8
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
        assertThat(a.get("reference").asDouble()).isGreaterThan(0.9);
        assertThat(a.get("quantized").asDouble()).isGreaterThan(0.9);
        assertThat(a.get("trials")).hasSize(3);
        // 150 of the class-sorted test split, drawn by class: 15 of each digit (the first 150 were all zeros).
        assertThat(a.get("class_counts")).hasSize(10);
        for (JsonNode count : a.get("class_counts")) assertThat(count.asInt()).isBetween(14, 16);
        double mean = (a.get("trials").get(0).asDouble() + a.get("trials").get(1).asDouble()
                + a.get("trials").get(2).asDouble()) / 3;
        assertThat(a.get("mean").asDouble()).isCloseTo(mean, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(a.get("min").asDouble()).isLessThanOrEqualTo(a.get("mean").asDouble());
        assertThat(a.get("std").asDouble()).isPositive();
        assertThat(r.get("activity").get("source").asText()).isEqualTo("measured");
        assertThat(r.get("activity").get("layers")).hasSize(5);
    }

    @Test
    void measuredActivityLowersTheEnergyOfRowDrivesAndReads() throws Exception {
        Path file = config(CONFIG);
        Result measured = DesignPointLoader.load(file, null, null, List.of()).evaluate(2);
        Result assumed = DesignPointLoader.load(file, null, null, List.of("accuracy.activity=default")).evaluate(2);
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
        DesignPoint point = DesignPointLoader.load(config(CONFIG), null, null, List.of());
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
        Path cache = org.imcsim.experiments.run.ModelCache.directory();
        assertThat(cache.toString()).as("tests use a cache of their own").contains("test-model-cache");
        Files.createDirectories(cache);
        List<Path> before;
        try (var s = Files.list(cache)) {
            before = s.sorted().toList();
        }
        Path file = config(CONFIG.replace("training: { epochs: 1, seed: 1 }", "training: { epochs: 1, seed: 99 }")
                .replace("samples: 150", "samples: 20").replace("trials: 3", "trials: 1"));
        Cli cli = Cli.run("run", file.toString(), "--no-cache", "--format", "json");
        assertThat(cli.code()).as(cli.err()).isZero();
        assertThat(cli.err()).contains("training lenet5 on mnist");
        try (var s = Files.list(cache)) {
            assertThat(s.sorted().toList()).isEqualTo(before);
        }
        // The switch is per command: the next one uses the cache again.
        Cli.run("presets");
        Cli.run("run", "--preset", "isaac", "--network", "lenet5");
        assertThat(org.imcsim.experiments.run.ModelCache.enabled()).isTrue();
    }

    @Test
    void aFixedPointFormatSetsTheInputBitsZeroSkippingSeesAndCountsSaturations() throws Exception {
        // 8-bit inputs: calibrated scales each layer to fill the word; Q4.4 keeps LeNet-5's small activations in the
        // low bits, so arrays finish their bit-serial cycles earlier, and values of 16 or more saturate.
        Path file = config(CONFIG.replace("samples: 150", "samples: 50").replace("trials: 3", "trials: 1"));
        JsonNode calibrated = new ObjectMapper().readTree(Cli.run("run", file.toString(), "--format", "json").out());
        Cli q = Cli.run("run", file.toString(), "--set", "inputFormat.kind=fixed-point", "--set",
                "inputFormat.fractionBits=4", "--format", "json");
        assertThat(q.code()).as(q.err()).isZero();
        JsonNode fixed = new ObjectMapper().readTree(q.out());
        assertThat(calibrated.at("/accuracy/input_format").asText()).isEqualTo("calibrated");
        assertThat(fixed.at("/accuracy/input_format").asText()).isEqualTo("fixed-point Q4.4");
        for (int layer = 1; layer < 5; layer++) {
            assertThat(fixed.at("/activity/layers/" + layer + "/array_cycles").asDouble())
                    .isLessThan(calibrated.at("/activity/layers/" + layer + "/array_cycles").asDouble());
        }
        double saturated = 0;
        for (JsonNode l : fixed.at("/activity/layers")) saturated += l.get("input_saturation_fraction").asDouble();
        assertThat(saturated).isPositive();
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
