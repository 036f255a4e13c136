package org.abacim.experiments.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import org.abacim.core.api.Catalog;
import org.abacim.core.api.DesignPointLoader;
import org.abacim.core.config.ConfigDocument;
import org.abacim.core.config.ConfigException;
import org.abacim.core.config.ConfigPath;
import org.abacim.core.config.KeyCatalog.Row;
import org.abacim.core.config.SourceLocation;
import org.abacim.experiments.run.DesignRun;
import org.abacim.experiments.run.KeyReference;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "keys", mixinStandardHelpOptions = true,
        description = {"List a design's keys with their values (units as written), where each value came from — the "
                + "preset file and line, your config's line, the --set that wrote it, or the default declared for a "
                + "key the config leaves out — and what each key means, with its unit. The design is bound first, so "
                + "a bad key or value is reported as run would. Without a design, every key of every technology, "
                + "with its type, unit and default.",
                "Examples: abacim keys isaac",
                "          abacim keys my-design.yaml --set process.node=22nm",
                "          abacim keys --markdown      (the tables docs/config.md holds)"})
final class KeysCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "PRESET|CONFIG",
            description = "A built-in preset's name or a config file; without one, every key of every technology.")
    String design;

    @Option(names = "--set", paramLabel = "PATH=VALUE", description = "Override a key (repeatable).")
    List<String> set = new ArrayList<>();

    @Option(names = "--markdown", description = "Without a design: print the key tables as Markdown.")
    boolean markdown;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (design == null) {
            if (!set.isEmpty()) {
                throw ConfigException.inSource(SourceLocation.of("--set " + set.get(0)),
                        "name the design to set it on: abacim keys PRESET|CONFIG --set PATH=VALUE");
            }
            reference(out);
        } else {
            if (markdown) {
                throw ConfigException.inSource(SourceLocation.of("--markdown"),
                        "prints every technology's key tables, so it takes no design: abacim keys --markdown");
            }
            designKeys(out);
        }
        out.flush();
        return 0;
    }

    private void designKeys(PrintWriter out) {
        boolean file = design.matches(".*\\.(ya?ml|json)$");
        // Any network binds the design; the keys are the design's, so the smallest built-in serves.
        DesignPointLoader.Merged merged = DesignPointLoader.merge(file ? Path.of(design) : null, file ? null : design,
                "lenet5", set);
        DesignRun point = DesignRun.resolve(merged.document(), merged.networkBase(), merged.configDir());
        ConfigDocument doc = DesignRun.withDefaults(merged.document());
        List<Row> keys = KeyReference.designKeys(Catalog.technology(point.design().info().technology()).orElseThrow());
        List<String[]> rows = new ArrayList<>();
        walk(doc, merged.document(), doc.root(), "", keys, rows);
        int width = 0;
        int originWidth = 0;
        for (String[] r : rows) {
            width = Math.max(width, r[0].length() + r[1].length() + 3);
            originWidth = Math.max(originWidth, r[2].length());
        }
        for (String[] r : rows) {
            String keyValue = r[0] + " = " + r[1];
            out.printf(Locale.ROOT, "%-" + Math.min(width, 72) + "s  %-" + Math.min(originWidth, 60) + "s  %s%n",
                    keyValue, r[2], r[3]);
        }
    }

    /**
     * Every leaf: path, value as written, where it was written, what the key means. In the order the config wrote
     * them ({@code written}), each mapping's defaulted keys after the keys it wrote.
     */
    private static void walk(ConfigDocument doc, ConfigDocument written, JsonNode node, String path, List<Row> keys,
                             List<String[]> rows) {
        if (node.isObject() && node.size() > 0) {
            Set<String> names = new LinkedHashSet<>();
            JsonNode asWritten = written.at(path);
            if (asWritten != null && asWritten.isObject()) asWritten.fieldNames().forEachRemaining(names::add);
            node.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                walk(doc, written, node.get(name), ConfigPath.child(path, name), keys, rows);
            }
        } else if (node.isArray() && node.size() > 0 && node.get(0).isContainerNode()) {
            for (int i = 0; i < node.size(); i++) {
                walk(doc, written, node.get(i), ConfigPath.element(path, i), keys, rows);
            }
        } else if (!(path.equals("network") && doc.locate(path).source().startsWith("--network"))) {
            // The network keys put in to bind the design is not the config's: it is left out.
            rows.add(new String[] {path, node.isTextual() ? node.asText() : node.toString(), doc.locate(path).toString(),
                    meaning(doc, path, keys)});
        }
    }

    /** The key's description and unit ("one crossbar read [s]"); among a data set's kinds, the one the config names. */
    private static String meaning(ConfigDocument doc, String path, List<Row> keys) {
        String key = path.replaceAll("\\[\\d+]", "");
        for (Row r : keys) {
            if (r.path().equals(key) && r.doc() != null && (r.when().isEmpty() || inVariant(doc, key, r.when()))) {
                return r.doc() + (r.unit().isEmpty() ? "" : " [" + r.unit() + "]");
            }
        }
        return "";
    }

    /** Whether a mapping above {@code path} has the {@code kind: x} that {@code when} names. */
    private static boolean inVariant(ConfigDocument doc, String path, String when) {
        List<String> segments = ConfigPath.segments(path);
        String parent = "";
        for (String segment : segments.subList(0, segments.size() - 1)) {
            parent = ConfigPath.child(parent, segment);
            JsonNode kind = doc.at(ConfigPath.child(parent, "kind"));
            if (kind != null && kind.isTextual() && when.equals("kind: " + kind.asText())) return true;
        }
        return false;
    }

    /** Every key of every technology, as the key tables list them. */
    private void reference(PrintWriter out) {
        for (KeyReference.Section section : KeyReference.sections()) {
            if (markdown) {
                out.printf(Locale.ROOT, "### %s%n%n%s%n", section.id(), KeyReference.markdown(section));
                continue;
            }
            out.printf(Locale.ROOT, "%s%n", section.id());
            for (Row r : section.rows()) {
                if (r.section()) continue;
                String type = r.type() + (r.unit().isEmpty() ? "" : ", " + r.unit())
                        + (r.defaultValue().isEmpty() ? "" : ", default " + r.defaultValue());
                out.printf(Locale.ROOT, "  %-40s %s (%s)%n", r.path() + (r.when().isEmpty() ? "" : " [" + r.when() + "]"),
                        r.doc() == null ? "" : r.doc(), type);
            }
            out.println();
        }
    }
}
