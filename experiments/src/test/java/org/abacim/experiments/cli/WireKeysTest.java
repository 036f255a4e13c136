package org.abacim.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The wires section (issue #33): a resistance out of physical range is one line naming its place, value and range. */
class WireKeysTest {
    @TempDir Path dir;

    private static void assertUserError(Cli cli, String... expected) {
        assertThat(cli.code()).as(cli.out()).isEqualTo(2);
        assertThat(cli.err()).doesNotContain("Exception", "\tat ");
        assertThat(cli.err().strip().lines()).hasSize(1);
        assertThat(cli.err().strip()).contains(expected);
    }

    @Test
    void aSegmentResistanceOutOfPhysicalRangeIsRefusedWithTheRange() throws Exception {
        assertUserError(Cli.run("run", "--preset", "isaac", "--network", "lenet5", "--set", "wires.wordLine=5 kOhm"),
                "--set wires.wordLine=5 kOhm", "wires.wordLine = 5", "a resistance per cell segment from 0 Ohm to 1 kOhm");
        assertUserError(Cli.run("run", "--preset", "isaac", "--network", "lenet5", "--set", "wires.bitLine=-1 Ohm"),
                "wires.bitLine = -1", "from 0 Ohm to 1 kOhm");
        assertUserError(Cli.run("run", "--preset", "isaac", "--network", "lenet5", "--set", "wires.access=20 MOhm"),
                "wires.access = 20", "from 0 Ohm to 1 MOhm");
        Path file = dir.resolve("c.yaml");
        Files.writeString(file, "preset: isaac\nnetwork: lenet5\nwires:\n  bitLine: 2000 Ohm\n");
        assertUserError(Cli.run("run", file.toString()), file + ":4:", "wires.bitLine = 2", "to 1 kOhm");
    }

    @Test
    void aBareNumberIsRefusedAskingForItsUnit() {
        Cli cli = Cli.run("run", "--preset", "isaac", "--network", "lenet5", "--set", "wires.wordLine=3");
        assertThat(cli.code()).isEqualTo(2);
        assertThat(cli.err().strip().lines()).hasSize(1);
        assertThat(cli.err()).contains("wires.wordLine");
    }

    @Test
    void wiresInRangeRun() {
        Cli cli = Cli.run("run", "--preset", "isaac", "--network", "lenet5", "--set", "wires.wordLine=auto",
                "--set", "wires.bitLine=0.5 Ohm", "--set", "wires.access=5 kOhm");
        assertThat(cli.code()).as(cli.err()).isZero();
    }
}
