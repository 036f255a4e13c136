package org.imcsim.experiments.serve;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.imcsim.core.config.ConfigException;
import org.imcsim.core.config.SourceLocation;
import org.imcsim.core.data.DataException;
import org.imcsim.core.data.Dataset;
import org.imcsim.core.network.Network;
import org.imcsim.core.network.NetworkException;
import org.imcsim.core.network.NetworkZoo;
import org.imcsim.experiments.catalog.Catalog;
import org.imcsim.experiments.compress.CompressSpec;
import org.imcsim.experiments.compress.Compression;
import org.imcsim.experiments.report.ResultFormats;
import org.imcsim.experiments.run.DesignPoint;
import org.imcsim.experiments.run.DesignPointLoader;

/**
 * The teaching page's server ({@code imcsim serve}): the page itself (plain HTML, SVG and JavaScript from the jar,
 * nothing fetched from elsewhere) and a JSON API over the same code as the CLI.
 * <ul>
 *   <li>{@code GET /api/point?preset=…&network=…&set=PATH=VALUE…}: what {@code imcsim run --preset … --network …
 *   --set … --format json} prints (milliseconds: answered on the request's thread);</li>
 *   <li>{@code POST /api/jobs/accuracy?…} (the same parameters, with an {@code accuracy} section among the sets) and
 *   {@code POST /api/jobs/compress[?compare=true]} (a compression config as the body): long work, run by
 *   {@link Jobs} — one at a time, a bounded queue, a time limit, stale work of the same kind cancelled — followed at
 *   {@code GET /api/jobs/ID/events} (a server-sent event stream) or {@code GET /api/jobs/ID}, stopped with
 *   {@code DELETE /api/jobs/ID};</li>
 *   <li>{@code POST /api/models?name=FILE}: a model from the student's disk (ONNX, a weight map's manifest and its
 *   .npz, a NeuroSim network file), kept in the server's upload folder, usable as a network by path.</li>
 * </ul>
 * A value the CLI would refuse is HTTP 400 with the CLI's one-line message. Bound to the loopback address unless
 * told otherwise: the page runs whatever a visitor asks for.
 */
public final class TeachingServer {
    private TeachingServer() {}

    /**
     * How much work the server takes on: jobs waiting behind the running one, the longest a job may run, threads a
     * job uses, and where uploaded models are kept (null: a temporary folder removed when the server stops).
     */
    public record Limits(int queue, Duration timeLimit, int threads, Path uploads) {
        public static Limits defaults() {
            return new Limits(8, Duration.ofMinutes(10), Runtime.getRuntime().availableProcessors(), null);
        }
    }

    /** Starts the server on {@code host}:{@code port} (port 0: any free port; see {@link Javalin#port()}). */
    public static Javalin start(String host, int port) {
        return start(host, port, Limits.defaults());
    }

