package org.abacim.experiments.serve;

import io.javalin.Javalin;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

/** A teaching server on a free loopback port and a headless browser on it, one pair per test. */
abstract class TeachingPageSession {
    @TempDir
    Path dir;

    Javalin server;
    WebDriver browser;

    @BeforeEach
    void open() {
        HeadlessChromium.assumeInstalled();
        server = TeachingServer.start("127.0.0.1", 0);
        browser = HeadlessChromium.open(dir, 1280, 1500);
    }

    @AfterEach
    void close() {
        if (browser != null) browser.quit();
        if (server != null) server.stop();
    }

    Object script(String code, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(code, args);
    }

    String base() {
        return "http://127.0.0.1:" + server.port() + "/";
    }
}
