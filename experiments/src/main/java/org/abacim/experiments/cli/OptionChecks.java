package org.abacim.experiments.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.abacim.core.config.ConfigException;
import org.abacim.core.config.SourceLocation;

/** Numeric command-line options checked like config values: one line naming the option and the value. */
final class OptionChecks {
    private OptionChecks() {}

    static int atLeast(String option, Integer value, int min) {
        if (value != null && value < min) fail(option, String.valueOf(value), "must be at least " + min);
        return value == null ? min : value;
    }

    /** A finite number within [min, max] (NaN and infinities refused). */
    static double between(String option, double value, double min, double max, boolean maxIncluded) {
        if (!Double.isFinite(value) || value < min || (maxIncluded ? value > max : value >= max)) {
            fail(option, String.valueOf(value), "expected a finite number from " + min + " to " + max
                    + (maxIncluded ? "" : " (excluded)"));
        }
        return value;
    }

    /** The thread count: at least 1, all cores when not given. */
    static int threads(Integer threads) {
        if (threads == null) return Runtime.getRuntime().availableProcessors();
        if (threads < 1 || threads > 4096) fail("--threads", String.valueOf(threads), "expected 1 to 4096 threads");
        return threads;
    }

    /** Refuses {@code value} of {@code option}: one line naming both and what was expected (exit code 2). */
    static void fail(String option, String value, String problem) {
        throw refused(option, value, problem);
    }

    /** The refusal {@link #fail} throws, for a caller that throws it itself. */
    static ConfigException refused(String option, String value, String problem) {
        return new ConfigException(SourceLocation.of(option + " " + value), option, value, problem);
    }

    /** A folder that must exist, or a one-line refusal naming the option. */
    static Path existingFolder(String option, Path folder) {
        if (!Files.isDirectory(folder)) throw refused(option, folder.toString(), "expected an existing folder");
        return folder;
    }
}
