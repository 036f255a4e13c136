package org.abacim.experiments.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The teaching page in Debian's headless Chromium, driven through chromedriver: it loads, a changed control changes
 * the numbers and the placement map, and what the page shows is the CLI's JSON for the same view. Needs chromium
 * and chromedriver (scripts/install-test-browser; always in CI, where a missing browser fails instead of skipping).
 * The tests leave screenshots of what they saw in target/screenshots, or in the folder the system property
 * {@code abacim.screenshots} names (scripts/update-screenshots: the README's pictures).
 */
class TeachingPageBrowserTest extends TeachingPageSession {
    static final ObjectMapper JSON = new ObjectMapper();
    /** Waits until the body's data attribute {@code name} is {@code value} (a job's state: done, cancelled, …). */
    private void waitForBody(String name, String value, Duration limit) {
        new WebDriverWait(browser, limit).until(b -> value.equals(b.findElement(By.tagName("body")).getAttribute("data-" + name)));
    }

    /** Saves the whole page as {@code name}.png (the window grown to the page's height). */
    private void screenshot(String name) throws Exception {
        Path folder = Path.of(System.getProperty("abacim.screenshots", "target/screenshots"));
        Files.createDirectories(folder);
        long height = ((Number) script("return document.documentElement.scrollHeight")).longValue();
        Dimension before = browser.manage().window().getSize();
        browser.manage().window().setSize(new Dimension(1280, (int) Math.min(6000, height + 40)));
        byte[] png = browser.findElement(By.tagName("body")).getScreenshotAs(OutputType.BYTES);
        browser.manage().window().setSize(before);
        org.abacim.core.io.WholeFiles.write(folder.resolve(name + ".png"), png);
    }

    private static void assumeMnist() {
        assumeTrue(org.abacim.core.data.Datasets.available("mnist"), "MNIST not fetched (scripts/fetch-data mnist)");
    }

    /** The query of the view the page shows now (set once its numbers are in). */
    private String ready() {
        return browser.findElement(By.tagName("body")).getAttribute("data-ready");
    }

    /** Waits until the page shows the answer for its current controls, and returns that answer. */
    private JsonNode shown(String previous) throws Exception {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        wait.until(b -> {
            String ready = b.findElement(By.tagName("body")).getAttribute("data-ready");
            return ready != null && !ready.equals(previous) ? ready : null;
        });
        Object result = ((JavascriptExecutor) browser).executeScript("return JSON.stringify(window.lastResult)");
        return JSON.readTree((String) result);
    }

    private static JsonNode cli(String... args) throws Exception {
        return JSON.readTree(TeachingServerTest.cli(args));
    }

    /** The same JSON, numbers compared by value (JavaScript writes 0.0 as 0 and 2.8E-6 as 0.0000028). */
    private static void assertSameJson(JsonNode page, JsonNode cli) {
        java.util.Comparator<JsonNode> byValue = (a, b) -> a.isNumber() && b.isNumber()
                ? Double.compare(a.doubleValue(), b.doubleValue()) : a.equals(b) ? 0 : 1;
        assertThat(page.equals(byValue, cli)).as("the page's design point is the CLI's:%n%s%n%s", page, cli).isTrue();
    }

    @Test
    void changingAControlChangesTheNumbersAndTheMapToTheClisForThatView() throws Exception {
        browser.get("http://127.0.0.1:" + server.port() + "/");
        JsonNode first = shown(null);
        assertSameJson(first, cli("run", "--preset", "isaac", "--network", "lenet5", "--format", "json"));
        String firstEnergy = browser.findElement(By.id("energy")).getText();
        var map = browser.findElement(By.id("map"));
        String firstCells = map.getAttribute("data-cells");
        // The map holds the network's arrays and the rest of the chip, as the CLI counts them.
        assertThat(Long.parseLong(map.getAttribute("data-arrays"))).isEqualTo(first.path("inference").path("arrays").asLong());
        long capacity = first.path("chips").asLong() * first.path("peak").path("arrays").asLong();
        assertThat(Long.parseLong(map.getAttribute("data-capacity"))).isEqualTo(capacity);
        long perCell = Long.parseLong(map.getAttribute("data-per-cell"));
        assertThat(Long.parseLong(firstCells)).isBetween(capacity / perCell, capacity / perCell + 2L * first.path("layers").size() + 1); // each group rounds up

        // A student picks another network and types a knob.
        String before = ready();
        new Select(browser.findElement(By.id("network"))).selectByValue("vgg8");
        shown(before);
        before = ready();
        browser.findElement(By.cssSelector("input[data-path='array.rows']")).sendKeys("256");
        JsonNode changed = shown(before);
        assertSameJson(changed, cli("run", "--preset", "isaac", "--network", "vgg8", "--set", "array.rows=256",
                "--format", "json"));
        assertThat(browser.findElement(By.id("energy")).getText()).isNotEqualTo(firstEnergy);
        assertThat(browser.findElement(By.id("map")).getAttribute("data-cells")).isNotEqualTo(firstCells);
        assertThat(browser.findElement(By.id("command")).getText())
                .isEqualTo("abacim run --preset isaac --network vgg8 --set array.rows=256");
        // The config file the page offers reproduces the view from the command line.
        Path config = dir.resolve("view.yaml");
        Files.writeString(config, browser.findElement(By.id("yaml")).getText() + "\n");
        assertSameJson(changed, cli("run", config.toString(), "--format", "json"));
        // The view is in the address: opening it again shows the same.
        String link = browser.getCurrentUrl();
        assertThat(link).contains("network=vgg8").contains("array.rows%3D256");

        // The knobs are the config's keys, the same in every technology (#30): array rows move SOT-MRAM's sub-arrays
        // too; a knob the preset has no key for (its sense amplifiers need no ADC) is switched off, and not sent.
        before = ready();
        new Select(browser.findElement(By.id("preset"))).selectByValue("sot-mram");
        assertSameJson(shown(before), cli("run", "--preset", "sot-mram", "--network", "vgg8", "--set", "array.rows=256",
                "--format", "json"));
        assertThat(browser.findElement(By.cssSelector("input[data-path='array.rows']")).isEnabled()).isTrue();
        assertThat(browser.findElement(By.cssSelector("input[data-path='adc.bits']")).isEnabled()).isFalse();
        before = ready();
        new Select(browser.findElement(By.id("preset"))).selectByValue("isaac");
        shown(before);
        assertThat(browser.findElement(By.cssSelector("input[data-path='adc.bits']")).isEnabled()).isTrue();

        // A value the model refuses shows the CLI's line, and the last good view stays.
        String last = ready();
        browser.findElement(By.cssSelector("input[data-path='adc.bits']")).sendKeys("many");
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(b -> b.findElement(By.id("error")).isDisplayed());
        assertThat(browser.findElement(By.id("error")).getText()).startsWith("abacim: ").contains("adc.bits");
        assertThat(ready()).isEqualTo(last);
    }

    @Test
    void theSigmaSliderAddsAccuracyWithErrorBarsFromAMonteCarloRunOfTheCli() throws Exception {
        assumeMnist();
        browser.get(base() + "?preset=isaac&network=lenet5&trials=3&samples=100");
        shown(null);
        for (String sigma : new String[] {"0.3", "0.1"}) {
            // The last run's state is cleared first, so "done" below is this run's.
            script("document.body.dataset.accuracy = ''; const s = document.getElementById('sigma'); s.value = arguments[0];"
                    + " s.dispatchEvent(new Event('change'))", sigma);
            waitForBody("accuracy", "done", Duration.ofMinutes(5));
        }
        assertThat(browser.findElement(By.id("accuracy-chart")).getAttribute("data-points")).isEqualTo("2");
        // The last point is the CLI's Monte-Carlo run of the config the page offers (σ = 0.1, 3 chips, 100 images).
        JsonNode page = JSON.readTree((String) script("return JSON.stringify(window.lastAccuracy.accuracy)"));
        Path config = dir.resolve("accuracy.yaml");
        Files.writeString(config, browser.findElement(By.id("yaml")).getText() + "\n");
        assertThat(Files.readString(config)).contains("sigma: 0.1").contains("trials: 3");
        assertThat(page).isEqualTo(cli("run", config.toString(), "--format", "json").path("accuracy"));
        // Lower σ, no worse accuracy on the chart's points (σ sorted; the means as drawn).
        var points = browser.findElements(By.cssSelector("#accuracy-chart g.point"));
        assertThat(points).hasSize(2);
        assertThat(Double.parseDouble(points.get(0).getAttribute("data-mean")))
                .isGreaterThanOrEqualTo(Double.parseDouble(points.get(1).getAttribute("data-mean")));
        assertThat(browser.getCurrentUrl()).contains("score=1").contains("sigma=0.1");
        screenshot("teaching-accuracy");
    }

    @Test
    void aCompressionStepEmptiesTheMapAndProjectionsCompareSideBySide() throws Exception {
        assumeMnist();
        browser.get(base() + "?preset=isaac&network=lenet5&set=simulation.replication%3Dnone&budgets=50,10&epochs=1&training=2&chip=0");
        JsonNode dense = shown(null);
        long denseArrays = dense.path("inference").path("arrays").asLong();
        browser.findElement(By.id("run-steps")).click();
        waitForBody("compress", "done", Duration.ofMinutes(5));
        var rows = browser.findElements(By.cssSelector("#steps-table tbody tr"));
        assertThat(rows).hasSize(3);
        WebElement map = browser.findElement(By.id("map"));
        assertThat(map.getAttribute("data-step")).isEqualTo("crossbar-block 10 %");
        long compressed = Long.parseLong(map.getAttribute("data-arrays"));
        assertThat(compressed).isLessThan(denseArrays);
        assertThat(Long.parseLong(map.getAttribute("data-freed"))).isEqualTo(denseArrays - compressed);
        assertThat(browser.findElements(By.cssSelector("#map rect.freed"))).isNotEmpty();
        // The summary and bars are of the same step as the map (#32): its energy, its components, its name.
        assertThat(browser.findElement(By.id("result")).getAttribute("data-step")).isEqualTo("crossbar-block 10 %");
        assertThat(browser.findElement(By.id("shown-state")).getText()).isEqualTo("isaac · lenet5 after “crossbar-block 10 %”");
        String stepEnergy = (String) script("return si(window.compressionRows[2].point.inference.energy_J, 'J')");
        assertThat(browser.findElement(By.id("energy")).getText()).isEqualTo(stepEnergy);
        String stepBars = browser.findElement(By.id("energy-chart")).getAttribute("innerHTML");
        screenshot("teaching-compression");
        // Clicking the dense row brings its map back, with its summary and bars.
        rows.get(0).click();
        assertThat(map.getAttribute("data-arrays")).isEqualTo(String.valueOf(denseArrays));
        String firstStep = (String) script("return window.compressionRows[0].step");
        assertThat(browser.findElement(By.id("result")).getAttribute("data-step")).isEqualTo(firstStep);
        assertThat(map.getAttribute("data-step")).isEqualTo(firstStep);
        assertThat(browser.findElement(By.id("energy")).getText())
                .isEqualTo((String) script("return si(window.compressionRows[0].point.inference.energy_J, 'J')"))
                .isNotEqualTo(stepEnergy);
        assertThat(browser.findElement(By.id("energy-chart")).getAttribute("innerHTML")).isNotEqualTo(stepBars);
        // A knob changes the design: the steps on screen are marked stale, and the view is the design's again.
        String before = ready();
        browser.findElement(By.cssSelector("input[data-path='array.rows']")).sendKeys("256");
        shown(before);
        assertThat(browser.findElement(By.id("result")).getAttribute("data-step")).isEmpty();
        assertThat(browser.findElement(By.id("compression-stale")).isDisplayed()).isTrue();
        browser.findElement(By.cssSelector("input[data-path='array.rows']")).sendKeys(Keys.BACK_SPACE, Keys.BACK_SPACE, Keys.BACK_SPACE);
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(b -> !b.findElement(By.id("compression-stale")).isDisplayed());
        assertThat(browser.findElement(By.id("compress-yaml")).getText()).contains("kind: crossbar-block");

        script("document.body.dataset.compress = ''"); // so that "done" below is the comparison's
        browser.findElement(By.id("run-compare")).click();
        waitForBody("compress", "done", Duration.ofMinutes(5));
        assertThat(browser.findElements(By.cssSelector("#compare-maps svg"))).hasSize(5);
        assertThat(browser.findElement(By.id("compress-command")).getText()).endsWith("--compare");
        screenshot("teaching-compare");
    }

    @Test
    void aRunningCompressionIsCancelledFromThePage() throws Exception {
        assumeMnist();
        browser.get(base() + "?preset=isaac&network=lenet5&training=50&budgets=50");
        shown(null);
        browser.findElement(By.id("run-steps")).click();
        waitForBody("compress", "running", Duration.ofMinutes(1));
        browser.findElement(By.cssSelector("#compression .cancel")).click();
        waitForBody("compress", "cancelled", Duration.ofMinutes(1));
        assertThat(browser.findElement(By.cssSelector("#compression .status span")).getText())
                .isEqualTo("cancelled: cancelled by the page");
    }

    @Test
    void chartsExportAsSvgAndPngAndAModelFromDiskIsTheClisNetwork() throws Exception {
        assumeMnist();
        browser.get(base());
        shown(null);
        String svg = (String) script("return window.chartSvg('energy-chart')");
        assertThat(svg).startsWith("<?xml").contains("<svg").contains("xmlns=\"http://www.w3.org/2000/svg\"")
                .contains("fill:");
        Object png = ((JavascriptExecutor) browser).executeAsyncScript(
                "window.chartPng('map').then(arguments[arguments.length - 1])");
        assertThat((String) png).startsWith("data:image/png;base64,iVBOR");
        assertThat(browser.findElements(By.cssSelector("figure[data-chart='map'] .export a"))).hasSize(2);

        // A weight map written by abacim compress, chosen with the page's file picker (manifest and weights).
        Path map = TeachingServerJobsTest.tinyWeightMap(dir);
        String before = ready();
        browser.findElement(By.id("model-file")).sendKeys(map.resolve("tiny.json") + "\n" + map.resolve("tiny.npz"));
        JsonNode uploaded = shown(before);
        JsonNode cli = cli("run", "--preset", "isaac", "--network", map.resolve("tiny.json").toString(), "--format", "json");
        assertThat(uploaded.path("compression")).isEqualTo(cli.path("compression"));
        assertThat(Long.parseLong(browser.findElement(By.id("map")).getAttribute("data-freed"))).isPositive();
        // Its accuracy is scored on its own weights (the page names them as the accuracy run's model).
        script("document.getElementById('trials').value = '2'; document.getElementById('samples').value = '50'");
        browser.findElement(By.id("run-accuracy")).click();
        waitForBody("accuracy", "done", Duration.ofMinutes(2));
        assertThat((String) script("return window.lastAccuracy.accuracy.model")).endsWith("tiny.json");
        assertThat(browser.findElement(By.id("yaml")).getText()).contains("model: ").contains("tiny.json");
    }

    private WebElement knob(String path) {
        return browser.findElement(By.cssSelector("[data-path='" + path + "']"));
    }

    /** Waits until the results are marked stale (a refusal) or not, as asked. */
    private void waitForStale(boolean stale) {
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(b ->
                stale == "true".equals(b.findElement(By.id("result")).getAttribute("data-stale")));
    }

    @Test
    void knobsShowThePresetsValuesARefusalMarksTheResultsStaleAndBarsAreExplained() throws Exception {
        browser.get(base());
        JsonNode isaac = shown(null);
        assertThat(browser.findElement(By.id("shown-state")).getText()).isEqualTo("isaac · lenet5");
        // Each knob shows the preset's value, not the word "preset" (isaac.yaml: 128 rows, 16-bit weights, ADC auto).
        assertThat(knob("array.rows").getAttribute("placeholder")).isEqualTo("128 rows (preset)");
        assertThat(knob("weights.bits").getAttribute("placeholder")).isEqualTo("16 bits (preset)");
        assertThat(knob("adc.bits").getAttribute("placeholder")).isEqualTo("auto (lossless) (preset)");
        assertThat(knob("process.node").getAttribute("placeholder")).isEqualTo("32 nm (preset)");
        assertThat(new Select(knob("simulation.replication")).getOptions().get(0).getText()).isEqualTo("preset: balanced");

        // 0 rows is refused: ISAAC's numbers stay, greyed and marked stale, with the refusal beside them.
        String energy = browser.findElement(By.id("energy")).getText();
        knob("array.rows").sendKeys("0");
        waitForStale(true);
        assertThat(browser.findElement(By.id("error")).getText()).startsWith("abacim: ").contains("array.rows");
        assertThat(browser.findElement(By.id("result")).getAttribute("class")).contains("stale");
        assertThat(browser.findElement(By.id("stale-note")).getText())
                .isEqualTo("Stale: the numbers, bars and map below are still those of isaac · lenet5, not of the"
                        + " controls, which the model refused.");
        assertThat(browser.findElement(By.id("energy")).getText()).isEqualTo(energy);
        knob("array.rows").sendKeys(Keys.BACK_SPACE);
        waitForStale(false);
        assertThat(browser.findElement(By.id("stale-note")).isDisplayed()).isFalse();

        // A knob the next preset lacks: set on isaac, emptied and switched off with the reason on capram, whose
        // numbers the model refuses (LeNet-5 needs 3 of its chips, and it has no off-chip link).
        String before = ready();
        knob("array.bitsPerCell").sendKeys("4");
        shown(before);
        assertThat(browser.findElement(By.id("shown-state")).getText()).isEqualTo("isaac · lenet5 · array.bitsPerCell=4");
        new Select(browser.findElement(By.id("preset"))).selectByValue("capram");
        waitForStale(true);
        assertThat(browser.findElement(By.id("error")).getText())
                .isEqualTo("abacim: capram: the network needs 3 chips but the design has no off-chip link to join them");
        assertThat(browser.findElement(By.id("stale-note")).getText()).contains("isaac · lenet5 · array.bitsPerCell=4");
        assertThat(knob("array.bitsPerCell").isEnabled()).isFalse();
        assertThat(knob("array.bitsPerCell").getAttribute("value")).isEmpty();
        assertThat(browser.findElement(By.id("why-array-bitsPerCell")).getText())
                .isEqualTo("off: capram (sram-capram) has no array.bitsPerCell; the model would refuse it");
        assertThat(knob("array.rows").getAttribute("placeholder")).isEqualTo("512 rows (preset)");
        assertThat(knob("inputBits").getAttribute("placeholder")).isEqualTo("3 bits (preset)");
        assertThat(browser.findElement(By.id("command")).getText()).isEqualTo("abacim run --preset capram --network lenet5");
        // SRAM cells are not programmed: the σ slider is off too, with its reason.
        assertThat(browser.findElement(By.id("sigma")).isEnabled()).isFalse();
        assertThat(browser.findElement(By.id("why-sigma")).getText()).isEqualTo("off: capram (sram-capram) has no"
                + " programming variation (device.programming); Score runs its chips without it");
        // Back on isaac: the knob is on again, still empty (it does not come back by itself).
        before = ready();
        new Select(browser.findElement(By.id("preset"))).selectByValue("isaac");
        waitForStale(false);
        assertThat(knob("array.bitsPerCell").isEnabled()).isTrue();
        assertThat(knob("array.bitsPerCell").getAttribute("value")).isEmpty();
        assertThat(browser.findElement(By.id("why-array-bitsPerCell")).isDisplayed()).isFalse();
        assertThat(browser.findElement(By.id("sigma")).isEnabled()).isTrue();

        // Each bar's name says what it is, on hover and on keyboard focus: the meaning, then the design's own source.
        WebElement adc = browser.findElements(By.cssSelector("#energy-chart text.glossed")).stream()
                .filter(t -> "adc".equals(firstLine(t)))
                .findFirst().orElseThrow();
        String line = adc.getAttribute("data-gloss");
        String source = isaac.path("components").findValues("source").stream().map(JsonNode::asText)
                .filter(t -> t.startsWith("ISAAC Table I: ADC")).findFirst().orElseThrow();
        assertThat(line).isEqualTo("adc: analog-to-digital converters: turn a column's analog sum into a number (ima level; "
                + source + ")");
        script("arguments[0].focus()", adc);
        assertThat(browser.findElement(By.id("gloss")).getText()).isEqualTo(line);
        WebElement crossbar = browser.findElements(By.cssSelector("#area-chart text.glossed")).stream()
                .filter(t -> "crossbar".equals(firstLine(t))).findFirst().orElseThrow();
        new Actions(browser).moveToElement(crossbar).perform();
        assertThat(browser.findElement(By.id("gloss")).getText()).startsWith("crossbar: the ReRAM crossbars");
        // Every bar name in every chart has its line.
        Number unexplained = (Number) script("return [...document.querySelectorAll('.charts svg')].flatMap((svg) => "
                + "[...svg.querySelectorAll('rect[data-component]')].map((r) => [svg, r.dataset.component]))"
                + ".filter(([svg, name]) => ![...svg.querySelectorAll('text.glossed')].some((t) => t.dataset.gloss.startsWith(name + ': '))).length");
        assertThat(unexplained.intValue()).isZero();
    }

    /** An SVG text's own name (its first text node: the tooltip's title follows it). */
    private String firstLine(WebElement text) {
        return (String) script("return arguments[0].firstChild.nodeValue", text);
    }

    @Test
    void arrowKeysOnTheSigmaSliderStartOneJobWhoseProgressShowsTheTimeLeft() throws Exception {
        assumeMnist();
        browser.get(base() + "?preset=isaac&network=lenet5&trials=4&samples=100&sigma=0.1");
        shown(null);
        // Every text the accuracy panel's status shows, as it changes.
        script("window.statusTexts = []; const span = document.querySelector('#variation .status span');"
                + " new MutationObserver(() => window.statusTexts.push(span.textContent))"
                + ".observe(span, { childList: true, characterData: true, subtree: true })");
        long jobs = TeachingServer.jobsSubmitted(server);
        browser.findElement(By.id("sigma")).sendKeys(Keys.ARROW_RIGHT, Keys.ARROW_RIGHT, Keys.ARROW_RIGHT);
        waitForBody("accuracy", "done", Duration.ofMinutes(5));
        assertThat(TeachingServer.jobsSubmitted(server) - jobs).as("one job for three presses").isEqualTo(1);
        assertThat(browser.findElement(By.id("sigma-value")).getText()).isEqualTo("0.13");
        assertThat(browser.findElements(By.cssSelector("#accuracy-chart g.point"))).hasSize(1);
        assertThat(browser.findElement(By.cssSelector("#accuracy-chart g.point")).getAttribute("data-sigma")).isEqualTo("0.13");
        @SuppressWarnings("unchecked")
        java.util.List<String> texts = (java.util.List<String>) script("return window.statusTexts");
        // The Monte-Carlo stage's steps, each with the time so far and, once a chip is scored, the time left.
        assertThat(texts).anySatisfy(t -> assertThat(t).matches(
                "Monte-Carlo lenet5 \\(100 images per chip\\): [1-3] of 4 chips — \\d+ s so far, about \\d+ s left"));
        assertThat(texts).anySatisfy(t -> assertThat(t).matches("running — \\d+ s so far, estimating the time left"));
        assertThat(texts.get(texts.size() - 1)).isEqualTo("done");
    }
}
