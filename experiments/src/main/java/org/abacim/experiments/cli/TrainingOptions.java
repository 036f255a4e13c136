package org.abacim.experiments.cli;

import picocli.CommandLine.Option;

/**
 * The training options {@code train} and {@code tune} declare alike, mixed into both. Their other look-alike options
 * ({@code --epochs}, {@code --lr}, {@code --seed}, {@code --train-samples}, {@code --dataset}, {@code --out}) differ
 * in default or help text between the two commands, so each command keeps its own.
 */
final class TrainingOptions {
    // The field names are the help's parameter labels (--batch=<batch>): renaming one changes the help.
    @Option(names = "--batch", defaultValue = "64", description = "Mini-batch size (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--threads", paramLabel = "N", description = "Threads (default: all cores); the result does not depend on it.")
    Integer threads;

    /** The mini-batch size, refused (exit code 2) below 1. */
    int batch() {
        return OptionChecks.atLeast("--batch", batch, 1);
    }

    /** The thread count: refused (exit code 2) outside 1 to 4096, all cores when not given. */
    int threads() {
        return OptionChecks.threads(threads);
    }
}
