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

    @Override
    public Integer call() throws InterruptedException {
        OptionChecks.between("--port", port, 0, 65535, true);
        io.javalin.Javalin app;
        try {
            app = org.imcsim.experiments.serve.TeachingServer.start(host, port);
        } catch (io.javalin.util.JavalinBindException e) {
            throw new org.imcsim.core.config.ConfigException(org.imcsim.core.config.SourceLocation.of("--port " + port),
                    "--port", Integer.toString(port), "cannot listen on " + host + ":" + port + " (in use, or not an "
                            + "address of this machine); choose another port, or 0 for any free one");
        }
        spec.commandLine().getOut().printf("IMCSim teaching page: http://%s:%d/  (Ctrl-C stops it)%n", host, app.port());
        spec.commandLine().getOut().flush();
        Runtime.getRuntime().addShutdownHook(new Thread(app::stop));
        Thread.currentThread().join(); // serve until the process is stopped
        return 0;
    }
}
