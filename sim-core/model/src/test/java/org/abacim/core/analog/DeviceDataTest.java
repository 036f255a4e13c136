package org.abacim.core.analog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.abacim.core.config.ConfigException;
import org.junit.jupiter.api.Test;

/** Measured device data: both file shapes, the fit's numbers, interpolation, mapping and every refusal. */
class DeviceDataTest {
    /** Samples: each level gets 10 values m ± d (five each), so mean m and sample σ d·√(10/9). */
    private static List<String> samples(String header, int levels, String unit) {
        List<String> lines = new ArrayList<>(List.of(header));
        for (int l = 0; l < levels; l++) {
            for (int k = 0; k < 10; k++) {
                double v = 2 + 5 * l + (k % 2 == 0 ? 0.5 : -0.5);
                lines.add(l + "," + v + unit);
            }
        }
        return lines;
    }

    @Test
    void samplesAreFittedToEachLevelsMeanAndSampleSigma() {
        MeasuredDevice m = DeviceData.parse("s.csv", samples("level,conductance_uS", 4, ""));
        assertThat(m.levels()).isEqualTo(4);
        assertThat(m.times()).containsExactly(0.0);
        for (int l = 0; l < 4; l++) {
            assertThat(m.mean()[0][l]).isCloseTo((2 + 5 * l) * 1e-6, within(1e-15));
            assertThat(m.sigma()[0][l]).isCloseTo(0.5e-6 * Math.sqrt(10.0 / 9), within(1e-15));
            assertThat(m.count()[0][l]).isEqualTo(10);
        }
    }

    @Test
    void aUnitWithEachValueIsTheSameAsOneInTheHeader() {
        MeasuredDevice header = DeviceData.parse("s.csv", samples("level,conductance_uS", 3, ""));
        MeasuredDevice perValue = DeviceData.parse("s.csv", samples("level,conductance", 3, " uS"));
        assertThat(perValue.mean()).isDeepEqualTo(header.mean());
        assertThat(perValue.sigma()).isDeepEqualTo(header.sigma());
    }

    @Test
    void neuroSimsMemStatesWithItsByteOrderMarkReadAsSiemensInRowOrder() {
        MeasuredDevice m = DeviceData.parse("mem_states.csv",
                List.of("\uFEFFstates,mean,std", "0,1e-6,1e-7", "1,5e-6,2e-7", "2,9e-6,3e-7"));
        assertThat(m.levels()).isEqualTo(3);
        assertThat(m.mean()[0]).containsExactly(1e-6, 5e-6, 9e-6);
        assertThat(m.sigma()[0]).containsExactly(1e-7, 2e-7, 3e-7);
        MeasuredDevice noLevel = DeviceData.parse("m.csv", List.of("mean,std", "1e-6,0", "5e-6,0"));
        assertThat(noLevel.mean()[0]).containsExactly(1e-6, 5e-6);
    }

    @Test
    void aSummaryOverTimesIsInterpolatedInLogTime() {
        MeasuredDevice m = DeviceData.parse("t.csv", List.of("level,time_s,count,mean_uS,std_uS",
                "0,0,10,1,0.1", "1,0,10,11,0.1", "0,1,10,2,1", "1,1,10,10,1", "0,100,10,4,3", "1,100,10,8,3"));
        assertThat(m.times()).containsExactly(0.0, 1.0, 100.0);
        double[][] at10 = m.at(10);     // half-way between 1 s and 100 s in log time
        assertThat(at10[0][0]).isCloseTo(3e-6, within(1e-12));
        assertThat(at10[1][1]).isCloseTo(2e-6, within(1e-12));
        double[][] atHalf = m.at(0.5);  // between 0 and the first time: linear in time
        assertThat(atHalf[0][0]).isCloseTo(1.5e-6, within(1e-12));
        assertThatThrownBy(() -> m.at(1000)).hasMessageContaining("outside");
    }

