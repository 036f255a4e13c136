package org.abacim.experiments.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.abacim.core.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepTest {
    @TempDir
    Path dir;

    /** 3 × 2 grid × 2 zip rows × 3 random samples = 36 points on LeNet-5 (fast), one of them invalid by design. */
    private static final String SWEEP = """
            name: test-sweep
            description: "a small sweep for tests"
            base: { preset: isaac, network: lenet5 }
            grid:
              array.bitsPerCell: [1, 2, 9]
              adc.bits: [auto, 6]
            zip:
              array.rows: [64, 128]
              array.cols: [64, 128]
            random:
              samples: 3
              seed: 11
              axes:
                array.readCycle: { min: 50 ns, max: 200 ns, scale: log }
            constraints:
              - { metric: energy_J, max: 1.0e-4, reason: "too much energy" }
              - { path: array.readCycle, max: 190 ns }
            """;

    /** A sweep file; the tests' sweeps compare with ISAAC unless they name another baseline. */
    private SweepSpec spec(String text) throws Exception {
        Path file = dir.resolve("sweep.yaml");
        Files.writeString(file, text.contains("baseline:") ? text : text + "baseline: isaac\n");
        return SweepSpec.read(file);
    }

    private static SweepProgress quiet() {
        return new SweepProgress.Lines(new PrintWriter(Writer.nullWriter()));
    }

    @Test
    void planCrossesGridZipAndSeededRandomInAFixedOrder() throws Exception {
        List<SweepPoint> plan = SweepPlan.of(spec(SWEEP)).stream().toList();
        assertThat(plan).hasSize(3 * 2 * 2 * 3);
        assertThat(plan.get(0).axes().keySet()).containsExactly("array.bitsPerCell", "adc.bits", "array.rows",
                "array.cols", "array.readCycle");
        // The first grid axis varies slowest; zip axes vary together.
        assertThat(plan.get(0).axes().get("array.bitsPerCell").node().asInt()).isEqualTo(1);
        assertThat(plan.get(35).axes().get("array.bitsPerCell").node().asInt()).isEqualTo(9);
        assertThat(plan.get(3).axes().get("array.rows").node().asInt()).isEqualTo(128);
        assertThat(plan.get(3).axes().get("array.cols").node().asInt()).isEqualTo(128);
        // Random draws are quantities with units, inside the range, and the same for the same seed.
        String drawn = plan.get(0).axes().get("array.readCycle").node().asText();
        assertThat(drawn).endsWith("ns");
        assertThat(org.abacim.core.units.Time.parse(drawn).nanoseconds()).isBetween(50.0, 200.0);
        assertThat(SweepPlan.of(spec(SWEEP)).stream().toList().get(0).axes().get("array.readCycle").node().asText()).isEqualTo(drawn);
    }

    @Test
    void resultsAreTheSameBytesWhateverTheThreadCount() throws Exception {
        SweepSpec s = spec(SWEEP);
        new SweepRunner(s).run(dir.resolve("one"), 1, false, quiet());
        new SweepRunner(s).run(dir.resolve("two"), 2, false, quiet());
        new SweepRunner(s).run(dir.resolve("four"), 4, false, quiet());
        for (String f : List.of(ResultsStore.JSONL, ResultsStore.CSV)) {
            byte[] one = Files.readAllBytes(dir.resolve("one").resolve(f));
            assertThat(Files.readAllBytes(dir.resolve("two").resolve(f))).isEqualTo(one);
            assertThat(Files.readAllBytes(dir.resolve("four").resolve(f))).isEqualTo(one);
        }
    }

    @Test
    void aKilledSweepResumesToTheSameFilesWithoutDuplicates() throws Exception {
        SweepSpec s = spec(SWEEP);
        Path full = dir.resolve("full");
        SweepRunner.Summary whole = new SweepRunner(s).run(full, 2, false, quiet());
        assertThat(whole.points()).isEqualTo(36);

        // A kill leaves the first records and half of the next one.
        Path killed = dir.resolve("killed");
        Files.createDirectories(killed);
        for (String f : List.of(ResultsStore.JSONL, ResultsStore.CSV)) {
            List<String> lines = Files.readAllLines(full.resolve(f), StandardCharsets.UTF_8);
            int keep = f.equals(ResultsStore.CSV) ? 11 : 10; // the CSV has its header line
            String partial = String.join("\n", lines.subList(0, keep)) + "\n" + lines.get(keep).substring(0, 20);
            Files.writeString(killed.resolve(f), partial, StandardCharsets.UTF_8);
        }
        Files.copy(full.resolve(ResultsStore.PLAN), killed.resolve(ResultsStore.PLAN));
        SweepRunner.Summary resumed = new SweepRunner(s).run(killed, 2, true, quiet());
        assertThat(resumed.alreadyDone()).isEqualTo(10);
        for (String f : List.of(ResultsStore.JSONL, ResultsStore.CSV)) {
            assertThat(Files.readString(killed.resolve(f))).isEqualTo(Files.readString(full.resolve(f)));
        }
        // Resuming a complete sweep does nothing.
        assertThat(new SweepRunner(s).run(killed, 2, true, quiet()).alreadyDone()).isEqualTo(36);
        assertThat(Files.readString(killed.resolve(ResultsStore.JSONL))).isEqualTo(Files.readString(full.resolve(ResultsStore.JSONL)));
    }

    @Test
    void aResumeCompletesEveryMissingPointEvenWhenTwoPointsHaveTheSameConfig() throws Exception {
        // The grid repeats a value: points 0 and 1 are the same design. A resume that kept results by design id
        // instead of by place in the plan would take point 1 for done when only point 0 was written.
        SweepSpec s = spec("""
                name: repeated
                base: { preset: isaac, network: lenet5 }
                grid: { array.bitsPerCell: [2, 2, 4] }
                """);
        Path full = dir.resolve("full");
        new SweepRunner(s).run(full, 2, false, quiet());
        Path killed = dir.resolve("killed");
        Files.createDirectories(killed);
        Files.writeString(killed.resolve(ResultsStore.JSONL),
                Files.readAllLines(full.resolve(ResultsStore.JSONL)).get(0) + "\n");
        Files.copy(full.resolve(ResultsStore.PLAN), killed.resolve(ResultsStore.PLAN));
        assertThat(new SweepRunner(s).run(killed, 2, true, quiet()).alreadyDone()).isEqualTo(1);
        for (String f : List.of(ResultsStore.JSONL, ResultsStore.CSV)) {
            assertThat(Files.readString(killed.resolve(f))).as(f).isEqualTo(Files.readString(full.resolve(f)));
        }
    }

    @Test
    void aTenMillionPointPlanIsWalkedAsItIsUsedNotHeld() throws Exception {
        SweepSpec s = spec("""
                name: big
                base: { preset: isaac, network: lenet5 }
                grid: { array.bitsPerCell: [1, 2] }
                random:
                  samples: 5000000
                  seed: 3
                  axes: { array.readCycle: { min: 50 ns, max: 200 ns } }
                """);
        SweepPlan plan = SweepPlan.of(s);
        assertThat(plan.size()).isEqualTo(10_000_000);
        // Each walk draws the same points; the identity comes from the spec, not from a walk.
        assertThat(plan.stream().limit(3).map(p -> p.axes().get("array.readCycle").node().asText()).toList())
                .isEqualTo(SweepPlan.of(s).stream().limit(3).map(p -> p.axes().get("array.readCycle").node().asText()).toList());
        assertThat(SweepPlan.of(s).fingerprint()).isEqualTo(plan.fingerprint());
        Path other = dir.resolve("other.yaml");
        Files.writeString(other, Files.readString(dir.resolve("sweep.yaml")).replace("seed: 3", "seed: 4"));
        assertThat(SweepPlan.of(SweepSpec.read(other)).fingerprint()).isNotEqualTo(plan.fingerprint());
    }

    @Test
    void aPlanOfMoreThanAThousandMillionPointsIsRefusedBeforeAnyWork() throws Exception {
        SweepSpec s = spec("""
                name: huge
                base: { preset: isaac, network: lenet5 }
                grid:
                  array.rows: [64, 128, 256, 512, 1024]
                  array.cols: [64, 128, 256, 512, 1024]
                  array.bitsPerCell: [1, 2, 3, 4, 5]
                random:
                  samples: 10000000
                  seed: 3
                  axes: { array.readCycle: { min: 50 ns, max: 200 ns } }
                """);
        assertThatThrownBy(() -> SweepPlan.of(s)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("sweep.yaml").hasMessageContaining("1250000000 points")
                .hasMessageContaining("at most 1000000000");
    }

    @Test
    void aKillBetweenTheTwoAppendsLeavesNoCsvRowMissingAfterResume() throws Exception {
        SweepSpec s = spec(SWEEP);
        Path full = dir.resolve("full");
        new SweepRunner(s).run(full, 2, false, quiet());
        // Killed after the 12th record reached the JSON Lines but before its CSV row did.
        Path killed = dir.resolve("killed");
        Files.createDirectories(killed);
        List<String> jsonl = Files.readAllLines(full.resolve(ResultsStore.JSONL), StandardCharsets.UTF_8);
        List<String> csv = Files.readAllLines(full.resolve(ResultsStore.CSV), StandardCharsets.UTF_8);
        Files.writeString(killed.resolve(ResultsStore.JSONL), String.join("\n", jsonl.subList(0, 12)) + "\n");
        Files.writeString(killed.resolve(ResultsStore.CSV), String.join("\n", csv.subList(0, 12)) + "\n"); // header + 11
        Files.copy(full.resolve(ResultsStore.PLAN), killed.resolve(ResultsStore.PLAN));
        assertThat(new SweepRunner(s).run(killed, 2, true, quiet()).alreadyDone()).isEqualTo(12);
        assertThat(Files.readString(killed.resolve(ResultsStore.CSV))).isEqualTo(Files.readString(full.resolve(ResultsStore.CSV)));
    }

    @Test
    void aSecondSweepOnTheSameFolderIsRefusedWhileTheFirstWrites() throws Exception {
        SweepSpec s = spec(SWEEP);
        Path out = dir.resolve("shared");
        try (ResultsStore first = ResultsStore.open(out, s.axisPaths(), false, new ResultsStore.Plan("test", 1, "0"))) {
            assertThatThrownBy(() -> new SweepRunner(s).run(out, 2, true, quiet()))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("another sweep is writing these results (.lock is locked)");
        }
        // Once the first has closed (it wrote no record), the folder is free again.
        assertThat(new SweepRunner(s).run(out, 2, false, quiet()).points()).isEqualTo(36);
    }

    @Test
    void aResumeRefusesResultsOfAnotherPlanOrAnotherAbacimNamingTheDifference() throws Exception {
        Path out = dir.resolve("r");
        new SweepRunner(spec(SWEEP)).run(out, 2, false, quiet());
        String before = Files.readString(out.resolve(ResultsStore.JSONL));
        // Another plan: one axis value fewer.
        SweepSpec other = spec(SWEEP.replace("adc.bits: [auto, 6]", "adc.bits: [auto]"));
        assertThatThrownBy(() -> new SweepRunner(other).run(out, 2, true, quiet()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("plan.json: these results belong to another sweep plan (36 points")
                .hasMessageContaining("this sweep has 18 points");
        // Another abacim.
        Path plan = out.resolve(ResultsStore.PLAN);
        Files.writeString(plan, Files.readString(plan).replaceFirst("\"abacim\" : \"[^\"]*\"", "\"abacim\" : \"0.0.1\""));
        assertThatThrownBy(() -> new SweepRunner(spec(SWEEP)).run(out, 2, true, quiet()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("these results were written by abacim 0.0.1, this is ");
        // No plan at all.
        Files.delete(plan);
        assertThatThrownBy(() -> new SweepRunner(spec(SWEEP)).run(out, 2, true, quiet()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("no sweep plan beside the results");
        // Nothing was touched.
        assertThat(Files.readString(out.resolve(ResultsStore.JSONL))).isEqualTo(before);
    }

    @Test
    void existingResultsAreNeverOverwrittenWithoutResume() throws Exception {
        SweepSpec s = spec(SWEEP);
        new SweepRunner(s).run(dir.resolve("r"), 2, false, quiet());
        assertThatThrownBy(() -> new SweepRunner(s).run(dir.resolve("r"), 2, false, quiet()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("results already exist; add --resume");
    }

    @Test
    void badPointsAreRecordedWithTheirReasonAndTheSweepGoesOn() throws Exception {
        SweepSpec s = spec(SWEEP);
        SweepRunner.Summary summary = new SweepRunner(s).run(dir.resolve("r"), 2, false, quiet());
        List<PointRecord> records = ResultsStore.read(dir.resolve("r").resolve(ResultsStore.JSONL));
        assertThat(records).hasSize(36);
        assertThat(records).extracting(PointRecord::index).isSorted();
        // bitsPerCell 9 is refused by the preset's validation, naming the grid value that set it.
        PointRecord invalid = records.stream().filter(r -> r.status().equals("invalid")).findFirst().orElseThrow();
        assertThat(invalid.axes().get("array.bitsPerCell").asInt()).isEqualTo(9);
        assertThat(invalid.reason()).contains("sweep.yaml:5:").contains("array.bitsPerCell = 9: must be between 1 and 8");
        assertThat(summary.invalid()).isEqualTo(12);
        // A read cycle above 190 ns is skipped before evaluation, with the generated reason.
        records.stream().filter(r -> r.status().equals("skipped") && r.metrics() == null)
                .forEach(r -> assertThat(r.reason()).isEqualTo("array.readCycle ≤ 190 ns required"));
        assertThat(summary.ok() + summary.skipped() + summary.invalid() + summary.failed()).isEqualTo(36);
        assertThat(summary.ok()).isPositive();
    }

    @Test
    void ratiosAreAgainstTheBaselineOnTheSameNetwork() throws Exception {
        SweepSpec s = spec("""
                base: { preset: isaac }
                networks: [lenet5, vgg8]
                grid: { array.rows: [128, 256] }
                """);
        new SweepRunner(s).run(dir.resolve("r"), 2, false, quiet());
        List<PointRecord> records = ResultsStore.read(dir.resolve("r").resolve(ResultsStore.JSONL));
        assertThat(records).hasSize(4);
        // Rows 128 is the isaac preset itself: every ratio is 1.
        for (PointRecord r : List.of(records.get(0), records.get(2))) {
            assertThat(r.baseline()).isEqualTo("isaac");
            r.ratios().values().forEach(v -> assertThat(v).isCloseTo(1.0, within(1e-12)));
        }
        assertThat(records.get(1).ratios().get("peak_gops_per_mm2")).isNotCloseTo(1.0, within(1e-3));
        assertThat(records.get(2).network()).isEqualTo("vgg8");
    }

    @Test
    void technologiesSideBySideWithOverridesForOnePreset() throws Exception {
        SweepSpec s = spec("""
                presets: [isaac, forms, capram]
                presetSets: { capram: ["organization.macrosPerChip=4"] }
                networks: [lenet5]
                """);
        new SweepRunner(s).run(dir.resolve("t"), 2, false, quiet());
        List<PointRecord> records = ResultsStore.read(dir.resolve("t").resolve(ResultsStore.JSONL));
        assertThat(records).extracting(PointRecord::status).containsExactly("ok", "ok", "ok");
        // Without the override a CAP-RAM chip (one macro) cannot hold LeNet-5: the override reached that point only.
        assertThat(records.get(2).metrics().get("arrays")).isEqualTo(24.0);
        assertThat(records.get(2).ratios().get("energy_J")).isLessThan(0.1);
        assertThatThrownBy(() -> spec("presets: [isaac]\npresetSets: { capramm: [\"organization.macrosPerChip=4\"] }\nnetworks: [lenet5]\n"))
                .hasMessageContaining("presetSets.capramm: not a preset of this sweep");
    }

    @Test
    void aPresetsOwnOverridesWinOverTheBase() throws Exception {
        // The base sets 64-row arrays for every point; forms's presetSets asks for 32 (as a study gives one preset's
        // points their own model file): forms's points use the smaller arrays, isaac's keep the base's.
        String sweep = "base: { network: lenet5, array: { rows: 64 } }\npresets: [isaac, forms]\n";
        new SweepRunner(spec(sweep)).run(dir.resolve("base"), 1, false, quiet());
        new SweepRunner(spec(sweep + "presetSets: { forms: [\"array.rows=32\"] }\n")).run(dir.resolve("own"), 1, false, quiet());
        List<PointRecord> base = ResultsStore.read(dir.resolve("base").resolve(ResultsStore.JSONL));
        List<PointRecord> own = ResultsStore.read(dir.resolve("own").resolve(ResultsStore.JSONL));
        assertThat(own.get(0).metrics().get("arrays")).isEqualTo(base.get(0).metrics().get("arrays"));
        assertThat(own.get(1).metrics().get("arrays")).isGreaterThan(base.get(1).metrics().get("arrays"));
    }

    @Test
    void aSweepNamesItsBaseline() throws Exception {
        Path file = dir.resolve("nobase.yaml");
        Files.writeString(file, "base: { preset: isaac, network: vgg8 }\n");
        assertThatThrownBy(() -> SweepSpec.read(file)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("nobase.yaml")
                .hasMessageContaining("baseline: missing: name the preset every point is compared with (e.g. isaac), or none");
        assertThat(spec("base: { preset: isaac, network: vgg8 }\nbaseline: none\n").baseline()).isEqualTo("none");
    }

    @Test
    void malformedSweepFilesAreClearErrors() {
        assertThatThrownBy(() -> spec("base: { preset: isaac, network: vgg8 }\ngrids: {}\n"))
                .hasMessageContaining("sweep.yaml:2:8 grids: unknown key; expected one of:");
        assertThatThrownBy(() -> spec("base: { preset: isaac, network: vgg8 }\nzip: { array.rows: [1, 2], array.cols: [1] }\n"))
                .hasMessageContaining("zip.array.cols: has 1 values but the other zip axes have 2");
        assertThatThrownBy(() -> spec("base: { preset: isaac, network: vgg8 }\nrandom: { samples: 5, axes: { array.rows: { min: 1, max: 2 } } }\n"))
                .hasMessageContaining("random.seed: missing required value");
        assertThatThrownBy(() -> spec("base: { preset: isaac, network: vgg8 }\nrandom: { samples: 5, seed: 1, axes: { array.readCycle: { min: 50 ns, max: 2 GHz } } }\n"))
                .hasMessageContaining("min and max must both be numbers or both be quantities of one kind");
        assertThatThrownBy(() -> spec("base: { preset: isaac }\n")).hasMessageContaining("base.network: missing");
        assertThatThrownBy(() -> spec("base: { preset: isaac, network: vgg8 }\nconstraints: [ { metric: speed, max: 1 } ]\n"))
                .hasMessageContaining("constraints[0].metric = speed: unknown metric");
    }

    @Test
    void plainProgressLinesWhenNotATerminal() throws Exception {
        StringWriter out = new StringWriter();
        new SweepRunner(spec(SWEEP)).run(dir.resolve("r"), 2, false, new SweepProgress.Lines(new PrintWriter(out)));
        assertThat(out.toString()).contains("sweep test-sweep: 36 points\n")
                .contains("sweep test-sweep: 36/36 points (100%)");
    }
}
