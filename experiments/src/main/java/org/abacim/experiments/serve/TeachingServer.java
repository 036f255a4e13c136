package org.abacim.experiments.serve;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.abacim.core.config.ConfigException;
import org.abacim.core.config.SourceLocation;
import org.abacim.core.data.DataException;
import org.abacim.core.data.Dataset;
import org.abacim.core.network.Network;
import org.abacim.core.network.NetworkException;
import org.abacim.core.network.NetworkZoo;
import org.abacim.core.api.Catalog;
import org.abacim.experiments.compress.CompressSpec;
import org.abacim.experiments.compress.CompressionSteps;
import org.abacim.experiments.report.ResultFormats;
import org.abacim.experiments.run.DesignRun;

/**
 * The teaching page's server ({@code abacim serve}): the page itself (plain HTML, SVG and JavaScript from the jar,
 * nothing fetched from elsewhere) and a JSON API over the same code as the CLI.
 * <ul>
 *   <li>{@code GET /api/point?preset=…&network=…&set=PATH=VALUE…}: what {@code abacim run --preset … --network …
 *   --set … --format json} prints (milliseconds: answered on the request's thread);</li>
 *   <li>{@code POST /api/jobs/accuracy?…} (the same parameters, with an {@code accuracy} section among the sets) and
 *   {@code POST /api/jobs/compress[?compare=true|?keep=true]} (a compression config as the body; {@code keep}: the
 *   last step's model is kept as a weight map among the uploads, named from the config's {@code out}, and the job's
 *   last event before its end is {@code {"type":"kept","kept":"NAME.json"}}): long work, run by
 *   {@link Jobs} — one at a time, a bounded queue, a time limit, stale work of the same kind cancelled — followed at
 *   {@code GET /api/jobs/ID/events} (a server-sent event stream) or {@code GET /api/jobs/ID}, stopped with
 *   {@code DELETE /api/jobs/ID};</li>
 *   <li>{@code POST /api/models?name=FILE}: a model from the student's disk (ONNX, a weight map's manifest and its
 *   .npz, a NeuroSim network file), streamed into the server's upload folder within its limits ({@link Uploads}),
 *   usable as a network by its file name.</li>
 * </ul>
 * A value the CLI would refuse is HTTP 400 with the CLI's one-line message. Bound to the loopback address unless
 * told otherwise: the page runs whatever a visitor asks for. Every request passes {@link Guard} first (its Host, and
 * for a request that changes state the page's token and Origin); every file a request names passes {@link Inputs}
 * (built-in names and uploads only); replies never show the server's folders.
 */
public final class TeachingServer {
    private TeachingServer() {}

    /**
     * How much work the server takes on: jobs waiting behind the running one, the longest a job may run, threads a
     * job uses, where uploaded models are kept (null: a temporary folder removed when the server stops), the largest
     * upload, the upload folder's quota, and further host names the server answers to ({@code --allow-host}).
     */
    public record Limits(int queue, Duration timeLimit, int threads, Path uploads, long uploadLimit, long uploadsQuota,
                         List<String> allowedHosts) {
        public Limits {
            allowedHosts = List.copyOf(allowedHosts);
            if (uploadLimit < 1 || uploadsQuota < 1) {
                throw new IllegalArgumentException("upload limit and quota must be positive: " + uploadLimit + ", " + uploadsQuota);
            }
        }

        public Limits(int queue, Duration timeLimit, int threads, Path uploads) {
            this(queue, timeLimit, threads, uploads, Uploads.DEFAULT_FILE_LIMIT, Uploads.DEFAULT_QUOTA, List.of());
        }

        public static Limits defaults() {
            return new Limits(8, Duration.ofMinutes(10), Runtime.getRuntime().availableProcessors(), null);
        }
    }

    /** The longest compression config a page may send (it is a few lines of YAML). */
    static final int MAX_CONFIG_BYTES = 1 << 20;

    /** Each running server's jobs (tests look at what a refused request did not start). */
    private static final Map<Javalin, Object[]> SERVERS = Collections.synchronizedMap(new WeakHashMap<>());

