package org.abacim.experiments.cli;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import org.abacim.core.api.Catalog;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "presets", mixinStandardHelpOptions = true,
        description = "List the built-in design presets with their technology, description and source.")
final class PresetsCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        for (Map.Entry<String, String[]> e : Catalog.presetDescriptions().entrySet()) {
            out.printf("%-16s %-16s %s%n%-16s %-16s source: %s%n", e.getKey(), e.getValue()[0], e.getValue()[1], "", "",
                    e.getValue()[2]);
        }
        out.flush();
        return 0;
    }
}
