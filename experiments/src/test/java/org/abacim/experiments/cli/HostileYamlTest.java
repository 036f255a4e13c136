package org.abacim.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A "billion laughs" YAML document (nine levels of nine aliases, 9^9 values from under 400 bytes) is one line and exit
 * 2 wherever the CLI reads YAML: a config, a sweep file, a compression file, a {@code --set} value.
 */
class HostileYamlTest {
    @TempDir Path dir;

    private static String laughs(String keyPrefix) {
        return org.abacim.core.config.BillionLaughs.document(keyPrefix);
    }

    private static void assertRefusedInOneLine(Cli cli, String place) {
        assertThat(cli.code()).as(cli.err()).isEqualTo(2);
        assertThat(cli.err().strip().lines()).as(cli.err()).hasSize(1);
        assertThat(cli.err()).startsWith("abacim: ").contains(place).contains("may repeat at most 100,000")
                .doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void aConfigASweepAndACompressionFileAreRefusedWhereTheLimitIsCrossed() throws Exception {
        Path config = dir.resolve("c.yaml");
        Files.writeString(config, "preset: isaac\nnetwork: lenet5\n" + laughs("x"));
        assertRefusedInOneLine(Cli.run("run", config.toString(), "--out", dir.resolve("o1").toString()), "c.yaml:8:");

        Path sweep = dir.resolve("s.yaml");
        Files.writeString(sweep, "name: s\n" + laughs("x"));
        assertRefusedInOneLine(Cli.run("sweep", sweep.toString(), "--out", dir.resolve("o2").toString()), "s.yaml:7:");

        Path compress = dir.resolve("k.yaml");
        Files.writeString(compress, laughs("x"));
        assertRefusedInOneLine(Cli.run("compress", compress.toString(), "--out", dir.resolve("o3").toString()), "k.yaml:6:");
    }

    @Test
    void aSetValueIsRefusedToo() {
        String nested = org.abacim.core.config.BillionLaughs.flow();
        assertRefusedInOneLine(Cli.run("run", "--preset", "isaac", "--network", "lenet5", "--set", "array.rows=" + nested),
                "--set");
    }

    /** In a JVM of 48 MiB: copying the aliases would need gigabytes, so refusing before copying is what passes. */
    @Test
    void aSmallHeapIsEnough() throws Exception {
        Path config = dir.resolve("c.yaml");
        Files.writeString(config, "preset: isaac\nnetwork: lenet5\n" + laughs(""));
        Process process = new ProcessBuilder(CliProcess.command(List.of("run", config.toString()), dir.resolve("cache"),
                "-Xmx48m")).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isEqualTo(2);
        assertThat(output).contains("c.yaml:").contains("may repeat at most 100,000").doesNotContain("OutOfMemoryError");
    }
}