    public static Javalin start(String host, int port, Limits limits) {
        // Javalin logs through SLF4J, for which IMCSim ships no back end: its notices about that are not for students.
        // Errors that are bugs are printed by the handler below instead.
        if (System.getProperty("slf4j.internal.verbosity") == null) System.setProperty("slf4j.internal.verbosity", "ERROR");
        io.javalin.util.JavalinLogger.enabled = false;
        Uploads uploads = new Uploads(limits.uploads());
        Jobs jobs = new Jobs(limits.queue(), limits.timeLimit());
        Javalin app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.staticFiles.add(files -> {
                files.hostedPath = "/";
                files.directory = "/org/imcsim/experiments/serve/web";
                files.location = Location.CLASSPATH;
            });
            config.http.maxRequestSize = Uploads.MAX_BYTES;
            config.events(events -> events.serverStopped(() -> {
                jobs.close();
                uploads.close();
            }));
        });
        app.get("/api/catalog", TeachingServer::catalog);
        app.get("/api/point", TeachingServer::point);
        app.get("/api/schedule", TeachingServer::schedule);
        app.post("/api/jobs/accuracy", ctx -> accuracy(ctx, jobs, limits.threads()));
        app.post("/api/jobs/compress", ctx -> compress(ctx, jobs, limits.threads(), uploads.folder()));
        app.get("/api/jobs/{id}", ctx -> {
            Jobs.Job job = job(ctx, jobs);
            ctx.contentType("application/json").result("{\"id\":" + ResultFormats.compactJson(job.id) + ",\"kind\":"
                    + ResultFormats.compactJson(job.kind) + ",\"state\":"
                    + ResultFormats.compactJson(job.state().name().toLowerCase(java.util.Locale.ROOT))
                    + ",\"events\":[" + String.join(",", job.events()) + "]}");
        });
        app.delete("/api/jobs/{id}", ctx -> {
            job(ctx, jobs).cancel("cancelled by the page");
            ctx.status(204);
        });
        app.sse("/api/jobs/{id}/events", client -> {
            // Follows on the request's thread, in order, until the job's last event or the page leaves.
            Jobs.Job job = jobs.find(client.ctx().pathParam("id")).orElse(null);
            if (job == null) {
                client.sendEvent("message", "{\"type\":\"end\",\"state\":\"failed\",\"message\":\"imcsim: no such job\"}");
                client.close();
                return;
            }
            int next = 0;
            try {
                while (!client.terminated()) {
                    List<String> batch = job.await(next, 1000);
                    for (String event : batch) client.sendEvent("message", event);
                    next += batch.size();
                    if (!batch.isEmpty() && Jobs.isEnd(batch.get(batch.size() - 1))) break;
                    if (batch.isEmpty()) client.sendComment("waiting"); // finds a page that has gone
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            client.close();
        });
        app.post("/api/models", ctx -> {
            Path saved = uploads.save(ctx.queryParam("name"), ctx.bodyAsBytes());
            ctx.contentType("application/json").result(ResultFormats.json(Map.of("network", saved.toString())));
        });
        app.exception(ConfigException.class, (e, ctx) -> refuse(ctx, e));
        app.exception(NetworkException.class, (e, ctx) -> refuse(ctx, e));
        app.exception(DataException.class, (e, ctx) -> refuse(ctx, e));
        app.exception(Jobs.BusyException.class, (e, ctx) ->
                ctx.status(503).contentType("text/plain; charset=utf-8").result("imcsim: " + e.getMessage()));
        app.exception(Exception.class, (e, ctx) -> {
            e.printStackTrace(); // a bug: the server's console shows it, the page gets a plain 500
            ctx.status(500).contentType("text/plain; charset=utf-8").result("imcsim: internal error: " + e);
        });
        try {
            return app.start(host, port);
        } catch (RuntimeException e) {
            jobs.close();
            uploads.close();
            throw e;
        }
    }

    /** The CLI's one-line message for a refused value, or null when {@code e} is not a refusal. */
    static String refusal(RuntimeException e) {
        return e instanceof ConfigException || e instanceof NetworkException || e instanceof DataException
                ? "imcsim: " + e.getMessage() : null;
    }

    /** The presets and built-in networks a page can pick from. */
    private static void catalog(Context ctx) {
        List<String> networks = new ArrayList<>();
        NetworkZoo.names().forEach(networks::add);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("presets", Catalog.presetNames());
        body.put("networks", networks);
        ctx.contentType("application/json").result(ResultFormats.json(body));
    }

    /** The design point a request names: {@code preset}, {@code network} and {@code set}s, as the CLI loads it. */
    private static DesignPoint designPoint(Context ctx) {
        String preset = ctx.queryParam("preset");
        String network = ctx.queryParam("network");
        if (preset == null || network == null) {
            throw ConfigException.inSource(SourceLocation.of("request"), "give preset=NAME and network=NAME (see /api/catalog)");
        }
        return DesignPointLoader.load(null, preset, network, ctx.queryParams("set"));
    }

    /** One design point, costs only (the page's knobs), as the CLI's JSON. */
    private static void point(Context ctx) {
        ctx.contentType("application/json").result(ResultFormats.json(designPoint(ctx).evaluate(1)));
    }

    /** A compression schedule on LeNet-5 for the request's design, as the compress config that runs it. */
    private static void schedule(Context ctx) {
        String preset = ctx.queryParam("preset");
        if (preset == null) throw ConfigException.inSource(SourceLocation.of("request"), "give preset=NAME");
        List<String> sets = ctx.queryParams("set");
        DesignPoint shapes = DesignPointLoader.load(null, preset, "lenet5", sets);
        List<Double> keeps = new ArrayList<>();
        for (String k : ctx.queryParams("keep")) keeps.add(number("keep", k));
        var request = new Schedules.Request(preset, sets, ctx.queryParamAsClass("mode", String.class).getOrDefault("steps"),
                ctx.queryParamAsClass("projection", String.class).getOrDefault("crossbar-block"), keeps,
                (int) number("epochs", ctx.queryParamAsClass("epochs", String.class).getOrDefault("1")),
                (int) number("training", ctx.queryParamAsClass("training", String.class).getOrDefault("4")),
                "true".equals(ctx.queryParam("purify")),
                (int) number("quantize", ctx.queryParamAsClass("quantize", String.class).getOrDefault("0")));
        ctx.contentType("text/yaml; charset=utf-8").result(Schedules.yaml(request, shapes.design().geometry()));
    }

    private static double number(String parameter, String value) {
        try {
            double v = Double.parseDouble(value);
            if (Double.isFinite(v)) return v;
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new ConfigException(SourceLocation.of("request"), parameter, value, "expected a number");
    }

    /** A Monte-Carlo accuracy run of a design point with an {@code accuracy} section: checked now, run as a job. */
    private static void accuracy(Context ctx, Jobs jobs, int threads) {
        DesignPoint point = designPoint(ctx);
        if (point.accuracy() == null) {
            throw ConfigException.inSource(SourceLocation.of("request"),
                    "an accuracy job needs an accuracy section: set=accuracy.dataset=NAME (and accuracy.trials, samples)");
        }
        Jobs.Job job = jobs.submit("accuracy", j -> j.emit("result", Map.of("result", point.evaluate(threads))));
        accepted(ctx, job);
    }

    /**
     * A compression config (the body, YAML) run step by step on its design — or, with {@code compare=true}, each step
     * from the starting model (projections side by side) — each step's row and design point streamed as it lands.
     */
    private static void compress(Context ctx, Jobs jobs, int threads, Path dir) {
        boolean compare = "true".equals(ctx.queryParam("compare"));
        CompressSpec spec = CompressSpec.read("compression config", ctx.body(), dir);
        DesignPoint shapes = Compression.design(spec);
        Jobs.Job job = jobs.submit("compress", j -> {
            Dataset[] data = Compression.data(spec);
            Network model = Compression.startingModel(spec, shapes.network(), data, threads);
            Consumer<Compression.Row> stream = row -> j.emit("row", row(row));
            if (compare) Compression.compare(spec, "teaching page", model, data, shapes, threads, stream);
            else Compression.run(spec, "teaching page", model, data, shapes, threads, stream);
        });
        accepted(ctx, job);
    }

    private static Map<String, Object> row(Compression.Row r) {
        Map<String, Object> m = Compression.jsonRows(List.of(r)).get(0);
        m.put("point", r.point());
        return m;
    }

    private static void accepted(Context ctx, Jobs.Job job) {
        ctx.status(202).contentType("application/json").result(ResultFormats.json(Map.of("id", job.id)));
    }

    private static Jobs.Job job(Context ctx, Jobs jobs) {
        return jobs.find(ctx.pathParam("id")).orElseThrow(() -> ConfigException.inSource(SourceLocation.of("request"),
                "no job " + ctx.pathParam("id") + " (jobs are kept while the server runs, the newest 64)"));
    }

    private static void refuse(Context ctx, RuntimeException e) {
        ctx.status(400).contentType("text/plain; charset=utf-8").result(refusal(e));
    }

    /** Models a student sent from disk: one folder, files written whole, removed when the server stops if temporary. */
    static final class Uploads implements AutoCloseable {
        static final long MAX_BYTES = 512L << 20;
        private final Path folder;
        private final boolean temporary;

        Uploads(Path folder) {
            try {
                this.temporary = folder == null;
                this.folder = temporary ? Files.createTempDirectory("imcsim-serve-") : Files.createDirectories(folder);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        Path folder() {
            return folder;
        }

        /**
         * Keeps {@code bytes} as {@code name} (a plain file name: a weight map's manifest names its .npz beside it,
         * so the two go to the same folder under their own names).
         */
        Path save(String name, byte[] bytes) throws IOException {
            if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._ -]{0,200}") || name.contains("..")) {
                throw ConfigException.inSource(SourceLocation.of("request"), "name=" + name
                        + ": expected the model's plain file name (letters, digits, '.', '_', '-', ' ')");
            }
            String lower = name.toLowerCase(java.util.Locale.ROOT);
            if (!(lower.endsWith(".onnx") || lower.endsWith(".json") || lower.endsWith(".npz") || lower.endsWith(".csv"))) {
                throw ConfigException.inSource(SourceLocation.of("request"), name
                        + ": expected an ONNX model (.onnx), a weight map (.json manifest and its .npz) or a NeuroSim network (.csv)");
            }
            Path target = folder.resolve(name);
            org.imcsim.core.io.WholeFiles.write(target, bytes);
            return target;
        }

        @Override
        public void close() {
            if (!temporary) return;
            try (var files = Files.walk(folder)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // A temporary folder left behind is the operating system's to clear.
            }
        }
    }
}
