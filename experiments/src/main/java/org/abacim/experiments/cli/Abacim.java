package org.abacim.experiments.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.InvalidPathException;
import org.abacim.core.config.ConfigException;
import org.abacim.core.data.DataException;
import org.abacim.core.io.IoErrors;
import org.abacim.core.network.NetworkException;
import org.abacim.core.progress.Progress;
import org.abacim.core.blas.Gemm;
import org.abacim.experiments.progress.ConsoleProgress;
import org.abacim.experiments.run.AbacimVersion;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code abacim} command line. User errors print one line and exit 2; no stack trace. */
@Command(name = "abacim", mixinStandardHelpOptions = true, versionProvider = Abacim.Version.class,
        description = "Simulate in-memory-computing DNN accelerators: cost (throughput, latency, area, power, energy) "
                + "of a network mapped onto a design.",
        subcommands = {RunCommand.class, SweepCommand.class, ReportCommand.class, CompressCommand.class, TrainCommand.class, TuneCommand.class, EvalCommand.class,
                InferCommand.class, InspectCommand.class, PresetsCommand.class, NetworksCommand.class, MetricsCommand.class, KeysCommand.class, MacroCommand.class, DeviceCommand.class, ValidateCommand.class, ServeCommand.class,
                CommandLine.HelpCommand.class})
public final class Abacim implements Runnable {
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
        CommandLine cli = new CommandLine(new Abacim());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof ConfigException || e instanceof NetworkException || e instanceof DataException) {
                commandLine.getErr().println("abacim: " + e.getMessage());
                commandLine.getErr().flush();
                return USER_ERROR;
            }
            if (e instanceof InvalidPathException bad) {
                // A path no file system accepts (a NUL byte, say), wherever it was given.
                commandLine.getErr().println("abacim: " + bad.getInput().replace("\0", "\\0") + ": not a valid path ("
                        + bad.getReason() + ")");
                commandLine.getErr().flush();
                return USER_ERROR;
            }
            // The file system refusing a read or write (full disk, permissions, a folder where a file should be) is
            // the user's environment, not a bug: one line naming the file and the reason.
            IOException io = e instanceof UncheckedIOException u ? u.getCause()
                    : e instanceof IOException i ? i : null;
            if (io != null) {
                commandLine.getErr().println("abacim: " + describe(io));
                commandLine.getErr().flush();
                return USER_ERROR;
            }
            throw e;
        });
        // Long work reports on stderr through one reporter: a bar on a terminal, plain lines otherwise.
        Progress before =
                Progress.install(ConsoleProgress.forConsole(err));
        int code;
        try {
            code = cli.execute(args);
        } finally {
            Progress.install(before);
        }
        out.flush();
        err.flush();
        return code;
    }

    /** "FILE: reason" for a file-system error, in words rather than an exception's name. */
    static String describe(IOException e) {
        return IoErrors.describe(e);
    }

    /** The version Maven wrote into the jar. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            return new String[] {"abacim " + AbacimVersion.project(),
                    "matrix products: " + Gemm.kernel()};
        }
    }
}
