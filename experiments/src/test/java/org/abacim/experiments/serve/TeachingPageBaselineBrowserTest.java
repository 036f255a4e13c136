package org.abacim.experiments.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The teaching page's baseline and lab details in headless Chromium: a pinned design gives Δ % and ghost bars that
 * are the CLI's numbers, the accuracy chart overlays one series per pinned design, and the page shows the energy
 * ledger, the area in use and the ADC range knob the labs need (issue #32 items 2 and 3).
 */
class TeachingPageBaselineBrowserTest extends TeachingPageSession {
    static final ObjectMapper JSON = new ObjectMapper();

    private String body(String name) {
        return browser.findElement(By.tagName("body")).getAttribute("data-" + name);
    }

    /** Waits for the page to show a view other than {@code previous}; returns its design point. */
    private JsonNode shown(String previous) throws Exception {
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(b -> body("ready") != null && !body("ready").equals(previous));
        return JSON.readTree((String) script("return JSON.stringify(window.lastResult)"));
    }

    private static JsonNode cli(String... args) throws Exception {
        return JSON.readTree(TeachingServerTest.cli(args));
    }

    private void type(String path, String value) {
        WebElement input = browser.findElement(By.cssSelector("[data-path='" + path + "']"));
        input.clear();
        input.sendKeys(value);
    }

    @Test
    void aPinnedDesignGivesDeltasAndGhostBarsOfTheClisNumbersAndThePageShowsTheLedger() throws Exception {
        browser.get("http://127.0.0.1:" + server.port() + "/");
        JsonNode dense = shown(null);
        JsonNode cli16 = cli("run", "--preset", "isaac", "--network", "lenet5", "--format", "json");
        JsonNode cli8 = cli("run", "--preset", "isaac", "--network", "lenet5", "--set", "weights.bits=8", "--set", "inputBits=8",
                "--format", "json");
        // What the labs ask for: the ledger by component and action, the area in use.
        assertThat(Double.parseDouble(browser.findElement(By.id("area-in-use")).getAttribute("data-value")))
                .isEqualTo(cli16.path("area").path("in_use_mm2").asDouble());
        assertThat(browser.findElement(By.id("area-in-use")).getText()).contains("mm² of 85.42 mm²");
        List<WebElement> ledger = browser.findElements(By.cssSelector("#ledger tbody tr"));
        assertThat(ledger).hasSize(cli16.path("energy_ledger").size());
        WebElement adc = browser.findElement(By.cssSelector("#ledger tbody tr[data-component='adc']"));
        assertThat(adc.getAttribute("textContent")).contains("1,101,552");
        assertThat(browser.findElement(By.id("index-bits")).getText()).contains("dense");

        browser.findElement(By.id("pin-baseline")).click();
        assertThat(body("pinned")).isEqualTo("1");
        assertThat(browser.findElement(By.id("baseline-note")).getText()).contains("isaac lenet5");
        String before = body("ready");
        type("weights.bits", "8");
        type("inputBits", "8");
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(b -> body("ready").contains("inputBits%3D8"));
        JsonNode eight = shown(before);
        assertThat(eight.path("inference").path("energy_J").asDouble()).isEqualTo(cli8.path("inference").path("energy_J").asDouble());
        double e16 = cli16.path("inference").path("energy_J").asDouble(), e8 = cli8.path("inference").path("energy_J").asDouble();
        WebElement delta = browser.findElement(By.cssSelector("#energy .delta"));
        assertThat(Double.parseDouble(delta.getAttribute("data-delta"))).isCloseTo(100 * (e8 - e16) / e16, within(1e-9));
        assertThat(delta.getText()).contains("Δ −65.5 %");
        double f16 = cli16.path("inference").path("fps").asDouble(), f8 = cli8.path("inference").path("fps").asDouble();
        assertThat(Double.parseDouble(browser.findElement(By.cssSelector("#throughput .delta")).getAttribute("data-delta")))
                .isCloseTo(100 * (f8 - f16) / f16, within(1e-9));
        // A ghost bar over each component's bar, at the baseline's value.
        var bars = browser.findElements(By.cssSelector("#energy-chart rect[data-component]:not(.ghost)"));
        var ghosts = browser.findElements(By.cssSelector("#energy-chart rect.ghost"));
        assertThat(ghosts).hasSize(bars.size()).isNotEmpty();
        WebElement adcGhost = browser.findElement(By.cssSelector("#energy-chart rect.ghost[data-component='adc']"));
        assertThat(Double.parseDouble(adcGhost.getAttribute("data-baseline")))
                .isEqualTo(cli16.path("inference").path("energy_breakdown_J").path("adc").asDouble());
        WebElement adcBar = browser.findElement(By.cssSelector("#energy-chart rect[data-component='adc']:not(.ghost)"));
        double adc16 = cli16.path("inference").path("energy_breakdown_J").path("adc").asDouble();
        double adc8 = cli8.path("inference").path("energy_breakdown_J").path("adc").asDouble();
        assertThat(Double.parseDouble(adcBar.getAttribute("data-delta"))).isCloseTo(100 * (adc8 - adc16) / adc16, within(1e-9));
        assertThat(dense.path("inference").path("energy_J").asDouble()).isEqualTo(e16);

        browser.findElement(By.id("clear-baselines")).click();
        assertThat(browser.findElements(By.cssSelector("#energy .delta, #energy-chart rect.ghost"))).isEmpty();
    }

    @Test
    void theAccuracyChartOverlaysOneSeriesPerPinnedDesign() throws Exception {
        assumeTrue(org.abacim.core.data.Datasets.available("mnist"), "MNIST not fetched (scripts/fetch-data mnist)");
        browser.get("http://127.0.0.1:" + server.port() + "/");
        shown(null);
        script("document.getElementById('trials').value = '2'; document.getElementById('samples').value = '50';"
                + "document.getElementById('sigma').value = '0.1';");
        double[] means = new double[3];
        String[] bits = {"8", "6", "4"};
        for (int i = 0; i < 3; i++) {
            if (i > 0) {
                String before = body("ready");
                type("adc.bits", bits[i]);
                shown(before);
                // Another design: its own points start empty; the pinned ones stay on the chart.
                assertThat(browser.findElements(By.cssSelector("#accuracy-chart g.point"))).isEmpty();
                assertThat(browser.findElements(By.cssSelector("#accuracy-chart g.pinned-series"))).hasSize(i);
            }
            browser.findElement(By.id("run-accuracy")).click();
            new WebDriverWait(browser, Duration.ofMinutes(5)).until(b -> "done".equals(body("accuracy")) || "failed".equals(body("accuracy")));
            assertThat(body("accuracy")).isEqualTo("done");
            means[i] = ((Number) script("return window.lastAccuracy.accuracy.mean")).doubleValue();
            browser.findElement(By.id("pin-baseline")).click();
        }
        var series = browser.findElements(By.cssSelector("#accuracy-chart g.pinned-series"));
        assertThat(series).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(series.get(i).getAttribute("data-label")).contains(i == 0 ? "isaac lenet5" : "adc.bits=" + bits[i]);
            var points = series.get(i).findElements(By.cssSelector("g.pinned-point"));
            assertThat(points).hasSize(1);
            assertThat(Double.parseDouble(points.get(0).getAttribute("data-mean"))).isEqualTo(means[i]);
            assertThat(Double.parseDouble(points.get(0).getAttribute("data-sigma"))).isEqualTo(0.1);
        }
        // Fewer ADC bits lose accuracy: the 4-bit series lies under the 8-bit one.
        assertThat(means[2]).isLessThan(means[0]);
    }

    /** Scores the view at {@code sigma} (2 chips, 50 images) and waits for the run to end. */
    private void scoreAt(String sigma) {
        script("document.getElementById('trials').value = '2'; document.getElementById('samples').value = '50';"
                + "document.getElementById('sigma').value = arguments[0];", sigma);
        browser.findElement(By.id("run-accuracy")).click();
        new WebDriverWait(browser, Duration.ofMinutes(5)).until(b -> "done".equals(body("accuracy")) || "failed".equals(body("accuracy")));
        assertThat(body("accuracy")).isEqualTo("done");
    }

    @Test
    void aPinnedDesignsAccuracySeriesIsInTheChartsTableAndItsKeyboardReadout() throws Exception {
        assumeTrue(org.abacim.core.data.Datasets.available("mnist"), "MNIST not fetched (scripts/fetch-data mnist)");
        browser.get("http://127.0.0.1:" + server.port() + "/");
        shown(null);
        String before = body("ready");
        type("adc.bits", "8");
        shown(before);
        scoreAt("0.1");
        scoreAt("0.2");
        browser.findElement(By.id("pin-baseline")).click();
        before = body("ready");
        type("adc.bits", "4");
        shown(before);
        scoreAt("0.1");
        scoreAt("0.2");

        List<List<String>> rows = new java.util.ArrayList<>();
        for (WebElement tr : browser.findElements(By.cssSelector("figure[data-chart='accuracy-chart'] details.numbers tbody tr"))) {
            rows.add(tr.findElements(By.tagName("td")).stream().map(td -> td.getAttribute("textContent")).toList());
        }
        assertThat(browser.findElement(By.cssSelector("figure[data-chart='accuracy-chart'] details.numbers thead"))
                .getAttribute("textContent")).startsWith("seriesσ");
        assertThat(rows).hasSize(4);
        // This design's points, then the pinned one's, each row naming its series.
        for (int i = 0; i < 4; i++) {
            String series = rows.get(i).get(0);
            assertThat(series).startsWith(i < 2 ? "this design (isaac lenet5" : "pinned 1 (isaac lenet5")
                    .endsWith(i < 2 ? "adc.bits=4)" : "adc.bits=8)");
            assertThat(rows.get(i).get(1)).isEqualTo(i % 2 == 0 ? "0.1" : "0.2");
        }
        var pinnedPoints = browser.findElements(By.cssSelector("#accuracy-chart g.pinned-point"));
        assertThat(pinnedPoints).hasSize(2);
        String mean8 = String.format(java.util.Locale.ROOT, "%.2f %%",
                100 * Double.parseDouble(pinnedPoints.get(0).getAttribute("data-mean")));
        assertThat(rows.get(2).get(2)).isEqualTo(mean8);

        // The keyboard reaches every mark of both series; the readout names the series.
        WebElement chart = browser.findElement(By.id("accuracy-chart"));
        script("arguments[0].focus()", chart);
        WebElement readout = browser.findElement(By.cssSelector("figure[data-chart='accuracy-chart'] .readout"));
        List<String> read = new java.util.ArrayList<>(List.of(readout.getText()));
        for (int i = 0; i < 4; i++) {
            chart.sendKeys(org.openqa.selenium.Keys.ARROW_RIGHT);
            read.add(readout.getText());
        }
        assertThat(read.stream().distinct().count()).isEqualTo(4);
        assertThat(read.stream().filter(t -> t.startsWith("pinned 1 (") && t.contains("adc.bits=8"))).hasSize(2);
        assertThat(read.stream().filter(t -> t.startsWith("this design (") && t.contains("adc.bits=4"))).hasSize(3);
        assertThat(read.get(4)).contains("σ = 0.2");
    }

    @Test
    void theAdcRangeKnobGoesThroughTheSameChecksAndTheLabStepsAreServedWithThePagesHeaders() throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + server.port();
        var refused = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base
                + "/api/point?preset=isaac&network=lenet5&set=adc.range%3D%2Fetc%2Fpasswd")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).startsWith("abacim: ").contains("adc.range").doesNotContain("root:");
        var ok = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base
                + "/api/point?preset=isaac&network=lenet5&set=adc.range%3Dcalibrated")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(ok.statusCode()).isEqualTo(200);
        var labs = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/labs.json")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(labs.statusCode()).isEqualTo(200);
        assertThat(labs.headers().firstValue("Content-Security-Policy")).isPresent();
        assertThat(JSON.readTree(labs.body()).path("labs").size()).isGreaterThanOrEqualTo(5);
        // A lab's own compress config (docs/labs), served from the jar for the page to post as a kept job.
        var schedule = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/labs/lab4-polarize.yaml")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(schedule.statusCode()).isEqualTo(200);
        assertThat(schedule.headers().firstValue("Content-Security-Policy")).isPresent();
        assertThat(schedule.body()).isEqualTo(java.nio.file.Files.readString(
                java.nio.file.Path.of("..", "docs", "labs", "lab4-polarize.yaml")));
        // On the page: one control per lab step, and the ADC range a knob like the others.
        browser.get(base + "/");
        shown(null);
        int steps = 0;
        for (var lab : JSON.readTree(labs.body()).path("labs")) steps += lab.path("steps").size();
        assertThat(steps).as("page steps of labs 1-5").isEqualTo(21);
        assertThat(browser.findElements(By.cssSelector("button.lab-step"))).hasSize(steps);
        assertThat(browser.findElement(By.cssSelector("button.lab-step[data-lab='2'][data-step='3b']")).getText())
                .isEqualTo("Lab 2 · step 3b");
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.cssSelector("[data-path='adc.range']")))
                .selectByVisibleText("calibrated");
        try {
            new WebDriverWait(browser, Duration.ofSeconds(10)).until(b -> body("ready").contains("adc.range%3Dcalibrated"));
        } catch (RuntimeException e) {
            throw new AssertionError("ready " + body("ready") + " command " + browser.findElement(By.id("command")).getText()
                    + " disabled " + browser.findElement(By.cssSelector("[data-path='adc.range']")).getAttribute("disabled")
                    + " value " + script("return document.querySelector(\"[data-path='adc.range']\").value")
                    + " error " + browser.findElement(By.id("error")).getAttribute("textContent"));
        }
        assertThat(browser.findElement(By.id("command")).getText()).contains("--set adc.range=calibrated");
    }
}
