package org.imcsim.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** imcsim keys: a design's keys, values and where each value came from (preset line, config line, --set). */
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
                .containsPattern("array\\.cols = 128 +preset isaac \\(org/imcsim/reram/presets/isaac\\.yaml\\):\\d+:\\d+")
                .contains("process.reference.node = 32 nm");
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
