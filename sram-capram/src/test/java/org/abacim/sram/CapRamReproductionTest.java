package org.abacim.sram;

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
 * CAP-RAM's published figures through the model (issue #8). Sources: Chen et al., JSSC 2021, abstract (573.4 GOPS,
 * 49.4 TOPS/W, 7-bit ciSAR of 429 µm²) and summary (0.179 mm² macro, array 62.6 %, 6.35 mW in differential mode).
 * Which mode each figure is for is our reading (docs/design/capram.md): the peak at 1-bit weights in single cells.
 */
class CapRamReproductionTest {
    static Result peakRun(CapRamDesign d) {
        return CostModel.evaluate(TechnologyContractTest.oneArrayNetwork(d.geometry()), d,
                TechnologyContractTest.oneArrayPlacement(d.geometry()), SimulationOptions.defaults());
    }

    static final String[] ONE_BIT = {"weights.encoding=twos-complement", "weights.bits=1"};

    @Test
    void peakThroughputIs573GopsAtOneBitWeights() {
        Result r = peakRun(Presets.load("capram", ONE_BIT));
        assertThat(r.peak().gops()).isCloseTo(573.4, within(573.4 * 0.05));
    }

    @Test
    void energyEfficiencyIs49TopsPerWattAtOneBitWeights() {
        CapRamDesign d = Presets.load("capram", ONE_BIT);
        // From the ledger of a full sub-array multiply (what an inference pays), not only the busy power.
        Ledger ledger = new Ledger();
        int cols = d.geometry().weightsPerRow() * d.geometry().cellsPerWeight();
        d.countMvm(d.geometry().rows(), cols, 1, ledger);
        double ops = 2.0 * d.geometry().rows() * d.geometry().weightsPerRow();
        assertThat(ops / ledger.energyJ() / 1e12).isCloseTo(49.4, within(49.4 * 0.05));
        assertThat(peakRun(d).peak().gopsPerW() / 1000).isCloseTo(49.4, within(49.4 * 0.05));
        assertThat(ledger.count(Action.ADC_CONVERT)).isEqualTo(128);
    }

    @Test
    void theDifferentialModeConvertsHalfAsOftenAtSixPointThreeFiveMilliwatts() {
        CapRamDesign d = Presets.load("capram"); // ternary weights in paired cells
        Result r = peakRun(d);
        assertThat(r.peak().gops()).isCloseTo(573.4 / 2, within(573.4 / 2 * 0.05));
        assertThat(r.power().totalW() * 1e3).isCloseTo(6.35, within(6.35 * 0.05));
        Ledger ledger = new Ledger();
        d.countMvm(64, 128, 1, ledger);
        assertThat(ledger.count(Action.ADC_CONVERT)).isEqualTo(64);
    }

    @Test
    void theMacroIs0179SquareMillimetresWithTheArrayAt62Percent() {
        Result r = peakRun(Presets.load("capram"));
        assertThat(r.area().totalMm2()).isCloseTo(0.179, within(0.179 * 0.05));
        assertThat(r.area().breakdownMm2().get("sram_array") / r.area().totalMm2()).isCloseTo(0.626, within(0.01));
        assertThat(r.area().breakdownMm2().get("adc")).isCloseTo(128 * 429e-6, within(1e-9));
    }

    @Test
    void theSevenBitAdcIsLossyForTernarySubArraysAndAutoIsLossless() {
        assertThat(Presets.load("capram").adcBits()).isEqualTo(7);
        // 64 rows × input 7 × |w| 1 = 448: codes −448 … 448 need 10 bits.
        assertThat(Presets.load("capram", "adc.bits=auto").adcBits()).isEqualTo(10);
        assertThat(Presets.load("capram", "weights.encoding=twos-complement", "weights.bits=4", "adc.bits=auto")
                .adcBits()).isEqualTo(13); // 64 × 7 × 8 = 3,584
    }
}
