package org.abacim.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad drift and accuracy-time input (issue #33): one line naming file, line, path, value and range; exit 2. */
class DriftInputTest {
    @TempDir
    Path dir;

    private static final String ACCURACY = "preset: isaac\nnetwork: lenet5\naccuracy:\n  dataset: mnist\n";

    private Cli runConfig(String yaml, String... more) throws Exception {
        Path file = dir.resolve("c.yaml");
        Files.writeString(file, yaml);
        String[] args = new String[2 + more.length];
        args[0] = "run";
        args[1] = file.toString();
        System.arraycopy(more, 0, args, 2, more.length);
        return Cli.run(args);
    }

    private static void assertUserError(Cli cli, String expectedMessage) {
        assertThat(cli.code()).as(cli.err()).isEqualTo(2);
        assertThat(cli.err()).doesNotContain("Exception", "\tat ");
        assertThat(cli.err().strip().lines()).hasSize(1);
        assertThat(cli.err().strip()).endsWith(expectedMessage);
    }

    @Test
    void aDriftExponentOutOfPhysicalRangeIsRefusedWithTheRange() throws Exception {
        assertUserError(runConfig("preset: isaac\nnetwork: lenet5\ndevice:\n  drift: { nu: 0.5 }\n"),
                "c.yaml:4:16 device.drift.nu = 0.5: a drift exponent between 0 and 0.3 (published PCM exponents reach "
                        + "about 0.1, ReRAM's are smaller)");
        assertUserError(runConfig("preset: isaac\nnetwork: lenet5\n", "--set", "device.drift.nuSigma=-0.01"),
                "device.drift.nuSigma = -0.01: between 0 and 0.3");
    }

    @Test
    void timesBeforeTheReferenceAreRefused() throws Exception {
        assertUserError(runConfig(ACCURACY + "  times: [1 h, 100 ms]\n"),
                "c.yaml:5:16 accuracy.times[1] = 100 ms: must not be earlier than the drift reference time "
                        + "device.drift.reference = 1 s");
    }

    @Test
    void anUnparsableTimeIsRefused() throws Exception {
        Cli cli = runConfig(ACCURACY + "  times: [1 s, 1 fortnight]\n");
        assertThat(cli.code()).isEqualTo(2);
        assertThat(cli.err().strip().lines()).hasSize(1);
        assertThat(cli.err()).contains("c.yaml:5:16 accuracy.times[1] = 1 fortnight:").doesNotContain("Exception");
    }

    @Test
    void technologiesWithoutDriftRefuseTimes() throws Exception {
        assertUserError(runConfig(ACCURACY.replace("isaac", "capram") + "  times: [1 h]\n"),
                "technology sram-capram models no drift after programming; leave out times");
    }
}
