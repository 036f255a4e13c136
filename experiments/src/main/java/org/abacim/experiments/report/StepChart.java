package org.abacim.experiments.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.XYChart;

/**
 * The teaching chart of {@code abacim compress}: after each step, accuracy against the arrays the model needs (as
 * a fraction of its dense mapping), one point per step, joined in order — a student sees each step's trade.
 */
public final class StepChart {
    private StepChart() {}

    /** Writes DIR/NAME.png and DIR/NAME.svg. */
    public static void write(Path dir, String name, List<String> steps, List<Double> accuracy, List<Double> arraysFraction)
            throws IOException {
        XYChart chart = Charts.wide("compression steps: accuracy vs arrays", "arrays (fraction of the dense mapping)",
                "test accuracy");
        Charts.line(chart, "steps in order", arraysFraction, accuracy, 0);
        for (int i = 0; i < steps.size(); i++) {
            Charts.points(chart, (i + 1) + ". " + steps.get(i), List.of(arraysFraction.get(i)), List.of(accuracy.get(i)),
                    i + 1);
        }
        Charts.save(chart, dir, name);
    }
}
