package org.abacim.core.macro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.abacim.core.config.ConfigDocument;
import org.abacim.core.config.ConfigException;
import org.abacim.core.config.ConfigReader;
import org.abacim.core.config.Overrides;
import org.abacim.core.estimate.ComponentLibrary;
import org.abacim.core.estimate.ProcessScaling;
import org.abacim.core.units.Length;
import org.abacim.core.units.Voltage;
import org.junit.jupiter.api.Test;

/** The macro model: op counting, cycle counting, and the physics the issue asks for (node, V², wires, given figures). */
class MacroModelTest {
    static final String ANALOG = """
            name: test macro
            process: { node: 28 nm, supply: 0.9 V }
            clock: 100 MHz
            cell: { kind: sram, transistors: 8 }
            array: { rows: 256, cols: 64 }
            compute: charge
            input: { bits: 8 }
            weights: { bits: 8 }
            readout: { bits: 6, columnsPerConversion: 8 }
            """;

    static MacroResult run(String yaml, String... set) {
        ConfigDocument doc = Overrides.apply(MacroSpec.withClockSupply(ConfigReader.read("macro.yaml", yaml)), List.of(set));
        return MacroModel.evaluate(MacroSpec.bind(doc));
    }

    /** 256 rows × 8 weights of 8 bits; 8 bit-serial steps of 10 ns; 2 ops per MAC. */
    @Test
    void countsMacsStepsAndOps() {
        MacroResult r = run(ANALOG);
        assertThat(r.macsPerPass()).isEqualTo(256 * 8);
        assertThat(r.passTime().seconds()).isCloseTo(8 * 10e-9, within(1e-18));
        assertThat(r.tops()).isCloseTo(2.0 * 256 * 8 / 80e-9 / 1e12, within(1e-12));
        // 8 conversions (one per weight) per step, 8 steps; each priced by the survey estimator.
        double adc = ComponentLibrary.adc(6, Length.of(28e-9), Voltage.of(0.9)).energy().joules();
        assertThat(r.energy().get("adcs").joules()).isCloseTo(64 * adc, within(1e-20));
    }

    /** Row groups and array turns multiply the steps; ADCs shared by more conversions add rounds. */
    @Test
    void rowGroupsArrayTurnsAndAdcRoundsTakeTime() {
        double base = run(ANALOG).passTime().seconds();
        assertThat(run(ANALOG, "array.activeRows=64").passTime().seconds()).isCloseTo(4 * base, within(1e-18));
        assertThat(run(ANALOG, "array.count=4", "array.activeCount=2").passTime().seconds()).isCloseTo(2 * base, within(1e-18));
        assertThat(run(ANALOG, "readout.adcsPerArray=2").passTime().seconds()).isCloseTo(4 * base, within(1e-18));
        assertThat(run(ANALOG, "input.bitsPerCycle=4").passTime().seconds()).isCloseTo(base / 4, within(1e-18));
    }

    /** Property: energy per MAC falls with the node (same design, same relative supply). */
    @Test
    void energyPerMacFallsWithTheNode() {
        double previous = Double.MAX_VALUE;
        for (int nm : new int[] {130, 65, 45, 28, 22, 14, 7}) {
            double v = ProcessScaling.nominalSupply(Length.of(nm * 1e-9)).volts();
            MacroResult r = run(ANALOG, "process.node=" + nm + " nm", "process.supply=" + v + " V");
            assertThat(r.energyPerMac().joules()).as("%s nm", nm).isLessThan(previous);
            previous = r.energyPerMac().joules();
        }
    }

    /** Property: the analog switching energy rises exactly with V²; the whole macro's by about V² (1.6–2.4 for ×1.2²). */
    @Test
    void energyRisesWithTheSupplySquared() {
        MacroResult low = run(ANALOG, "process.supply=0.8 V");
        MacroResult high = run(ANALOG, "process.supply=1.0 V");
        assertThat(high.energy().get("row_drivers").joules() / low.energy().get("row_drivers").joules())
                .isCloseTo(1.5625, within(1e-9));
        assertThat(high.energy().get("adcs").joules() / low.energy().get("adcs").joules()).isCloseTo(1.5625, within(1e-9));
        assertThat(high.passEnergy().joules() / low.passEnergy().joules()).isBetween(1.4, 2.0);
        // And the clock speeds up by the alpha-power law: throughput up, pass time down.
        assertThat(high.tops()).isGreaterThan(low.tops());
    }

