package org.abacim.reram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.abacim.core.arch.Action;
import org.junit.jupiter.api.Test;

/** The memristor crossbars of the ADMM frameworks (ISLPED 2019, ASP-DAC 2020) as the preset fixes them (#9). */
class AdmmMemristorTest {
    @Test
    void arraysCellsAndSignsAreThePapers() {
        ReramDesign d = Presets.load("admm-memristor");
        var g = d.geometry();
        assertThat(g.rows()).isEqualTo(128);
        assertThat(g.cols()).isEqualTo(64);
        assertThat(g.bitsPerCell()).isEqualTo(4);
        assertThat(g.signEncoding()).isEqualTo(CrossbarEncoding.DIFFERENTIAL);
        // Two 4-bit cells per 8-bit weight (its 7 magnitude bits), separate positive and negative crossbars.
        assertThat(g.cellsPerWeight()).isEqualTo(2);
        assertThat(g.signEncoding().arraysPerMatrix()).isEqualTo(2);
        // 1–10 MΩ.
        assertThat(d.parameters().device().rOn().ohms()).isEqualTo(1e6);
        assertThat(d.parameters().device().rOff().ohms()).isEqualTo(1e7);
        // Lossless ADC for 128 rows of 4-bit cells and 1-bit inputs: sums up to 128 × 15 need 11 bits.
        assertThat(d.adcBits()).isEqualTo(11);
    }

    @Test
    void thePeripheryIsIsaacsScaledTo45Nanometres() {
        ReramDesign isaac = Presets.load("isaac");
        ReramDesign memristor = Presets.load("admm-memristor");
        // DAC row: power × 45/32, area × (45/32)² (rounded to 4 digits in the preset).
        var dacIsaac = FormsTest.component(isaac, "dac");
        var dac = FormsTest.component(memristor, "dac");
        assertThat(dac.power().watts() / dacIsaac.power().watts()).isCloseTo(45.0 / 32, within(1e-3));
        assertThat(dac.area().squareMeters() / dacIsaac.area().squareMeters()).isCloseTo(45.0 * 45 / 32 / 32, within(1e-3));
        assertThat(dac.energy(Action.ROW_DRIVE).joules() / dacIsaac.energy(Action.ROW_DRIVE).joules())
                .isCloseTo(45.0 / 32, within(1e-3));
    }

    @Test
    void anElevenBitAdcIsScaledByTheAdcSurveyAndSaysFromWhichResolution() {
        // The lossless 11-bit ADC (ENOB 10.5) is scaled from the 8-bit reference by the Murmann survey's SAR model,
        // inside the survey's converters (3–18 ENOB): no warning, and the component says how it was scaled.
        var adc = FormsTest.component(Presets.load("admm-memristor"), "adc");
        assertThat(adc.warnings()).isEmpty();
        assertThat(adc.provenance().scaling()).isEqualTo("8 → 11 bits by the Murmann ADC survey's SAR model");
        assertThat(FormsTest.component(Presets.load("isaac"), "adc").warnings()).isEmpty();
        // 2 bits (ENOB 1.5) lies below the survey's converters: extrapolated, and the component carries it.
        assertThat(FormsTest.component(Presets.load("admm-memristor", "adc.bits=2"), "adc").warnings())
                .singleElement().asString().contains("a 2-bit ADC scaled from a 8-bit reference", "outside");
    }

    @Test
    void theOffChipLinkIsMarkedAsNotScaled() {
        var link = FormsTest.component(Presets.load("admm-memristor"), "offchip_link");
        var isaac = FormsTest.component(Presets.load("isaac"), "offchip_link");
        assertThat(link.power()).isEqualTo(isaac.power());
        assertThat(link.source()).contains("not scaled to 45 nm");
    }

    @Test
    void fiveBitWeightsFitOneCellOfThePair() {
        ReramDesign d = Presets.load("admm-memristor", "weights.bits=5");
        assertThat(d.geometry().cellsPerWeight()).isEqualTo(1);
        assertThat(d.geometry().weightsPerRow()).isEqualTo(64);
    }
}
