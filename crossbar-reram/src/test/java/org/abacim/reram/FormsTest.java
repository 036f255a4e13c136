package org.abacim.reram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.abacim.core.analog.ActivityCounter;
import org.abacim.core.analog.InputStatistics;
import org.abacim.core.arch.Action;
import org.abacim.core.arch.Component;
import org.abacim.core.arch.Ledger;
import org.abacim.core.tech.MvmActivity;
import org.junit.jupiter.api.Test;

/** The FORMS preset and its model: published ADC constants, fragments, sign bits and zero-skipping (issue #7). */
class FormsTest {
    static Component component(ReramDesign d, String name) {
        return d.hierarchy().levels().stream().flatMap(l -> l.components().stream())
                .filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void theAdcsAreTheMeasuredFourBitOnes() {
        // FORMS ADC (hwcomponents-library forms.py): 4 bits, 0.22619 pJ per conversion, 284.375 µm², 2.1 GS/s;
        // 32 per IMA (15.2 mW and 9,100 µm² in all).
        ReramDesign forms = Presets.load("forms");
        Component adc = component(forms, "adc");
        assertThat(forms.adcBits()).isEqualTo(4);
        assertThat(adc.energy(Action.ADC_CONVERT).joules() * 1e12).isCloseTo(0.22619, within(0.00001));
        assertThat(adc.area().squareMeters() * 1e12).isCloseTo(284.375, within(1e-6));
        assertThat(adc.count()).isEqualTo(32);
        assertThat(adc.power().watts() * 32 * 1e3).isCloseTo(15.2, within(1e-9));
    }

    @Test
    void polarizedFragmentsNeedNoOffsetColumnNoSecondArrayAndOneSignBitEach() {
        ReramDesign forms = Presets.load("forms");
        assertThat(forms.geometry().signEncoding()).isEqualTo(CrossbarEncoding.POLARIZED);
        assertThat(forms.geometry().fragmentRows()).isEqualTo(8);
        assertThat(forms.geometry().convertedColumns(128)).isEqualTo(128);
        assertThat(forms.geometry().signEncoding().arraysPerMatrix()).isEqualTo(1);
        // 8 arrays × 16 fragments per column × 32 weight columns (8-bit weights in 2-bit cells) per IMA.
        assertThat(component(forms, "sign_bits").count()).isEqualTo(8 * 16 * 32);
        // ISAAC stores no sign bits.
        assertThat(component(Presets.load("isaac"), "sign_bits").count()).isZero();
    }

    @Test
    void zeroSkippingCountsEachFragmentsCyclesToItsLargestInput() {
        // 16 rows in two fragments of 8: fragment 0's largest input is 5 (3 bits), fragment 1's is 300 (9 bits).
        int[] x = new int[16];
        x[2] = 5;
        x[3] = 1;
        x[12] = 300;
        x[15] = 7;
        ActivityCounter a = new ActivityCounter();
        a.countCycles(x, 1, 16, 8, 16, 16, 1);
        assertThat(a.groups).isEqualTo(2);
        assertThat(a.groupCycles).isEqualTo(3 + 9);
        assertThat(a.arrayReads).isEqualTo(1);
        assertThat(a.arrayCycles).isEqualTo(9);
        // Two positions, 2-bit DACs, arrays of 8 rows: cycles 2 and 5 for the first vector, 0 and 0 for a zero one.
        ActivityCounter b = new ActivityCounter();
        int[] two = new int[32];
        System.arraycopy(x, 0, two, 0, 16);
        b.countCycles(two, 2, 16, 8, 8, 16, 2);
        assertThat(b.groupCycles).isEqualTo(2 + 5);
        assertThat(b.groups).isEqualTo(4);
        assertThat(b.arrayCycles).isEqualTo(2 + 5);
        assertThat(b.arrayReads).isEqualTo(4);
    }

    @Test
    void conversionsAndTimeFollowTheMeasuredCycles() {
        ReramDesign forms = Presets.load("forms");
        Ledger ledger = new Ledger();
        // A full array (128 rows, 128 cell columns): 16 fragments per column, 3 cycles each on average; the array
        // runs 9 cycles.
        MvmActivity measured = new MvmActivity(0.25, 3, 9);
        forms.countMvm(128, 128, 10, measured, ledger);
        assertThat(ledger.count(Action.ADC_CONVERT)).isEqualTo(128 * 16 * 3 * 10.0);
        assertThat(ledger.count(ReramActions.SIGN_BIT_READ)).isEqualTo(128 * 16 * 3 * 10.0);
        assertThat(ledger.count(Action.INPUT_REGISTER)).isEqualTo(9 * 10.0);
        assertThat(ledger.count(Action.ROW_DRIVE)).isEqualTo(128 * 16 * 0.25 * 10);
        // 6,144 conversions on 4 ADCs at 2.1 GS/s take 731 ns, less than the array's 9 reads of 100 ns;
        // 10,240 conversions (5 cycles a fragment) take 1,219 ns, more than 6 reads.
        assertThat(forms.mvmSeconds(128, 128, measured)).isCloseTo(9 * 100e-9, within(1e-15));
        assertThat(forms.mvmSeconds(128, 128, new MvmActivity(1, 5, 6))).isCloseTo(128 * 16 * 5 / (4 * 2.1e9), within(1e-15));
        // ISAAC ignores the cycle counts: every one of its 16 cycles runs.
        ReramDesign isaac = Presets.load("isaac");
        Ledger l2 = new Ledger();
        isaac.countMvm(128, 128, 1, measured, l2);
        assertThat(l2.count(Action.ADC_CONVERT)).isEqualTo(16 * 129.0);
    }

    @Test
    void theStatisticalModelAgreesWithCountingSampledInputs() {
        InputStatistics model = new InputStatistics(0.4, 3, "test");
        int bits = 16;
        double sigma = ((1 << bits) - 1) / 3.0;
        SplittableRandom r = new SplittableRandom(7);
        int n = 8;
        int vectors = 200_000;
        int[] x = new int[vectors * n];
        for (int i = 0; i < x.length; i++) {
            if (r.nextDouble() < 0.4) continue;
            double h = Math.abs(r.nextGaussian()) * sigma;
            x[i] = (int) Math.min((1 << bits) - 1, Math.ceil(h));
        }
        ActivityCounter a = new ActivityCounter();
        a.countCycles(x, vectors, n, n, n, bits, 1);
        assertThat(a.meanGroupCycles()).isCloseTo(model.expectedCycles(n, bits, 1), within(0.01));
        assertThat(model.expectedCycles(n, bits, 1)).isBetween(14.0, 16.0);
        assertThat(new InputStatistics(1, 3, "all zero").expectedCycles(8, bits, 1)).isZero();
    }
}
