package org.imcsim.core.periphery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.imcsim.core.arch.Action;
import org.imcsim.core.arch.Component;
import org.imcsim.core.units.Area;
import org.imcsim.core.units.DataRate;
import org.imcsim.core.units.DataSize;
import org.imcsim.core.units.Frequency;
import org.imcsim.core.units.Power;
import org.imcsim.core.units.Time;
import org.junit.jupiter.api.Test;

class PeripheralsTest {
    private static final AdcReference ISAAC_ADC = new AdcReference(8, Power.ofMilliwatts(16),
            Area.ofSquareMillimeters(0.0096), 8, Frequency.ofGigahertz(1.28), "ISAAC Table I");

    @Test
    void adcAtItsReferenceResolutionKeepsThePublishedNumbers() {
        Component adc = Peripherals.adc(ISAAC_ADC, 8, Frequency.ofGigahertz(1.28), 8);
        assertThat(adc.energy(Action.ADC_CONVERT).picojoules()).isCloseTo(1.5625, within(1e-12));
        assertThat(adc.power().milliwatts() * 8).isCloseTo(16, within(1e-9));
        assertThat(adc.area().squareMicrometers()).isCloseTo(1200, within(1e-6));
    }

    @Test
    void adcScalesByTheCurveRatios() {
        // hwcomponents-library's ISAAC-derived curve: 4 b 0.79 pJ / 361 µm², 8 b 1.67 pJ / 1200 µm².
        Component adc4 = Peripherals.adc(ISAAC_ADC, 4, Frequency.ofGigahertz(2.1), 1);
        assertThat(adc4.energy(Action.ADC_CONVERT).picojoules()).isCloseTo(1.5625 * 0.79 / 1.67, within(1e-12));
        assertThat(adc4.area().squareMicrometers()).isCloseTo(1200 * 361 / 1200.0, within(1e-6));
        assertThat(adc4.power().watts()).isCloseTo(adc4.energy(Action.ADC_CONVERT).joules() * 2.1e9, within(1e-15));
        Component adc12 = Peripherals.adc(ISAAC_ADC, 12, Frequency.ofGigahertz(1.28), 1);
        assertThat(adc12.energy(Action.ADC_CONVERT).joules())
                .isGreaterThan(Peripherals.adc(ISAAC_ADC, 10, Frequency.ofGigahertz(1.28), 1).energy(Action.ADC_CONVERT).joules());
    }

    @Test
    void aUnitBusyAtItsRateDrawsItsTablePower() {
        TableRow dacs = new TableRow(Power.ofMilliwatts(4), Area.ofSquareMillimeters(0.00017), 1024, "ISAAC Table I");
        Component dac = Peripherals.perPeriod("dac", dacs, 1024, Action.ROW_DRIVE, Time.ofNanoseconds(100));
        assertThat(dac.energy(Action.ROW_DRIVE).joules() * 1024 / 100e-9).isCloseTo(4e-3, within(1e-15));
    }

    @Test
    void dataMoversArePricedPerBit() {
        Frequency clock = Frequency.ofGigahertz(1.2);
        Component edram = Peripherals.buffer("edram", new BufferRow(Power.ofMilliwatts(20.7),
                Area.ofSquareMillimeters(0.083), 2, DataSize.parse("64 KB"), DataSize.of(256), "t"), clock);
        assertThat(edram.energy(Action.BUFFER_READ).picojoules() * 256).isCloseTo(20.7 / 2 / 1.2, within(1e-9));
        Component link = Peripherals.offChipLink("ht", new LinkRow(Power.of(10.4), Area.ofSquareMillimeters(22.88), 4,
                DataRate.parse("6.4 GB/s"), "t"));
        assertThat(link.energy(Action.OFFCHIP_TRANSFER).picojoules()).isCloseTo(10.4 / 204.8e9 * 1e12, within(1e-9));
        Component router = Peripherals.router("router", new RouterRow(Power.ofMilliwatts(42),
                Area.ofSquareMillimeters(0.151), 4, 8, DataSize.of(32), "t"), clock);
        assertThat(router.count()).isEqualTo(0.25);
    }
}
