package org.abacim.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** abacim keys: a design's keys, values and where each value came from (preset line, config line, --set). */
class KeysCommandTest {
    @TempDir
    Path dir;

    @Test
    void listsEachKeyWithItsValueAndOrigin() throws Exception {
        Path config = dir.resolve("mine.yaml");
        Files.writeString(config, "preset: isaac\narray:\n  rows: 256\n");
        Cli r = Cli.run("keys", config.toString(), "--set", "process.node=22 nm");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("array\\.rows = 256 +\\S*mine\\.yaml:3:9")
                .containsPattern("process\\.node = 22 nm +--set process\\.node=22 nm")
                .containsPattern("array\\.cols = 128 +preset isaac \\(org/abacim/reram/presets/isaac\\.yaml\\):\\d+:\\d+")
                .contains("process.reference.node = 32 nm");
    }

    @Test
    void eachKeyCarriesItsMeaningAndUnit() {
        Cli r = Cli.run("keys", "isaac");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("array\\.readCycle = 100 ns +preset isaac \\S+ +one crossbar read \\[s\\]")
                .containsPattern("array\\.bitsPerCell = 2 .* bits per cell .*\\[bits\\]")
                .doesNotContain("accuracy.");
    }

    @Test
    void keysTheConfigLeavesOutShowTheirDefaults() throws Exception {
        Path config = dir.resolve("acc.yaml");
        Files.writeString(config, "preset: isaac\naccuracy:\n  dataset: { kind: numpy, test: { images: x.npy, "
                + "labels: y.npy } }\n  trials: 3\n");
        Cli r = Cli.run("keys", config.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("inputFormat\\.kind = calibrated +default \\(InputFormat\\.kind\\) +calibrated: ")
                .containsPattern("accuracy\\.trials = 3 +\\S*acc\\.yaml:4:11 +simulated chips")
                .containsPattern("accuracy\\.samples = 1000 +default \\(AccuracyOptions\\.samples\\) +test images")
                .containsPattern("accuracy\\.dataset\\.layout = nchw +default \\(NumpyArrays\\.layout\\) +nchw")
                .containsPattern("accuracy\\.training\\.epochs = 10 +default \\(Training\\.epochs\\)")
                .doesNotContain("resize");
    }

    @Test
    void withoutADesignEveryKeyOfEveryTechnology() {
        Cli r = Cli.run("keys");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("crossbar-reram", "sram-capram", "mram-sot")
                .containsPattern("array\\.cellsPerMac +cells of a column that share a MAC circuit")
                .containsPattern("accuracy\\.samples +test images .*default 1000");
        Cli markdown = Cli.run("keys", "--markdown");
        assertThat(markdown.out()).contains("| `array.readCycle` | time | s |  | one crossbar read |");
        Cli set = Cli.run("keys", "--set", "array.rows=3");
        assertThat(set.code()).isEqualTo(2);
        assertThat(set.err().strip()).doesNotContain("\n").contains("name the design");
    }

    @Test
    void aBadKeyIsReportedAsRunWould() {
        Cli r = Cli.run("keys", "isaac", "--set", "array.rowz=3");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("array.rowz").doesNotContain("\tat ");
        Cli unknown = Cli.run("keys", "nosuchpreset");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown preset");
    }
}
