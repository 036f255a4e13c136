package org.abacim.experiments.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.abacim.experiments.sweep.SweepProgress;
import org.abacim.experiments.sweep.SweepRunner;
import org.abacim.experiments.sweep.SweepSpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepReportTest {
    @TempDir
    Path dir;
    private SweepReport.Written report;

    @BeforeEach
    void sweepAndReport() throws Exception {
        Path file = dir.resolve("sweep.yaml");
        Files.writeString(file, """
                name: report-test
                description: "ISAAC array sizes on two networks"
                base: { preset: isaac }
                networks: [lenet5, resnet18-cifar]
                zip: { array.rows: [64, 128, 256, 512], array.cols: [64, 128, 256, 512] }
                grid: { array.bitsPerCell: [1, 2, 4] }
                baseline: isaac
                """);
        new SweepRunner(SweepSpec.read(file)).run(dir.resolve("out"), 2, false,
                new SweepProgress.Lines(new PrintWriter(Writer.nullWriter())));
        report = SweepReport.write(dir.resolve("out").resolve("results.jsonl"), dir.resolve("out"));
    }

    @Test
    void pageIsSelfContainedWithChartsAndEveryPoint() throws Exception {
        String html = Files.readString(report.html());
        assertThat(html).contains("<h1>Sweep report-test</h1>", "ISAAC array sizes on two networks",
                "<h2>lenet5</h2>", "<h2>resnet18-cifar</h2>", "<svg", "Pareto points");
        // Nothing is fetched: no external scripts, styles, images or fonts.
        assertThat(html).doesNotContainPattern("(src|href)\\s*=\\s*\"(https?:)?//").doesNotContain("<link", "@import");
        // One table row per point in "All points" (24), plus the Pareto tables.
        String all = html.substring(html.indexOf("<h2>All points</h2>"));
        assertThat(all.split("<tr class=", -1)).hasSize(24 + 1);
    }

    @Test
    void chartsAreWrittenAsPngAndSvg() throws Exception {
        assertThat(report.charts()).hasSize(2 * 3 * 2); // per network: pareto, area, breakdown; PNG and SVG each
        for (Path chart : report.charts()) {
            assertThat(chart).exists();
            if (chart.toString().endsWith(".png")) {
                BufferedImage image = ImageIO.read(chart.toFile());
                assertThat(image.getWidth()).isEqualTo(Charts.WIDTH);
                assertThat(distinctColours(image)).isGreaterThan(10);
            } else {
                DocumentBuilderFactory xml = DocumentBuilderFactory.newInstance();
                // The SVG's DOCTYPE names the W3C DTD; parsing must not try to fetch it.
                xml.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
                assertThat(xml.newDocumentBuilder().parse(chart.toFile()).getDocumentElement().getTagName()).isEqualTo("svg");
            }
        }
    }

    /** Renders the page in Debian's headless Chromium, as a reader would see it. Needs chromium on the PATH (always in CI). */
    @Test
    void pageRendersInAHeadlessBrowser() throws Exception {
        Path chromium = List.of(Path.of("/usr/bin/chromium"), Path.of("/usr/bin/chromium-browser")).stream()
                .filter(Files::isExecutable).findFirst().orElse(null);
        // In CI the browser is required (scripts/install-test-browser fails there without it): never a silent skip.
        if ("true".equals(System.getenv("CI"))) {
            assertThat(chromium).as("chromium under CI=true (scripts/install-test-browser installs it)").isNotNull();
        }
        assumeTrue(chromium != null, "Debian's chromium is not installed (apt-get install chromium)");
        Path shot = dir.resolve("page.png");
        Process p = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + dir.resolve("profile"), "--window-size=1200,1600",
                "--screenshot=" + shot, report.html().toUri().toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("chromium.log").toFile()).start();
        assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("chromium finished").isTrue();
        assertThat(p.exitValue()).as(Files.readString(dir.resolve("chromium.log"))).isZero();
        BufferedImage page = ImageIO.read(shot.toFile());
        assertThat(page.getWidth()).isEqualTo(1200);
        // The charts' colours are on the page: it is not blank or an error page.
        assertThat(distinctColours(page)).isGreaterThan(50);
    }

    private static int distinctColours(BufferedImage image) {
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 3) {
            for (int x = 0; x < image.getWidth(); x += 3) colours.add(image.getRGB(x, y));
        }
        return colours.size();
    }

    @Test
    void accuracyAgainstVariationHasOneCurvePerPreset() throws Exception {
        // The ResNet-20 study's 15 points: three presets over five σ. Mixed into one curve they zig-zag between
        // designs; each preset must be its own named curve.
        Path out = Files.createDirectories(dir.resolve("presets"));
        Path results = out.resolve("results.jsonl");
        try (var in = getClass().getResourceAsStream("/report/three-presets-variation.jsonl")) {
            Files.copy(in, results);
        }
        List<org.abacim.experiments.sweep.PointRecord> records =
                org.abacim.experiments.sweep.ResultsStore.read(results);
        var curves = SweepReport.curves(records, List.of("device.programming.sigma"), "device.programming.sigma");
        assertThat(curves.keySet()).containsExactly("isaac", "forms", "admm-memristor");
        assertThat(curves.values()).allSatisfy(points -> assertThat(points).hasSize(5));
        SweepReport.write(results, out);
        assertThat(out.resolve("charts").resolve("accuracy-device-programming-sigma.png")).exists();
    }
}
