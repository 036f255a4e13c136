package org.abacim.experiments.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's chromium driven through chromedriver, as every browser test opens it: headless, with its profile and
 * driver log in the test's own folder. Under {@code CI=true} a missing browser fails the test
 * (scripts/install-test-browser installs it); elsewhere the test is skipped.
 */
public final class HeadlessChromium {
    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    /**
     * Selenium's notice that it has no DevTools bindings is not for the test log (none are used). Kept in a field: a
     * logger only referenced by name may be collected, its level with it.
     */
    static final Logger SELENIUM = Logger.getLogger("org.openqa.selenium");

    static {
        SELENIUM.setLevel(Level.SEVERE);
    }

    private HeadlessChromium() {}

    /** Skips the calling test when the browser is not installed; fails it under CI. */
    public static void assumeInstalled() {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if ("true".equals(System.getenv("CI"))) {
            assertThat(installed).as("chromium and chromedriver under CI=true (scripts/install-test-browser)").isTrue();
        }
        assumeTrue(installed, "Debian's chromium and chromium-driver are not installed");
    }

    /** A browser whose window is {@code width × height} pixels, its profile and log under {@code folder}. */
    public static WebDriver open(Path folder, int width, int height) {
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--user-data-dir=" + folder.resolve("profile"), "--window-size=" + width + "," + height);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .withLogFile(folder.resolve("chromedriver.log").toFile()).build();
        return new ChromeDriver(service, options);
    }
}
