package org.abacim.experiments.report;

import java.awt.BasicStroke;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.abacim.experiments.validate.SiliconSuite;
import org.abacim.experiments.validate.Validation;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Predicted against published for the silicon suite: one log–log chart per metric, a colour per technology, the
 * diagonal and the ±40 % band the goal sets.
 */
public final class SiliconCharts {
    private SiliconCharts() {}

    /** Writes DIR/validation-silicon-METRIC.png/.svg for each metric with rows; returns the file names (PNG) written. */
    public static List<String> write(List<SiliconSuite.Macro> macros, Path dir) throws IOException {
        List<String> written = new ArrayList<>();
        for (SiliconSuite.Figure metric : SiliconSuite.Figure.values()) {
            Map<SiliconSuite.TechnologyClass, List<double[]>> byClass = new LinkedHashMap<>();
            double lo = Double.MAX_VALUE, hi = 0;
            for (SiliconSuite.Macro m : macros) {
                for (SiliconSuite.PointResult p : m.points()) {
                    Validation.Outcome o = p.outcomes().get(metric);
                    if (o == null) continue;
                    byClass.computeIfAbsent(m.technologyClass(), k -> new ArrayList<>())
                            .add(new double[] {o.row().published(), o.simulated()});
                    lo = Math.min(lo, Math.min(o.row().published(), o.simulated()));
                    hi = Math.max(hi, Math.max(o.row().published(), o.simulated()));
                }
            }
            if (byClass.isEmpty()) continue;
            XYChart chart = Charts.scatter("Published silicon: " + metric.label() + " (" + metric.unit() + ")",
                    "published", "abacim", true, true);
            Charts.legendOnTheRight(chart);
            lo /= 1.5;
            hi *= 1.5;
            Charts.line(chart, "equal", List.of(lo, hi), List.of(lo, hi), 7).setMarker(
                    SeriesMarkers.NONE);
            XYSeries band = Charts.line(chart, "±40 %", List.of(lo, hi, Double.NaN, lo, hi),
                    List.of(lo * 1.4, hi * 1.4, Double.NaN, lo * 0.6, hi * 0.6), 7);
            band.setMarker(SeriesMarkers.NONE);
            band.setLineStyle(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER,
                    10f, new float[] {4f, 4f}, 0f));
            int colour = 0;
            for (SiliconSuite.TechnologyClass c : SiliconSuite.TechnologyClass.values()) {
                List<double[]> pts = byClass.get(c);
                colour++;
                if (pts == null) continue;
                List<Double> x = new ArrayList<>(), y = new ArrayList<>();
                for (double[] p : pts) {
                    x.add(p[0]);
                    y.add(p[1]);
                }
                Charts.points(chart, c.label(), x, y, colour - 1);
            }
            String name = "validation-silicon-" + metric.key().replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
            Charts.save(chart, dir, name);
            written.add(name + ".png");
        }
        return written;
    }
}
