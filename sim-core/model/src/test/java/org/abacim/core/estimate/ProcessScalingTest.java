package org.abacim.core.estimate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.abacim.core.units.Length;
import org.abacim.core.units.Voltage;
import org.junit.jupiter.api.Test;

/** Stillmaker–Baas scaling as the estimators use it: the paper's numbers, and the physics they must show. */
class ProcessScalingTest {
    static Length nm(double n) { return Length.of(n * 1e-9); }

    @Test
    void theReferenceIs45NanometresAtOneVolt() {
        assertThat(ProcessScaling.energyFactor(nm(45), Voltage.of(1.0))).isEqualTo(1.0);
        assertThat(ProcessScaling.areaFactor(nm(45))).isEqualTo(1.0);
        assertThat(ProcessScaling.delayFactor(nm(45), Voltage.of(1.0))).isCloseTo(1.0, within(1e-12));
    }

    /** The paper's own tables: 45 → 7 nm area 0.059; 7 nm HP energy at 0.7 V over 45 nm at 1.0 V = 0.0478/0.861. */
    @Test
    void tableValuesAreThePapers() {
        assertThat(ProcessScaling.areaFactor(nm(7))).isEqualTo(0.059);
        assertThat(ProcessScaling.areaFactor(nm(180))).isEqualTo(19);
        double e7 = 0.1776 * 0.49 - 0.09097 * 0.7 + 0.02447;
        double e45 = 1.018 - 0.3107 + 0.1539;
        assertThat(ProcessScaling.energyFactor(nm(7), Voltage.of(0.7))).isCloseTo(e7 / e45, within(1e-12));
        assertThat(ProcessScaling.nominalSupply(nm(65)).volts()).isEqualTo(1.1);
    }

    /** Property: at each node's nominal supply, switching energy and area fall with every node from 180 nm to 7 nm. */
    @Test
    void energyAndAreaFallWithTheNode() {
        double[] nodes = {180, 130, 90, 65, 45, 40, 32, 28, 22, 20, 16, 14, 10, 7};
        for (int i = 1; i < nodes.length; i++) {
            Length big = nm(nodes[i - 1]), small = nm(nodes[i]);
            assertThat(ProcessScaling.energyFactor(small, ProcessScaling.nominalSupply(small)))
                    .as("%s nm against %s nm", nodes[i], nodes[i - 1])
                    .isLessThan(ProcessScaling.energyFactor(big, ProcessScaling.nominalSupply(big)));
            assertThat(ProcessScaling.areaFactor(small)).isLessThan(ProcessScaling.areaFactor(big));
        }
    }

    /**
     * Property: at a node, energy rises with supply, close to V² — the fits carry leakage and short-circuit terms, so
     * the exponent between 0.8× and 1.2× nominal lies between 1.5 and 3 at every node from 90 nm down.
     */
    @Test
    void energyRisesRoughlyWithTheSupplySquared() {
        for (double n : new double[] {90, 65, 45, 32, 22, 14, 7}) {
            Voltage nominal = ProcessScaling.nominalSupply(nm(n));
            double lo = nominal.volts() * 0.8, hi = nominal.volts() * 1.2;
            double ratio = ProcessScaling.energyFactor(nm(n), Voltage.of(hi)) / ProcessScaling.energyFactor(nm(n), Voltage.of(lo));
            double exponent = Math.log(ratio) / Math.log(hi / lo);
            assertThat(exponent).as("%s nm", n).isBetween(1.5, 3.0);
        }
    }

    /** Property: delay falls as the supply rises (alpha-power law), and a supply near threshold is refused. */
    @Test
    void delayFallsWithSupply() {
        assertThat(ProcessScaling.delayRatio(Voltage.of(1.1), Voltage.of(0.7))).isLessThan(1);
        double sakurai = (1.1 / Math.pow(1.1 - 0.35, 1.3)) / (0.7 / Math.pow(0.7 - 0.35, 1.3));
        assertThat(ProcessScaling.delayRatio(Voltage.of(1.1), Voltage.of(0.7))).isCloseTo(sakurai, within(1e-12));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ProcessScaling.delayRatio(Voltage.of(0.42), Voltage.of(0.7)))
                .hasMessageContaining("threshold");
    }

    @Test
    void outsideTheTablesIsAWarning() {
        assertThat(ProcessScaling.outsideData(nm(5), Voltage.of(0.7))).get().asString().contains("outside");
        assertThat(ProcessScaling.outsideData(nm(22), Voltage.of(2.0))).get().asString().contains("nominal");
        assertThat(ProcessScaling.outsideData(nm(22), Voltage.of(0.8))).isEmpty();
    }
}
