package org.abacim.core.periphery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.abacim.core.arch.Action;
import org.abacim.core.arch.Component;
import org.abacim.core.arch.Provenance;
import org.abacim.core.units.Area;
import org.abacim.core.units.DataRate;
import org.abacim.core.units.DataSize;
import org.abacim.core.units.Frequency;
import org.abacim.core.units.Length;
import org.abacim.core.units.Power;
import org.abacim.core.units.Time;
import org.abacim.core.units.Voltage;
import org.junit.jupiter.api.Test;

class PeripheralsTest {
    private static final AdcReference ISAAC_ADC = new AdcReference(8, Power.ofMilliwatts(16),
            Area.ofSquareMillimeters(0.0096), 8, Frequency.ofGigahertz(1.28), "ISAAC Table I");

    private static final Length N32 = Length.of(32e-9);
    private static final Voltage V09 = Voltage.of(0.9);

    @Test
    void adcAtItsReferenceResolutionKeepsThePublishedNumbers() {
        Component adc = Peripherals.adc(ISAAC_ADC, 8, Frequency.ofGigahertz(1.28), 8, N32, V09);
        assertThat(adc.energy(Action.ADC_CONVERT).picojoules()).isCloseTo(1.5625, within(1e-12));
        assertThat(adc.power().milliwatts() * 8).isCloseTo(16, within(1e-9));
        assertThat(adc.area().squareMicrometers()).isCloseTo(1200, within(1e-6));
        assertThat(adc.provenance()).isEqualTo(Provenance.PUBLISHED);
        assertThat(adc.warnings()).isEmpty();
    }

    @Test
    void adcScalesByTheSurveyModelsRatios() {
        // The Murmann survey's SAR model (ComponentLibrary.adc): energy 25.4 fJ × 2^ENOB + 13.8 aJ × 4^ENOB, area
        // × 1.48 per ENOB bit; ENOB = bits − 0.5. From 8 to 4 bits the Walden term dominates: 2^−4 × (1 + ε).
        Component adc4 = Peripherals.adc(ISAAC_ADC, 4, Frequency.ofGigahertz(2.1), 1, N32, V09);
        double e = (25.4 * Math.pow(2, 3.5) + 0.0138 * Math.pow(4, 3.5)) / (25.4 * Math.pow(2, 7.5) + 0.0138 * Math.pow(4, 7.5));
        assertThat(adc4.energy(Action.ADC_CONVERT).picojoules()).isCloseTo(1.5625 * e, within(1e-9));
        assertThat(adc4.area().squareMicrometers()).isCloseTo(1200 * Math.pow(1.48, -4), within(1e-6));
        assertThat(adc4.power().watts()).isCloseTo(adc4.energy(Action.ADC_CONVERT).joules() * 2.1e9, within(1e-15));
        assertThat(adc4.provenance().scaling()).isEqualTo("8 → 4 bits by the Murmann ADC survey's SAR model");
        Component adc12 = Peripherals.adc(ISAAC_ADC, 12, Frequency.ofGigahertz(1.28), 1, N32, V09);
        assertThat(adc12.energy(Action.ADC_CONVERT).joules()).isGreaterThan(
                Peripherals.adc(ISAAC_ADC, 10, Frequency.ofGigahertz(1.28), 1, N32, V09).energy(Action.ADC_CONVERT).joules());
        // The ratio does not depend on the process it is taken at.
        assertThat(Peripherals.adcRatio(4, 8, Length.of(65e-9), Voltage.of(1.2)).energy()).isCloseTo(e, within(1e-12));
    }

    @Test
    void adcOutsideTheSurveysResolutionsSaysSo() {
        // 2 bits is ENOB 1.5, below the survey's Nyquist converters (3–18 ENOB).
        assertThat(Peripherals.adc(ISAAC_ADC, 2, Frequency.ofGigahertz(1.28), 1, N32, V09).warnings())
                .singleElement().asString().contains("outside its Nyquist converters' 3–18 ENOB");
        assertThat(Peripherals.adc(ISAAC_ADC, 6, Frequency.ofGigahertz(1.28), 1, N32, V09).warnings()).isEmpty();
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
