package org.abacim.experiments.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The teaching page's server over HTTP: its design points are the CLI's JSON for the same knobs, a refused knob is
 * HTTP 400 with the CLI's one-line message, the page and its script come from the jar, and it listens on loopback.
 */
class TeachingServerTest {
    static Javalin server;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        server = TeachingServer.start("127.0.0.1", 0);
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static String cli(String... args) {
        org.abacim.experiments.cli.Cli run = org.abacim.experiments.cli.Cli.run(args);
        assertThat(run.code()).as(run.err()).isZero();
        return run.out();
    }

    @Test
    void aDesignPointIsTheClisJsonForTheSameKnobs() throws Exception {
        HttpResponse<String> r = get("/api/point?preset=isaac&network=lenet5&set=array.rows=256&set="
                + URLEncoder.encode("adc.bits=6", StandardCharsets.UTF_8));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(cli("run", "--preset", "isaac", "--network", "lenet5", "--set", "array.rows=256",
                "--set", "adc.bits=6", "--format", "json"));
        // A knob moves the numbers: 256-row arrays need fewer of them than 128-row ones.
        assertThat(get("/api/point?preset=isaac&network=lenet5").body()).isNotEqualTo(r.body());
    }

    @Test
    void aRefusedKnobIsA400WithTheClisMessage() throws Exception {
        HttpResponse<String> r = get("/api/point?preset=isaac&network=lenet5&set="
                + URLEncoder.encode("array.readCycle=100", StandardCharsets.UTF_8));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).startsWith("abacim: ").contains("array.readCycle").contains("100")
                .contains("a bare number is not a time").doesNotContain("\tat ");
        assertThat(get("/api/point?preset=nosuch&network=lenet5").statusCode()).isEqualTo(400);
        assertThat(get("/api/point?network=lenet5").body()).contains("give preset=NAME and network=NAME");
    }

    /** A "billion laughs" value in a knob is one line, and the server answers the next request (issue #29). */
    @Test
    void aKnobWhoseAliasesMultiplyIsA400AndTheServerStillAnswers() throws Exception {
        String laughs = org.abacim.core.config.BillionLaughs.flow();
        HttpResponse<String> r = get("/api/point?preset=isaac&network=lenet5&set="
                + URLEncoder.encode("array.rows=" + laughs, StandardCharsets.UTF_8));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).startsWith("abacim: ").contains("may repeat at most 100,000").doesNotContain("\tat ");
        assertThat(get("/api/point?preset=isaac&network=lenet5").statusCode()).isEqualTo(200);
    }

    @Test
    void thePageAndItsScriptComeFromTheJarAndTheCatalogListsWhatTheCliKnows() throws Exception {
        HttpResponse<String> page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<script src=\"app.js\">").doesNotContain("http://").doesNotContain("https://");
        assertThat(page.body()).contains("id=\"map\"");
        assertThat(get("/app.js").body()).contains("api/point").contains("function placementMap");
        assertThat(get("/api/catalog").body()).contains("\"isaac\"").contains("\"forms\"").contains("\"lenet5\"")
                .contains("\"resnet18\"");
    }

    @Test
    void theCatalogNamesEachPresetsKeysSoThePageOffersOnlyTheKnobsItHas() throws Exception {
        com.fasterxml.jackson.databind.JsonNode keys = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(get("/api/catalog").body()).get("keys");
        for (String preset : org.abacim.core.api.Catalog.presetNames()) {
            // One hierarchy vocabulary (#30): every preset has array.rows and array.cols.
            assertThat(keys.get(preset).toString()).as(preset).contains("\"array.rows\"", "\"array.cols\"",
                    "\"weights.bits\"", "\"inputBits\"", "\"simulation.replication\"",
                    "\"process.node\"", "\"process.supply\"");
        }
        assertThat(keys.get("isaac").toString()).contains("\"array.bitsPerCell\"", "\"array.dacBits\"", "\"adc.bits\"");
        assertThat(keys.get("capram").toString()).contains("\"array.dacBits\"", "\"adc.bits\"")
                .doesNotContain("\"array.bitsPerCell\"");
        assertThat(keys.get("sot-mram").toString()).doesNotContain("\"adc.bits\"", "\"array.dacBits\"");
        assertThat(get("/app.js").body()).contains("function offerKnobs");
        // Each preset's value at each key, and its technology: the knobs' placeholders and the reason a knob is off.
        com.fasterxml.jackson.databind.JsonNode values = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(get("/api/catalog").body()).get("values");
        assertThat(values.path("isaac").path("array.rows").asText()).isEqualTo("128");
        assertThat(values.path("isaac").path("weights.bits").asText()).isEqualTo("16");
        assertThat(values.path("isaac").path("adc.bits").asText()).isEqualTo("auto");
        assertThat(values.path("isaac").path("process.node").asText()).isEqualTo("32 nm");
        assertThat(values.path("capram").path("array.rows").asText()).isEqualTo("512");
        assertThat(values.path("capram").path("technology").asText()).isEqualTo("sram-capram");
        assertThat(get("/").body()).contains("data-path=\"process.node\"", "data-path=\"process.supply\"");
    }

    @Test
    void itListensOnTheLoopbackAddressOnly() {
        assertThat(server.jettyServer().server().getURI().getHost()).isIn("127.0.0.1", "localhost");
    }
}
