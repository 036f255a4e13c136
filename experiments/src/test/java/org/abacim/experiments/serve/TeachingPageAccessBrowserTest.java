package org.abacim.experiments.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The teaching page's charts tell the truth and the page is usable by everyone (#32): a phone's width without
 * sideways scrolling, charts named with their numbers in a table, marks readable from the keyboard, numbers written
 * for people, a palette that keeps a 16-layer network's layers apart, chip boundaries, Back undoing a view change,
 * and axe-core finding no serious or critical violation. axe-core comes from the npm registry by package name
 * (scripts/install-test-axe, run by scripts/install-test-browser); the test injects it, the page server never
 * serves it. Needs chromium and chromedriver, as {@link TeachingPageBrowserTest}; in CI a missing one fails.
 */
class TeachingPageAccessBrowserTest extends TeachingPageSession {
    static final ObjectMapper JSON = new ObjectMapper();
    /** The axe-core version scripts/install-test-axe fetches. */
    static final String AXE_VERSION = "4.10.2";

    private String ready() {
        return browser.findElement(By.tagName("body")).getAttribute("data-ready");
    }

    /** Waits until the page shows the answer for its current controls (not {@code previous}), and returns it. */
    private JsonNode shown(String previous) throws Exception {
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(b -> {
            String ready = b.findElement(By.tagName("body")).getAttribute("data-ready");
            return ready != null && !ready.equals(previous) ? ready : null;
        });
        return JSON.readTree((String) script("return JSON.stringify(window.lastResult)"));
    }

    /** axe-core's script, fetched by scripts/install-test-axe; required in CI, else the check is skipped. */
    static String axe() throws Exception {
        String cache = System.getenv("ABACIM_TEST_CACHE");
        if (cache == null) {
            String xdg = System.getenv("XDG_CACHE_HOME");
            cache = (xdg != null ? xdg : System.getProperty("user.home") + "/.cache") + "/abacim-test";
        }
        Path file = Path.of(cache, "axe-core-" + AXE_VERSION, "axe.min.js");
        if ("true".equals(System.getenv("CI"))) {
            assertThat(file).as("axe-core under CI=true (scripts/install-test-axe)").isRegularFile();
        }
        assumeTrue(Files.isRegularFile(file), "axe-core is not fetched (scripts/install-test-axe): " + file);
        return Files.readString(file);
    }

