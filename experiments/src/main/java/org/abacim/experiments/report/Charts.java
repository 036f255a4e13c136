package org.abacim.experiments.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.abacim.core.io.WholeFiles;
import org.abacim.experiments.io.OutputFolder;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Charts drawn with XChart, saved as PNG and SVG; the SVG text is also returned for inlining in HTML. */
final class Charts {
    static final int WIDTH = 820;
    static final int HEIGHT = 460;
    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
            new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
            new Color(0xbcbd22), new Color(0x17becf)};

    private Charts() {}

    static XYChart scatter(String title, String xTitle, String yTitle, boolean logX, boolean logY) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setXAxisLogarithmic(logX);
        chart.getStyler().setYAxisLogarithmic(logY);
        style(chart.getStyler());
        chart.getStyler().setMarkerSize(6);
        return chart;
    }

    /** For charts with many long series names: a wider chart with the legend stacked on the right. */
    static XYChart legendOnTheRight(XYChart chart) {
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Vertical);
        chart.getStyler().setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        return chart;
    }

    static XYChart wide(String title, String xTitle, String yTitle) {
        XYChart chart = new XYChartBuilder().width(WIDTH + 340).height(HEIGHT).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        style(chart.getStyler());
        chart.getStyler().setMarkerSize(8);
        return legendOnTheRight(chart);
    }

    static XYSeries points(XYChart chart, String name, List<Double> x, List<Double> y, int colour) {
        XYSeries s = chart.addSeries(name, x, y);
        s.setMarker(SeriesMarkers.CIRCLE);
        s.setMarkerColor(PALETTE[colour % PALETTE.length]);
        return s;
    }

    static XYSeries line(XYChart chart, String name, List<Double> x, List<Double> y, int colour) {
        XYSeries s = chart.addSeries(name, x, y);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        s.setMarker(SeriesMarkers.DIAMOND);
        s.setLineColor(PALETTE[colour % PALETTE.length]);
        s.setMarkerColor(PALETTE[colour % PALETTE.length]);
        s.setLineStyle(new BasicStroke(2f));
        return s;
    }

    static CategoryChart stackedBars(String title, String xTitle, String yTitle) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        chart.getStyler().setStacked(true);
        chart.getStyler().setSeriesColors(PALETTE);
        chart.getStyler().setXAxisLabelRotation(45);
        style(chart.getStyler());
        return chart;
    }

    static CategoryChart groupedBars(String title, String xTitle, String yTitle) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        chart.getStyler().setSeriesColors(PALETTE);
        style(chart.getStyler());
        return chart;
    }

    private static void style(AxesChartStyler styler) {
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setLegendPosition(Styler.LegendPosition.OutsideS);
        styler.setLegendLayout(Styler.LegendLayout.Horizontal);
        styler.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        styler.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        styler.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        styler.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        styler.setAntiAlias(true);
    }

    /** Writes DIR/NAME.png and DIR/NAME.svg, each whole, and returns the SVG markup (without its XML prologue). */
    static String save(Chart<?, ?> chart, Path dir, String name) throws IOException {
        OutputFolder.refuseLink(dir);
        Files.createDirectories(dir);
        OutputFolder.refuseLink(dir.resolve(name + ".png"));
        OutputFolder.refuseLink(dir.resolve(name + ".svg"));
        WholeFiles.write(dir.resolve(name + ".png"), BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
        ByteArrayOutputStream svgBytes = new ByteArrayOutputStream();
        VectorGraphicsEncoder.saveVectorGraphic(chart, svgBytes, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        WholeFiles.write(dir.resolve(name + ".svg"), svgBytes.toByteArray());
        String svg = svgBytes.toString(StandardCharsets.UTF_8);
        int start = svg.indexOf("<svg");
        return start < 0 ? svg : svg.substring(start);
    }
}
