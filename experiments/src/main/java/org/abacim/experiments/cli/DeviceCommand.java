package org.abacim.experiments.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.abacim.core.analog.DeviceData;
import org.abacim.core.analog.MeasuredDevice;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code abacim device fit FILE|SET}: the device model fitted from measured conductance states. */
@Command(name = "device", mixinStandardHelpOptions = true,
        description = {"Measured device data (docs/accuracy.md#measured-device-data)."},
        subcommands = {DeviceCommand.Fit.class})
final class DeviceCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    @Command(name = "fit", mixinStandardHelpOptions = true,
            description = {"Fit the device model from measured conductance states and print it: per level (and time "
                    + "after programming) the mean and σ of the reached conductance, the relative σ (σ / mean) and the "
                    + "samples behind them.",
                    "FILE is a samples CSV (level,conductance_uS[,time_s]) or a per-level summary (mean[,std], "
                            + "NeuroSim's mem_states.csv); SET a built-in set: " + "levy-hfox-c.",
                    "Example: abacim device fit levy-hfox-c --bits-per-cell 2"})
    static final class Fit implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FILE|SET", description = "Device-data file or built-in set name.")
        String data;

        @Option(names = "--bits-per-cell", paramLabel = "B", description = "Also show how a cell of B bits maps "
                + "its levels onto the measured ones, at each measured time.")
        Integer bitsPerCell;

        @Override
        public Integer call() {
            MeasuredDevice m = DeviceData.load(data, null);
            if (bitsPerCell != null && (bitsPerCell < 1 || bitsPerCell > 8)) {
                throw OptionChecks.refused("--bits-per-cell", bitsPerCell.toString(), "bits per cell from 1 to 8");
            }
            PrintWriter out = spec.commandLine().getOut();
            out.printf(Locale.ROOT, "%s: %d levels, %d time%s after programming, at least %d samples per level "
                    + "to fit%n", m.source(), m.levels(), m.times().length, m.times().length == 1 ? "" : "s",
                    MeasuredDevice.MIN_SAMPLES);
            for (int t = 0; t < m.times().length; t++) {
                out.printf(Locale.ROOT, "%nt = %s s%n", num(m.times()[t]));
                out.printf(Locale.ROOT, "  %5s %8s %12s %10s %10s%n", "level", "samples", "mean (µS)", "σ (µS)",
                        "σ / mean");
                for (int l = 0; l < m.levels(); l++) {
                    double mean = m.mean()[t][l];
                    double sigma = m.sigma()[t][l];
                    int n = m.count()[t][l];
                    out.printf(Locale.ROOT, "  %5d %8s %12.4f %10.4f %10.4f%n", l, n == 0 ? "-" : Integer.toString(n),
                            mean * 1e6, sigma * 1e6, mean > 0 ? sigma / mean : Double.NaN);
                }
                if (bitsPerCell != null) {
                    int levels = 1 << bitsPerCell;
                    try {
                        MeasuredDevice.Cells c = m.cells(levels, m.times()[t]);
                        out.printf(Locale.ROOT, "  a %d-bit cell: G_min %.4f µS, level step ΔG %.4f µS (both as programmed, at the first time)%n", bitsPerCell,
                                c.gMinSiemens() * 1e6, c.stepSiemens() * 1e6);
                        out.printf(Locale.ROOT, "  %12s %14s %16s %14s%n", "design level", "measured level",
                                "mean (ΔG steps)", "σ (ΔG steps)");
                        for (int l = 0; l < levels; l++) {
                            out.printf(Locale.ROOT, "  %12d %14d %16.4f %14.4f%n", l, c.measuredLevel()[l],
                                    c.meanSteps()[l], c.sigmaSteps()[l]);
                        }
                    } catch (IllegalArgumentException e) {
                        throw OptionChecks.refused("--bits-per-cell", bitsPerCell.toString(), e.getMessage());
                    }
                }
            }
            return 0;
        }

        private static String num(double v) {
            return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
        }
    }
}