    @Test
    void designLevelsSpreadEvenlyOverTheMeasuredOnesWithGminAndStepFromTheData() {
        MeasuredDevice m = DeviceData.load("levy-hfox-c", null);
        assertThat(m.levels()).isEqualTo(32);
        assertThat(m.times()).containsExactly(0, 0.01, 0.1, 1, 4, 1e5);
        // Appendix A of the research notes: level 0 at t = 0 has 503 cells, 0.74 / 0.31 µS.
        assertThat(m.count()[0][0]).isEqualTo(503);
        assertThat(m.mean()[0][0]).isCloseTo(0.74e-6, within(0.01e-6));
        MeasuredDevice.Cells c = m.cells(4, 0);
        assertThat(c.measuredLevel()).containsExactly(0, 10, 20, 30);
        assertThat(c.meanSteps()[3] - c.meanSteps()[0]).isCloseTo(3, within(1e-12));
        assertThat(c.gMinSiemens()).isEqualTo(m.mean()[0][0]);
        assertThat(c.draw(2, 0)).isEqualTo(c.meanSteps()[2]);
        assertThat(c.draw(0, -100)).isZero();
        assertThatThrownBy(() -> m.cells(64, 0)).hasMessageContaining("32 levels");
    }

    private static String error(List<String> lines) {
        try {
            DeviceData.parse("d.csv", lines);
        } catch (ConfigException e) {
            return e.getMessage();
        }
        throw new AssertionError("accepted");
    }

    @Test
    void aMissingLevelIsOneLineNamingTheRowAndColumn() {
        List<String> lines = samples("level,conductance_uS", 4, "");
        lines.removeIf(s -> s.startsWith("2,"));
        // Level 3's first sample follows the 20 rows of levels 0 and 1 after the header: line 22, column 1.
        assertThat(error(lines)).isEqualTo("d.csv:22:1 level = 2: missing level: levels 0 to 3 are given but no row has level 2");
    }

    @Test
    void negativeNonFiniteAndUnitlessConductancesAreRefusedWhereTheyStand() {
        List<String> lines = samples("level,conductance_uS", 2, "");
        lines.set(3, "0,-1.5");
        assertThat(error(lines)).isEqualTo("d.csv:4:3 conductance_uS = -1.5: a conductance must not be negative");
        lines.set(3, "0, NaN");
        assertThat(error(lines)).isEqualTo("d.csv:4:4 conductance_uS = NaN: not a finite number");
        List<String> bare = samples("level,conductance", 2, "");
        assertThat(error(bare)).startsWith("d.csv:2:3 conductance = 2.5: a bare number");
        List<String> badUnit = samples("level,conductance", 2, " uF");
        assertThat(error(badUnit)).startsWith("d.csv:2:3 conductance = 2.5 uF: 'uF' is not a unit of a conductance");
        assertThat(error(samples("level,conductance_kOhm", 2, ""))).startsWith("d.csv:1:7 header = conductance_kOhm: 'kOhm' is not a unit of a conductance");
    }

    @Test
    void tooFewSamplesToFitAreRefused() {
        List<String> lines = samples("level,conductance_uS", 2, "");
        lines.subList(15, 21).clear();  // level 1 keeps 4 samples
        assertThat(error(lines)).isEqualTo("d.csv:15:3 conductance_uS = 4 samples: too few samples to fit level 1: at least 10");
        assertThat(error(List.of("level,count,mean_uS", "0,3,1", "1,30,5")))
                .isEqualTo("d.csv:2:3 count = 3: too few samples to fit: at least 10 per level");
    }

    @Test
    void unknownColumnsAndMixedShapesAreRefused() {
        assertThat(error(List.of("level,volts", "0,1"))).startsWith("d.csv:1:7 header = volts: unknown column");
        assertThat(error(List.of("level,conductance_uS,mean_uS", "0,1,1"))).contains("give one shape");
    }
}
