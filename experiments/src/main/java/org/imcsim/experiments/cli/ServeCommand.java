package org.imcsim.experiments.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve the teaching page: pick a preset and a network, move the knobs, watch the chip's costs.",
                "Works offline; listens on the loopback address unless --host says otherwise. Ctrl-C stops it.",
                "Example: imcsim serve --port 7070, then open http://127.0.0.1:7070/"})
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
    java.nio.file.Path uploads;

    @Override
    public Integer call() throws InterruptedException {
        OptionChecks.between("--port", port, 0, 65535, true);
        OptionChecks.between("--queue", queue, 1, 32, true); // the server keeps the newest 64 jobs to follow
        OptionChecks.between("--time-limit", timeLimit, 1, 7 * 24 * 3600, true);
        var limits = new org.imcsim.experiments.serve.TeachingServer.Limits(queue, java.time.Duration.ofSeconds(timeLimit),
                OptionChecks.threads(threads), uploads);
        io.javalin.Javalin app;
        try {
            app = org.imcsim.experiments.serve.TeachingServer.start(host, port, limits);
        } catch (io.javalin.util.JavalinBindException e) {
            throw OptionChecks.refused("--port", Integer.toString(port), "cannot listen on " + host + ":" + port
                    + " (in use, or not an address of this machine); choose another port, or 0 for any free one");
        }
        spec.commandLine().getOut().printf("IMCSim teaching page: http://%s:%d/  (Ctrl-C stops it)%n", host, app.port());
        spec.commandLine().getOut().flush();
        Runtime.getRuntime().addShutdownHook(new Thread(app::stop));
        Thread.currentThread().join(); // serve until the process is stopped
        return 0;
    }
}
