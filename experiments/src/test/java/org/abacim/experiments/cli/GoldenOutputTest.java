package org.abacim.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.abacim.core.network.NetworkZoo;
import org.abacim.core.api.Catalog;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Refactors keep behaviour: the result JSON of every preset × built-in network, every example design config and
 * every shapes-only example sweep is recorded under {@code src/test/resources/golden} and must come out byte for
 * byte the same. A change that means to alter a number regenerates the files ({@code mvn test
 * -Dtest=GoldenOutputTest -Dabacim.golden.update=true}) and says why in its commit.
 */
class GoldenOutputTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden");
    private static final boolean UPDATE = Boolean.getBoolean("abacim.golden.update");

    /** Example sweeps that evaluate shapes only (the accuracy sweeps train models and take tens of minutes). */
    private static final List<String> SWEEPS = List.of("forms-fragment", "isaac-array-adc", "isaac-random",
            "technologies");
    private static final List<String> DESIGN_CONFIGS = List.of("isaac-256x256-layer-by-layer", "isaac-resnet18",
            "isaac-vgg16");

    @TempDir
    Path dir;

    @TestFactory
    Stream<DynamicTest> everyPresetOnEveryBuiltInNetwork() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String preset : Catalog.presetNames()) {
            for (String network : NetworkZoo.names()) {
                tests.add(DynamicTest.dynamicTest(preset + " × " + network, () -> {
                    Cli run = Cli.run("run", "--preset", preset, "--network", network, "--format", "json");
                    check("presets/" + preset + "-" + network + ".txt", run.code() + "\n" + run.out() + run.err());
                }));
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> everyExampleDesignConfig() {
        return DESIGN_CONFIGS.stream().map(name -> DynamicTest.dynamicTest(name, () -> {
            Cli run = Cli.run("run", "configs/" + name + ".yaml", "--format", "json");
            check("configs/" + name + ".txt", run.code() + "\n" + run.out() + run.err());
        }));
    }

    @TestFactory
    Stream<DynamicTest> everyShapesOnlyExampleSweep() {
        return SWEEPS.stream().map(name -> DynamicTest.dynamicTest(name, () -> {
            Path out = dir.resolve(name);
            Cli run = Cli.run("sweep", "configs/sweeps/" + name + ".yaml", "--out", out.toString(), "--threads", "2");
            assertThat(run.code()).as(run.err()).isZero();
            check("sweeps/" + name + ".jsonl", Files.readString(out.resolve("results.jsonl")));
            check("sweeps/" + name + ".csv", Files.readString(out.resolve("results.csv")));
        }));
    }

    private static void check(String name, String actual) throws IOException {
        // Results read the same on every checkout: a path they print is the one the user gave, never made absolute.
        assertThat(actual).as("output for %s names the checkout's absolute path", name)
                .doesNotContain(Path.of("").toAbsolutePath().toString());
        Path file = GOLDEN.resolve(name);
        if (UPDATE) {
            Files.createDirectories(file.getParent());
            Files.writeString(file, actual, StandardCharsets.UTF_8);
            return;
        }
        assertThat(file).as("golden file %s (regenerate with -Dabacim.golden.update=true)", file).exists();
        assertThat(actual).as("output against %s", file).isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
    }
}
