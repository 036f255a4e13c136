package org.abacim.reram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import org.abacim.core.arch.Action;
import org.abacim.core.arch.Component;
import org.abacim.core.arch.Hierarchy;
import org.abacim.core.arch.Ledger;
import org.abacim.core.cost.CostModel;
import org.abacim.core.cost.SimulationOptions;
import org.abacim.core.result.Result;
import org.abacim.core.tech.TechnologyContractTest;
import org.junit.jupiter.api.Test;

/**
 * ISAAC reproduced from its component table and dataflow. Published values: Shafiee et al., ISAAC, ISCA 2016
 * (corrected Oct 2016), Table I, as transcribed in docs/reference/published-parameters.md.
 */
class IsaacReproductionTest {
    private final ReramDesign isaac = Presets.load("isaac");
    private final Hierarchy h = isaac.hierarchy();

    @Test
    void imaPowerAndAreaMatchTableOne() {
        // Table I: 12 IMAs per tile, 289 mW and 0.157 mm² in all.
        assertThat(h.power("ima").milliwatts() * 12).isCloseTo(289, withinPercentage(1));
        assertThat(h.area("ima").squareMillimeters() * 12).isCloseTo(0.157, withinPercentage(1));
    }

    @Test
    void tilePowerAndAreaMatchTableOne() {
        // Table I totals: tile 330 mW, 0.372 mm².
        assertThat(h.power("tile").milliwatts()).isCloseTo(330, withinPercentage(1));
        assertThat(h.area("tile").squareMillimeters()).isCloseTo(0.372, withinPercentage(1));
    }

    @Test
    void allTilesMatchTableOne() {
        // Table I: 168 tiles, 55.4 W, 62.5 mm².
        assertThat(h.perChip("tile")).isEqualTo(168);
        assertThat(h.power("tile").watts() * h.perChip("tile")).isCloseTo(55.4, withinPercentage(1));
        assertThat(h.area("tile").squareMillimeters() * h.perChip("tile")).isCloseTo(62.5, withinPercentage(1));
    }

    @Test
    void chipWithHyperTransportMatchesTableOne() {
        // Table I: chip with HyperTransport, 65.8 W, 85.4 mm².
        assertThat(h.power().watts()).isCloseTo(65.8, withinPercentage(1));
        assertThat(h.area().squareMillimeters()).isCloseTo(85.4, withinPercentage(1));
    }

    @Test
    void adcResolutionRuleGivesEightBitsForIsaac() {
        // ISAAC: log2(128) + v + w - 1 (v = 1) = 9 bits; the flipped-column encoding saves one more: 8.
        assertThat(isaac.adcBits()).isEqualTo(8);
        assertThat(ReramDesign.losslessAdcBits(128, 1, 2, CrossbarEncoding.DIFFERENTIAL)).isEqualTo(9);
        assertThat(ReramDesign.losslessAdcBits(256, 1, 2, CrossbarEncoding.OFFSET_UNIT_COLUMN)).isEqualTo(9);
        assertThat(ReramDesign.losslessAdcBits(128, 2, 2, CrossbarEncoding.OFFSET_UNIT_COLUMN)).isEqualTo(10);
    }

    @Test
    void adcConversionsPerMacIsOneAndOneHundredTwentyEighthForIsaac() {
        // A full 128×128 array holds 128 × 16 weights of 8 cells; 16 input cycles convert 128 + 1 (unit) columns.
        Ledger ledger = new Ledger();
        isaac.countMvm(128, 128, 1, ledger);
        double macs = 128.0 * 16;
        assertThat(ledger.count(Action.ADC_CONVERT) / macs).isCloseTo(129.0 / 128, within(1e-12));
    }

    @Test
    void perActionEnergiesFollowFromTableOne() {
        Component adc = component("adc");
        // 16 mW / 8 ADCs at 1.28 GS/s.
        assertThat(adc.energy(Action.ADC_CONVERT).picojoules()).isCloseTo(16.0 / 8 / 1.28, within(1e-9));
        // 4 mW / 1024 DACs, each driving its row for a 100 ns read.
        assertThat(component("dac").energy(Action.ROW_DRIVE).picojoules()).isCloseTo(4e-3 / 1024 * 100e-9 * 1e12,
                within(1e-9));
        // IMA S+A: 0.2 mW over 8 ADCs × 1.28 GS/s of results; peers derive 0.021 pJ from the same table.
        assertThat(component("ima_shift_add").energy(Action.SHIFT_ADD).picojoules()).isCloseTo(0.2 / (8 * 1.28),
                within(1e-9));
    }

    @Test
    void peakComputeIsDerivedFromTheDataflow() {
        Result r = CostModel.evaluate(TechnologyContractTest.oneArrayNetwork(isaac.geometry()), isaac,
                TechnologyContractTest.oneArrayPlacement(isaac.geometry()), SimulationOptions.defaults());
        // By hand: an input cycle is the longer of the 100 ns read and converting 129 columns at 1.28 GS/s,
        // 129 / 1.28 GHz = 100.78125 ns. A multiply is 16 such cycles and does 128 rows × 16 weights of MACs on each
        // of 168 × 12 × 8 = 16,128 arrays: 2 × 16,128 × 2,048 / (16 × 100.78125 ns) = 40,967.62 GOPS, and
        // 40,967.62 / 85.4 mm² (the published chip area) = 479.71 GOPS/mm².
        assertThat(r.peak().gops()).isCloseTo(40_967.62, within(0.01));
        assertThat(r.peak().gopsPerMm2()).isCloseTo(479.71, withinPercentage(1));
        // 16128 arrays × 128 × 128 cells × 2 bits = 63.0 MiB on 85.4 mm².
        assertThat(r.peak().storageMbPerMm2()).isCloseTo(16128.0 * 128 * 128 * 2 / 8 / (1 << 20) / 85.4,
                withinPercentage(1));
    }

    @Test
    void aFullyBusyImaDrawsItsTablePower() {
        // Every analog unit of one IMA busy for one multiply: the ledger's energy over that time is the IMA's
        // Table I power (ADC, DAC, S+H, array, S+A, IR, OR), slightly less since the unit column stretches the cycle.
        Ledger ledger = new Ledger();
        isaac.countMvm(128, 128, 8, ledger);
        double seconds = isaac.mvmSeconds(128, 128);
        double tableMw = 16 + 4 + 0.01 + 2.4 + 0.2 + 1.24 + 0.23;
        assertThat(ledger.energyJ() / seconds * 1e3).isCloseTo(tableMw, withinPercentage(1));
    }

    @Test
    void overridesChangeTheDesign() {
        ReramDesign big = Presets.load("isaac", "array.rows=256", "array.cols=256");
        assertThat(big.adcBits()).isEqualTo(9);
        assertThat(big.hierarchy().area().squareMillimeters()).isGreaterThan(h.area().squareMillimeters());
        ReramDesign lossy = Presets.load("isaac", "adc.bits=6");
        assertThat(lossy.adcBits()).isEqualTo(6);
        assertThat(lossy.hierarchy().power().watts()).isLessThan(h.power().watts());
    }

    private Component component(String name) {
        return h.components().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }
}
