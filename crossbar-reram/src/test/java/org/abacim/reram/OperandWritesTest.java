package org.abacim.reram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.abacim.core.cost.PipelineMode;
import org.abacim.core.network.Network;
import org.abacim.core.result.Result;
import org.abacim.core.tech.TinyAttention;
import org.junit.jupiter.api.Test;

/**
 * ISAAC writing attention's operands into its crossbars every inference (attention.products: arrays), with the
 * preset's write: section (PUMA's 1.38 pJ a cell and 85.7 ns a row, ReRAM's best surveyed endurance of 10^9).
 */
class OperandWritesTest {
    private final ReramDesign isaac = Presets.load("isaac");
    private final Network net = TinyAttention.network(16, 16);

    @Test
    void writesCostTheirCellsTheirRowsAndTheCellsLifetimeAtTheAchievedRate() {
        Result r = TinyAttention.evaluate(isaac, net, "arrays", PipelineMode.INTER_LAYER, "");
        // Each product's second operand is 16 × 16 16-bit values, 8 two-bit cells each: 2048 cells, 4096 in all.
        assertThat(TinyAttention.operandCells(isaac, 256)).isEqualTo(2048);
        Result.OperandArrayFigures o = r.attention().operandArrays();
        assertThat(o.cellsWritten()).isEqualTo(4096);
        assertThat(o.writeEnergyJ()).isCloseTo(4096 * 1.38e-12, within(1e-21));
        // 16 rows of an array written one after another.
        assertThat(o.writeTimeS()).isCloseTo(16 * 85.7e-9, within(1e-15));
        assertThat(o.enduranceCycles()).isEqualTo(1e9);
        assertThat(o.lifetimeYears()).isCloseTo(1e9 / r.inference().fps() / (365.25 * 24 * 3600), within(1e-12));
        // A product: the write, then 16 queries through the arrays at ISAAC's 16 cycles of 100 ns (ADC-bound: 100.78 ns).
        Result.LayerLine scores = r.layers().stream().filter(l -> l.name().equals("scores")).findFirst().orElseThrow();
        assertThat(scores.timeS()).isGreaterThan(16 * 85.7e-9 + 16 * 16 * 100e-9);
        assertThat(scores.adcConversions()).isPositive();
    }

    @Test
    void inTheArraysTheProductsCostMoreAndTakeLongerThanOnTheDigitalUnit() {
        Result digital = TinyAttention.evaluate(isaac, net, "digital", PipelineMode.INTER_LAYER, "");
        Result arrays = TinyAttention.evaluate(isaac, net, "arrays", PipelineMode.INTER_LAYER, "");
        assertThat(arrays.attention().energyJ()).isGreaterThan(digital.attention().energyJ());
        assertThat(arrays.attention().timeS()).isGreaterThan(digital.attention().timeS());
        assertThat(arrays.inference().latencyS()).isGreaterThan(digital.inference().latencyS());
        assertThat(digital.attention().operandArrays()).isNull();
        // The digital unit: 16-bit operands at ISAAC's 32 nm.
        assertThat(digital.attention().digitalUnit().bits()).isEqualTo(16);
        assertThat(digital.attention().productMacs()).isEqualTo(2L * 16 * 16 * 16);
    }

    @Test
    void aKvCacheIsMeasuredAgainstTheTilesEdram() {
        Result r = TinyAttention.evaluate(isaac, net, "digital", PipelineMode.INTER_LAYER, "  kvCacheTokens: 4096\n");
        Result.KvCache kv = r.attention().kvCache();
        // Per token: 16 features of K and 16 of V at 16 bits.
        assertThat(kv.bitsPerToken()).isEqualTo(32 * 16);
        // 168 tiles of 64 KB of eDRAM (a kilobyte is 1000 bytes to the units).
        assertThat(kv.bufferBits()).isEqualTo(168 * 64e3 * 8);
        assertThat(kv.fits()).isTrue();
    }
}
