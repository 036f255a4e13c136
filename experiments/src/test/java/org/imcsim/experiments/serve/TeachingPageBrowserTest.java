package org.imcsim.experiments.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The teaching page in Debian's headless Chromium, driven through chromedriver: it loads, a changed control changes
 * the numbers and the placement map, and what the page shows is the CLI's JSON for the same view. Needs chromium
 * and chromedriver (scripts/install-test-browser; always in CI, where a missing browser fails instead of skipping).
 */
class TeachingPageBrowserTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    Javalin server;
    WebDriver browser;

    @BeforeEach
    void open() {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if ("true".equals(System.getenv("CI"))) {
            assertThat(installed).as("chromium and chromedriver under CI=true (scripts/install-test-browser)").isTrue();
        }
        assumeTrue(installed, "Debian's chromium and chromium-driver are not installed");
        server = TeachingServer.start("127.0.0.1", 0);
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--user-data-dir=" + dir.resolve("profile"), "--window-size=1280,1500");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .withLogFile(dir.resolve("chromedriver.log").toFile()).build();
        browser = new ChromeDriver(service, options);
    }

    @AfterEach
    void close() {
        if (browser != null) browser.quit();
        if (server != null) server.stop();
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
                .isEqualTo("imcsim run --preset isaac --network vgg8 --set array.rows=256");
        // The config file the page offers reproduces the view from the command line.
        Path config = dir.resolve("view.yaml");
        Files.writeString(config, browser.findElement(By.id("yaml")).getText() + "\n");
        assertSameJson(changed, cli("run", config.toString(), "--format", "json"));
        // The view is in the address: opening it again shows the same.
        String link = browser.getCurrentUrl();
        assertThat(link).contains("network=vgg8").contains("array.rows%3D256");

        // A value the model refuses shows the CLI's line, and the last good view stays.
        String last = ready();
        browser.findElement(By.cssSelector("input[data-path='adc.bits']")).sendKeys("many");
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(b -> b.findElement(By.id("error")).isDisplayed());
        assertThat(browser.findElement(By.id("error")).getText()).startsWith("imcsim: ").contains("adc.bits");
        assertThat(ready()).isEqualTo(last);
    }
}