    /** How many jobs {@code app} (a server this class started) has accepted since it started. */
    static long jobsSubmitted(Javalin app) {
        return ((Jobs) SERVERS.get(app)[0]).submitted();
    }

    /** {@code app}'s jobs (tests take followers' places). */
    static Jobs jobs(Javalin app) {
        return (Jobs) SERVERS.get(app)[0];
    }

    /** How many requests {@code app}'s {@link Guard} has refused since it started. */
    static long refusals(Javalin app) {
        return ((Guard) SERVERS.get(app)[1]).refusals.get();
    }

    /**
     * Whether the teaching page on {@code host} is reachable from elsewhere, and if so the warning {@code abacim serve}
     * prints on stderr (null for a loopback address).
     */
    public static String exposureWarning(String host, int port) {
        if (Guard.loopback(host)) return null;
        return "abacim: warning: --host " + host + " is not a loopback address: anyone who can reach port " + port
                + " of this machine can use the teaching page (start jobs, upload models); use it on a network you trust, and give"
                + " the name students open it by with --allow-host NAME";
    }

    /** Starts the server on {@code host}:{@code port} (port 0: any free port; see {@link Javalin#port()}). */
    public static Javalin start(String host, int port) {
        return start(host, port, Limits.defaults());
    }

    public static Javalin start(String host, int port, Limits limits) {
        // Javalin logs through SLF4J, for which abacim ships no back end: its notices about that are not for students.
        // Errors that are bugs are printed by the handler below instead.
        if (System.getProperty("slf4j.internal.verbosity") == null) System.setProperty("slf4j.internal.verbosity", "ERROR");
        io.javalin.util.JavalinLogger.enabled = false;
        Uploads uploads = new Uploads(limits.uploads(), limits.uploadLimit(), limits.uploadsQuota());
        Inputs inputs = new Inputs(uploads.folder());
        Guard guard = new Guard(host, limits.allowedHosts());
        UnaryOperator<String> paths = paths(uploads.folder());
        UnaryOperator<String> scrub = m -> m == null ? null : paths.apply(m).lines().findFirst().orElse("");
        Jobs jobs = new Jobs(limits.queue(), limits.timeLimit());
        jobs.scrub = scrub;
        jobs.paths = paths;
        String page = page();
        Javalin app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.staticFiles.add(files -> {
                files.hostedPath = "/";
                files.directory = "/org/abacim/experiments/serve/web";
                files.location = Location.CLASSPATH;
                files.headers = Guard.HEADERS;
                // The page itself is served below, with its token.
                files.skipFileFunction = req -> req.getRequestURI().equals("/") || req.getRequestURI().endsWith(".html");
            });
            // Bodies the server reads whole (none but a compression config) are small; uploads are streamed.
            config.http.maxRequestSize = MAX_CONFIG_BYTES;
            config.events(events -> events.serverStopped(() -> {
                jobs.close();
                uploads.close();
            }));
        });
        app.before(guard::check);
        app.get("/", ctx -> ctx.contentType("text/html; charset=utf-8").result(page.replace("{{token}}", guard.issue())));
        app.get("/index.html", ctx -> ctx.redirect("/"));
        app.get("/api/catalog", TeachingServer::catalog);
        app.get("/api/point", ctx -> point(ctx, inputs, paths));
        app.get("/api/schedule", ctx -> schedule(ctx, inputs));
        app.post("/api/jobs/accuracy", ctx -> accuracy(ctx, jobs, inputs, limits.threads()));
        app.post("/api/jobs/compress", ctx -> compress(ctx, jobs, inputs, uploads, limits.threads()));
        app.get("/api/jobs/{id}", ctx -> {
            Jobs.Job job = job(ctx, jobs);
            ctx.contentType("application/json").result("{\"id\":" + ResultFormats.compactJson(job.id) + ",\"kind\":"
                    + ResultFormats.compactJson(job.kind) + ",\"state\":"
                    + ResultFormats.compactJson(job.state().name().toLowerCase(Locale.ROOT))
                    + ",\"events\":[" + String.join(",", job.events()) + "]}");
        });
        app.delete("/api/jobs/{id}", ctx -> {
            job(ctx, jobs).cancel("cancelled by the page");
            ctx.status(204);
        });
        app.get("/api/jobs/{id}/events", ctx -> follow(ctx, jobs));
        app.post("/api/models", ctx -> {
            String name = uploads.save(ctx.queryParam("name"), ctx.req().getInputStream());
            ctx.contentType("application/json").result(ResultFormats.json(Map.of("network", name)));
        });
        app.exception(ConfigException.class, (e, ctx) -> refuse(ctx, e, scrub));
        app.exception(NetworkException.class, (e, ctx) -> refuse(ctx, e, scrub));
        app.exception(DataException.class, (e, ctx) -> refuse(ctx, e, scrub));
        app.exception(Guard.Refused.class, (e, ctx) -> {
            Guard.HEADERS.forEach(ctx::header);
            // An upload over a limit is not read to its end: the connection closes after the reply.
            if (e instanceof Uploads.TooLarge) ctx.header("Connection", "close");
            ctx.status(e.status).contentType("text/plain; charset=utf-8").result(scrub.apply("abacim: " + e.getMessage()));
        });
        app.exception(Jobs.BusyException.class, (e, ctx) ->
                ctx.status(503).contentType("text/plain; charset=utf-8").result("abacim: " + e.getMessage()));
        app.exception(Exception.class, (e, ctx) -> {
            e.printStackTrace(); // a bug: the server's console shows it, the page gets a plain 500
            ctx.status(500).contentType("text/plain; charset=utf-8")
                    .result("abacim: internal error (" + e.getClass().getSimpleName() + ")");
        });
        try {
            app.start(host, port);
            SERVERS.put(app, new Object[] {jobs, guard});
            return app;
        } catch (RuntimeException e) {
            jobs.close();
            uploads.close();
            throw e;
        }
    }

    /** The page, with a placeholder for its token. */
    private static String page() {
        try (var in = TeachingServer.class.getResourceAsStream("/org/abacim/experiments/serve/web/index.html")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * What every reply a page gets goes through (design points, job events, messages): the upload folder's path taken
     * out (an upload — a network's source, a model — is named by its file name), and the server's other folders
     * (working directory, home, temporary) replaced by a mark. A message is then cut to its first line.
     */
    static UnaryOperator<String> paths(Path uploads) {
        List<String[]> replacements = new ArrayList<>();
        Set<String> folders = new LinkedHashSet<>();
        folders.add(uploads.toString());
        try {
            folders.add(uploads.toRealPath().toString());
        } catch (IOException e) {
            // the folder as given
        }
        for (String f : folders) {
            replacements.add(new String[] {f + File.separator, ""});
            replacements.add(new String[] {f, "(uploads)"});
        }
        for (String property : List.of("user.dir", "user.home", "java.io.tmpdir")) {
            String v = System.getProperty(property);
            if (v == null || v.length() < 2) continue;
            v = v.endsWith(File.separator) ? v.substring(0, v.length() - 1) : v;
            replacements.add(new String[] {v, "(server folder)"});
        }
        replacements.sort((a, b) -> b[0].length() - a[0].length());
        return text -> {
            if (text == null) return null;
            String m = text;
            for (String[] r : replacements) m = m.replace(r[0], r[1]);
            return m;
        };
    }

    /** The CLI's one-line message for a refused value, or null when {@code e} is not a refusal. */
    static String refusal(RuntimeException e) {
        return e instanceof ConfigException || e instanceof NetworkException || e instanceof DataException
                || e instanceof Guard.Refused ? "abacim: " + e.getMessage() : null;
    }

    /**
     * The presets and built-in networks a page can pick from, and each preset's config keys (dotted paths to its
     * values), so the page offers only the knobs a preset has: {@code array.rows} everywhere, {@code adc.bits} only
     * where there is an ADC; each preset's value at each key ({@code values}: the knob's placeholder, "128", "auto")
     * and its technology (the reason a knob it lacks is off).
     */
    private static void catalog(Context ctx) {
        List<String> networks = new ArrayList<>();
        NetworkZoo.names().forEach(networks::add);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("presets", Catalog.presetNames());
        body.put("networks", networks);
        Map<String, List<String>> keys = new LinkedHashMap<>();
        Map<String, Map<String, String>> values = new LinkedHashMap<>();
        for (String preset : Catalog.presetNames()) {
            JsonNode root = Catalog.loadPreset(preset, SourceLocation.of("catalog"), null).root();
            List<String> paths = new ArrayList<>();
            leafPaths("", root, paths);
            keys.put(preset, paths);
            Map<String, String> valueOf = new LinkedHashMap<>();
            for (String path : paths) valueOf.put(path, root.at("/" + path.replace(".", "/")).asText());
            values.put(preset, valueOf);
        }
        body.put("keys", keys);
        body.put("values", values);
        ctx.contentType("application/json").result(ResultFormats.json(body));
    }

    private static void leafPaths(String path, JsonNode node, List<String> out) {
        if (!node.isObject()) {
            out.add(path);
            return;
        }
        node.fields().forEachRemaining(e -> leafPaths(path.isEmpty() ? e.getKey() : path + "." + e.getKey(), e.getValue(), out));
    }

    /**
     * The design point a request names: {@code preset}, {@code network} and {@code set}s, as the CLI loads them —
     * built-in names and uploads only ({@link Inputs}).
     */
    private static DesignRun designPoint(Context ctx, Inputs inputs) {
        return inputs.designPoint(ctx.queryParam("preset"), ctx.queryParam("network"), ctx.queryParams("set"));
    }

    /** One design point, costs only (the page's knobs), as the CLI's JSON. */
    private static void point(Context ctx, Inputs inputs, UnaryOperator<String> paths) {
        ctx.contentType("application/json").result(paths.apply(ResultFormats.json(designPoint(ctx, inputs).evaluate(1))));
    }

    /** A compression schedule on LeNet-5 for the request's design, as the compress config that runs it. */
    private static void schedule(Context ctx, Inputs inputs) {
        String preset = ctx.queryParam("preset");
        if (preset == null) throw ConfigException.inSource(SourceLocation.of("request"), "give preset=NAME");
        List<String> sets = ctx.queryParams("set");
        // Only the design's geometry is read; its sets still name built-ins and uploads only.
        DesignRun shapes = inputs.designPoint(preset, "lenet5", sets);
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
    private static void accuracy(Context ctx, Jobs jobs, Inputs inputs, int threads) {
        DesignRun point = designPoint(ctx, inputs);
        if (point.accuracy() == null) {
            throw ConfigException.inSource(SourceLocation.of("request"),
                    "an accuracy job needs an accuracy section: set=accuracy.dataset=NAME (and accuracy.trials, samples)");
        }
        Jobs.Job job = jobs.submit("accuracy", Guard.token(ctx), j -> j.emit("result", Map.of("result", point.evaluate(threads))));
        accepted(ctx, job);
    }

    /**
     * A compression config (the body, YAML) run step by step on its design — or, with {@code compare=true}, each step
     * from the starting model (projections side by side) — each step's row and design point streamed as it lands.
     */
    private static void compress(Context ctx, Jobs jobs, Inputs inputs, Uploads uploads, int threads) throws IOException {
        boolean compare = "true".equals(ctx.queryParam("compare"));
        boolean keep = "true".equals(ctx.queryParam("keep"));
        if (keep && compare) {
            throw ConfigException.inSource(SourceLocation.of("request"), "keep=true keeps a schedule's last model;"
                    + " compare=true runs each step from the trained model and keeps none: give one of them");
        }
        CompressSpec spec = inputs.compressSpec(config(ctx));
        DesignRun shapes = inputs.compressDesign(spec);
        Jobs.Job job = jobs.submit("compress", Guard.token(ctx), j -> {
            Dataset[] data = CompressionSteps.data(spec);
            Network model = CompressionSteps.startingModel(spec, shapes.network(), data, threads);
            Consumer<CompressionSteps.Row> stream = row -> j.emit("row", row(row));
            if (compare) {
                CompressionSteps.compare(spec, "teaching page", model, data, shapes, threads, stream);
                return;
            }
            CompressionSteps.Outcome outcome = CompressionSteps.run(spec, "teaching page", model, data, shapes, threads, stream);
            if (keep) j.emit("kept", Map.of("kept", keep(uploads, spec, outcome)));
        });
        accepted(ctx, job);
    }

    /**
     * The last step's model as a weight map in the upload folder, written as {@code abacim compress} writes it
     * ({@link CompressionSteps#write}: the manifest and .npz named from the config's {@code out}), first into a
     * hidden folder, then kept whole by {@link Uploads#keep} (limits, quota, a name taken by other bytes refused).
     * Returns the manifest's plain file name: a network and {@code accuracy.model} the page may name.
     */
    static String keep(Uploads uploads, CompressSpec spec, CompressionSteps.Outcome outcome) throws IOException {
        Path staging = uploads.staging();
        try {
            Path npz = staging.resolve(spec.out().getFileName().toString());
            Path manifest = CompressionSteps.write(spec, "teaching page", outcome, npz);
            return uploads.keep(npz, manifest);
        } finally {
            uploads.removeStaging(staging);
        }
    }

    /** The request's body as text, read up to {@link #MAX_CONFIG_BYTES} whatever its Content-Length says (413 beyond). */
    private static String config(Context ctx) throws IOException {
        try (var in = ctx.req().getInputStream()) {
            byte[] body = in.readNBytes(MAX_CONFIG_BYTES + 1);
            if (body.length > MAX_CONFIG_BYTES) {
                throw new Uploads.TooLarge("refused: a compression config of more than " + Uploads.mebibytes(MAX_CONFIG_BYTES));
            }
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private static Map<String, Object> row(CompressionSteps.Row r) {
        Map<String, Object> m = CompressionSteps.jsonRows(List.of(r)).get(0);
        m.put("point", r.point());
        return m;
    }

    private static void accepted(Context ctx, Jobs.Job job) {
        ctx.status(202).contentType("application/json").result(ResultFormats.json(Map.of("id", job.id)));
    }

    /** The job the path names, if the asking page started it; else 404 (another page's job is not there for it). */
    private static Jobs.Job job(Context ctx, Jobs jobs) {
        return jobs.find(ctx.pathParam("id"), Guard.token(ctx)).orElseThrow(() -> new Guard.Refused(404,
                "no job " + Guard.shown(ctx.pathParam("id")) + " of this page (jobs are kept while the server runs, the newest 64)"));
    }

    /**
     * A job's events as a server-sent event stream, on the request's thread, in order, until the job's last event or
     * the page leaves. Followers are bounded, per job and in all ({@link Jobs#follow}): one more is HTTP 429.
     */
    private static void follow(Context ctx, Jobs jobs) throws IOException {
        Jobs.Job job = job(ctx, jobs);
        if (!jobs.follow(job)) {
            throw new Guard.Refused(429, "too many pages follow this job or this server's jobs (at most "
                    + Jobs.FOLLOWERS_PER_JOB + " per job, " + Jobs.FOLLOWERS + " in all); close one and try again");
        }
        try {
            var res = ctx.res();
            res.setStatus(200);
            res.setContentType("text/event-stream");
            res.setCharacterEncoding("UTF-8");
            var out = res.getOutputStream();
            out.flush();
            int next = 0;
            while (true) {
                List<String> batch = job.await(next, 1000);
                StringBuilder b = new StringBuilder();
                for (String event : batch) b.append("data: ").append(event).append("\n\n");
                if (batch.isEmpty()) b.append(": waiting\n\n"); // finds a page that has gone
                out.write(b.toString().getBytes(StandardCharsets.UTF_8));
                out.flush();
                next += batch.size();
                if (!batch.isEmpty() && Jobs.isEnd(batch.get(batch.size() - 1))) break;
            }
        } catch (IOException gone) {
            // the page left
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            jobs.unfollow(job);
        }
    }

    private static void refuse(Context ctx, RuntimeException e, UnaryOperator<String> scrub) {
        ctx.status(400).contentType("text/plain; charset=utf-8").result(scrub.apply(refusal(e)));
    }
}
