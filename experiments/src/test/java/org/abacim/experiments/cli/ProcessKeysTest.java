package org.abacim.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code process.node} and {@code process.supply} are keys of every preset (issue #30), checked like every other
 * value, and every result says which components were published and which were scaled to the design's process.
 */
class ProcessKeysTest {
    @TempDir
    Path dir;

    private static JsonNode json(Cli run) throws Exception {
        assertThat(run.code()).as(run.err()).isZero();
        return new ObjectMapper().readTree(run.out());
    }

    private static JsonNode run(String preset, String... sets) throws Exception {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("run", "--preset", preset,
                "--network", "lenet5", "--format", "json"));
        // One CAP-RAM macro holds too little of LeNet-5; four hold it.
        if (preset.equals("capram")) args.addAll(java.util.List.of("--set", "organization.macrosPerChip=4"));
        for (String s : sets) {
            args.add("--set");
            args.add(s);
        }
        return json(Cli.run(args.toArray(String[]::new)));
    }

    private static Map<String, String> provenance(JsonNode result) {
        Map<String, String> out = new HashMap<>();
        result.get("components").forEach(c -> out.put(c.get("name").asText(), c.get("provenance").asText()));
        return out;
    }

    private static void assertUserError(Cli cli, String expected) {
        assertThat(cli.code()).as(cli.out()).isEqualTo(2);
        assertThat(cli.err()).doesNotContain("Exception", "\tat ");
        assertThat(cli.err().strip().lines()).hasSize(1);
        assertThat(cli.err().strip()).endsWith(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"isaac", "forms", "admm-memristor", "capram", "sot-mram"})
    void everyPresetHasAProcessAndAtItGivesEveryComponentAsPublished(String preset) throws Exception {
        JsonNode r = run(preset);
        // At its own process every figure is the published one; only an ADC at another resolution than its
        // reference is scaled (the memristor framework's lossless 11 bits from ISAAC's 8-bit ADC).
        assertThat(provenance(r)).isNotEmpty().allSatisfy((name, p) -> assertThat(p).as(name)
                .isEqualTo(preset.equals("admm-memristor") && name.equals("adc") ? "scaled" : "published"));
        JsonNode restated = run(preset, "process.node=" + nodeOf(preset));
        assertThat(restated).isEqualTo(r);
    }

    private static String nodeOf(String preset) {
        return switch (preset) {
            case "isaac", "forms" -> "32 nm";
            case "capram" -> "65 nm";
            default -> "45 nm";
        };
    }

    @Test
    void isaacAt22nmScalesItsCmosComponentsAndSaysFromWhereToWhere() throws Exception {
        JsonNode at32 = run("isaac"), at22 = run("isaac", "process.node=22 nm");
        assertThat(at22.at("/inference/energy_J").asDouble()).isLessThan(at32.at("/inference/energy_J").asDouble());
        assertThat(at22.at("/area/total_mm2").asDouble()).isLessThan(at32.at("/area/total_mm2").asDouble());
        Map<String, String> p = provenance(at22);
        assertThat(p).containsEntry("offchip_link", "published").containsEntry("adc", "scaled")
                .containsEntry("crossbar", "scaled").containsEntry("edram", "scaled");
        JsonNode dac = null;
        for (JsonNode c : at22.get("components")) if (c.get("name").asText().equals("dac")) dac = c;
        assertThat(dac.get("scaling").asText()).startsWith("32 nm, 900 mV → 22 nm, 900 mV by Stillmaker and Baas 2017");
        assertThat(dac.get("source").asText()).isEqualTo("ISAAC Table I: DAC, 1-bit, 8×128 per IMA");
    }

    @Test
    void capramAndSotMramScaleToo() throws Exception {
        JsonNode capram = run("capram", "process.node=28 nm", "process.supply=0.9 V");
        assertThat(provenance(capram)).allSatisfy((name, p) -> assertThat(p).as(name).isEqualTo("scaled"));
        assertThat(capram.at("/inference/energy_J").asDouble()).isLessThan(run("capram").at("/inference/energy_J").asDouble());
        JsonNode sot = run("sot-mram", "process.node=28 nm");
        assertThat(provenance(sot)).containsEntry("mtj_array", "scaled").containsEntry("sense_amp", "scaled");
    }

    @Test
    void badValuesAreOneLineWithTheirPlace() throws Exception {
        assertUserError(Cli.run("run", "--preset", "isaac", "--network", "lenet5", "--set", "process.node=0nm"),
                "--set process.node=0nm process.node = 0nm: must be positive");
        assertUserError(Cli.run("run", "--preset", "capram", "--network", "lenet5", "--set", "process.supply=-1V"),
                "--set process.supply=-1V process.supply = -1V: must be positive");
        Path file = dir.resolve("c.yaml");
        Files.writeString(file, "preset: sot-mram\nnetwork: lenet5\nprocess:\n  node: 22\n");
        assertUserError(Cli.run("run", file.toString()),
                "c.yaml:4:9 process.node = 22: a bare number is not a length; give its unit, like '65 nm'");
        Files.writeString(file, "preset: isaac\nnetwork: lenet5\nprocess:\n  reference: { node: 32 nm, supply: 0 V }\n");
        assertUserError(Cli.run("run", file.toString()), "process.reference.supply = 0 V: must be positive");
    }
}
