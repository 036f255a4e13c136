package org.abacim.experiments.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The compression chart joins steps taken in order, and leaves independent projections unjoined (#32). */
class StepChartTest {
    @TempDir
    Path dir;

    @Test
    void stepsInOrderAreJoinedAndComparedProjectionsAreNot() throws Exception {
        List<String> steps = List.of("dense", "irregular 10 %", "pattern 10 %");
        List<Double> accuracy = List.of(0.98, 0.95, 0.90);
        List<Double> arrays = List.of(1.0, 0.6, 0.7);
        StepChart.write(dir, "steps", steps, accuracy, arrays);
        StepChart.write(dir, "compare", steps, accuracy, arrays, false);
        assertThat(StepChart.chart(steps, accuracy, arrays, true).getSeriesMap()).containsKey("steps in order");
        var compare = StepChart.chart(steps, accuracy, arrays, false);
        assertThat(compare.getSeriesMap()).doesNotContainKey("steps in order").hasSize(3);
        assertThat(compare.getTitle()).startsWith("projections compared");
        assertThat(dir.resolve("steps.svg")).isRegularFile();
        assertThat(dir.resolve("compare.png")).isRegularFile();
    }
}
