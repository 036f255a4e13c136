package org.abacim.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.abacim.core.data.Datasets;
import org.abacim.experiments.compare.Comparison;
import org.abacim.experiments.compare.ComparisonSpec;
import org.abacim.experiments.report.ResultFormats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `abacim run COMPARISON.yaml`: FORMS against two ISAACs, comparison[] with ratios (issue #7). */
class ComparisonCommandTest {
    @TempDir
    Path dir;

    static final String COMPRESS = """
            network: lenet5
            dataset: mnist
            training: { epochs: 1, seed: 1 }
            design: { preset: forms }
            steps:
              - name: polarize
                projections: [ { kind: polarize, fragment: 8 } ]
                admmEpochs: 1
                retrainEpochs: 1
              - name: 8-bit
                projections: [ { kind: quantize, bits: 8 } ]
                admmEpochs: 0
                retrainEpochs: 0
            out: unused.npz
            """;

    static final String COMPARISON = """
            name: small-comparison
            description: "test"
            baselines: { original: isaac-original, optimized: isaac-optimized }
            systems:
              - { name: isaac-original, preset: isaac, model: dense }
              - { name: isaac-optimized, preset: isaac, set: ["weights.bits=8"], model: compressed }
              - { name: forms, preset: forms, model: compressed }
            networks:
              - network: lenet5
                compress: compress.yaml
                set: ["device.programming.sigma=0.1"]
                accuracy: { dataset: mnist, samples: 60, trials: 2, seed: 3, calibration: 32, activity: measured }
              - network: resnet18
                generated: { seed: 2 }
                projections: [ { kind: polarize, fragment: 8 }, { kind: quantize, bits: 8 } ]
            """;

    Path write() throws Exception {
        Files.writeString(dir.resolve("compress.yaml"), COMPRESS);
        Path config = dir.resolve("comparison.yaml");
        Files.writeString(config, COMPARISON);
        return config;
    }

    @Test
    void everySystemOnEveryNetworkWithRatiosAgainstBothIsaacs() throws Exception {
        assumeTrue(Datasets.available("mnist"), "MNIST not fetched (scripts/fetch-data mnist)");
        Path config = write();
        Cli cli = Cli.run("run", config.toString(), "--format", "json", "--out", dir.resolve("out").toString());
        assertThat(cli.code()).as(cli.err()).isZero();
        JsonNode report = new ObjectMapper().readTree(cli.out());
        JsonNode comparison = report.get("comparison");
        assertThat(comparison).hasSize(6);
        for (JsonNode e : comparison) {
            for (String metric : new String[] {"gops_per_mm2_in_use", "gops_per_W", "fps", "energy_J", "area_in_use_mm2"}) {
                assertThat(e.get(metric).asDouble()).as(metric).isPositive();
                assertThat(e.at("/ratio_vs_isaac_original/" + metric).asDouble()).isPositive();
                assertThat(e.at("/ratio_vs_isaac_optimized/" + metric).asDouble()).isPositive();
            }
            String system = e.get("system").asText();
            if (system.equals("isaac-original")) assertThat(e.at("/ratio_vs_isaac_original/fps").asDouble()).isEqualTo(1.0);
            if (system.equals("isaac-optimized")) assertThat(e.at("/ratio_vs_isaac_optimized/energy_J").asDouble()).isEqualTo(1.0);
            boolean lenet = e.get("network").asText().equals("lenet5");
            assertThat(e.get("accuracy").isNull()).isEqualTo(!lenet);
            if (lenet) assertThat(e.get("accuracy").asDouble()).isBetween(0.5, 1.0);
            // Ratios are the system's metric over the baseline's, for every metric.
            JsonNode base = find(comparison, "isaac-original", e.get("network").asText());
            assertThat(e.at("/ratio_vs_isaac_original/energy_J").asDouble())
                    .isEqualTo(e.get("energy_J").asDouble() / base.get("energy_J").asDouble());
        }
        // FORMS runs the compressed model on polarized fragments: 8-bit magnitudes in 4 cells, no second array and
        // no offset, so one copy of ResNet-18 takes half the arrays of the 16-bit original ISAAC (8 cells a weight;
        // measured 2,864 against 5,724). Balanced replication then fills the chip, so the area in use is about equal.
        JsonNode forms = find(comparison, "forms", "resnet18");
        JsonNode original = find(comparison, "isaac-original", "resnet18");
        double formsPerCopy = arraysPerCopy(report, "forms", "resnet18");
        double originalPerCopy = arraysPerCopy(report, "isaac-original", "resnet18");
        assertThat(formsPerCopy / originalPerCopy).isBetween(0.49, 0.51);
        assertThat(forms.get("area_in_use_mm2").asDouble() / original.get("area_in_use_mm2").asDouble()).isBetween(0.9, 1.1);
        assertThat(report.at("/results/2/design/name").asText()).isEqualTo("forms");
        assertThat(report.at("/results/2/activity/source").asText()).isEqualTo("measured");
        assertThat(report.at("/results/2/activity/layers/0/group_cycles").asDouble()).isBetween(0.0, 16.0);
        assertThat(original.get("fps").asDouble()).isPositive();
        for (String f : new String[] {"small-comparison.json", "small-comparison.csv", "small-comparison.md",
                "small-comparison-fps.png", "small-comparison-efficiency.svg"}) {
            assertThat(dir.resolve("out").resolve(f)).isNotEmptyFile();
        }
        // Same seed, any thread count: byte-identical.
        ComparisonSpec spec = ComparisonSpec.read(config);
        assertThat(ResultFormats.json(Comparison.run(spec, 1))).isEqualTo(ResultFormats.json(Comparison.run(spec, 2)));
    }

    /** One copy's arrays of a system on a network: Σ layers' arrays ÷ copies, from the report's full results. */
    private static double arraysPerCopy(JsonNode report, String system, String network) {
        JsonNode systems = report.get("systems");
        int perNetwork = systems.size();
        int s = 0;
        while (!systems.get(s).get("name").asText().equals(system)) s++;
        for (JsonNode r : report.get("results")) {
            if (!r.at("/network/name").asText().equals(network)) continue;
            if (s-- > 0) continue;
            double arrays = 0;
            for (JsonNode l : r.get("layers")) arrays += l.get("arrays").asDouble() / l.get("replication").asDouble();
            return arrays;
        }
        throw new AssertionError("no result for " + system + " on " + network + " among " + perNetwork + " systems");
    }

    @Test
    void anUnknownBaselineIsAOneLineError() throws Exception {
        Files.writeString(dir.resolve("compress.yaml"), COMPRESS);
        Path config = dir.resolve("bad.yaml");
        Files.writeString(config, COMPARISON.replace("optimized: isaac-optimized }", "optimized: isaac-best }"));
        Cli cli = Cli.run("run", config.toString());
        assertThat(cli.code()).isEqualTo(2);
        assertThat(cli.err().strip()).contains("bad.yaml:3:", "baselines.optimized = isaac-best",
                "not one of the systems").doesNotContain("Exception");
    }

    @Test
    void aSystemRunsOnlyOnTheNetworksItNamesAndTheNamesAreChecked() throws Exception {
        Files.writeString(dir.resolve("compress.yaml"), COMPRESS);
        Path config = dir.resolve("only.yaml");
        // A third system on ResNet-18 only (no data needed there).
        Files.writeString(config, COMPARISON.replace("  - { name: forms, preset: forms, model: compressed }",
                "  - { name: forms, preset: forms, model: compressed, networks: [resnet18] }")
                .replace("  - network: lenet5\n    compress: compress.yaml\n    set: [\"device.programming.sigma=0.1\"]\n"
                        + "    accuracy: { dataset: mnist, samples: 60, trials: 2, seed: 3, calibration: 32, activity: measured }\n", ""));
        ComparisonSpec spec = ComparisonSpec.read(config);
        assertThat(spec.systems().get(2).runsOn("resnet18")).isTrue();
        Files.writeString(config, Files.readString(config).replace("networks: [resnet18]", "networks: [alexnet]"));
        Cli cli = Cli.run("run", config.toString());
        assertThat(cli.code()).isEqualTo(2);
        assertThat(cli.err().strip()).contains("only.yaml:", "systems[2].networks[0] = alexnet",
                "not one of the networks (resnet18)").doesNotContain("Exception");
    }

    static JsonNode find(JsonNode comparison, String system, String network) {
        for (JsonNode e : comparison) {
            if (e.get("system").asText().equals(system) && e.get("network").asText().equals(network)) return e;
        }
        throw new AssertionError(system + " on " + network + " missing");
    }
}
