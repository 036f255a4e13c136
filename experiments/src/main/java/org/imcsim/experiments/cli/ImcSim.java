package org.imcsim.experiments.cli;

import java.io.IOException;
import java.io.PrintWriter;
import org.imcsim.core.config.ConfigException;
import org.imcsim.core.data.DataException;
import org.imcsim.core.network.NetworkException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code imcsim} command line. User errors print one line and exit 2; no stack trace. */
@Command(name = "imcsim", mixinStandardHelpOptions = true, versionProvider = ImcSim.Version.class,
        description = "Simulate in-memory-computing DNN accelerators: cost (throughput, latency, area, power, energy) "
                + "of a network mapped onto a design.",
        subcommands = {RunCommand.class, SweepCommand.class, ReportCommand.class, CompressCommand.class, TrainCommand.class, EvalCommand.class,
                InferCommand.class, InspectCommand.class, PresetsCommand.class, NetworksCommand.class, MetricsCommand.class, KeysCommand.class, MacroCommand.class, ValidateCommand.class, ServeCommand.class,
                CommandLine.HelpCommand.class})
public final class ImcSim implements Runnable {
    public static final int USER_ERROR = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the CLI with the given streams and returns the exit code (for tests). */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new ImcSim());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof ConfigException || e instanceof NetworkException || e instanceof DataException) {
                commandLine.getErr().println("imcsim: " + e.getMessage());
                commandLine.getErr().flush();
                return USER_ERROR;
            }
            if (e instanceof java.nio.file.InvalidPathException bad) {
                // A path no file system accepts (a NUL byte, say), wherever it was given.
                commandLine.getErr().println("imcsim: " + bad.getInput().replace("\0", "\\0") + ": not a valid path ("
                        + bad.getReason() + ")");
                commandLine.getErr().flush();
                return USER_ERROR;
            }
            // The file system refusing a read or write (full disk, permissions, a folder where a file should be) is
            // the user's environment, not a bug: one line naming the file and the reason.
            java.io.IOException io = e instanceof java.io.UncheckedIOException u ? u.getCause()
                    : e instanceof java.io.IOException i ? i : null;
            if (io != null) {
                commandLine.getErr().println("imcsim: " + describe(io));
                commandLine.getErr().flush();
                return USER_ERROR;
            }
            throw e;
        });
        // Long work reports on stderr through one reporter: a bar on a terminal, plain lines otherwise.
        org.imcsim.core.progress.Progress before =
                org.imcsim.core.progress.Progress.install(org.imcsim.experiments.progress.ConsoleProgress.forConsole(err));
        int code;
        try {
            code = cli.execute(args);
        } finally {
            org.imcsim.core.progress.Progress.install(before);
        }
        out.flush();
        err.flush();
        return code;
    }

    /** "FILE: reason" for a file-system error, in words rather than an exception's name. */
    static String describe(java.io.IOException e) {
        return org.imcsim.core.io.IoErrors.describe(e);
    }

    /** The version Maven wrote into the jar. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            return new String[] {"imcsim " + org.imcsim.experiments.run.ImcSimVersion.project(),
                    "matrix products: " + org.imcsim.core.tensor.Gemm.kernel()};
        }
    }
}
