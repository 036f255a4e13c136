package org.abacim.mram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.abacim.core.cost.PipelineMode;
import org.abacim.core.network.Network;
import org.abacim.core.result.Result;
import org.abacim.core.tech.TinyAttention;
import org.junit.jupiter.api.Test;

/** SOT-MRAM writing attention's operands into its cells: the preset's SOT write and Garello's 5×10^10 cycles. */
class OperandWritesTest {
    private final SotMramDesign sot = Presets.load("sot-mram");
    private final Network net = TinyAttention.network(16, 16);

    @Test
    void writesCostTheSotWriteEnergyAWordLineAPulseAndWearAtTheInferenceRate() {
        Result r = TinyAttention.evaluate(sot, net, "arrays", PipelineMode.LAYER_BY_LAYER, "");
        // 8-bit activations as 4 two-bit weights of 2 one-bit cells: 8 cells a value; 256 values a product.
        assertThat(TinyAttention.operandCells(sot, 1)).isEqualTo(8);
        Result.OperandArrayFigures o = r.attention().operandArrays();
        assertThat(o.cellsWritten()).isEqualTo(2 * 256 * 8);
        // 0.6 V × 100 µA × 2 ns = 120 fJ a cell.
        assertThat(o.writeEnergyJ()).isCloseTo(2 * 256 * 8 * 120e-15, within(1e-21));
        // A word line (the placer's column of cells) at a time: 16 values × 8 cells = 128 word lines of 2 ns.
        assertThat(o.writeTimeS()).isCloseTo(128 * 2e-9, within(1e-18));
        assertThat(o.enduranceCycles()).isEqualTo(5e10);
        assertThat(o.lifetimeYears()).isCloseTo(5e10 / r.inference().fps() / (365.25 * 24 * 3600), within(1e-9));
    }

    @Test
    void aKvCacheInTheBanksBuffersOrInTheCells() {
        Result buffer = TinyAttention.evaluate(sot, net, "digital", PipelineMode.LAYER_BY_LAYER,
                "  kvCacheTokens: 1024\n");
        // 32 banks of 64 KB (1000 bytes a kilobyte); 32 values of 8 bits a token.
        assertThat(buffer.attention().kvCache().bufferBits()).isEqualTo(32 * 64e3 * 8);
        assertThat(buffer.attention().kvCache().sizeBits()).isEqualTo(1024 * 32 * 8.0);
        Result cells = TinyAttention.evaluate(sot, net, "digital", PipelineMode.LAYER_BY_LAYER,
                "  kvCacheTokens: 1024\n  kvCache: arrays\n");
        assertThat(cells.attention().kvCache().cells()).isEqualTo(1024 * 32 * 8.0);
        assertThat(cells.attention().kvCache().enduranceCycles()).isEqualTo(5e10);
    }
}
