package org.abacim.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * abacim tried as a hostile user would: malformed, adversarial and huge inputs through the CLI. Every answer is
 * either a success or exit 2 with one line ({@code abacim: …}) and no stack trace, and nothing is written outside
 * the output folder. The named cases are the defect classes found by hand (issue #18); the properties generate
 * more of each kind.
 */
class HostileInputTest {
    private static final String VALID = """
            preset: isaac
            network: lenet5
            array:
              rows: 128
              cols: 128
            simulation:
              pipeline: inter-layer
              replication: balanced
            """;

    /** One sandbox per case: the config and the output folder inside it, nothing else may appear. */
    private record Sandbox(Path root, Path out) {
        static Sandbox create() throws IOException {
            Path root = Files.createTempDirectory("abacim-hostile");
            return new Sandbox(root, root.resolve("out"));
        }

        Path file(String name, byte[] content) throws IOException {
            Path f = root.resolve(name);
            Files.write(f, content);
            return f;
        }

        /** Files that appeared outside {@code out} (the inputs the case wrote are allowed). */
        List<Path> strays(List<Path> inputs) throws IOException {
            try (Stream<Path> all = Files.walk(root)) {
                return all.filter(Files::isRegularFile).filter(p -> !p.startsWith(out)).filter(p -> !inputs.contains(p))
                        .toList();
            }
        }

        void delete() throws IOException {
            try (Stream<Path> all = Files.walk(root)) {
                all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Runs the CLI and checks the promise: success, or exit 2 with one clean line; no file outside the sandbox's out. */
    private static Cli runChecked(Sandbox box, List<Path> inputs, String... args) throws IOException {
        Cli cli = Cli.run(args);
        assertThat(cli.code()).as("exit code of %s: %s", String.join(" ", args), cli.err()).isIn(0, 2);
        assertThat(cli.err()).as("stderr").doesNotContain("\tat ").doesNotContain("Exception");
        if (cli.code() == 2) {
            String[] lines = cli.err().strip().lines().filter(l -> l.startsWith("abacim: ")).toArray(String[]::new);
            assertThat(lines).as("error lines: %s", cli.err()).hasSize(1);
        }
        assertThat(box.strays(inputs)).as("files written outside --out").isEmpty();
        return cli;
    }

    private static Cli runConfig(String yaml, String... extra) throws IOException {
        return runConfigBytes(yaml.getBytes(StandardCharsets.UTF_8), extra);
    }

    private static Cli runConfigBytes(byte[] yaml, String... extra) throws IOException {
        Sandbox box = Sandbox.create();
        try {
            Path config = box.file("c.yaml", yaml);
            List<String> args = new ArrayList<>(List.of("run", config.toString(), "--out", box.out().toString()));
            args.addAll(List.of(extra));
            return runChecked(box, List.of(config), args.toArray(String[]::new));
        } finally {
            box.delete();
        }
    }

    /** A case that works in a sandbox of its own, deleted afterwards. */
    private interface SandboxCase {
        void run(Sandbox box) throws Exception;
    }

    private static DynamicTest sandboxed(String name, SandboxCase body) {
        return DynamicTest.dynamicTest(name, () -> {
            Sandbox box = Sandbox.create();
            try {
                body.run(box);
            } finally {
                box.delete();
            }
        });
    }

    private static DynamicTest userError(String name, String yaml, String expected, String... extra) {
        return DynamicTest.dynamicTest(name, () -> {
            Cli cli = runConfig(yaml, extra);
            assertThat(cli.code()).as(cli.err()).isEqualTo(2);
            assertThat(cli.err()).contains(expected);
        });
    }

    /** The defect classes of issue #18, one named case each (more of each kind below). */
    @TestFactory
    Stream<DynamicTest> namedDefectClasses() {
        return Stream.of(
                userError("a name that leaves the output folder", VALID + "name: ../../escape\n",
                        "c.yaml:9:7 name = ../../escape: must be a plain name"),
                userError("an absolute name", VALID + "name: /tmp/escape\n", "name = /tmp/escape: must be a plain name"),
                userError("a name with a folder", VALID + "name: a/b\n", "name = a/b: must be a plain name"),
                userError("a list index too large for any list", VALID, "array[99999999999]",
                        "--set", "array[99999999999]=1"),
                userError("a 60,000-key --set path", VALID, "more than 64 keys",
                        "--set", String.join(".", java.util.Collections.nCopies(60_000, "a")) + "=1"),
                userError("simulation: null", VALID.replace("simulation:\n  pipeline: inter-layer\n  replication: balanced\n",
                        "simulation: null\n"), "simulation = null: a value is required"),
                userError("a NUL byte in a network path", VALID, "not a network name or a file path",
                        "--set", "network=\"\\u0000\""),
                userError("the preset by --set", VALID, "choose the preset with --preset NAME", "--set", "preset=forms"),
                userError("--set creating a mapping the technology lacks is blamed on the --set",
                        VALID.replace("preset: isaac", "preset: capram").replace("array:\n  rows: 128\n  cols: 128\n", ""),
                        "abacim: --set device.readNoise=0.1 device: unknown key", "--set", "device.readNoise=0.1"),
                userError("an automatic ADC resolution beyond the ADC model names adc.bits and why",
                        VALID.replace("rows: 128\n  cols: 128", "rows: 8192\n  cols: 128\n  bitsPerCell: 8"),
                        "adc.bits = auto: the lossless resolution for 8192 rows per conversion, 1-bit DACs and 8 bits per "
                                + "cell is 20 bits"),
                sandboxed("a NetWork.csv cell is named by its line and column", box -> {
                    Path csv = box.file("net.csv", "IFM_H,IFM_W,IFM_C,K_H,K_W,C_out,pool,stride\n  32, 32,  x3 ,3,3,16,0,1\n"
                            .getBytes(StandardCharsets.UTF_8));
                    Cli cli = runChecked(box, List.of(csv), "run", "--preset", "isaac", "--network", csv.toString());
                    assertThat(cli.code()).isEqualTo(2);
                    assertThat(cli.err()).contains("net.csv:2:12 IFM_C = x3: expected a whole number");
                }),
                userError("a second YAML document", VALID + "---\narray: { rows: 7 }\n", "a second YAML document"),
                userError("an alias without its anchor", VALID + "clock: *nowhere\n", "no anchor &nowhere"),
                userError("nesting deeper than 64 levels", VALID + "deep: " + "[".repeat(200) + "]".repeat(200) + "\n",
                        "nested deeper than 64 levels"),
                userError("a power of 1e308 W", VALID + "tile: { edram: { power: 1e308 W } }\n", "tile.edram.power"),
                DynamicTest.dynamicTest("bytes that are not UTF-8, at their line and column", () -> {
                    byte[] bytes = (VALID + "name: x\u00ff\n").getBytes(StandardCharsets.ISO_8859_1);
                    Cli cli = runConfigBytes(bytes);
                    assertThat(cli.code()).isEqualTo(2);
                    assertThat(cli.err()).contains("c.yaml:9:8: byte 0xFF is not UTF-8 text");
                }),
                DynamicTest.dynamicTest("a legal alias is followed", () -> {
                    Cli cli = runConfig(VALID.replace("rows: 128\n  cols: 128", "rows: &side 64\n  cols: *side"),
                            "--format", "json");
                    assertThat(cli.code()).as(cli.err()).isZero();
                    assertThat(cli.out()).contains("\"arrays\" : 1515");
                }),
                DynamicTest.dynamicTest("a byte-order mark is not part of the config", () -> {
                    Cli cli = runConfigBytes(("\uFEFF" + VALID).getBytes(StandardCharsets.UTF_8));
                    assertThat(cli.code()).as(cli.err()).isZero();
                }),
                sandboxed("--out that is a file", box -> {
                    Path file = box.file("taken", new byte[0]);
                    Cli cli = runChecked(box, List.of(file), "run", "--preset", "isaac", "--network", "lenet5",
                            "--out", file.toString());
                    assertThat(cli.code()).isEqualTo(2);
                    assertThat(cli.err()).contains("taken: is a file; expected a folder to write into");
                }),
                sandboxed("a NetWork.csv with a byte-order mark keeps its first layer", box -> {
                    Path csv = box.file("NetWork_bom.csv",
                            "\uFEFF28,28,1,5,5,6,1,1\n14,14,6,5,5,16,1,1\n".getBytes(StandardCharsets.UTF_8));
                    Cli cli = runChecked(box, List.of(csv), "run", "--preset", "isaac", "--network", csv.toString(),
                            "--format", "json");
                    assertThat(cli.code()).as(cli.err()).isZero();
                    assertThat(cli.out().split("\"kind\" : \"conv\"", -1)).hasSize(3);
                }),
                DynamicTest.dynamicTest("training settings that would ruin a model", () -> {
                    for (String[] bad : new String[][] {{"--lr", "Infinity"}, {"--momentum", "NaN"},
                            {"--train-samples", "0"}, {"--train-samples", "-5"}, {"--epochs", "0"}}) {
                        Cli cli = Cli.run("train", "--network", "lenet5", "--dataset", "mnist", "--out",
                                Files.createTempDirectory("abacim-t").resolve("m.npz").toString(), bad[0], bad[1]);
                        assertThat(cli.code()).as(String.join(" ", bad)).isEqualTo(2);
                        assertThat(cli.err()).contains(bad[0] + " = " + bad[1]).doesNotContain("\tat ");
                    }
                }),
                sandboxed("a metric bound with a unit", box -> {
                    Path sweep = box.file("s.yaml", ("base: { preset: isaac, network: lenet5 }\nbaseline: isaac\n"
                            + "constraints: [ { metric: energy_J, max: 5 ns } ]\n").getBytes(StandardCharsets.UTF_8));
                    Cli cli = runChecked(box, List.of(sweep), "sweep", sweep.toString(), "--out", box.out().toString());
                    assertThat(cli.code()).isEqualTo(2);
                    assertThat(cli.err()).contains("constraints[0].max = 5 ns: expected a plain number in the metric's unit (J)");
                }),
                sandboxed("a constraint on a path no config has is refused before any point runs", box -> {
                    Path sweep = box.file("s.yaml", ("base: { preset: isaac, network: lenet5 }\nbaseline: isaac\n"
                            + "constraints: [ { path: array.readCyle, max: 5 ns } ]\n").getBytes(StandardCharsets.UTF_8));
                    Cli cli = runChecked(box, List.of(sweep), "sweep", sweep.toString(), "--out", box.out().toString());
                    assertThat(cli.code()).isEqualTo(2);
                    assertThat(cli.err()).contains("s.yaml:3:16 array.readCyle: no such value in the config of preset isaac");
                    assertThat(box.out().resolve("results.jsonl")).doesNotExist();
                }),
                sandboxed("a report on records without their fields", box -> {
                    Files.createDirectories(box.out());
                    Path jsonl = Files.writeString(box.out().resolve("results.jsonl"), "{\"index\":0}\n");
                    Cli cli = runChecked(box, List.of(jsonl), "report", box.out().toString());
                    assertThat(cli.code()).isEqualTo(2);
                    assertThat(cli.err()).contains("results.jsonl:1:1: not a sweep result record");
                }),
                sandboxed("a sweep axis over the preset", box -> {
                    Path sweep = box.file("s.yaml", ("base: { preset: isaac, network: lenet5 }\n"
                            + "grid: { preset: [forms, capram] }\nbaseline: isaac\n").getBytes(StandardCharsets.UTF_8));
                    Cli cli = runChecked(box, List.of(sweep), "sweep", sweep.toString(), "--out", box.out().toString());
                    assertThat(cli.code()).isEqualTo(2);
                    assertThat(cli.err()).contains("s.yaml:2:17 grid.preset: vary presets with the presets: list");
                }));
    }

    // ---- Generated cases: mutations of a valid config. ----

    /** A value of any kind a hostile file might hold. */
    @Provide
    Arbitrary<String> hostileValues() {
        return Arbitraries.oneOf(
                Arbitraries.of("null", "~", "[]", "{}", "''", "\"\"", ".nan", ".inf", "-.inf", "1e308", "-1e308",
                        "99999999999999999999", "-1", "0", "0.5", "true", "yes", "*a", "&a 1", "!!binary AAAA",
                        "'100 ns'", "100 ns", "1e308 W", "-3 mm^2", "NaN GHz", "[1, [2, [3]]]", "{a: {b: {c: 1}}}",
                        "\"\\u0000\"", "../../x", "/etc/passwd", "a/b", "\u00e9\u00e8", "12:30", "0x10", "1_000"),
                Arbitraries.strings().ofMaxLength(12).map(s -> "'" + s.replace("'", "''") + "'"),
                Arbitraries.integers().map(String::valueOf),
                Arbitraries.doubles().map(String::valueOf));
    }

    /** Config paths a value may land at: real keys, unknown keys, list elements. */
    @Provide
    Arbitrary<String> paths() {
        return Arbitraries.of("name", "network", "preset", "array.rows", "array.cols", "array.bitsPerCell",
                "array.readCycle", "array.signEncoding", "array.fragmentRows", "adc.bits", "adc.sampleRate",
                "adc.range", "weights.bits", "inputBits", "simulation.chips", "simulation.pipeline",
                "simulation.replication", "organization.tilesPerChip", "tile.edram.power", "device.rOn",
                "device.programming.sigma", "accuracy", "accuracy.samples", "inputFormat.kind", "clock", "unknown",
                "array.unknown", "simulation");
    }

    @Property(tries = 220)
    void anyValueAtAnyPathIsAcceptedOrOneLine(@ForAll("paths") String path, @ForAll("hostileValues") String value)
            throws IOException {
        Cli cli = runConfig(VALID, "--set", path + "=" + value);
        if (cli.code() == 2) {
            // The --set is the only thing wrong: the error is located there, or at the preset key it breaks
            // (an automatic ADC resolution), never at the valid config file.
            assertThat(cli.err()).startsWith("abacim: ");
            assertThat(cli.err()).satisfiesAnyOf(e -> assertThat(e).contains("--set " + path + "="),
                    e -> assertThat(e).contains("presets/isaac.yaml"));
        }
    }

    /** Whole files cut short, with bytes flipped, or with a line repeated: still one clean answer. */
    @Provide
    Arbitrary<byte[]> damagedFiles() {
        return damaged((VALID + "name: ok\n").getBytes(StandardCharsets.UTF_8));
    }

    @Property(tries = 120)
    void damagedConfigFilesAreAcceptedOrOneLine(@ForAll("damagedFiles") byte[] file) throws IOException {
        Cli cli = runConfigBytes(file);
        if (cli.code() == 2) assertThat(cli.err()).startsWith("abacim: ");
    }
    // ---- Generated cases at the CLI: damaged sweep files, network files and weight archives. ----

    private static final String SWEEP = """
            name: tiny
            baseline: isaac
            base: { preset: isaac, network: lenet5 }
            grid: { array.bitsPerCell: [1, 2] }
            random: { samples: 2, seed: 1, axes: { array.readCycle: { min: 50 ns, max: 200 ns } } }
            constraints: [ { metric: energy_J, max: 1.0, reason: too much } ]
            """;

    /** {@code valid} cut short, with one byte replaced, or with one line repeated. */
    private static Arbitrary<byte[]> damaged(byte[] valid) {
        Arbitrary<byte[]> truncated = Arbitraries.integers().between(0, valid.length)
                .map(n -> java.util.Arrays.copyOf(valid, n));
        Arbitrary<byte[]> flipped = Combinators.combine(Arbitraries.integers().between(0, valid.length - 1),
                Arbitraries.integers().between(0, 255)).as((i, b) -> {
                    byte[] copy = valid.clone();
                    copy[i] = (byte) (int) b;
                    return copy;
                });
        String text = new String(valid, StandardCharsets.ISO_8859_1);
        List<String> lines = text.lines().toList();
        Arbitrary<byte[]> repeated = Arbitraries.integers().between(0, Math.max(0, lines.size() - 1)).map(line -> {
            List<String> copy = new ArrayList<>(lines);
            copy.add(line, lines.get(line));
            return (String.join("\n", copy) + "\n").getBytes(StandardCharsets.ISO_8859_1);
        });
        return Arbitraries.oneOf(truncated, flipped, repeated);
    }

    @Provide
    Arbitrary<byte[]> damagedSweepFiles() {
        return damaged(SWEEP.getBytes(StandardCharsets.UTF_8));
    }

    @Property(tries = 60)
    void damagedSweepFilesAreAcceptedOrOneLine(@ForAll("damagedSweepFiles") byte[] file) throws IOException {
        Sandbox box = Sandbox.create();
        try {
            Path sweep = box.file("s.yaml", file);
            Cli cli = runChecked(box, List.of(sweep), "sweep", sweep.toString(), "--out", box.out().toString(),
                    "--threads", "1");
            if (cli.code() == 2) assertThat(cli.err()).contains("abacim: ");
        } finally {
            box.delete();
        }
    }

    @Provide
    Arbitrary<byte[]> damagedNetworkFiles() throws IOException {
        return damaged(Files.readAllBytes(Path.of("configs/networks/NetWork_VGG8.csv")));
    }

    @Property(tries = 150)
    void damagedNetworkFilesAreAcceptedOrOneLine(@ForAll("damagedNetworkFiles") byte[] file) throws IOException {
        Sandbox box = Sandbox.create();
        try {
            Path csv = box.file("NetWork_x.csv", file);
            Cli cli = runChecked(box, List.of(csv), "run", "--preset", "isaac", "--network", csv.toString(),
                    "--out", box.out().toString());
            if (cli.code() == 2) assertThat(cli.err()).startsWith("abacim: ");
        } finally {
            box.delete();
        }
    }

    /** LeNet-5 with seeded random weights as a weight map: its .npz archive bytes, and its manifest. */
    private static final byte[][] WEIGHT_MAP = weightMap();

    private static byte[][] weightMap() {
        try {
            Path folder = Files.createTempDirectory("abacim-weights");
            try {
                org.abacim.core.network.Network net = org.abacim.core.train.Trainer.initialize(
                        org.abacim.core.network.NetworkZoo.find("lenet5").orElseThrow(), 3);
                Path manifest = org.abacim.mapping.weights.WeightMap.write(net, "lenet5", folder.resolve("m.npz"), null);
                return new byte[][] {Files.readAllBytes(folder.resolve("m.npz")), Files.readAllBytes(manifest)};
            } finally {
                try (Stream<Path> all = Files.walk(folder)) {
                    all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Provide
    Arbitrary<byte[]> damagedArchives() {
        return damaged(WEIGHT_MAP[0]);
    }

    @Property(tries = 120)
    void damagedWeightArchivesAreAcceptedOrOneLine(@ForAll("damagedArchives") byte[] npz) throws IOException {
        Sandbox box = Sandbox.create();
        try {
            Path archive = box.file("m.npz", npz);
            Path manifest = box.file("m.json", WEIGHT_MAP[1]);
            Cli cli = runChecked(box, List.of(archive, manifest), "run", "--preset", "isaac", "--network",
                    manifest.toString(), "--out", box.out().toString());
            if (cli.code() == 2) assertThat(cli.err()).startsWith("abacim: ");
        } finally {
            box.delete();
        }
    }
}
