package org.abacim.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** abacim macro and the silicon part of abacim validate, end to end. */
class MacroCommandTest {
    @TempDir
    Path dir;

    static final String WANG = "validation/silicon/wang-vlsi-2022.yaml";

    /** A suite file's macro at one of its points: the same figures the suite compares, with a breakdown. */
    @Test
    void predictsASuiteMacroAtAPoint() throws Exception {
        Cli r = Cli.run("macro", WANG, "--point", "wang-1v1", "--format", "json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("throughput_TOPS").asDouble()).isCloseTo(0.509, within(0.005));
        assertThat(j.get("energy_J").has("adcs")).isTrue();
        assertThat(j.get("provenance").get("adcs").asText()).startsWith("estimated:");
        // The same point by --set: the clock is carried from the published 0.7 V point by the alpha-power law.
        Cli set = Cli.run("macro", WANG, "--set", "process.supply=1.1 V", "--format", "json");
        assertThat(new ObjectMapper().readTree(set.out()).get("throughput_TOPS").asDouble())
                .isEqualTo(j.get("throughput_TOPS").asDouble());
        Cli table = Cli.run("macro", WANG);
        assertThat(table.out()).contains("energy efficiency", "TOPS/W", "adcs", "estimated:");
    }

    /** A bare macro file (no suite around it) works too. */
    @Test
    void predictsABareMacro() throws Exception {
        Path f = dir.resolve("m.yaml");
        Files.writeString(f, """
                name: my macro
                process: { node: 28 nm, supply: 0.9 V }
                clock: 200 MHz
                cell: { kind: sram, transistors: 8 }
                array: { rows: 128, cols: 128 }
                compute: current
                input: { bits: 4 }
                weights: { bits: 4 }
                readout: { bits: 5, columnsPerConversion: 4 }
                """);
        Cli r = Cli.run("macro", f.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("my macro");
    }

    @Test
    void badInputIsOneLineAndExitTwo() throws Exception {
        Cli r = Cli.run("macro", WANG, "--set", "array.rows=-4");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("array.rows").doesNotContain("Exception").doesNotContain("\tat ");
        Cli point = Cli.run("macro", WANG, "--point", "wang-2v0");
        assertThat(point.code()).isEqualTo(2);
        assertThat(point.err()).contains("--point").contains("wang-2v0");
        Cli missing = Cli.run("macro", dir.resolve("none.yaml").toString());
        assertThat(missing.code()).isEqualTo(2);
        Cli folder = Cli.run("validate", "validation/catalogue.yaml", "--silicon", dir.resolve("nowhere").toString(), "--format", "json");
        assertThat(folder.code()).isEqualTo(2);
        assertThat(folder.err()).contains("--silicon");
    }

    /** abacim validate --format json carries the silicon rows and the error summary per metric. */
    @Test
    void validateJsonHasSiliconRowsAndSummary() throws Exception {
        // The suite beside the catalogue is run without being named.
        Cli r = Cli.run("validate", "validation/catalogue.yaml", "--format", "json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        boolean found = false;
        for (JsonNode row : j.get("rows")) {
            if (row.get("id").asText().equals("wang-1v1-energy-efficiency")) {
                found = true;
                assertThat(row.get("kind").asText()).isEqualTo("prediction");
                assertThat(row.get("published").asDouble()).isEqualTo(15.47);
                assertThat(row.has("error_percent")).isTrue();
            }
        }
        assertThat(found).isTrue();
        assertThat(j.get("silicon_summary")).hasSize(4);
        assertThat(j.get("silicon_summary").get(0).get("metric").asText()).isEqualTo("energyEfficiency");
    }
}
