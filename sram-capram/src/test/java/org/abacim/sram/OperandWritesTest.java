package org.abacim.sram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.abacim.core.cost.PipelineMode;
import org.abacim.core.network.Network;
import org.abacim.core.result.Result;
import org.abacim.core.tech.TinyAttention;
import org.junit.jupiter.api.Test;

/** CAP-RAM writing attention's operands into its SRAM every inference: cheap writes, no wear-out to speak of. */
class OperandWritesTest {
    private final CapRamDesign capram = Presets.load("capram");
    private final Network net = TinyAttention.network(8, 8);

    @Test
    void writesCostTheirCellsAtThePresetsEnergyAndSramOutlivesAnyUse() {
        Result r = TinyAttention.evaluate(capram, net, "arrays", PipelineMode.LAYER_BY_LAYER, "");
        // 3-bit activations in ternary weights (2 bits, paired cells): 2 weights of 2 cells a value.
        long cells = 2 * TinyAttention.operandCells(capram, 64);
        assertThat(TinyAttention.operandCells(capram, 1)).isEqualTo(4);
        Result.OperandArrayFigures o = r.attention().operandArrays();
        assertThat(o.cellsWritten()).isEqualTo(cells);
        assertThat(o.writeEnergyJ()).isCloseTo(cells * 0.26e-12, within(1e-21));
        assertThat(o.writeTimeS()).isCloseTo(8 * 4.33e-9, within(1e-18));
        assertThat(o.enduranceCycles()).isEqualTo(1e16);
        assertThat(o.lifetimeYears()).isCloseTo(1e16 / r.inference().fps() / (365.25 * 24 * 3600), within(1e-9));
        // Rewritten at over a million inferences a second, the cells still outlast any chip.
        assertThat(r.inference().fps()).isGreaterThan(1e6);
        assertThat(o.lifetimeYears()).isGreaterThan(100);
        Result digital = TinyAttention.evaluate(capram, net, "digital", PipelineMode.LAYER_BY_LAYER, "");
        assertThat(r.inference().latencyS()).isGreaterThan(digital.inference().latencyS());
    }
}
