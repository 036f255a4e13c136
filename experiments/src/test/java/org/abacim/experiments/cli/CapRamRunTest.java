package org.abacim.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** CAP-RAM end to end: layers pack into shared macros whose sub-arrays take turns (issue #8). */
class CapRamRunTest {
    @Test
    void lenet5PacksIntoThreeMacrosAndEachLayerRunsItsSubArraysInTurn() throws Exception {
        Cli cli = Cli.run("run", "--preset", "capram", "--network", "lenet5", "--set", "organization.macrosPerChip=4",
                "--format", "json");
        assertThat(cli.code()).as(cli.err()).isZero();
        JsonNode r = new ObjectMapper().readTree(cli.out());
        // Ternary weights in paired cells: 64 per sub-array row. conv1 1, conv2 3 (150 rows), fc1 7 × 2 (400 rows,
        // 120 outputs), fc2 2 × 2, fc3 2: 24 sub-arrays, packed into 3 macros of 8.
        assertThat(r.at("/inference/arrays").asLong()).isEqualTo(24);
        assertThat(r.at("/inference/array_groups").asLong()).isEqualTo(3);
        double cycle = 28.5734e-9;
        // fc1's 14 sub-arrays start at the 5th of macro 0: 4 there, 8 in macro 1, 2 in macro 2 — 8 in turn.
        assertThat(r.at("/layers/2/name").asText()).isEqualTo("fc1");
        assertThat(r.at("/layers/2/time_s").asDouble()).isCloseTo(8 * cycle, within(1e-12));
        // conv1: one sub-array, 784 output positions one after another.
        assertThat(r.at("/layers/0/time_s").asDouble()).isCloseTo(784 * cycle, within(1e-10));
        // Without enough macros on a chip, and no link between chips, a clear error.
        Cli one = Cli.run("run", "--preset", "capram", "--network", "lenet5");
        assertThat(one.code()).isEqualTo(2);
        assertThat(one.err()).contains("needs 3 chips but the design has no off-chip link").doesNotContain("Exception");
    }
}
