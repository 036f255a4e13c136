package org.abacim.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** SOT-MRAM end to end: LeNet-5 with 1-bit weights and 8-bit inputs, the line's published LeNet-5 setting (#9). */
class SotMramRunTest {
    @Test
    void lenet5TakesOneSubArrayPerLayerAndReportsItsWeightWrites() throws Exception {
        Cli cli = Cli.run("run", "--preset", "sot-mram", "--network", "lenet5", "--set", "weights.bits=1",
                "--format", "json");
        assertThat(cli.code()).as(cli.err()).isZero();
        JsonNode r = new ObjectMapper().readTree(cli.out());
        assertThat(r.at("/inference/arrays").asLong()).isEqualTo(5);
        // conv1: 784 positions × (8 input planes written × 2 ns + 8 × 6 reads × 1 ns); conv2: 100 × (16 + 8 × 16) ns.
        assertThat(r.at("/layers/0/time_s").asDouble()).isCloseTo(784 * 64e-9, within(1e-12));
        assertThat(r.at("/layers/1/time_s").asDouble()).isCloseTo(100 * 144e-9, within(1e-12));
        assertThat(r.at("/layers/0/weight_bits").asInt()).isEqualTo(1);
        // Every weight bit written once: 150 + 2,400 + 48,000 + 10,080 + 840 cells at 120 fJ; fc1's 120 word lines
        // are the longest write, 2 ns each.
        assertThat(r.at("/programming/cells").asLong()).isEqualTo(61_470);
        assertThat(r.at("/programming/energy_J").asDouble()).isCloseTo(61_470 * 120e-15, within(1e-15));
        assertThat(r.at("/programming/time_s").asDouble()).isCloseTo(120 * 2e-9, within(1e-15));
    }
}
