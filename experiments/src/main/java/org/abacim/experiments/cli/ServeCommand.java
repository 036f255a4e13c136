package org.abacim.experiments.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.abacim.experiments.serve.TeachingServer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve the teaching page: pick a preset and a network, move the knobs, watch the chip's costs.",
                "Works offline; listens on the loopback address unless --host says otherwise. Ctrl-C stops it.",
                "Example: abacim serve --port 7070, then open http://127.0.0.1:7070/"})
final class ServeCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--port", paramLabel = "N", defaultValue = "7070", description = "Port (default 7070; 0: any free port).")
    int port;

    @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "Address to listen on (default 127.0.0.1: this machine only).")
    String host;

    @Option(names = "--queue", paramLabel = "N", defaultValue = "8",
            description = "Long jobs (accuracy runs, compression) that may wait behind the running one (default 8, at most 32).")
    int queue;

    @Option(names = "--time-limit", paramLabel = "SECONDS", defaultValue = "600",
            description = "A long job still running after this many seconds is stopped (default 600).")
    int timeLimit;

    @Option(names = "--threads", paramLabel = "N", description = "Threads a long job uses (default: all cores).")
    Integer threads;

    @Option(names = "--uploads", paramLabel = "DIR",
            description = "Keep models sent from the page here (default: a temporary folder removed on exit).")
    Path uploads;

    @Option(names = "--upload-limit", paramLabel = "SIZE", defaultValue = "64MiB",
            description = "Largest model file the page may upload (default 64MiB; bytes, or with KiB, MiB, GiB).")
    String uploadLimit;

    @Option(names = "--uploads-quota", paramLabel = "SIZE", defaultValue = "512MiB",
            description = "Most bytes the upload folder may hold (default 512MiB).")
    String uploadsQuota;

    @Option(names = "--allow-host", paramLabel = "NAME",
            description = "A further name the page may be opened by (the Host of its requests; repeatable). Loopback"
                    + " names and the --host address are always accepted; any other Host is refused (DNS rebinding).")
    List<String> allowHosts = new ArrayList<>();

    /** A size: bytes, or a whole number with KiB, MiB or GiB (1 byte to 1 TiB). */
    static long size(String option, String text) {
        var m = Pattern.compile("([0-9]{1,13})\\s*(|B|KiB|MiB|GiB)").matcher(text.trim());
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            int shift = switch (m.group(2)) {
                case "KiB" -> 10;
                case "MiB" -> 20;
                case "GiB" -> 30;
                default -> 0;
            };
            if (n >= 1 && n <= (1L << (40 - shift))) return n << shift;
        }
        throw OptionChecks.refused(option, text, "expected a size from 1 byte to 1 TiB: bytes, or a whole number with"
                + " KiB, MiB or GiB (e.g. 64MiB)");
    }

    @Override
    public Integer call() throws InterruptedException {
        OptionChecks.between("--port", port, 0, 65535, true);
        OptionChecks.between("--queue", queue, 1, 32, true); // the server keeps the newest 64 jobs to follow
        OptionChecks.between("--time-limit", timeLimit, 1, 7 * 24 * 3600, true);
        long fileLimit = size("--upload-limit", uploadLimit);
        long quota = size("--uploads-quota", uploadsQuota);
        for (String name : allowHosts) {
            if (!name.matches("[A-Za-z0-9.-]{1,253}|\\[[0-9A-Fa-f:.]{2,45}\\]")) {
                OptionChecks.fail("--allow-host", name, "expected a host name or address (an IPv6 address in brackets)");
            }
        }
        var limits = new TeachingServer.Limits(queue, Duration.ofSeconds(timeLimit),
                OptionChecks.threads(threads), uploads, fileLimit, quota, allowHosts);
        // Said before listening, so that it shows even when the address cannot be listened on.
        String warning = TeachingServer.exposureWarning(host, port);
        if (warning != null) {
            spec.commandLine().getErr().println(warning);
            spec.commandLine().getErr().flush();
        }
        io.javalin.Javalin app;
        try {
            app = TeachingServer.start(host, port, limits);
        } catch (io.javalin.util.JavalinBindException e) {
            throw OptionChecks.refused("--port", Integer.toString(port), "cannot listen on " + host + ":" + port
                    + " (in use, or not an address of this machine); choose another port, or 0 for any free one");
        }
        spec.commandLine().getOut().printf("abacim teaching page: http://%s:%d/  (Ctrl-C stops it)%n", host, app.port());
        spec.commandLine().getOut().flush();
        Runtime.getRuntime().addShutdownHook(new Thread(app::stop));
        Thread.currentThread().join(); // serve until the process is stopped
        return 0;
    }
}
