package org.abacim.experiments.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The teaching server's long work over HTTP: accuracy and compression jobs give the CLI's numbers, stream their
 * progress and rows, can be cancelled, are replaced by a newer job of their kind, wait in a bounded queue and stop at
 * the time limit; the page's schedules are compress configs the CLI runs; models sent from disk become networks.
 */
class TeachingServerJobsTest {
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final ObjectMapper JSON = new ObjectMapper();
    static final String ACCURACY = "preset=isaac&network=lenet5&set=device.programming.kind=lognormal"
            + "&set=device.programming.sigma=0.2&set=accuracy.dataset=mnist&set=accuracy.samples=100&set=accuracy.trials=3";

    @TempDir
    Path dir;

    Javalin server;
    PageClient page;

    private void start(int queue, Duration timeLimit) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(org.abacim.core.data.Datasets.available("mnist"),
                "MNIST not fetched (scripts/fetch-data mnist)");
        server = TeachingServer.start("127.0.0.1", 0, new TeachingServer.Limits(queue, timeLimit, 2, dir.resolve("uploads")));
        page = new PageClient(server.port());
    }

    @AfterEach
    void stop() {
        if (server != null) server.stop();
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        return page.send(method, path, body);
    }

    private String submit(String path, String body) throws Exception {
        HttpResponse<String> r = send("POST", path, body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return JSON.readTree(r.body()).path("id").asText();
    }

    /** The job once it has ended (polled; a bounded number of times). */
    private JsonNode ended(String id) throws Exception {
        for (int poll = 0; poll < 6000; poll++) {
            JsonNode job = JSON.readTree(send("GET", "/api/jobs/" + id, null).body());
            String state = job.path("state").asText();
            if (!state.equals("queued") && !state.equals("running")) return job;
            Thread.sleep(50);
        }
        throw new AssertionError("job " + id + " did not end");
    }

    private JsonNode waitFor(String id, String state) throws Exception {
        for (int poll = 0; poll < 6000; poll++) {
            JsonNode job = JSON.readTree(send("GET", "/api/jobs/" + id, null).body());
            if (job.path("state").asText().equals(state)) return job;
            Thread.sleep(20);
        }
        throw new AssertionError("job " + id + " never " + state);
    }

    private static List<JsonNode> events(JsonNode job, String type) {
        List<JsonNode> out = new ArrayList<>();
        job.path("events").forEach(e -> {
            if (e.path("type").asText().equals(type)) out.add(e);
        });
        return out;
    }

    private static JsonNode last(JsonNode job) {
        return job.path("events").get(job.path("events").size() - 1);
    }

    /** A compression config that trains for long: stopped jobs are stopped during its training. */
    private static String longCompression() {
        return """
                network: lenet5
                dataset: mnist
                training: { epochs: 200, seed: 7 }
                design: { preset: isaac }
                steps: [ { name: irregular, projections: [ { kind: irregular, keep: 0.5 } ] } ]
                out: long.npz
                """;
    }

    @Test
    void anAccuracyJobStreamsItsChipsAndEndsWithTheClisResult() throws Exception {
        start(4, Duration.ofMinutes(5));
        String id = submit("/api/jobs/accuracy?" + ACCURACY, null);
        // The event stream, as a page follows it: every event up to the end, then the stream closes.
        HttpResponse<Stream<String>> stream = HTTP.send(page.request("/api/jobs/" + id + "/events")
                .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofLines());
        List<JsonNode> streamed = new ArrayList<>();
        for (String line : (Iterable<String>) stream.body()::iterator) {
            if (line.startsWith("data: ")) streamed.add(JSON.readTree(line.substring(6)));
        }
        assertThat(streamed.get(0).path("type").asText()).isEqualTo("start");
        assertThat(streamed.get(streamed.size() - 1).path("state").asText()).isEqualTo("done");
        assertThat(streamed).anySatisfy(e -> assertThat(e.path("unit").asText()).isEqualTo("chips"));
        JsonNode result = streamed.stream().filter(e -> e.path("type").asText().equals("result")).findFirst().orElseThrow()
                .path("result");
        JsonNode cli = JSON.readTree(TeachingServerTest.cli("run", "--preset", "isaac", "--network", "lenet5", "--set",
                "device.programming.kind=lognormal", "--set", "device.programming.sigma=0.2", "--set",
                "accuracy.dataset=mnist", "--set", "accuracy.samples=100", "--set", "accuracy.trials=3", "--format", "json"));
        assertThat(result.path("accuracy")).isEqualTo(cli.path("accuracy"));
        assertThat(result.path("accuracy").path("trials").size()).isEqualTo(3);
        // The same events, polled.
        assertThat(events(ended(id), "result")).hasSize(1);
    }

    @Test
    void aJobWithoutAnAccuracySectionOrWithABadValueIsRefusedBeforeItIsQueued() throws Exception {
        start(4, Duration.ofMinutes(5));
        HttpResponse<String> none = send("POST", "/api/jobs/accuracy?preset=isaac&network=lenet5", null);
        assertThat(none.statusCode()).isEqualTo(400);
        assertThat(none.body()).startsWith("abacim: ").contains("accuracy.dataset");
        HttpResponse<String> bad = send("POST", "/api/jobs/accuracy?" + ACCURACY.replace("sigma=0.2", "sigma=lots"), null);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("device.programming.sigma").contains("lots");
        HttpResponse<String> config = send("POST", "/api/jobs/compress",
                "network: lenet5\ndataset: mnist\ndesign: { preset: isaac }\nsteps: []\nout: x.npz\n");
        assertThat(config.statusCode()).isEqualTo(400);
        assertThat(config.body()).startsWith("abacim: compression config:4:").contains("steps").contains("at least one step");
    }

    @Test
    void aCompressionJobStreamsARowAndADesignPointPerStepAsTheCliComputesThem() throws Exception {
        start(4, Duration.ofMinutes(5));
        HttpResponse<String> schedule = send("GET", "/api/schedule?preset=isaac&set=simulation.replication=none"
                + "&keep=0.5&keep=0.1&epochs=1&training=2&quantize=8", null);
        assertThat(schedule.statusCode()).as(schedule.body()).isEqualTo(200);
        JsonNode job = ended(submit("/api/jobs/compress", schedule.body()));
        assertThat(last(job).path("state").asText()).as(last(job).toString()).isEqualTo("done");
        List<JsonNode> rows = events(job, "row");
        assertThat(rows).extracting(r -> r.path("step").asText())
                .containsExactly("dense (trained)", "crossbar-block 50 %", "crossbar-block 10 %", "8-bit quantization");
        // Each row's design point is the compressed model's: fewer arrays as the budget shrinks.
        assertThat(rows.get(2).path("point").path("inference").path("arrays").asLong())
                .isEqualTo(rows.get(2).path("arrays").asLong())
                .isLessThan(rows.get(0).path("arrays").asLong());
        // The page's config, run by the CLI, gives the same table.
        Path config = dir.resolve("page.yaml");
        Files.writeString(config, schedule.body());
        TeachingServerTest.cli("compress", config.toString(), "--out", dir.resolve("out").toString());
        List<String> csv = Files.readAllLines(dir.resolve("out/lenet5-page-steps.csv"));
        assertThat(csv).hasSize(rows.size() + 1);
        for (int i = 0; i < rows.size(); i++) {
            String[] cells = csv.get(i + 1).split(",");
            // Columns from the end (a step's name may hold commas): ..., accuracy, sparsity, weights, arrays,
            // arrays_dense, index_bits, energy_J, area_in_use_mm2, accuracy_se, change_se.
            assertThat(Double.parseDouble(cells[cells.length - 10])).as("accuracy of %s", rows.get(i).path("step"))
                    .isEqualTo(rows.get(i).path("accuracy").asDouble());
            assertThat(Long.parseLong(cells[cells.length - 7])).isEqualTo(rows.get(i).path("arrays").asLong());
        }
    }

    @Test
    void comparingProjectionsRunsEachFromTheTrainedModelOnTheSameBudget() throws Exception {
        start(4, Duration.ofMinutes(5));
        String yaml = send("GET", "/api/schedule?preset=isaac&set=simulation.replication=none&mode=compare&keep=0.1"
                + "&epochs=1&training=2", null).body();
        JsonNode job = ended(submit("/api/jobs/compress?compare=true", yaml));
        List<JsonNode> rows = events(job, "row");
        assertThat(rows).extracting(r -> r.path("step").asText()).containsExactly("dense (trained)", "irregular 10 %",
                "crossbar-block 10 %", "pattern 10 %", "polarize 10 %");
        // Irregular, pattern and polarization keep the same number of weights (the budget), each from the dense model.
        for (int i : new int[] {1, 3, 4}) assertThat(rows.get(i).path("sparsity").asDouble()).isCloseTo(0.9, org.assertj.core.data.Offset.offset(0.01));
        // The lesson: on crossbars, pruning whole blocks frees more arrays than pruning weights one by one.
        assertThat(rows.get(2).path("arrays").asLong()).isLessThan(rows.get(1).path("arrays").asLong());
    }

    @Test
    void aJobIsCancelledOnRequestOrByANewerJobOfItsKindAndStopsAtTheTimeLimit() throws Exception {
        start(4, Duration.ofMinutes(5));
        String first = submit("/api/jobs/compress", longCompression());
        waitFor(first, "running");
        String second = submit("/api/jobs/compress", longCompression().replace("seed: 7", "seed: 8"));
        JsonNode replaced = ended(first);
        assertThat(last(replaced).path("state").asText()).isEqualTo("cancelled");
        assertThat(last(replaced).path("message").asText()).isEqualTo("replaced by a newer request");
        waitFor(second, "running");
        assertThat(send("DELETE", "/api/jobs/" + second, null).statusCode()).isEqualTo(204);
        assertThat(last(ended(second)).path("message").asText()).isEqualTo("cancelled by the page");
        server.stop();

        start(4, Duration.ofSeconds(1));
        JsonNode limited = ended(submit("/api/jobs/compress", longCompression().replace("seed: 7", "seed: 9")));
        assertThat(last(limited).path("state").asText()).isEqualTo("cancelled");
        assertThat(last(limited).path("message").asText()).contains("time limit of 1 s");
    }

    @Test
    void trainingReportsEachBatchSoTheTimeLeftIsKnownBeforeTheFirstEpochEnds() throws Exception {
        start(4, Duration.ofMinutes(5));
        String id = submit("/api/jobs/compress", longCompression().replace("seed: 7", "seed: 11"));
        // 200 epochs of LeNet-5: the first alone takes seconds. Its progress counts batches, and its note the epoch.
        JsonNode timed = null;
        long started = System.nanoTime();
        for (int poll = 0; poll < 3000 && timed == null; poll++) {
            JsonNode job = JSON.readTree(send("GET", "/api/jobs/" + id, null).body());
            timed = events(job, "progress").stream()
                    .filter(e -> e.path("stage").asText().equals("training lenet5") && e.path("eta_s").isNumber())
                    .findFirst().orElse(null);
            assertThat(job.path("state").asText()).isIn("queued", "running");
            if (timed == null) Thread.sleep(20);
        }
        assertThat(timed).as("a training progress event with the time left").isNotNull();
        double seconds = (System.nanoTime() - started) / 1e9;
        assertThat(timed.path("unit").asText()).isEqualTo("batches");
        long perEpoch = timed.path("total").asLong() / 200;
        assertThat(timed.path("total").asLong()).isEqualTo(200 * perEpoch).isPositive();
        assertThat(timed.path("done").asLong()).as("batches done when the time left was first known")
                .isPositive().isLessThan(perEpoch);
        assertThat(timed.path("note").asText()).matches("epoch 1 of 200, loss [0-9.]+");
        assertThat(timed.path("eta_s").asDouble()).isPositive();
        assertThat(seconds).as("seconds until the time left was known").isLessThan(30);
        assertThat(send("DELETE", "/api/jobs/" + id, null).statusCode()).isEqualTo(204);
        assertThat(last(ended(id)).path("state").asText()).isEqualTo("cancelled");
    }

    @Test
    void aServerStillStopsItsJobsWhenAnotherServerOfTheProcessStopped() throws Exception {
        start(4, Duration.ofMinutes(5));
        Javalin first = server;
        server = TeachingServer.start("127.0.0.1", 0, new TeachingServer.Limits(4, Duration.ofMinutes(5), 2, dir.resolve("u2")));
        page = new PageClient(server.port());
        first.stop();
        String id = submit("/api/jobs/compress", longCompression().replace("seed: 7", "seed: 10"));
        waitFor(id, "running");
        send("DELETE", "/api/jobs/" + id, null);
        assertThat(last(ended(id)).path("message").asText()).isEqualTo("cancelled by the page");
    }

    @Test
    void theQueueIsBoundedAndAReplacedQueuedJobFreesItsPlace() throws Exception {
        start(1, Duration.ofMinutes(5));
        String running = submit("/api/jobs/compress", longCompression());
        waitFor(running, "running");
        String queued = submit("/api/jobs/accuracy?" + ACCURACY, null);
        // The queue (one place) is full: another kind of job is refused, with a line that says so.
        HttpResponse<String> busy = send("POST", "/api/jobs/compress?compare=true", longCompression());
        assertThat(busy.statusCode()).as(busy.body()).isEqualTo(503);
        assertThat(busy.body()).startsWith("abacim: the server is busy");
        // A newer accuracy job takes the older one's place in the queue.
        String newer = submit("/api/jobs/accuracy?" + ACCURACY.replace("sigma=0.2", "sigma=0.1"), null);
        assertThat(last(ended(queued)).path("state").asText()).isEqualTo("cancelled");
        send("DELETE", "/api/jobs/" + running, null);
        assertThat(last(ended(newer)).path("state").asText()).isEqualTo("done");
    }

    @Test
    void aModelSentFromDiskIsANetworkOfTheCliAndABadNameIsRefused() throws Exception {
        start(4, Duration.ofMinutes(5));
        // A weight map: its manifest and .npz, sent one after the other as the page does.
        Path map = tinyWeightMap(dir);
        String network = null;
        for (String name : List.of("tiny.json", "tiny.npz")) {
            HttpResponse<String> r = HTTP.send(page.request("/api/models?name=" + name)
                    .POST(HttpRequest.BodyPublishers.ofFile(map.resolve(name))).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            if (network == null) network = JSON.readTree(r.body()).path("network").asText();
        }
        // The reply names the upload by its file name, never by the server's path.
        assertThat(network).isEqualTo("tiny.json");
        assertThat(dir.resolve("uploads/tiny.json")).exists();
        String point = send("GET", "/api/point?preset=isaac&network=" + URLEncoder.encode(network, StandardCharsets.UTF_8), null).body();
        String cli = TeachingServerTest.cli("run", "--preset", "isaac", "--network", map.resolve("tiny.json").toString(),
                "--format", "json");
        assertThat(JSON.readTree(point).path("compression")).isEqualTo(JSON.readTree(cli).path("compression"));
        assertThat(JSON.readTree(point).path("compression").path("arrays_saved").asLong()).isPositive();
        for (String bad : List.of("../escape.onnx", "model.exe", "")) {
            HttpResponse<String> r = send("POST", "/api/models?name=" + URLEncoder.encode(bad, StandardCharsets.UTF_8), "x");
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.body()).startsWith("abacim: ");
        }
    }

    /** A short schedule whose model a compress job keeps (tiny.yaml of {@link #tinyWeightMap}, under another name). */
    private static String keptSchedule(int seed) {
        return """
                network: lenet5
                dataset: mnist
                training: { epochs: 1, seed: 1 }
                design: { preset: isaac }
                steps: [ { name: blocks, projections: [ { kind: crossbar-block, rows: 128, cols: 16, keep: 0.2 } ],
                           admmEpochs: 1, retrainEpochs: 1 } ]
                optimizer: { seed: %d }
                out: kept.npz
                """.formatted(seed);
    }

    @Test
    void aKeptCompressionJobWritesTheClisWeightMapAmongTheUploadsWholeAndNeverReplacesOther() throws Exception {
        start(4, Duration.ofMinutes(5));
        Path uploads = dir.resolve("uploads");
        // keep and compare together: refused before anything runs.
        HttpResponse<String> both = send("POST", "/api/jobs/compress?keep=true&compare=true", keptSchedule(1));
        assertThat(both.statusCode()).isEqualTo(400);
        assertThat(both.body()).startsWith("abacim: ").contains("keep=true");
        JsonNode job = ended(submit("/api/jobs/compress?keep=true", keptSchedule(1)));
        assertThat(last(job).path("state").asText()).as(last(job).toString()).isEqualTo("done");
        JsonNode events = job.path("events");
        JsonNode kept = events.get(events.size() - 2);
        assertThat(kept.path("type").asText()).isEqualTo("kept");
        assertThat(kept.path("kept").asText()).isEqualTo("kept.json");
        // Only the weight map is kept: no staging folder, no step tables or charts among the uploads.
        try (var files = Files.list(uploads)) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder("kept.json", "kept.npz");
        }
        // The weights are the bytes abacim compress writes for the same config; the manifest differs only in naming
        // its config (a file on the command line, "compression config" and "teaching page" here).
        Path config = dir.resolve("kept.yaml");
        Files.writeString(config, keptSchedule(1));
        TeachingServerTest.cli("compress", config.toString(), "--out", dir.resolve("cli").toString());
        assertThat(Files.mismatch(uploads.resolve("kept.npz"), dir.resolve("cli/kept.npz"))).isEqualTo(-1L);
        JsonNode manifest = JSON.readTree(uploads.resolve("kept.json").toFile());
        JsonNode cliManifest = JSON.readTree(dir.resolve("cli/kept.json").toFile());
        for (JsonNode m : List.of(manifest, cliManifest)) {
            m.path("compression").forEach(layer -> ((com.fasterxml.jackson.databind.node.ObjectNode) layer).remove("source"));
        }
        for (String field : List.of("network", "weights", "tensors", "compression")) {
            assertThat(manifest.path(field)).as(field).isEqualTo(cliManifest.path(field));
        }
        assertThat(manifest.path("compression").path("conv1").path("pruning").path("mask").asText()).isEqualTo("conv1.mask");
        // The kept model is a network (and accuracy.model) a request may name, as an upload is.
        HttpResponse<String> point = send("GET", "/api/point?preset=isaac&network=kept.json", null);
        assertThat(point.statusCode()).as(point.body()).isEqualTo(200);
        assertThat(JSON.readTree(point.body()).path("compression").path("arrays_saved").asLong()).isPositive();
        // The same config again: the same bytes, reused under the same name.
        JsonNode again = ended(submit("/api/jobs/compress?keep=true", keptSchedule(1)));
        assertThat(last(again).path("state").asText()).as(last(again).toString()).isEqualTo("done");
        assertThat(events(again, "kept").get(0).path("kept").asText()).isEqualTo("kept.json");
        // Another seed, the same name: other bytes, refused; the kept model stays as it was.
        byte[] before = Files.readAllBytes(uploads.resolve("kept.npz"));
        JsonNode other = ended(submit("/api/jobs/compress?keep=true", keptSchedule(2)));
        assertThat(last(other).path("state").asText()).isEqualTo("failed");
        assertThat(last(other).path("message").asText()).startsWith("abacim: refused: a model named kept.")
                .contains("other bytes").doesNotContain(uploads.toString());
        assertThat(Files.readAllBytes(uploads.resolve("kept.npz"))).isEqualTo(before);
        try (var files = Files.list(uploads)) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder("kept.json", "kept.npz");
        }
    }

    @Test
    void aKeptModelCountsAgainstTheUploadQuotaAndIsKeptWholeOrNotAtAll() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(org.abacim.core.data.Datasets.available("mnist"),
                "MNIST not fetched (scripts/fetch-data mnist)");
        Path uploads = dir.resolve("small");
        server = TeachingServer.start("127.0.0.1", 0, new TeachingServer.Limits(4, Duration.ofMinutes(5), 2, uploads,
                Uploads.DEFAULT_FILE_LIMIT, 20_000, List.of()));
        page = new PageClient(server.port());
        JsonNode job = ended(submit("/api/jobs/compress?keep=true", keptSchedule(1)));
        assertThat(last(job).path("state").asText()).isEqualTo("failed");
        assertThat(last(job).path("message").asText()).contains("quota").contains("nothing of it was kept");
        assertThat(events(job, "kept")).isEmpty();
        try (var files = Files.list(uploads)) {
            assertThat(files.toList()).as("nothing kept, no staging folder left").isEmpty();
        }
        // The rejected model took none of the quota: a small upload still fits.
        HttpResponse<String> small = send("POST", "/api/models?name=small.csv", "x".repeat(1000));
        assertThat(small.statusCode()).as(small.body()).isEqualTo(200);
    }

    /**
     * A small crossbar-block-pruned LeNet-5 written by {@code abacim compress} into {@code dir}/map (tiny.json and
     * tiny.npz): a model "from disk" for the server and the page.
     */
    static Path tinyWeightMap(Path dir) throws Exception {
        Path config = dir.resolve("tiny.yaml");
        Files.writeString(config, """
                network: lenet5
                dataset: mnist
                training: { epochs: 1, seed: 1 }
                design: { preset: isaac }
                steps: [ { name: blocks, projections: [ { kind: crossbar-block, rows: 128, cols: 16, keep: 0.2 } ],
                           admmEpochs: 1, retrainEpochs: 1 } ]
                out: tiny.npz
                """);
        Path map = dir.resolve("map");
        TeachingServerTest.cli("compress", config.toString(), "--out", map.toString());
        return map;
    }
}
