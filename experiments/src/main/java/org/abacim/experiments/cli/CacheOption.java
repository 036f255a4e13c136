package org.abacim.experiments.cli;

import org.abacim.experiments.run.ModelCache;
import picocli.CommandLine.Option;

/** {@code --no-cache} for every command that trains or compresses a model into the model cache. */
final class CacheOption {
    @Option(names = "--no-cache", description = "Neither read nor write the model cache: train and compress afresh "
            + "(in a temporary folder removed on exit).")
    boolean noCache;

    /** Sets the process's cache switch for this command (each command sets it, so runs in one JVM do not leak it). */
    void apply() {
        ModelCache.enable(!noCache);
    }
}
