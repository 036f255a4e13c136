package org.abacim.experiments.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.XYChart;

/**
 * The teaching chart of {@code abacim compress}: after each step, accuracy against the arrays the model needs (as
 * a fraction of its dense mapping), one point per step, joined in order — a student sees each step's trade. Projections
 * compared side by side ({@code --compare}) are independent of each other: their points stand alone, unjoined.
 */
public final class StepChart {
    private StepChart() {}

    /** Writes DIR/NAME.png and DIR/NAME.svg. */
    public static void write(Path dir, String name, List<String> steps, List<Double> accuracy, List<Double> arraysFraction)
            throws IOException {
        write(dir, name, steps, accuracy, arraysFraction, true);
    }

    /** Writes DIR/NAME.png and DIR/NAME.svg; {@code inOrder} false: independent points, no line between them. */
    public static void write(Path dir, String name, List<String> steps, List<Double> accuracy, List<Double> arraysFraction,
                             boolean inOrder) throws IOException {
        Charts.save(chart(steps, accuracy, arraysFraction, inOrder), dir, name);
    }

    /** The chart itself: a point per step, joined only when {@code inOrder}. */
    static XYChart chart(List<String> steps, List<Double> accuracy, List<Double> arraysFraction, boolean inOrder) {
        XYChart chart = Charts.wide(inOrder ? "compression steps: accuracy vs arrays"
                        : "projections compared (each from the same model): accuracy vs arrays",
                "arrays (fraction of the dense mapping)", "test accuracy (fraction of test images)");
        if (inOrder) Charts.line(chart, "steps in order", arraysFraction, accuracy, 0);
        for (int i = 0; i < steps.size(); i++) {
            Charts.points(chart, (i + 1) + ". " + steps.get(i), List.of(arraysFraction.get(i)), List.of(accuracy.get(i)),
                    i + 1);
        }
        return chart;
    }
}
