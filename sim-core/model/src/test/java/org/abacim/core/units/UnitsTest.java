package org.abacim.core.units;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class UnitsTest {
    @Test
    void parsesEachDimensionWithPrefixes() {
        assertThat(Time.parse("100 ns").seconds()).isCloseTo(100e-9, within(1e-21));
        assertThat(Area.parse("0.0012 mm^2").squareMeters()).isCloseTo(1.2e-9, within(1e-21));
        assertThat(Area.parse("361 um^2").squareMillimeters()).isCloseTo(3.61e-4, within(1e-15));
        assertThat(Area.parse("25 µm²").squareMicrometers()).isCloseTo(25, within(1e-9));
        assertThat(Power.parse("16 mW").watts()).isCloseTo(0.016, within(1e-15));
        assertThat(Power.parse("10 uW").watts()).isCloseTo(1e-5, within(1e-18));
        assertThat(Frequency.parse("1.28 GHz").hertz()).isCloseTo(1.28e9, within(1e-3));
        assertThat(Frequency.parse("2.1 GS/s").hertz()).isCloseTo(2.1e9, within(1e-3));
        assertThat(Energy.parse("1.6 pJ").picojoules()).isCloseTo(1.6, within(1e-12));
        assertThat(DataRate.parse("6.4 GB/s").bitsPerSecond()).isCloseTo(51.2e9, within(1e-3));
        assertThat(DataSize.parse("64 KB").bits()).isEqualTo(512_000);
        assertThat(DataSize.parse("2 KiB").bits()).isEqualTo(16_384);
        assertThat(DataSize.parse("256 b").bits()).isEqualTo(256);
        assertThat(Resistance.parse("10 MOhm").ohms()).isCloseTo(1e7, within(1e-6));
        assertThat(Time.parse("1e-3 s").seconds()).isCloseTo(1e-3, within(1e-18));
    }

    @Test
    void refusesBareNumbersAndNamesTheExpectedUnit() {
        assertThatThrownBy(() -> Time.parse("100")).isInstanceOf(UnitException.class)
                .hasMessageContaining("no unit").hasMessageContaining("100 ns");
    }

    @Test
    void refusesUnitsOfAnotherDimension() {
        assertThatThrownBy(() -> Time.parse("100 mW")).isInstanceOf(UnitException.class)
                .hasMessageContaining("'mW' is not a unit of a time");
        assertThatThrownBy(() -> Area.parse("3 mm")).hasMessageContaining("not a unit of an area");
        assertThatThrownBy(() -> Power.parse("fast")).hasMessageContaining("not a power");
    }

    @Test
    void formatsWithEngineeringPrefixes() {
        assertThat(Energy.ofPicojoules(1.5625).toString()).isEqualTo("1.5625 pJ");
        assertThat(Power.ofMilliwatts(330).toString()).isEqualTo("330 mW");
        assertThat(Area.ofSquareMillimeters(0.372).toString()).isEqualTo("0.372 mm^2");
    }

    @Test
    void powerOverTimeIsEnergy() {
        assertThat(Power.ofMilliwatts(2).over(Time.ofNanoseconds(100)).picojoules()).isCloseTo(200, within(1e-9));
    }
}
