package org.abacim.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.abacim.core.config.SourceLocation;
import org.abacim.core.api.Catalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One hierarchy vocabulary (issue #30): {@code array.rows} and {@code array.cols} are the rows and columns of one
 * array in every built-in preset, and a key renamed for it is refused with its new name.
 */
class HierarchyVocabularyTest {
    @TempDir
    Path dir;

    static Stream<Arguments> presetsAndKeys() {
        List<Arguments> out = new ArrayList<>();
        for (String preset : Catalog.presetNames()) {
            for (String key : List.of("array.rows", "array.cols")) out.add(Arguments.of(preset, key));
        }
        return out.stream();
    }

    /** LeNet-5 on the preset; CAP-RAM's one-macro chip gets macros enough to hold it. */
    private static Cli run(String preset, String... sets) {
        List<String> args = new ArrayList<>(List.of("run", "--preset", preset, "--network", "lenet5", "--format", "json"));
        if (preset.equals("capram")) args.addAll(List.of("--set", "organization.macrosPerChip=64"));
        for (String set : sets) args.addAll(List.of("--set", set));
        return Cli.run(args.toArray(String[]::new));
    }

    private static JsonNode json(Cli cli) throws Exception {
        assertThat(cli.code()).as(cli.err()).isZero();
        return new ObjectMapper().readTree(cli.out());
    }

    @ParameterizedTest(name = "{0}: --set {1}")
    @MethodSource("presetsAndKeys")
    void everyPresetTakesTheArraySizeAndItChangesTheDesign(String preset, String key) throws Exception {
        JsonNode presetValue = Catalog.loadPreset(preset, SourceLocation.of("test"), Path.of(".")).at(key);
        assertThat(presetValue).as(preset + " has " + key).isNotNull();
        assertThat(presetValue.isInt()).as(preset + " " + key).isTrue();

        // README's own example works for every preset.
        json(run(preset, key + "=256"));

        JsonNode base = json(run(preset));
        int other = presetValue.asInt() == 256 ? 128 : 256;
        JsonNode changed = json(run(preset, key + "=" + other));
        assertThat(changed.at("/area/total_mm2").asDouble()).as(preset + " area with " + key + "=" + other)
                .isNotEqualTo(base.at("/area/total_mm2").asDouble());
    }

    static Stream<Arguments> renamedKeys() {
        return Stream.of(
                Arguments.of("capram", "macro.rows", "256", "array.rows"),
                Arguments.of("capram", "macro.cols", "64", "array.cols"),
                Arguments.of("capram", "macro.cellsPerMac", "4", "array.cellsPerMac"),
                Arguments.of("capram", "dacBits", "1", "array.dacBits"),
                Arguments.of("capram", "macCycle", "20 ns", "array.readCycle"),
                Arguments.of("capram", "macrosPerChip", "4", "organization.macrosPerChip"),
                Arguments.of("capram", "supply", "1.0 V", "process.supply"),
                Arguments.of("sot-mram", "subArray.wordLines", "128", "array.rows"),
                Arguments.of("sot-mram", "subArray.bitLines", "256", "array.cols"),
                Arguments.of("sot-mram", "organization.subArraysPerMat", "8", "organization.arraysPerMat"),
                Arguments.of("sot-mram", "leakagePerSubArray", "0.1 uW", "leakagePerArray"));
    }

    private static void assertRenamed(Cli cli, String expected) {
        assertThat(cli.code()).as(cli.out()).isEqualTo(2);
        assertThat(cli.err()).doesNotContain("Exception", "\tat ");
        assertThat(cli.err().strip().lines()).hasSize(1);
        assertThat(cli.err().strip()).isEqualTo("abacim: " + expected);
    }

    @ParameterizedTest(name = "{0}: --set {1}")
    @MethodSource("renamedKeys")
    void anOldKeyInASetIsOneLineNamingItsNewName(String preset, String old, String value, String now) {
        assertRenamed(Cli.run("run", "--preset", preset, "--network", "lenet5", "--set", old + "=" + value),
                "--set " + old + "=" + value + " " + old + ": renamed to " + now + " (issue #30)");
    }

    @ParameterizedTest(name = "{0}: {1} in a config")
    @MethodSource("renamedKeys")
    void anOldKeyInAConfigIsOneLineNamingItsNewName(String preset, String old, String value, String now)
            throws Exception {
        String[] path = old.split("\\.");
        String yaml = "preset: " + preset + "\nnetwork: lenet5\n" + (path.length == 1
                ? old + ": " + value + "\n"
                : path[0] + ":\n  " + path[1] + ": " + value + "\n");
        Path file = dir.resolve("c.yaml");
        Files.writeString(file, yaml);
        int line = path.length == 1 ? 3 : 4;
        int column = path.length == 1 ? old.length() + 3 : path[1].length() + 5;
        assertRenamed(Cli.run("run", file.toString()),
                file + ":" + line + ":" + column + " " + old + ": renamed to " + now + " (issue #30)");
    }

    @Test
    void theNewNamesOfTheRenamedKeysAreTakenByTheirPresets() throws Exception {
        // The values the presets had under the old names, under the new ones: the same design, the same bytes.
        assertThat(json(run("capram", "array.rows=512", "array.cols=128", "array.cellsPerMac=8", "array.dacBits=3",
                "array.readCycle=28.5734 ns")).toString()).isEqualTo(json(run("capram")).toString());
        assertThat(json(run("sot-mram", "array.rows=256", "array.cols=512", "organization.arraysPerMat=4",
                "leakagePerArray=0.2 uW")).toString()).isEqualTo(json(run("sot-mram")).toString());
    }
}
