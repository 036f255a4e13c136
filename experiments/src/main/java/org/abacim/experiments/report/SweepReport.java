package org.abacim.experiments.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.abacim.core.result.Metric;
import org.abacim.experiments.io.OutputFolder;
import org.abacim.experiments.sweep.SweepMetrics;
import org.abacim.experiments.sweep.PointRecord;
import org.abacim.experiments.sweep.ResultsStore;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The report of a sweep: one self-contained HTML page (inline CSS, SVG and script; it works offline) with the
 * Pareto fronts per network, energy breakdowns of the Pareto points, accuracy charts where accuracy was run, and
 * the table of every point; each chart is also written as PNG and SVG.
 */
public final class SweepReport {
    /** What was written. */
    public record Written(Path html, List<Path> charts) {}

    private static final int MAX_TABLE_ROWS = 5000;
    private static final int MAX_BREAKDOWN_BARS = 16;

    private SweepReport() {}

    public static Written write(Path results, Path outDir) {
        List<PointRecord> records = ResultsStore.read(results);
        var description = ResultsStore.description(results);
        // What the report writes is never reached through a symbolic link planted at its name.
        OutputFolder.refuseLink(outDir.resolve("report.html"));
        OutputFolder.refuseLink(outDir.resolve("charts"));
        String name = description.map(ResultsStore.Description::name)
                .orElse(results.toAbsolutePath().getParent().getFileName().toString());
        Path chartDir = outDir.resolve("charts");
        List<Path> charts = new ArrayList<>();
        StringBuilder body = new StringBuilder();
        try {
            Files.createDirectories(outDir);
            summary(body, name, results, records);
            description.filter(d -> !d.description().isBlank()).ifPresent(d -> body.insert(body.indexOf("<p class=meta>"),
                    "<p>" + esc(d.description()) + " <span class=meta>(" + esc(d.file()) + ")</span></p>\n"));
            Map<String, List<PointRecord>> byNetwork = new LinkedHashMap<>();
            for (PointRecord r : records) {
                if (r.ok()) byNetwork.computeIfAbsent(r.network(), k -> new ArrayList<>()).add(r);
            }
            for (Map.Entry<String, List<PointRecord>> e : byNetwork.entrySet()) {
                network(body, e.getKey(), e.getValue(), chartDir, charts);
            }
            accuracy(body, records, chartDir, charts);
            table(body, records);
            Path html = outDir.resolve("report.html");
            OutputFolder.writeWhole(html, page(name, body.toString()).getBytes(StandardCharsets.UTF_8));
            return new Written(html, charts);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void summary(StringBuilder b, String name, Path results, List<PointRecord> records) {
        Map<String, Long> byStatus = records.stream()
                .collect(Collectors.groupingBy(PointRecord::status, TreeMap::new, Collectors.counting()));
        String baseline = records.stream().map(PointRecord::baseline).filter(x -> x != null).findFirst().orElse(null);
        b.append("<h1>Sweep ").append(esc(name)).append("</h1>\n<p class=meta>")
                .append(records.size()).append(" points from <code>").append(esc(results.toString())).append("</code>: ")
                .append(byStatus.entrySet().stream().map(e -> e.getValue() + " " + e.getKey())
                        .collect(Collectors.joining(", ")))
                .append(baseline == null ? "" : ". Ratios are against the <b>" + esc(baseline)
                        + "</b> preset on the same network (point ÷ baseline).")
                .append("</p>\n");
    }

    private static void network(StringBuilder b, String network, List<PointRecord> ok, Path chartDir, List<Path> charts)
            throws IOException {
        b.append("<h2>").append(esc(network)).append("</h2>\n");
        List<PointRecord> front = paretoFront(ok);
        XYChart pareto = Charts.scatter(network + ": energy per inference vs throughput",
                "energy per inference (mJ)", "throughput (inferences/s)", wide(mj(ok)), wide(metric(ok, "fps")));
        Charts.points(pareto, "design points", mj(ok), metric(ok, "fps"), 7);
        Charts.line(pareto, "Pareto front (less energy, more throughput)", mj(front), metric(front, "fps"), 0);
        PointRecord withRatios = ok.stream().filter(r -> r.ratios() != null).findFirst().orElse(null);
        if (withRatios != null) {
            double baseFps = withRatios.metrics().get("fps") / withRatios.ratios().get("fps");
            double baseMj = withRatios.metrics().get("energy_J") / withRatios.ratios().get("energy_J") * 1e3;
            Charts.points(pareto, "baseline (" + withRatios.baseline() + ")", List.of(baseMj), List.of(baseFps), 3)
                    .setMarker(SeriesMarkers.SQUARE);
        }
        String slug = slug(network);
        b.append(figure(Charts.save(pareto, chartDir, "pareto-" + slug), chartDir, "pareto-" + slug, charts));

        XYChart area = Charts.scatter(network + ": silicon vs throughput", "silicon for the network (mm², all chips)",
                "throughput (inferences/s)", wide(metric(ok, "total_area_mm2")), wide(metric(ok, "fps")));
        Charts.points(area, "design points", metric(ok, "total_area_mm2"), metric(ok, "fps"), 7);
        List<PointRecord> areaFront = front(ok, "total_area_mm2");
        Charts.line(area, "Pareto front (less silicon, more throughput)", metric(areaFront, "total_area_mm2"),
                metric(areaFront, "fps"), 2);
        b.append(figure(Charts.save(area, chartDir, "area-" + slug), chartDir, "area-" + slug, charts));

        List<PointRecord> bars = front.size() > MAX_BREAKDOWN_BARS ? front.subList(0, MAX_BREAKDOWN_BARS) : front;
        if (bars.stream().allMatch(r -> r.energyBreakdownJ() != null)) {
            b.append(figure(Charts.save(breakdown(network, bars), chartDir, "breakdown-" + slug), chartDir,
                    "breakdown-" + slug, charts));
        }
        b.append("<h3>Pareto points (energy vs throughput)</h3>\n");
        rows(b, front, true);
    }

    /** Energy per component of each Pareto point; the five largest components by total, the rest as "other". */
    private static CategoryChart breakdown(String network, List<PointRecord> points) {
        Map<String, Double> totals = new LinkedHashMap<>();
        for (PointRecord r : points) r.energyBreakdownJ().forEach((k, v) -> totals.merge(k, v, Double::sum));
        List<String> top = totals.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .limit(5).map(Map.Entry::getKey).toList();
        List<String> labels = points.stream().map(r -> "#" + r.index()).toList();
        CategoryChart chart = Charts.stackedBars(network + ": energy per inference of the Pareto points, by component",
                "design point", "energy per inference (mJ)");
        for (String component : top) {
            chart.addSeries(component, labels, points.stream()
                    .map(r -> r.energyBreakdownJ().getOrDefault(component, 0.0) * 1e3).toList());
        }
        if (totals.size() > top.size()) {
            chart.addSeries("other", labels, points.stream().map(r -> r.energyBreakdownJ().entrySet().stream()
                    .filter(e -> !top.contains(e.getKey())).mapToDouble(Map.Entry::getValue).sum() * 1e3).toList());
        }
        return chart;
    }

    private static void accuracy(StringBuilder b, List<PointRecord> records, Path chartDir, List<Path> charts)
            throws IOException {
        List<PointRecord> withAccuracy = records.stream()
                .filter(r -> r.ok() && r.metrics().containsKey("accuracy_mean")).toList();
        b.append("<h2>Accuracy</h2>\n");
        if (withAccuracy.isEmpty()) {
            b.append("<p>These results carry no accuracy: the sweep ran the cost model only. Points that run an "
                    + "accuracy section get accuracy-vs-energy and accuracy-vs-variation charts here.</p>\n");
            return;
        }
        XYChart vsEnergy = Charts.scatter("accuracy vs energy per inference", "energy per inference (mJ)",
                "mean accuracy", true, false);
        Charts.points(vsEnergy, "design points", mj(withAccuracy), metric(withAccuracy, "accuracy_mean"), 0);
        b.append(figure(Charts.save(vsEnergy, chartDir, "accuracy-energy"), chartDir, "accuracy-energy", charts));
        List<String> all = axes(withAccuracy);
        for (String axis : all) {
            if (!axis.toLowerCase(Locale.ROOT).matches(".*(sigma|variation|noise|fault|stuck|drift|adc|bits).*")) continue;
            List<PointRecord> numeric = withAccuracy.stream().filter(r -> r.axes().get(axis) != null
                    && r.axes().get(axis).isNumber()).sorted(Comparator.comparingDouble(r -> r.axes().get(axis).asDouble()))
                    .toList();
            if (numeric.size() < 2) continue;
            Map<String, List<PointRecord>> series = curves(numeric, all, axis);
            if (series.size() > 12) continue;
            XYChart curve = series.size() > 2 ? Charts.wide("mean accuracy vs " + axis, axis, "mean accuracy")
                    : Charts.scatter("mean accuracy vs " + axis, axis, "mean accuracy", false, false);
            int colour = 0;
            for (Map.Entry<String, List<PointRecord>> e : series.entrySet()) {
                Charts.line(curve, e.getKey(), e.getValue().stream().map(r -> r.axes().get(axis).asDouble()).toList(),
                        metric(e.getValue(), "accuracy_mean"), colour++);
            }
            String chartName = "accuracy-" + slug(axis);
            b.append(figure(Charts.save(curve, chartDir, chartName), chartDir, chartName, charts));
        }
    }

    /**
     * The points of an accuracy-against-{@code axis} chart as curves: one per combination of the other axes, and of
     * preset and network where the points have several, so a grid's or a comparison's curves are not mixed.
     */
    static Map<String, List<PointRecord>> curves(List<PointRecord> numeric, List<String> all, String axis) {
        Map<String, List<PointRecord>> series = new LinkedHashMap<>();
        for (PointRecord r : numeric) {
            List<String> key = new ArrayList<>();
            if (numeric.stream().map(PointRecord::preset).distinct().count() > 1) key.add(r.preset());
            if (numeric.stream().map(PointRecord::network).distinct().count() > 1) key.add(r.network());
            for (String other : all) {
                if (other.equals(axis)) continue;
                JsonNode v = r.axes().get(other);
                key.add(other.substring(other.lastIndexOf('.') + 1) + " = "
                        + (v == null ? "—" : v.isTextual() ? v.asText() : v.toString()));
            }
            series.computeIfAbsent(key.isEmpty() ? "mean over trials" : String.join(", ", key),
                    k -> new ArrayList<>()).add(r);
        }
        return series;
    }

    private static void table(StringBuilder b, List<PointRecord> records) {
        b.append("<h2>All points</h2>\n<p class=meta>Click a column to sort.");
        if (records.size() > MAX_TABLE_ROWS) {
            b.append(" The first ").append(MAX_TABLE_ROWS).append(" of ").append(records.size())
                    .append(" points are shown; <code>results.csv</code> has them all.");
        }
        b.append("</p>\n");
        rows(b, records.size() > MAX_TABLE_ROWS ? records.subList(0, MAX_TABLE_ROWS) : records, false);
    }

    private static void rows(StringBuilder b, List<PointRecord> records, boolean compact) {
        List<String> axes = axes(records);
        List<String> metrics = new ArrayList<>(List.of("chips", "fps", "latency_s", "energy_J", "total_area_mm2",
                "tops_per_W", "peak_gops_per_mm2", "utilization"));
        if (records.stream().anyMatch(r -> r.metrics() != null && r.metrics().containsKey("accuracy_mean"))) {
            metrics.addAll(List.of("accuracy_quantized", "accuracy_mean", "accuracy_std", "accuracy_sampling_se", "accuracy_min"));
        }
        b.append("<table class=sortable><thead><tr><th>#</th><th>status</th><th>preset</th>");
        for (String a : axes) b.append("<th>").append(esc(a)).append("</th>");
        // Column heads name the metric as the registry does, with its meaning and unit on hover.
        for (String m : metrics) {
            Metric metric = Metric.named(m).orElseThrow();
            b.append("<th title=\"").append(esc(metric.meaning() + " (" + metric.unit() + ")")).append("\">")
                    .append(esc(m)).append("</th>");
        }
        for (String r : SweepMetrics.RATIOS) b.append("<th>").append(esc(r)).append(" ratio</th>");
        if (!compact) b.append("<th>reason</th>");
        b.append("</tr></thead><tbody>\n");
        for (PointRecord r : records) {
            b.append("<tr class=").append(esc(r.status())).append("><td>").append(r.index()).append("</td><td>")
                    .append(esc(r.status())).append("</td><td>").append(esc(String.valueOf(r.preset()))).append("</td>");
            for (String a : axes) {
                JsonNode v = r.axes() == null ? null : r.axes().get(a);
                b.append("<td>").append(v == null ? "" : esc(v.isTextual() ? v.asText() : v.toString())).append("</td>");
            }
            for (String m : metrics) b.append(num(r.metrics() == null ? null : r.metrics().get(m)));
            for (String m : SweepMetrics.RATIOS) b.append(num(r.ratios() == null ? null : r.ratios().get(m)));
            if (!compact) b.append("<td class=reason>").append(r.reason() == null ? "" : esc(r.reason())).append("</td>");
            b.append("</tr>\n");
        }
        b.append("</tbody></table>\n");
    }

    /** Points no other point beats on both energy (lower) and throughput (higher), by increasing energy. */
    static List<PointRecord> paretoFront(List<PointRecord> ok) {
        return front(ok, "energy_J");
    }

    private static List<PointRecord> front(List<PointRecord> ok, String costMetric) {
        List<PointRecord> sorted = new ArrayList<>(ok);
        sorted.sort(Comparator.<PointRecord>comparingDouble(r -> r.metrics().get(costMetric))
                .thenComparing(Comparator.<PointRecord>comparingDouble(r -> r.metrics().get("fps")).reversed())
                .thenComparingInt(PointRecord::index));
        List<PointRecord> front = new ArrayList<>();
        double best = Double.NEGATIVE_INFINITY;
        for (PointRecord r : sorted) {
            if (r.metrics().get("fps") > best) {
                front.add(r);
                best = r.metrics().get("fps");
            }
        }
        return front;
    }

    /** Log scale only for data spanning more than 50×: XChart labels a log axis at decades only. */
    private static boolean wide(List<Double> values) {
        double min = values.stream().mapToDouble(Double::doubleValue).min().orElse(1);
        double max = values.stream().mapToDouble(Double::doubleValue).max().orElse(1);
        return min > 0 && max / min > 50;
    }

    private static List<String> axes(List<PointRecord> records) {
        Set<String> out = new LinkedHashSet<>();
        for (PointRecord r : records) if (r.axes() != null) out.addAll(r.axes().keySet());
        return new ArrayList<>(out);
    }

    private static List<Double> metric(List<PointRecord> rs, String name) {
        return rs.stream().map(r -> r.metrics().get(name)).toList();
    }

    private static List<Double> mj(List<PointRecord> rs) {
        return rs.stream().map(r -> r.metrics().get("energy_J") * 1e3).toList();
    }

    private static String figure(String svg, Path chartDir, String name, List<Path> charts) {
        charts.add(chartDir.resolve(name + ".png"));
        charts.add(chartDir.resolve(name + ".svg"));
        return "<figure>" + svg + "<figcaption>charts/" + esc(name) + ".png · .svg</figcaption></figure>\n";
    }

    private static String num(Double v) {
        if (v == null) return "<td></td>";
        String shown = v == Math.rint(v) && Math.abs(v) < 1e9 ? String.format(Locale.ROOT, "%,d", (long) (double) v)
                : String.format(Locale.ROOT, "%.4g", v);
        return "<td data-v=\"" + v + "\">" + shown + "</td>";
    }

    private static String slug(String s) {
        return s.replaceAll("[^A-Za-z0-9]+", "-").replaceAll("(^-|-$)", "").toLowerCase(Locale.ROOT);
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String page(String name, String body) {
        return """
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>abacim sweep %s</title>
                <style>
                body { font: 14px/1.45 system-ui, sans-serif; margin: 24px auto; max-width: 1200px; color: #222; padding: 0 16px; }
                h1 { font-size: 22px; } h2 { font-size: 18px; margin-top: 32px; border-bottom: 1px solid #ddd; }
                h3 { font-size: 15px; } .meta { color: #555; }
                figure { margin: 12px 0; } figure svg { max-width: 100%%; height: auto; }
                figcaption { color: #777; font-size: 12px; }
                table { border-collapse: collapse; font-size: 12px; margin: 8px 0; display: block; overflow-x: auto; }
                th, td { border: 1px solid #ddd; padding: 3px 6px; text-align: right; white-space: nowrap; }
                th { background: #f4f4f4; cursor: pointer; position: sticky; top: 0; }
                td.reason { text-align: left; white-space: normal; min-width: 240px; }
                tr.skipped td { color: #888; } tr.invalid td, tr.failed td { color: #b00; }
                </style></head><body>
                %s
                <p class=meta>Written by abacim (abacim report). Self-contained: no network access needed.</p>
                <script>
                document.querySelectorAll('table.sortable th').forEach(function (th, col) {
                  th.addEventListener('click', function () {
                    var body = th.closest('table').tBodies[0], rows = Array.from(body.rows);
                    var dir = th.dataset.dir === 'asc' ? -1 : 1; th.dataset.dir = dir === 1 ? 'asc' : 'desc';
                    rows.sort(function (a, b) {
                      var x = a.cells[col], y = b.cells[col];
                      var vx = x.dataset.v !== undefined ? parseFloat(x.dataset.v) : parseFloat(x.textContent);
                      var vy = y.dataset.v !== undefined ? parseFloat(y.dataset.v) : parseFloat(y.textContent);
                      if (!isNaN(vx) && !isNaN(vy)) return dir * (vx - vy);
                      return dir * x.textContent.localeCompare(y.textContent);
                    });
                    rows.forEach(function (r) { body.appendChild(r); });
                  });
                });
                </script>
                </body></html>
                """.formatted(esc(name), body);
    }
}
