package org.abacim.mram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.abacim.core.arch.Action;
import org.abacim.core.arch.Ledger;
import org.abacim.core.cost.CostModel;
import org.abacim.core.cost.SimulationOptions;
import org.abacim.core.result.Result;
import org.abacim.core.tech.TechnologyContractTest;
import org.junit.jupiter.api.Test;

/**
 * The cost of a bit-wise multiply from the preset's constants, worked by hand: LeNet-5's conv1 tile (25 inputs on
 * 25 bit lines, 6 outputs) with 1-bit weights and 8-bit inputs, the setting of the line's published LeNet-5 anchor.
 */
class SotMramCostTest {
    private final SotMramDesign binary = Presets.load("sot-mram", "weights.bits=1");

    @Test
    void oneMultiplyWritesTheInputPlanesThenReadsEveryPlanePair() {
        // 8 input planes written (8 × 2 ns), then 8 × 6 dual-row reads of 1 ns.
        assertThat(binary.mvmSeconds(25, 6)).isCloseTo(64e-9, within(1e-15));
        Ledger l = new Ledger();
        binary.countMvm(25, 6, 1, l);
        assertThat(l.count(Action.CELL_WRITE)).isEqualTo(200);      // 8 planes × 25 bits
        assertThat(l.count(SotMramActions.BIT_COUNT)).isEqualTo(1200);      // 8 × 6 reads × 25 bit lines
        assertThat(l.count(Action.SHIFT_ADD)).isEqualTo(48);
        // 200 × 120 fJ (0.6 V × 100 µA × 2 ns) + 1200 × (2.5 fJ bit line: 0.1 V² × 250 µS × 1 ns; 5 fJ amplifier;
        // 2 fJ counter) + 48 × 50 fJ = 24 + 11.4 + 2.4 pJ.
        assertThat(l.energyJ()).isCloseTo(37.8e-12, within(1e-16));
    }

    @Test
    void twoBitWeightsReadTwiceTheRows() {
        SotMramDesign ternary = Presets.load("sot-mram");
        assertThat(ternary.geometry().cellsPerWeight()).isEqualTo(2);
        assertThat(ternary.geometry().weightsPerRow()).isEqualTo(124); // 248 weight word lines
        assertThat(ternary.mvmSeconds(25, 12)).isCloseTo(112e-9, within(1e-15));
    }

    @Test
    void weightsAreWrittenOnceARowAtATimeAndStandbyIsThePeripheryAlone() {
        var g = binary.geometry();
        Result r = CostModel.evaluate(TechnologyContractTest.oneArrayNetwork(g), binary,
                TechnologyContractTest.oneArrayPlacement(g), SimulationOptions.defaults());
        long cells = (long) g.rows() * g.weightsPerRow() * g.cellsPerWeight();
        assertThat(r.programming().cells()).isEqualTo(cells);
        assertThat(r.programming().energyJ()).isCloseTo(cells * 120e-15, within(1e-18 * cells));
        assertThat(r.programming().timeS()).isCloseTo(248 * 2e-9, within(1e-15));
        // 1,024 sub-arrays × 0.2 µW of power-gated periphery.
        assertThat(binary.hierarchy().leakage().watts()).isCloseTo(1024 * 0.2e-6, within(1e-12));
    }
}
