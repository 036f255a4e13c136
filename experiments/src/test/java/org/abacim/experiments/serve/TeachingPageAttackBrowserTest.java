package org.abacim.experiments.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.javalin.Javalin;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Another site's page against the teaching server, in headless Chromium (issue #29): a page served on another
 * loopback port and a {@code file://} page try a cross-site form upload, {@code no-cors} POSTs that would start an
 * accuracy and a compression job and upload a model, a POST with a guessed token, and a DELETE of a job whose id
 * they know. The server's state shows that none of it landed: the upload folder stays empty, no job was started and
 * the page's own job still runs. And a link to a view with an accuracy run does not start the run by itself.
 */
class TeachingPageAttackBrowserTest {
    static final ObjectMapper JSON = new ObjectMapper();

    /** The attacking page: attack(base, jobId) resolves with what each try saw (an opaque reply, an error…). */
    static final String ATTACK = """
            <!DOCTYPE html><html><head><meta charset="utf-8"><title>a page of another site</title></head><body>
            <iframe name="sink"></iframe>
            <script>
            const config = "network: lenet5\\ndataset: mnist\\ndesign: { preset: isaac }\\nsteps: [ { name: a, "
              + "projections: [ { kind: irregular, keep: 0.5 } ] } ]\\nout: x.npz\\n";
            async function attempt(log, what, promise) {
              try { const r = await promise; log.push(what + ": " + r.type + " " + r.status); }
              catch (e) { log.push(what + ": " + e.name); }
            }
            async function attack(base, job) {
              const log = [];
              await new Promise((resolve) => {
                const form = document.createElement("form");
                form.method = "POST";
                form.enctype = "multipart/form-data";
                form.target = "sink";
                form.action = base + "api/models?name=evil.onnx";
                const input = document.createElement("input");
                input.name = "model";
                input.value = "not a model";
                form.append(input);
                document.body.append(form);
                document.querySelector("iframe").onload = resolve;
                setTimeout(resolve, 5000);
                form.submit();
              });
              log.push("form posted");
              await attempt(log, "accuracy", fetch(base + "api/jobs/accuracy?preset=isaac&network=lenet5"
                + "&set=accuracy.dataset%3Dmnist&set=accuracy.samples%3D100&set=accuracy.trials%3D2",
                { mode: "no-cors", method: "POST" }));
              await attempt(log, "compress", fetch(base + "api/jobs/compress", { mode: "no-cors", method: "POST", body: config }));
              await attempt(log, "upload", fetch(base + "api/models?name=evil2.onnx", { mode: "no-cors", method: "POST", body: "x" }));
              await attempt(log, "guessed token", fetch(base + "api/jobs/compress",
                { method: "POST", body: config, headers: { "X-abacim-Token": "AAAAAAAAAAAAAAAAAAAAAA" } }));
              await attempt(log, "cancel", fetch(base + "api/jobs/" + job, { method: "DELETE" }));
              await attempt(log, "cancel no-cors", fetch(base + "api/jobs/" + job, { method: "DELETE", mode: "no-cors" }));
              await attempt(log, "read job", fetch(base + "api/jobs/" + job));
              return log;
            }
            </script></body></html>
            """;

    @TempDir
    Path dir;

    Javalin server;
    HttpServer attacker;
    WebDriver browser;

    @BeforeEach
    void open() throws Exception {
        HeadlessChromium.assumeInstalled();
        server = TeachingServer.start("127.0.0.1", 0, new TeachingServer.Limits(4, Duration.ofMinutes(5), 2, dir.resolve("uploads")));
        attacker = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        attacker.createContext("/", exchange -> {
            byte[] page = ATTACK.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        attacker.start();
        browser = HeadlessChromium.open(dir, 1280, 1000);
        browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
    }

    @AfterEach
    void close() {
        if (browser != null) browser.quit();
        if (attacker != null) attacker.stop(0);
        if (server != null) server.stop();
    }

    private String base() {
        return "http://127.0.0.1:" + server.port() + "/";
    }

    private static long files(Path folder) throws Exception {
        if (!Files.exists(folder)) return 0;
        try (Stream<Path> s = Files.list(folder)) {
            return s.count();
        }
    }

    @SuppressWarnings("unchecked")
    private java.util.List<String> attackFrom(String url, String job) {
        browser.get(url);
        return (java.util.List<String>) ((JavascriptExecutor) browser).executeAsyncScript(
                "attack(arguments[0], arguments[1]).then(arguments[2])", base(), job);
    }

    @Test
    void pagesOfAnotherOriginUploadNothingStartNothingAndCancelNothing() throws Exception {
        assumeTrue(org.abacim.core.data.Datasets.available("mnist"), "MNIST not fetched (scripts/fetch-data mnist)");
        // The student's own job, running: its id is what an attacker would most like to cancel.
        PageClient student = new PageClient(server.port());
        String config = "network: lenet5\ndataset: mnist\ntraining: { epochs: 200, seed: 3 }\ndesign: { preset: isaac }\n"
                + "steps: [ { name: a, projections: [ { kind: irregular, keep: 0.5 } ] } ]\nout: long.npz\n";
        HttpResponse<String> started = student.send("POST", "/api/jobs/compress", config);
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        String job = JSON.readTree(started.body()).path("id").asText();

        Path file = Files.writeString(dir.resolve("attack.html"), ATTACK);
        long refusedBefore = TeachingServer.refusals(server);
        java.util.List<String> fromPort = attackFrom("http://127.0.0.1:" + attacker.getAddress().getPort() + "/", job);
        long refusedPort = TeachingServer.refusals(server) - refusedBefore;
        java.util.List<String> fromFile = attackFrom(file.toUri().toString(), job);
        long refusedFile = TeachingServer.refusals(server) - refusedBefore - refusedPort;
        // The requests reached the server and it refused them (the form, three no-cors POSTs, the preflights of the
        // POST with a header and of the DELETE): not the browser alone that stopped them.
        assertThat(refusedPort).as("%s", fromPort).isGreaterThanOrEqualTo(6);
        assertThat(refusedFile).as("%s", fromFile).isGreaterThanOrEqualTo(6);
        // What the attacking pages saw: every try failed for them (the replies to no-cors requests are blocked too, by
        // Cross-Origin-Resource-Policy), none read a reply.
        for (java.util.List<String> log : java.util.List.of(fromPort, fromFile)) {
            assertThat(log).as("%s", log).hasSize(8).first().isEqualTo("form posted");
            assertThat(log.subList(1, 8)).as("%s", log).allSatisfy(entry -> assertThat(entry).endsWith(": TypeError"));
        }

        // The server's state: nothing uploaded, no job but the student's, which still runs.
        assertThat(files(dir.resolve("uploads"))).isZero();
        assertThat(TeachingServer.jobsSubmitted(server)).isEqualTo(1);
        JsonNode state = JSON.readTree(student.send("GET", "/api/jobs/" + job, null).body());
        assertThat(state.path("state").asText()).isIn("queued", "running");
        assertThat(state.toString()).doesNotContain("cancel");
        assertThat(student.send("DELETE", "/api/jobs/" + job, null).statusCode()).isEqualTo(204);
    }

    @Test
    void aSharedLinkToAnAccuracyViewFillsTheControlsButStartsNoJob() throws Exception {
        browser.get(base() + "?preset=isaac&network=lenet5&sigma=0.3&dataset=mnist&trials=2&samples=50&score=1");
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(b ->
                b.findElement(By.tagName("body")).getAttribute("data-ready") != null);
        Thread.sleep(1500); // time for a job the page would have posted after its first design point
        assertThat(TeachingServer.jobsSubmitted(server)).isZero();
        assertThat(browser.findElement(By.tagName("body")).getAttribute("data-accuracy")).isNull();
        // The view was restored: σ, and the accuracy run in the command that reproduces it.
        assertThat(browser.findElement(By.id("sigma-value")).getText()).isEqualTo("0.30");
        assertThat(browser.findElement(By.id("command")).getText()).contains("device.programming.sigma=0.3")
                .contains("accuracy.trials=2");
    }
}
