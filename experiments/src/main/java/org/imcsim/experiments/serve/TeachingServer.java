package org.imcsim.experiments.serve;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.imcsim.core.config.ConfigException;
import org.imcsim.core.data.DataException;
import org.imcsim.core.network.NetworkException;
import org.imcsim.core.network.NetworkZoo;
import org.imcsim.experiments.catalog.Catalog;
import org.imcsim.experiments.report.ResultFormats;
import org.imcsim.experiments.run.DesignPointLoader;

/**
 * The teaching page's server ({@code imcsim serve}): the page itself (plain HTML, SVG and JavaScript from the jar,
 * nothing fetched from elsewhere) and a JSON API over the same code as the CLI. {@code GET /api/point?preset=…&
 * network=…&set=PATH=VALUE…} answers what {@code imcsim run --preset … --network … --set … --format json} prints;
 * a value the CLI would refuse is HTTP 400 with the CLI's one-line message. Bound to the loopback address unless
 * told otherwise: the page runs whatever a visitor asks for. Design points take milliseconds; requests are served
 * by a bounded pool (Jetty's), so a burst of slider moves queues rather than piles up.
 */
public final class TeachingServer {
    private TeachingServer() {}

    /** Starts the server on {@code host}:{@code port} (port 0: any free port; see {@link Javalin#port()}). */
    public static Javalin start(String host, int port) {
        // Javalin logs through SLF4J, for which IMCSim ships no back end: its notices about that are not for students.
        // Errors that are bugs are printed by the handler below instead.
        if (System.getProperty("slf4j.internal.verbosity") == null) System.setProperty("slf4j.internal.verbosity", "ERROR");
        io.javalin.util.JavalinLogger.enabled = false;
        Javalin app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.staticFiles.add(files -> {
                files.hostedPath = "/";
                files.directory = "/org/imcsim/experiments/serve/web";
                files.location = Location.CLASSPATH;
            });
        });
        app.get("/api/catalog", TeachingServer::catalog);
        app.get("/api/point", TeachingServer::point);
        app.exception(ConfigException.class, (e, ctx) -> refuse(ctx, e));
        app.exception(NetworkException.class, (e, ctx) -> refuse(ctx, e));
        app.exception(DataException.class, (e, ctx) -> refuse(ctx, e));
        app.exception(Exception.class, (e, ctx) -> {
            e.printStackTrace(); // a bug: the server's console shows it, the page gets a plain 500
            ctx.status(500).contentType("text/plain; charset=utf-8").result("imcsim: internal error: " + e);
        });
        return app.start(host, port);
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

    /** One design point, costs only (the page's knobs), as the CLI's JSON. */
    private static void point(Context ctx) {
        String preset = ctx.queryParam("preset");
        String network = ctx.queryParam("network");
        if (preset == null || network == null) {
            throw ConfigException.inSource(org.imcsim.core.config.SourceLocation.of("request"),
                    "give preset=NAME and network=NAME (see /api/catalog)");
        }
        List<String> sets = ctx.queryParams("set");
        var result = DesignPointLoader.load(null, preset, network, sets).evaluate(1);
        ctx.contentType("application/json").result(ResultFormats.json(result));
    }

    private static void refuse(Context ctx, RuntimeException e) {
        ctx.status(400).contentType("text/plain; charset=utf-8").result("imcsim: " + e.getMessage());
    }
}
