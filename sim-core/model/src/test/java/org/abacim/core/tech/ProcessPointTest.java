package org.abacim.core.tech;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.abacim.core.arch.Action;
import org.abacim.core.arch.Component;
import org.abacim.core.arch.Provenance;
import org.abacim.core.estimate.ProcessScaling;
import org.abacim.core.units.Area;
import org.abacim.core.units.Energy;
import org.abacim.core.units.Length;
import org.abacim.core.units.Power;
import org.abacim.core.units.Voltage;
import org.junit.jupiter.api.Test;

class ProcessPointTest {
    private static final Length N32 = Length.of(32e-9), N22 = Length.of(22e-9);
    private static final Voltage V09 = Voltage.of(0.9);
    private static final Component DAC = Component.of("dac", 1024, Power.ofMilliwatts(4.0 / 1024),
            Area.ofSquareMillimeters(0.00017 / 1024), Map.of(Action.ROW_DRIVE, Energy.of(3.90625e-13)), "ISAAC Table I");

    @Test
    void atTheReferenceNothingScalesAndTheComponentIsTheSameObject() {
        ProcessPoint p = ProcessPoint.at(N32, V09);
        assertThat(p.atReference()).isTrue();
        assertThat(p.energyScale()).isEqualTo(1.0);
        assertThat(p.areaScale()).isEqualTo(1.0);
        assertThat(p.cellAreaScale()).isEqualTo(1.0);
        assertThat(p.cmos(DAC)).isSameAs(DAC);
        assertThat(p.deviceCells(DAC)).isSameAs(DAC);
        assertThat(p.outsideData()).isEmpty();
    }

    @Test
    void elsewhereCmosScalesByTheRatioOfStillmakerAndBaasFactors() {
        ProcessPoint p = new ProcessPoint(N22, V09, new ProcessPoint.Reference(N32, V09));
        double e = ProcessScaling.energyFactor(N22, V09) / ProcessScaling.energyFactor(N32, V09);
        double a = ProcessScaling.areaFactor(N22) / ProcessScaling.areaFactor(N32);
        assertThat(p.energyScale()).isCloseTo(0.519, within(0.001)).isEqualTo(e);
        assertThat(p.areaScale()).isCloseTo(0.535, within(0.001)).isEqualTo(a);
        Component dac = p.cmos(DAC);
        assertThat(dac.energy(Action.ROW_DRIVE).joules()).isEqualTo(3.90625e-13 * e);
        assertThat(dac.power().watts()).isEqualTo(DAC.power().watts() * e);
        assertThat(dac.area().squareMeters()).isEqualTo(DAC.area().squareMeters() * a);
        assertThat(dac.provenance()).isEqualTo(Provenance.scaled(
                "32 nm, 900 mV → 22 nm, 900 mV by Stillmaker and Baas 2017 (CMOS energy and area)"));
        Component cells = p.deviceCells(DAC);
        assertThat(cells.energy(Action.ROW_DRIVE)).isEqualTo(DAC.energy(Action.ROW_DRIVE));
        assertThat(cells.area().squareMeters()).isCloseTo(DAC.area().squareMeters() * (22.0 / 32) * (22.0 / 32),
                within(1e-24));
    }

    @Test
    void onlyPositiveNodesAndSuppliesAndAWarningOutsideTheTables() {
        assertThatThrownBy(() -> ProcessPoint.at(Length.of(0), V09)).hasMessageContaining("node");
        assertThatThrownBy(() -> ProcessPoint.at(N32, Voltage.of(-1))).hasMessageContaining("supply");
        ProcessPoint tiny = new ProcessPoint(Length.of(3e-9), Voltage.of(0.7), new ProcessPoint.Reference(N32, V09));
        assertThat(tiny.outsideData()).get().asString().contains("outside the scaling tables");
        assertThat(tiny.cmos(DAC).warnings()).singleElement().asString().contains("outside the scaling tables");
    }
}