    /** Property: row lines span their columns, so row-drive energy per row grows linearly with the columns. */
    @Test
    void wiresScaleWithArraySize() {
        double e64 = run(ANALOG).energy().get("row_drivers").joules() / 256;
        double e128 = run(ANALOG, "array.cols=128").energy().get("row_drivers").joules() / 256;
        assertThat(e128 / e64).isCloseTo(2.0, within(1e-9));
        double a = run(ANALOG).area().get("cells").squareMeters();
        assertThat(run(ANALOG, "array.rows=512").area().get("cells").squareMeters()).isCloseTo(2 * a, within(1e-24));
    }

    /** A published component figure replaces its estimator, and the result says it was given. */
    @Test
    void givenFiguresReplaceEstimatesAndSaySo() {
        MacroResult r = run(ANALOG + "given: { adcEnergy: { value: 1 pJ, source: \"Table I [paper]\" } }\n");
        assertThat(r.energy().get("adcs").joules()).isCloseTo(64e-12, within(1e-20));
        assertThat(r.provenance().get("adcs")).startsWith("given: 1 pJ (Table I [paper])");
        assertThat(run(ANALOG).provenance().get("adcs")).startsWith("estimated:");
    }

    /** A digital macro has no ADCs: its energy is products, adder trees and accumulation; trees per weight are cheaper. */
    @Test
    void digitalMacrosSumWithAdderTrees() {
        String digital = ANALOG.replace("compute: charge", "compute: digital").replace("readout: { bits: 6, columnsPerConversion: 8 }", "readout: {}");
        MacroResult columns = run(digital);
        assertThat(columns.energy()).containsKeys("adder_trees", "shift_add").doesNotContainKey("adcs");
        MacroResult weights = run(digital, "readout.adderTree=weight");
        assertThat(weights.passEnergy().joules()).isLessThan(columns.passEnergy().joules());
        // Trees switch with their product bits: p = 0.25 at the default densities (0.75 of random operands), p = 0.05
        // with a tenth of the input bits set (0.19); the products' own energy is apart from it.
        MacroResult sparse = run(digital, "input.density=0.1");
        double products = 256.0 * 64 * ComponentLibrary.adder(1, Length.of(28e-9), Voltage.of(0.9)).energy().joules() / 4 * 8;
        double dense = columns.energy().get("adder_trees").joules() - products;
        double thin = sparse.energy().get("adder_trees").joules() - products;
        assertThat(thin / dense).isCloseTo((4 * 0.05 * 0.95) / (4 * 0.25 * 0.75), within(1e-9));
    }

    @Test
    void badInputIsOneLineNamingThePath() {
        assertThatThrownBy(() -> run(ANALOG, "array.activeRows=1000")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("array.activeRows").hasMessageContaining("at most array.rows");
        assertThatThrownBy(() -> run(ANALOG, "array.count=4", "array.activeCount=3")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("array.activeCount");
        assertThatThrownBy(() -> run(ANALOG + "given: { cellSize: { value: 1 um^2, source: x } }\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("given.cellSize").hasMessageContaining("adcArea, adcEnergy, cellArea");
        assertThatThrownBy(() -> run(ANALOG + "given: { adcEnergy: { value: 1 mm^2, source: x } }\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("given.adcEnergy.value");
        assertThatThrownBy(() -> run(ANALOG, "process.node=65")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("process.node").hasMessageContaining("65 nm");
        assertThatThrownBy(() -> run(ANALOG, "readout.bits=0")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("readout.bits");
        assertThatThrownBy(() -> run(ANALOG, "process.supply=0.3 V")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("process.supply").hasMessageContaining("at least 0.45 V");
        assertThatThrownBy(() -> run(ANALOG, "weights.columnsPerWeight=100")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("array.cols").hasMessageContaining("100 columns");
        assertThatThrownBy(() -> run(ANALOG, "compute=optical")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("charge, current, resistive or digital");
    }
}