    /** The serious and critical violations axe-core finds on the page as it is. */
    private List<String> seriousViolations(String axe) throws Exception {
        if (!Boolean.TRUE.equals(script("return typeof window.axe === 'object'"))) script(axe);
        String violations = (String) ((JavascriptExecutor) browser).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "axe.run(document, { resultTypes: ['violations'] })"
                        + ".then((r) => done(JSON.stringify(r.violations)), (e) => done(JSON.stringify([{ id: 'axe failed: ' + e, impact: 'critical', nodes: [] }])))");
        List<String> found = new ArrayList<>();
        for (JsonNode v : JSON.readTree(violations)) {
            String impact = v.path("impact").asText();
            if (impact.equals("serious") || impact.equals("critical")) {
                List<String> targets = new ArrayList<>();
                for (JsonNode n : v.path("nodes")) targets.add(n.path("target").toString());
                found.add(impact + " " + v.path("id").asText() + ": " + v.path("help").asText() + " " + targets);
            }
        }
        return found;
    }

    @Test
    void aPhoneShowsThePageWithoutSidewaysScrollingAndEveryChartIsNamedWithItsNumbers() throws Exception {
        browser.manage().window().setSize(new Dimension(390, 844));
        browser.get(base() + "?preset=isaac&network=vgg16");
        shown(null);
        assertThat(browser.findElement(By.cssSelector("meta[name='viewport']")).getAttribute("content"))
                .contains("width=device-width");
        long viewport = ((Number) script("return document.documentElement.clientWidth")).longValue();
        long page = ((Number) script("return document.documentElement.scrollWidth")).longValue();
        assertThat(viewport).isLessThanOrEqualTo(390);
        assertThat(page).as("the page's width at a 390 px viewport").isLessThanOrEqualTo(viewport);
        for (String id : new String[] {"energy-chart", "area-chart", "power-chart", "time-chart", "map"}) {
            WebElement svg = browser.findElement(By.id(id));
            assertThat(svg.getAttribute("role")).isEqualTo("img");
            assertThat(svg.getAttribute("aria-label")).as(id + "'s accessible name").isNotBlank();
            assertThat(svg.getRect().getX() + svg.getRect().getWidth()).as(id + " fits").isLessThanOrEqualTo((int) viewport);
            long rows = ((Number) script("return arguments[0].closest('figure').querySelectorAll('details.numbers tbody tr').length",
                    svg)).longValue();
            assertThat(rows).as(id + "'s data table").isPositive();
        }
        assertThat(browser.findElement(By.id("energy-chart")).getAttribute("aria-label")).startsWith("Energy per inference");
        // The map's table has a row per layer.
        assertThat(browser.findElements(By.cssSelector("figure[data-chart='map'] details.numbers tbody tr"))).hasSize(16);
    }

    @Test
    void numbersAreForPeopleLayersKeepApartChipsAreMarkedAndTheKeyboardReadsTheMarks() throws Exception {
        browser.get(base() + "?preset=isaac&network=vgg16");
        JsonNode r = shown(null);
        // Throughput with thousands separators, never 6.202e+5.
        String throughput = browser.findElement(By.id("throughput")).getText();
        assertThat(throughput).doesNotContain("e+").matches("[0-9]{1,3}(,[0-9]{3})*(\\.[0-9]+)? inferences/s");
        if (r.path("inference").path("fps").asDouble() >= 1000) assertThat(throughput).contains(",");
        // Shares with absolute values beside them.
        var labels = browser.findElements(By.cssSelector("#energy-chart text"));
        assertThat(labels.stream().map(WebElement::getText).filter(t -> t.matches("[0-9.]+ % · [0-9.]+ .?J")).count())
                .isPositive();
        // Sixteen layers, sixteen colours: conv1 and fc1 no longer share a red.
        int layers = r.path("layers").size();
        assertThat(layers).isGreaterThanOrEqualTo(16);
        @SuppressWarnings("unchecked")
        List<String> fills = (List<String>) script("return [...new Set([...document.querySelectorAll('#map rect[data-layer]')]"
                + ".filter((c) => c.dataset.layer && !c.classList.contains('freed')).map((c) => c.dataset.layer))]"
                + ".map((l) => getComputedStyle(document.querySelector(`#map rect[data-layer='${l}']`)).fill)");
        assertThat(fills).hasSize(layers);
        Set<String> distinct = new HashSet<>(fills);
        assertThat(distinct).as("one colour per layer: %s", fills).hasSize(layers);
        // A design on several chips: area and power are per chip, the map shows where each chip ends.
        long chips = r.path("chips").asLong();
        assertThat(chips).as("ISAAC needs several chips for VGG-16").isGreaterThan(1);
        assertThat(browser.findElements(By.cssSelector("#map path.chip-boundary"))).hasSize((int) chips - 1);
        assertThat(browser.findElement(By.cssSelector("#summary")).getText()).contains("per chip, × " + chips + " chips")
                .contains("whole design, " + chips + " chips");
        // The keyboard reaches the bars and the map's cells; the one in focus says its value.
        WebElement energy = browser.findElement(By.id("energy-chart"));
        script("arguments[0].focus()", energy);
        energy.sendKeys(Keys.ARROW_RIGHT);
        String second = (String) script("return document.querySelectorAll('#energy-chart rect')[1].querySelector('title').textContent");
        assertThat(browser.findElement(By.cssSelector("figure[data-chart='energy-chart'] .readout")).getText()).isEqualTo(second);
        WebElement map = browser.findElement(By.id("map"));
        script("arguments[0].focus()", map);
        assertThat(browser.findElement(By.cssSelector("figure[data-chart='map'] .readout")).getText())
                .startsWith(r.path("layers").get(0).path("name").asText());
        // The exported chart carries the figure's title (units included) and, for the map, the legend.
        String svg = (String) script("return window.chartSvg('map')");
        assertThat(svg).contains("Placement").contains(r.path("layers").get(15).path("name").asText() + " ×");
        assertThat((String) script("return window.chartSvg('energy-chart')")).contains("J per inference");
    }

    @Test
    void backUndoesAViewChangeAndForwardRedoesIt() throws Exception {
        browser.get(base() + "?preset=isaac&network=lenet5");
        shown(null);
        String before = ready();
        new Select(browser.findElement(By.id("network"))).selectByValue("vgg8");
        assertThat(shown(before).path("network").path("name").asText()).isEqualTo("vgg8");
        before = ready();
        browser.navigate().back();
        JsonNode back = shown(before);
        assertThat(back.path("network").path("name").asText()).isEqualTo("lenet5");
        assertThat(new Select(browser.findElement(By.id("network"))).getFirstSelectedOption().getAttribute("value"))
                .isEqualTo("lenet5");
        assertThat(browser.getCurrentUrl()).contains("network=lenet5");
        before = ready();
        browser.navigate().forward();
        assertThat(shown(before).path("network").path("name").asText()).isEqualTo("vgg8");
    }

    @Test
    void backReturnsToTheNetworkBeforeAnUploadAndForwardToTheUploadWithoutSendingItAgain() throws Exception {
        browser.get(base() + "?preset=isaac&network=lenet5");
        shown(null);
        // Uploads counted as the page sends them.
        script("window.uploads = 0; const f = window.fetch; window.fetch = (u, o) => {"
                + " if (String(u).startsWith('api/models')) window.uploads++; return f(u, o); };");
        Path csv = Files.writeString(dir.resolve("mini.csv"), "32,32,3,3,3,128,0,1\n");
        String before = ready();
        browser.findElement(By.id("model-file")).sendKeys(csv.toString());
        JsonNode uploaded = shown(before);
        String network = new Select(browser.findElement(By.id("network"))).getFirstSelectedOption().getAttribute("value");
        assertThat(network).isNotEqualTo("lenet5").contains("mini");
        assertThat(browser.getCurrentUrl()).doesNotContain("network=lenet5");
        assertThat(((Number) script("return window.uploads")).intValue()).isEqualTo(1);

        before = ready();
        browser.navigate().back();
        JsonNode back = shown(before);
        assertThat(back.path("network").path("name").asText()).isEqualTo("lenet5");
        assertThat(new Select(browser.findElement(By.id("network"))).getFirstSelectedOption().getAttribute("value"))
                .isEqualTo("lenet5");
        assertThat(browser.getCurrentUrl()).contains("network=lenet5");

        before = ready();
        browser.navigate().forward();
        JsonNode forward = shown(before);
        assertThat(forward.path("network").path("name").asText()).isEqualTo(uploaded.path("network").path("name").asText());
        assertThat(new Select(browser.findElement(By.id("network"))).getFirstSelectedOption().getAttribute("value"))
                .isEqualTo(network);
        assertThat(forward.path("inference")).isEqualTo(uploaded.path("inference"));
        // Back and Forward are the same page: the upload was sent once, and Forward named it on the server.
        assertThat(((Number) script("return window.uploads")).intValue()).isEqualTo(1);
    }

    @Test
    void axeFindsNoSeriousOrCriticalViolationOnTheMainViews() throws Exception {
        String axe = axe();
        browser.get(base() + "?preset=isaac&network=lenet5");
        shown(null);
        assertThat(seriousViolations(axe)).as("axe-core on the design view").isEmpty();
        browser.get(base() + "?preset=isaac&network=vgg16&chip=0");
        shown(null);
        assertThat(seriousViolations(axe)).as("axe-core on VGG-16, the network's arrays only").isEmpty();
        browser.manage().window().setSize(new Dimension(390, 844));
        browser.get(base() + "?preset=sot-mram&network=vgg8");
        shown(null);
        assertThat(seriousViolations(axe)).as("axe-core on a phone, a preset with knobs switched off").isEmpty();
    }

    @Test
    void theCompressionChartDrawsMarkersNotLinesAndPassesAxeToo() throws Exception {
        assumeTrue(org.abacim.core.data.Datasets.available("mnist"), "MNIST not fetched (scripts/fetch-data mnist)");
        String axe = axe();
        browser.get(base() + "?preset=isaac&network=lenet5&budgets=50&epochs=0&training=1&chip=0");
        shown(null);
        browser.findElement(By.id("run-compare")).click();
        new WebDriverWait(browser, Duration.ofMinutes(5))
                .until(b -> "done".equals(b.findElement(By.tagName("body")).getAttribute("data-compress")));
        // Projections side by side are independent: a marker each, no line between them.
        assertThat(browser.findElements(By.cssSelector("#steps-chart polyline, #steps-chart path"))).isEmpty();
        int rows = browser.findElements(By.cssSelector("#steps-table tbody tr")).size();
        assertThat(browser.findElements(By.cssSelector("#steps-chart .marker.accuracy:not(.key)"))).hasSize(rows);
        assertThat(browser.findElements(By.cssSelector("#steps-chart .marker.arrays:not(.key)"))).hasSize(rows);
        assertThat(browser.findElement(By.id("steps-chart")).getText()).contains("projection (each from the same trained model)");
        assertThat(browser.findElements(By.cssSelector("figure[data-chart='steps-chart'] details.numbers tbody tr"))).hasSize(rows);
        assertThat(browser.findElements(By.cssSelector("#compare-maps svg[aria-label]"))).hasSize(rows);
        assertThat(seriousViolations(axe)).as("axe-core on the projections compared").isEmpty();
    }
}
