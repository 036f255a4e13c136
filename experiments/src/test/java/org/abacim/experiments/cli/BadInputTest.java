package org.abacim.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of bad input: one line naming file, line, path, value and what was expected; exit 2; no trace. */
class BadInputTest {
    @TempDir
    Path dir;

    private Cli runConfig(String yaml) throws Exception {
        Path file = dir.resolve("c.yaml");
        Files.writeString(file, yaml);
        return Cli.run("run", file.toString());
    }

    private static void assertUserError(Cli cli, String expectedMessage) {
        assertThat(cli.code()).isEqualTo(2);
        assertThat(cli.err()).doesNotContain("Exception", "\tat ");
        assertThat(cli.err().strip().lines()).hasSize(1);
        assertThat(cli.err().strip()).endsWith(expectedMessage);
    }

    @Test
    void unknownKey() throws Exception {
        assertUserError(runConfig("preset: isaac\nnetwork: vgg16\narray:\n  colz: 64\n"),
                "c.yaml:4:9 array.colz: unknown key; expected one of: bitsPerCell, cols, dacBits, fragmentRows, readCycle, rows, signEncoding, zeroSkipping");
    }

    @Test
    void comparisonSpecsBindThroughTheSameStrictBinder() throws Exception {
        String comparison = """
                name: cmp
                baselines: { original: a, optimized: a }
                systems:
                  - { name: a, preset: isaac, model: sparse }
                networks:
                  - { network: vgg16, generated: { seed: 1 }, projections: [ { kind: quantize, bits: 8 } ] }
                """;
        assertUserError(runConfig(comparison), "c.yaml:4:38 systems[0].model = sparse: expected one of: compressed, dense");
        assertUserError(runConfig(comparison.replace("model: sparse", "model: dense").replace("kind: quantize", "kind: quantise")),
                "c.yaml:6:70 networks[0].projections[0].kind = quantise: expected one of: block-sign, column, "
                        + "compact-block, crossbar-block, darb, device-levels, filter, irregular, pattern, polarize, purify, "
                        + "quantize, unify");
        assertUserError(runConfig(comparison.replace("model: sparse", "model: dense").replace("name: cmp\n", "")),
                "c.yaml:1:1 name: missing required value");
    }

    @Test
    void missingUnit() throws Exception {
        assertUserError(runConfig("preset: isaac\nnetwork: vgg16\narray:\n  readCycle: 100\n"),
                "c.yaml:4:14 array.readCycle = 100: a bare number is not a time; give its unit, like '100 ns'");
    }

    @Test
    void wrongUnit() throws Exception {
        assertUserError(runConfig("preset: isaac\nnetwork: vgg16\nclock: 1.2 GW\n"),
                "c.yaml:3:8 clock = 1.2 GW: 'GW' is not a unit of a frequency (SI unit Hz); expected something like '1.2 GHz'");
    }

    @Test
    void zeroAndNegativeSizes() throws Exception {
        assertUserError(runConfig("preset: isaac\nnetwork: vgg16\narray:\n  rows: 0\n"),
                "c.yaml:4:9 array.rows = 0: must be between 1 and 8192");
        assertUserError(runConfig("preset: isaac\nnetwork: vgg16\ntile:\n  bus:\n    wires: -3\n"),
                "c.yaml:5:12 tile.bus.wires = -3: must be positive");
        assertUserError(runConfig("preset: isaac\nnetwork: vgg16\nadc:\n  sampleRate: 0 GHz\n"),
                "c.yaml:4:15 adc.sampleRate = 0 GHz: must be positive");
    }

    @Test
    void unknownPresetAndNetwork() throws Exception {
        assertUserError(runConfig("preset: isaak\nnetwork: vgg16\n"),
                "c.yaml:1:9 preset = isaak: unknown preset; built in: isaac, forms, admm-memristor, sot-mram, capram (or a path to a preset .yaml file)");
        assertUserError(Cli.run("run", "--preset", "isaac", "--network", "vgg17"),
                "--network vgg17 network = vgg17: unknown network; built in: lenet5, vgg8, vgg16, resnet18, "
                        + "resnet18-cifar, resnet20, resnet20-mnist, alexnet (or a path to an ONNX model or a NeuroSim .csv file)");
    }

    @Test
    void malformedNeuroSimFile() throws Exception {
        Path csv = dir.resolve("NetWork_bad.csv");
        Files.writeString(csv, "32,32,3,3,3,128,0,1\n32,32,128,3,3,x,1,1\n");
        assertUserError(Cli.run("run", "--preset", "isaac", "--network", csv.toString()),
                "NetWork_bad.csv:2:15 C_out = x: expected a whole number");
    }

    @Test
    void badOverride() {
        assertUserError(Cli.run("run", "--preset", "isaac", "--network", "vgg8", "--set", "array.bitsPerCell=9"),
                "--set array.bitsPerCell=9 array.bitsPerCell = 9: must be between 1 and 8");
    }

    @Test
    void tooFewChips() throws Exception {
        assertUserError(runConfig("preset: isaac\nnetwork: vgg16\nsimulation:\n  chips: 2\n"),
                "c.yaml:4:10 simulation.chips = 2: the network's weights need at least 5 chips of 2016 imas (8448 imas in all)");
    }

    @Test
    void missingNetworkAndMissingFile() throws Exception {
        assertThat(runConfig("preset: isaac\n").err()).contains("c.yaml network: name a network");
        assertUserError(Cli.run("run", dir.resolve("nope.yaml").toString()), "nope.yaml: no such file");
        assertUserError(Cli.run("run"), "abacim run: give a CONFIG file or --preset NAME (see 'abacim presets')");
    }

    @Test
    void malformedYaml() throws Exception {
        Cli cli = runConfig("preset: isaac\narray: [1, 2\n");
        assertThat(cli.code()).isEqualTo(2);
        assertThat(cli.err()).contains("c.yaml:2:13: malformed YAML");
    }
}
