package org.abacim.experiments.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The step table's uncertainties: binomial for one accuracy, paired for a change against the dense row. */
class CompressionRowTest {
    private static CompressionSteps.Row row(String name, boolean... correct) {
        int right = 0;
        for (boolean c : correct) if (c) right++;
        return new CompressionSteps.Row(name, (double) right / correct.length, 0, "float", 1, 1, 0, 0, 0, 0, null, correct);
    }

    @Test
    void aChangeIsJudgedOnTheSamplesTheTwoModelsDisagreeOn() {
        // Ten samples: the dense model misses the last; the step gains it and loses the first two.
        CompressionSteps.Row dense = row("dense", true, true, true, true, true, true, true, true, true, false);
        CompressionSteps.Row step = row("step", false, false, true, true, true, true, true, true, true, true);
        assertThat(dense.accuracySe()).isCloseTo(Math.sqrt(0.9 * 0.1 / 10), within(1e-15));
        // gained b = 1, lost c = 2: √(3 − 1/10)/10
        assertThat(step.changeSe(dense)).isCloseTo(Math.sqrt(2.9) / 10, within(1e-15));
        assertThat(dense.changeSe(dense)).isZero();
        String csv = CompressionSteps.csv(List.of(dense, step));
        assertThat(csv.lines().findFirst().orElseThrow()).endsWith(",accuracy_se,change_se");
        assertThat(csv.lines().skip(2).findFirst().orElseThrow())
                .endsWith("," + step.accuracySe() + "," + step.changeSe(dense));
        assertThat(step.accuracySe()).isCloseTo(Math.sqrt(0.8 * 0.2 / 10), within(1e-15));
        assertThat(CompressionSteps.markdown(List.of(dense, step))).contains("| 80.00 % ± 12.65 | -10.00 ± 17.03 points |");
    }
}
