package org.abacim.experiments.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The teaching server against requests that are not its page's (issue #29): a Host that is not its own, a request
 * that changes state without the page's token or from another site's Origin, file names that leave the upload
 * folder, uploads over the limits, and security headers on every kind of response.
 */
class TeachingServerSecurityTest {
    @TempDir
    Path dir;

    Javalin server;

    @AfterEach
    void stop() {
        if (server != null) server.stop();
    }

    private void start(TeachingServer.Limits limits) {
        server = TeachingServer.start("127.0.0.1", 0, limits);
    }

    private void start() {
        start(new TeachingServer.Limits(4, Duration.ofMinutes(1), 1, dir.resolve("uploads")));
    }

    /** A response read off a raw socket: its status, headers (lower-case names) and body. */
    record Raw(int status, Map<String, String> headers, String body) {}

    /** Sends {@code head} (request line and headers, without the blank line) and {@code body} as they are. */
    private Raw raw(String head, byte[] body) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write((head + "\r\nConnection: close\r\n" + (body == null ? "" : "Content-Length: " + body.length + "\r\n")
                    + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) out.write(body);
            out.flush();
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String[] parts = response.split("\r\n\r\n", 2);
            String[] lines = parts[0].split("\r\n");
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(), lines[i].substring(colon + 1).trim());
            }
            String b = parts.length > 1 ? parts[1] : "";
            if ("chunked".equals(headers.get("transfer-encoding"))) b = unchunk(b);
            return new Raw(Integer.parseInt(lines[0].split(" ")[1]), headers, b);
        }
    }

    private static String unchunk(String body) {
        StringBuilder b = new StringBuilder();
        int at = 0;
        while (true) {
            int eol = body.indexOf("\r\n", at);
            int n = Integer.parseInt(body.substring(at, eol).trim(), 16);
            if (n == 0) return b.toString();
            b.append(body, eol + 2, eol + 2 + n);
            at = eol + 2 + n + 2;
        }
    }

    private String host() {
        return "127.0.0.1:" + server.port();
    }

    private Raw get(String path, String host) throws Exception {
        return raw("GET " + path + " HTTP/1.1\r\nHost: " + host, null);
    }

    private static void assertOneLineRefusal(Raw r, int status) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.body()).startsWith("abacim: ").doesNotContain("\n").doesNotContain("\tat ");
    }

    @Test
    void aHostThatIsNotTheServersIsRefusedAndLoopbackNamesAreNot() throws Exception {
        start();
        int port = server.port();
        for (String host : List.of("evil.example:" + port, "attacker.test", "127.0.0.1", "localhost:" + (port + 1),
                "192.168.1.10:" + port, "localhost.evil.example:" + port)) {
            Raw r = get("/api/catalog", host);
            assertOneLineRefusal(r, 403);
            assertThat(r.body()).contains("Host").contains("--allow-host");
        }
        // The page itself and its files, too: a rebound name gets nothing of them.
        assertThat(get("/", "evil.example:" + port).body()).doesNotContain("abacim-token");
        assertOneLineRefusal(get("/", "evil.example:" + port), 403);
        assertOneLineRefusal(get("/app.js", "evil.example:" + port), 403);
        for (String host : List.of("127.0.0.1:" + port, "localhost:" + port, "127.0.0.2:" + port, "[::1]:" + port,
                "LOCALHOST:" + port)) {
            assertThat(get("/api/catalog", host).status()).as(host).isEqualTo(200);
        }
    }

    @Test
    void aNameGivenWithAllowHostIsAccepted() throws Exception {
        start(new TeachingServer.Limits(4, Duration.ofMinutes(1), 1, dir.resolve("uploads"), 1 << 20, 1 << 20,
                List.of("classroom.example")));
        assertThat(get("/api/catalog", "classroom.example:" + server.port()).status()).isEqualTo(200);
        assertOneLineRefusal(get("/api/catalog", "other.example:" + server.port()), 403);
    }

    @Test
    void aStateChangeNeedsThePagesTokenAndNoForeignOrigin() throws Exception {
        start();
        String token = PageClient.token(server.port());
        String uploadHead = "POST /api/models?name=a.csv HTTP/1.1\r\nHost: " + host();
        byte[] csv = "32,32,3,3,3,128,0,1\n".getBytes(StandardCharsets.UTF_8);
        // No token, a token the server never gave, the right one from another site's page: refused, nothing written.
        assertOneLineRefusal(raw(uploadHead, csv), 403);
        assertOneLineRefusal(raw(uploadHead + "\r\nX-abacim-Token: AAAAAAAAAAAAAAAAAAAAAA", csv), 403);
        Raw foreign = raw(uploadHead + "\r\nX-abacim-Token: " + token + "\r\nOrigin: http://evil.example", csv);
        assertOneLineRefusal(foreign, 403);
        assertThat(foreign.body()).contains("another site");
        assertOneLineRefusal(raw(uploadHead + "\r\nX-abacim-Token: " + token + "\r\nOrigin: null", csv), 403);
        assertOneLineRefusal(raw(uploadHead + "\r\nX-abacim-Token: " + token + "\r\nOrigin: http://127.0.0.1:"
                + (server.port() + 1), csv), 403);
        assertOneLineRefusal(raw(uploadHead + "\r\nX-abacim-Token: " + token + "\r\nSec-Fetch-Site: cross-site", csv), 403);
        for (String job : List.of("POST /api/jobs/accuracy?preset=isaac&network=lenet5 HTTP/1.1",
                "POST /api/jobs/compress HTTP/1.1", "DELETE /api/jobs/AAAAAAAAAAAAAAAAAAAAAA HTTP/1.1")) {
            assertOneLineRefusal(raw(job + "\r\nHost: " + host(), new byte[0]), 403);
            assertOneLineRefusal(raw(job + "\r\nHost: " + host() + "\r\nOrigin: http://evil.example\r\nX-abacim-Token: "
                    + token, new byte[0]), 403);
        }
        assertThat(listing(dir.resolve("uploads"))).isEmpty();
        assertThat(TeachingServer.jobsSubmitted(server)).isZero();
        // The page's token, from the page's own origin (or with no Origin: not a browser): accepted.
        Raw ok = raw(uploadHead + "\r\nX-abacim-Token: " + token + "\r\nOrigin: http://" + host(), csv);
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
        assertThat(ok.body().strip()).isEqualTo("{\n  \"network\" : \"a.csv\"\n}");
        assertThat(raw(uploadHead.replace("a.csv", "b.csv") + "\r\nX-abacim-Token: " + token, csv).status()).isEqualTo(200);
        assertThat(listing(dir.resolve("uploads"))).containsExactly("a.csv", "b.csv");
        // Each page load gets its own token.
        assertThat(PageClient.token(server.port())).isNotEqualTo(token).hasSize(22);
    }

    private static List<String> listing(Path folder) throws Exception {
        if (!Files.exists(folder)) return List.of();
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void everyResponseCarriesTheSecurityHeadersAndNoCorsAllowance() throws Exception {
        start();
        String token = PageClient.token(server.port());
        List<Raw> responses = List.of(
                get("/", host()), get("/app.js", host()), get("/style.css", host()), get("/api/catalog", host()),
                get("/api/point?preset=nosuch&network=lenet5", host()), get("/nosuch", host()),
                get("/api/catalog", "evil.example:" + server.port()),
                raw("POST /api/models?name=x.csv HTTP/1.1\r\nHost: " + host(), new byte[0]),
                raw("POST /api/models?name=../x.csv HTTP/1.1\r\nHost: " + host() + "\r\nX-abacim-Token: " + token, new byte[0]),
                raw("OPTIONS /api/jobs/accuracy HTTP/1.1\r\nHost: " + host() + "\r\nOrigin: http://evil.example\r\n"
                        + "Access-Control-Request-Method: POST", null));
        assertThat(responses).extracting(Raw::status).containsExactly(200, 200, 200, 200, 400, 404, 403, 403, 400, 403);
        for (Raw r : responses) {
            assertThat(r.headers()).as("%s %s", r.status(), r.body())
                    .containsEntry("content-security-policy", Guard.HEADERS.get("Content-Security-Policy"))
                    .containsEntry("x-frame-options", "DENY")
                    .containsEntry("x-content-type-options", "nosniff")
                    .containsEntry("referrer-policy", "no-referrer")
                    .doesNotContainKey("access-control-allow-origin");
        }
        assertThat(Guard.HEADERS.get("Content-Security-Policy")).contains("default-src 'self'")
                .contains("frame-ancestors 'none'").doesNotContain("unsafe-inline");
        // The page has no inline script for the policy to forbid: its script is app.js.
        assertThat(responses.get(0).body()).contains("<script src=\"app.js\"></script>").doesNotContainPattern("<script>|\\son[a-z]+=\"");
    }

    // ---- Item 3: a request names built-ins and uploads only ----

    private HttpResponse<String> point(PageClient page, String network, String... sets) throws Exception {
        StringBuilder q = new StringBuilder("/api/point?preset=isaac&network=" + URLEncoder.encode(network, StandardCharsets.UTF_8));
        for (String s : sets) q.append("&set=").append(URLEncoder.encode(s, StandardCharsets.UTF_8));
        return page.send("GET", q.toString(), null);
    }

    @Test
    void filesOutsideTheUploadFolderAreRefusedAlikeWhetherTheyExistOrNot() throws Exception {
        start();
        PageClient page = new PageClient(server.port());
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Path secret = Files.writeString(outside.resolve("secret.csv"), "32,32,3,3,3,128,0,1\n");
        Files.createDirectories(dir.resolve("uploads"));
        Files.createSymbolicLink(dir.resolve("uploads/link.csv"), secret);
        String cwdFile = "pom.xml"; // exists in the working directory of the tests, not in the uploads
        assertThat(Path.of(cwdFile)).exists();
        List<String> networks = List.of("/etc/passwd", "../../etc/hostname", secret.toString(), outside + "/missing.csv",
                "../outside/secret.csv", "../outside/missing.csv", cwdFile, "nosuch.xml", "link.csv", "uploads/a.csv",
                "~/secret.csv", "C:\\secret.csv", "file:///etc/passwd");
        String first = null;
        for (String n : networks) {
            HttpResponse<String> r = point(page, n);
            assertThat(r.statusCode()).as(n).isEqualTo(400);
            if (first == null) first = r.body();
            assertThat(r.body()).as(n).isEqualTo(first);
        }
        assertThat(first).isEqualTo("abacim: request network: the teaching server takes a built-in network ("
                + String.join(", ", org.abacim.core.network.NetworkZoo.names())
                + ") or the plain file name of a model uploaded to it (no file paths)");
        // The same through the sets a request adds, and the accuracy run's model and data set.
        for (String set : List.of("network=/etc/passwd", "network=" + secret)) {
            assertThat(point(page, "lenet5", set).body()).isEqualTo(first);
        }
        String model = null;
        for (String m : List.of("/etc/passwd", "../../etc/hostname", secret.toString(), outside + "/missing.onnx", "link.csv")) {
            HttpResponse<String> r = point(page, "lenet5", "accuracy.dataset=mnist", "accuracy.model=" + m);
            assertThat(r.statusCode()).isEqualTo(400);
            if (model == null) model = r.body();
            assertThat(r.body()).as(m).isEqualTo(model).startsWith("abacim: request accuracy.model: ")
                    .doesNotContain("secret").doesNotContain(dir.toString());
        }
        for (String d : List.of("accuracy.dataset=/etc/passwd", "accuracy.dataset.kind=numpy")) {
            HttpResponse<String> r = point(page, "lenet5", d);
            assertThat(r.statusCode()).as(d).isEqualTo(400);
            assertThat(r.body()).as(d).startsWith("abacim: ").doesNotContain("passwd");
        }
        assertThat(page.send("GET", "/api/point?preset=" + URLEncoder.encode("/etc/passwd", StandardCharsets.UTF_8)
                + "&network=lenet5", null).body()).startsWith("abacim: request preset: the teaching server takes a built-in preset");
        // A compression config: its network, model, data set and design are checked the same way, before any job.
        String base = "network: lenet5\ndataset: mnist\ndesign: { preset: isaac }\nsteps: [ { name: a, projections:"
                + " [ { kind: irregular, keep: 0.5 } ] } ]\nout: x.npz\n";
        for (String bad : List.of(base.replace("network: lenet5", "network: /etc/passwd"),
                base.replace("network: lenet5", "network: " + secret), base + "model: ../outside/secret.npz\n",
                base.replace("dataset: mnist", "dataset: { kind: numpy, test: { images: /etc/passwd, labels: /etc/passwd } }"),
                base.replace("preset: isaac", "preset: /etc/passwd.yaml"),
                base.replace("preset: isaac }", "preset: isaac, set: [\"accuracy.model=/etc/passwd\"] }"),
                base.replace("out: x.npz", "out: /tmp/x.npz"))) {
            HttpResponse<String> r = page.send("POST", "/api/jobs/compress", bad);
            assertThat(r.statusCode()).as(bad).isEqualTo(400);
            assertThat(r.body()).as(bad).startsWith("abacim: request ").doesNotContain("root:").doesNotContain(dir.toString());
        }
        assertThat(TeachingServer.jobsSubmitted(server)).isZero();
    }

    @Test
    void anUploadedNetworkIsNamedByItsPlainNameAndAManifestMayNotPointOutOfTheFolder() throws Exception {
        start();
        PageClient page = new PageClient(server.port());
        Path vgg = Path.of("configs/networks/NetWork_VGG8.csv");
        HttpResponse<String> up = PageClient.HTTP.send(page.request("/api/models?name=NetWork_VGG8.csv")
                .POST(HttpRequest.BodyPublishers.ofFile(vgg)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(up.body().strip()).isEqualTo("{\n  \"network\" : \"NetWork_VGG8.csv\"\n}");
        HttpResponse<String> r = point(page, "NetWork_VGG8.csv");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(TeachingServerTest.cli("run", "--preset", "isaac", "--network", vgg.toString(),
                "--format", "json").replace(vgg.toString(), "NetWork_VGG8.csv"));
        assertThat(r.body()).doesNotContain(dir.toString());
        // A weight map's manifest that names a file outside the folder is refused before the loader reads it.
        String manifest = "{\"format\":\"abacim-weights/1\",\"network\":\"/etc/passwd\",\"weights\":\"evil.npz\"}";
        assertThat(page.send("POST", "/api/models?name=evil.json", manifest).statusCode()).isEqualTo(200);
        HttpResponse<String> evil = point(page, "evil.json");
        assertThat(evil.statusCode()).isEqualTo(400);
        assertThat(evil.body()).startsWith("abacim: request network: the teaching server takes").doesNotContain("root:");
    }

    // ---- Item 4: uploads are bounded while they stream ----

    @Test
    void aChunkedUploadOverTheLimitIsRefusedMidStreamAndLeavesNoFile() throws Exception {
        start(new TeachingServer.Limits(4, Duration.ofMinutes(1), 1, dir.resolve("uploads"), 1 << 20, 3L << 20, List.of()));
        PageClient page = new PageClient(server.port());
        // A chunked body (no Content-Length to trust) of up to 64 MiB, written while the reply is read: the reply comes
        // after about the limit's bytes, and the server closes the connection instead of reading the rest.
        java.util.concurrent.atomic.AtomicLong sent = new java.util.concurrent.atomic.AtomicLong();
        String reply;
        long atReply;
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/models?name=big.onnx HTTP/1.1\r\nHost: " + host() + "\r\n" + Guard.TOKEN_HEADER + ": "
                    + page.token + "\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            Thread writer = new Thread(() -> {
                byte[] piece = new byte[64 << 10];
                byte[] head = (Integer.toHexString(piece.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
                try {
                    while (sent.get() < (64L << 20)) {
                        out.write(head);
                        out.write(piece);
                        out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                        sent.addAndGet(piece.length);
                        Thread.sleep(1); // about 64 MB/s: the server keeps up, the sockets' buffers stay near empty
                    }
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                } catch (InterruptedException | java.io.IOException closed) {
                    // the server refused and closed the connection mid-stream
                }
            });
            writer.start();
            InputStream in = socket.getInputStream();
            int first = in.read(); // blocks until the reply starts
            atReply = sent.get();
            reply = (char) first + new String(in.readAllBytes(), StandardCharsets.UTF_8);
            socket.close();
            writer.join(30_000);
        }
        System.out.printf("chunked upload over a 1 MiB limit: the 413 began after %.1f MiB were sent%n", atReply / 1048576.0);
        // The reply started with about the limit sent, not the whole body.
        assertThat(atReply).isLessThan(16L << 20);
        assertThat(reply).startsWith("HTTP/1.1 413 ").endsWith("\r\n\r\nabacim: refused: big.onnx is larger than the"
                + " server's limit of 1 MiB per file (abacim serve --upload-limit)");
        assertThat(listing(dir.resolve("uploads"))).isEmpty(); // no partial file, no temporary one

        // The folder's quota (3 MiB): two files of 1 MiB fit, the third goes over it. No file is replaced.
        byte[] mebibyte = new byte[1 << 20];
        for (String name : List.of("a.onnx", "b.onnx")) {
            HttpResponse<String> r = PageClient.HTTP.send(page.request("/api/models?name=" + name)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(mebibyte)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        }
        HttpResponse<String> again = PageClient.HTTP.send(page.request("/api/models?name=a.onnx")
                .POST(HttpRequest.BodyPublishers.ofString("other")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.body()).startsWith("abacim: refused: a model named a.onnx was uploaded already");
        assertThat(Files.size(dir.resolve("uploads/a.onnx"))).isEqualTo(1 << 20);
        Raw over = raw("POST /api/models?name=c.onnx HTTP/1.1\r\nHost: " + host() + "\r\nX-abacim-Token: " + page.token,
                new byte[(1 << 20) - 10]);
        // 1 MiB + 1 MiB + (1 MiB - 10) fit in 3 MiB; one more file of 11 bytes does not.
        assertThat(over.status()).isEqualTo(200);
        Raw full = raw("POST /api/models?name=d.onnx HTTP/1.1\r\nHost: " + host() + "\r\nX-abacim-Token: " + page.token,
                new byte[11]);
        assertOneLineRefusal(full, 413);
        assertThat(full.body()).contains("quota of 3 MiB").doesNotContain(dir.toString());
        assertThat(listing(dir.resolve("uploads"))).containsExactly("a.onnx", "b.onnx", "c.onnx");

        // A connection that breaks mid-file leaves nothing of it (and its bytes go back to the quota).
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.getOutputStream().write(("POST /api/models?name=broken.onnx HTTP/1.1\r\nHost: " + host() + "\r\n"
                    + Guard.TOKEN_HEADER + ": " + page.token + "\r\nContent-Length: 100000\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().write(new byte[5]);
            socket.getOutputStream().flush();
            Thread.sleep(300);
        }
        for (int i = 0; i < 100 && listing(dir.resolve("uploads")).size() > 3; i++) Thread.sleep(50);
        Thread.sleep(300);
        assertThat(listing(dir.resolve("uploads"))).containsExactly("a.onnx", "b.onnx", "c.onnx");
        assertThat(raw("POST /api/models?name=e.onnx HTTP/1.1\r\nHost: " + host() + "\r\nX-abacim-Token: " + page.token,
                new byte[10]).status()).isEqualTo(200); // 10 bytes still fit: the broken upload's 5 were given back
    }

    @Test
    void anUploadIsStreamedToDiskNotHeldInTheHeap() throws Exception {
        start(new TeachingServer.Limits(4, Duration.ofMinutes(1), 1, dir.resolve("uploads"), 256L << 20, 256L << 20, List.of()));
        PageClient page = new PageClient(server.port());
        long size = 128L << 20;
        List<java.lang.management.MemoryPoolMXBean> heap = java.lang.management.ManagementFactory.getMemoryPoolMXBeans()
                .stream().filter(p -> p.getType() == java.lang.management.MemoryType.HEAP).toList();
        System.gc();
        long before = heap.stream().mapToLong(p -> p.getUsage().getUsed()).sum();
        heap.forEach(java.lang.management.MemoryPoolMXBean::resetPeakUsage);
        String reply;
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/models?name=large.onnx HTTP/1.1\r\nHost: " + host() + "\r\n" + Guard.TOKEN_HEADER + ": "
                    + page.token + "\r\nContent-Length: " + size + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            byte[] piece = new byte[1 << 20];
            for (long sent = 0; sent < size; sent += piece.length) out.write(piece);
            out.flush();
            reply = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
        long peak = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        assertThat(reply).startsWith("HTTP/1.1 200 ").contains("\"network\" : \"large.onnx\"");
        assertThat(Files.size(dir.resolve("uploads/large.onnx"))).isEqualTo(size);
        // A body held whole would raise the heap's peak by its 128 MiB; streamed, the peak stays well under that.
        System.out.printf("upload of %d MiB: heap peak %d MiB above the start%n", size >> 20, (peak - before) >> 20);
        assertThat(peak - before).isLessThan(size / 2);
    }

    @Test
    void aServerBoundElsewhereThanLoopbackIsWarnedAbout() {
        assertThat(TeachingServer.exposureWarning("127.0.0.1", 7070)).isNull();
        assertThat(TeachingServer.exposureWarning("localhost", 7070)).isNull();
        assertThat(TeachingServer.exposureWarning("::1", 7070)).isNull();
        assertThat(TeachingServer.exposureWarning("127.0.0.5", 7070)).isNull();
        for (String elsewhere : List.of("0.0.0.0", "192.168.1.5", "::", "999.0.0.1", "127.0.0.1.example", "example.org")) {
            assertThat(TeachingServer.exposureWarning(elsewhere, 7070)).as(elsewhere).startsWith("abacim: warning: --host ");
        }
        // Through the command: the warning is on stderr before it listens (here it cannot: not this machine's address).
        org.abacim.experiments.cli.Cli run = org.abacim.experiments.cli.Cli.run("serve", "--host", "203.0.113.7",
                "--port", "7071");
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).startsWith("abacim: warning: --host 203.0.113.7 is not a loopback address: anyone who can"
                + " reach port 7071 of this machine can use the teaching page");
        assertThat(run.err().lines().count()).isEqualTo(2);
        org.abacim.experiments.cli.Cli bad = org.abacim.experiments.cli.Cli.run("serve", "--upload-limit", "lots");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).startsWith("abacim: ").contains("--upload-limit").contains("lots").contains("64MiB");
        assertThat(bad.err().lines().count()).isEqualTo(1);
    }
}
