package org.imcsim.experiments.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.imcsim.core.config.ConfigDocument;
import org.imcsim.core.api.DesignPointLoader;
import org.imcsim.experiments.run.DesignRun;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "keys", mixinStandardHelpOptions = true,
        description = {"List a design's keys with their values (units as written) and where each value came from: the "
                + "preset file and line, your config's line, or the --set that wrote it. The design is bound first, so "
                + "a bad key or value is reported as run would.",
                "Examples: imcsim keys isaac",
                "          imcsim keys my-design.yaml --set process.node=22nm"})
final class KeysCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PRESET|CONFIG", description = "A built-in preset's name or a config file.")
    String design;

    @Option(names = "--set", paramLabel = "PATH=VALUE", description = "Override a key (repeatable).")
    List<String> set = new ArrayList<>();

    @Override
    public Integer call() {
        boolean file = design.matches(".*\\.(ya?ml|json)$");
        // Any network binds the design; the keys are the design's, so the smallest built-in serves.
        DesignPointLoader.Merged merged = DesignPointLoader.merge(file ? Path.of(design) : null, file ? null : design,
                "lenet5", set);
        DesignRun.resolve(merged.document(), merged.networkBase(), merged.configDir());
        ConfigDocument doc = merged.document();
        List<String[]> rows = new ArrayList<>();
        walk(doc, doc.root(), "", rows);
        int width = 0;
        for (String[] r : rows) width = Math.max(width, r[0].length() + r[1].length() + 3);
        PrintWriter out = spec.commandLine().getOut();
        for (String[] r : rows) {
            String keyValue = r[0] + " = " + r[1];
            out.printf(Locale.ROOT, "%-" + Math.min(width, 72) + "s  %s%n", keyValue, r[2]);
        }
        out.flush();
        return 0;
    }

    /** Every leaf in document order: path, value as written, where it was written. */
    private static void walk(ConfigDocument doc, JsonNode node, String path, List<String[]> rows) {
        if (node.isObject() && node.size() > 0) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                walk(doc, e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey(), rows);
            }
        } else if (node.isArray() && node.size() > 0 && node.get(0).isContainerNode()) {
            for (int i = 0; i < node.size(); i++) walk(doc, node.get(i), path + "[" + i + "]", rows);
        } else if (!path.equals("network")) {
            rows.add(new String[] {path, node.isTextual() ? node.asText() : node.toString(), doc.locate(path).toString()});
        }
    }
}
