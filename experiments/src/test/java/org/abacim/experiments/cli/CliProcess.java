package org.abacim.experiments.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The CLI as a separate JVM (for tests that kill it or run it where the test's JVM cannot go). */
final class CliProcess {
    private CliProcess() {}

    /**
     * The command line that runs {@code abacim ARGS} with the test's classpath, a model cache of its own and the data
     * folder the tests read, after any JVM options.
     */
    static List<String> command(List<String> args, Path modelCache, String... jvmOptions) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "-Dabacim.modelCache=" + modelCache));
        String data = System.getProperty("abacim.data");
        if (data != null) command.add("-Dabacim.data=" + data);
        String natives = System.getProperty("org.bytedeco.javacpp.cachedir");
        if (natives != null) command.add("-Dorg.bytedeco.javacpp.cachedir=" + natives);
        command.add(Abacim.class.getName());
        command.addAll(args);
        return command;
    }
}
