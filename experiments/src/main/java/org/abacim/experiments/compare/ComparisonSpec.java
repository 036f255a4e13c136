package org.abacim.experiments.compare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.abacim.core.accuracy.AccuracyOptions;
import org.abacim.core.config.Check;
import org.abacim.core.config.ConfigBinder;
import org.abacim.core.config.ConfigDocument;
import org.abacim.core.config.ConfigException;
import org.abacim.core.config.ConfigReader;
import org.abacim.core.config.SourceLocation;
import org.abacim.core.data.DatasetSpec;
import org.abacim.core.network.NetworkZoo;
import org.abacim.experiments.compress.CompressSpec;
import org.abacim.mapping.compress.Projection;

/**
 * A comparison experiment ({@code abacim run COMPARISON.yaml}): systems (a preset, overrides, and whether it runs
 * the dense or the compressed model) against networks (a model trained and compressed by the project, or generated
 * weights with a compression structure applied), each system's metrics with ratios against two baseline systems.
 *
 * <pre>
 * name: forms-vs-isaac
 * baselines: { original: isaac-original, optimized: isaac-optimized }
 * systems:
 *   - { name: isaac-original, preset: isaac, model: dense }
 *   - { name: isaac-optimized, preset: isaac, set: ["weights.bits=8"], model: compressed }
 *   - { name: forms, preset: forms, model: compressed }
 * networks:
 *   - network: lenet5
 *     compress: compress/lenet5-forms-polarize.yaml   # trains the dense model and compresses it (both cached)
 *     set: ["device.programming.sigma=0.1"]
 *     accuracy: { dataset: mnist, samples: 500, trials: 50, activity: measured }
 *   - network: vgg16
 *     generated: { seed: 1 }                          # He-initialized weights
 *     projections: [ { kind: polarize, fragment: 8 }, { kind: quantize, bits: 8 } ]
 * </pre>
 */
public record ComparisonSpec(ConfigDocument doc, Path directory, String name, String description, String original,
                             String optimized, List<SystemSpec> systems, List<NetworkSpec> networks) {

    /**
     * A system: a preset with overrides, running the dense or the compressed model, on every network or on the
     * {@code networks} it names (empty: all).
     */
    public record SystemSpec(String name, String preset, List<String> set, boolean compressed, SourceLocation where,
                             List<String> networks) {
        public boolean runsOn(String network) {
            return networks.isEmpty() || networks.contains(network);
        }
    }

    /**
     * A network: {@code compress} names an {@code abacim compress} config whose model and steps make the dense and
     * compressed models; otherwise weights are generated with {@code seed} and {@code projections} applied once.
     * {@code set} applies to every system on this network; {@code accuracy} (null: none) runs on the models.
     */
    public record NetworkSpec(String network, CompressSpec compress, Path compressFile, long seed,
                              List<Projection> projections, List<String> set, AccuracyOptions accuracy,
                              JsonNode accuracyNode, String at) {}

    /** Whether a config file is a comparison (it lists systems) rather than one design point. */
    public static boolean isComparison(ConfigDocument doc) {
        return doc.root().has("systems");
    }

    public static ComparisonSpec read(Path file) {
        return read(ConfigReader.read(file), ConfigReader.folderOf(file));
    }

    /** What a comparison file may leave out, as data: laid under the file, and under every system and network. */
    static final ConfigDocument DEFAULTS = ConfigReader.read("comparison defaults", """
            description: ""
            system: { set: [], networks: [] }        # networks []: every network
            network: { set: [] }
            generated: { seed: 1 }                  # generated weights: He initialization with this seed
            """);

    /** The file's shape, bound strictly; each network is bound by what it holds (see {@link #network}). */
    record File(String name, String description, Baselines baselines, List<SystemFile> systems, List<JsonNode> networks) {
        File {
            Check.plainName("name", name);
            Check.that(!systems.isEmpty(), "systems", "[]", "give at least one system");
            Check.that(!networks.isEmpty(), "networks", "[]", "give at least one network");
        }
    }

    record Baselines(String original, String optimized) {}

    enum Model { dense, compressed }

    record SystemFile(String name, String preset, List<String> set, Model model, List<String> networks) {
        SystemFile {
            Check.plainName("name", name);
        }
    }

    /** A network whose models a compress config makes; {@code accuracy} is bound on its own (optional). */
    record CompressedNetwork(String network, String compress, List<String> set) {}

    /** A network with generated weights and projections applied once. */
    record GeneratedNetwork(String network, Generated generated, List<Projection> projections, List<String> set) {}

    record Generated(long seed) {
        Generated {
            Check.that(seed >= 0 && seed <= Integer.MAX_VALUE, "seed", seed, "must be between 0 and " + Integer.MAX_VALUE);
        }
    }

    public static ComparisonSpec read(ConfigDocument file, Path dir) {
        ConfigDocument doc = DEFAULTS.without(Set.of("system", "network", "generated")).overlay(file);
        doc = doc.withElementDefaults("systems", DEFAULTS.at("system"), key -> DEFAULTS.locate("system." + key));
        doc = doc.withElementDefaults("networks", DEFAULTS.at("network"), key -> DEFAULTS.locate("network." + key));
        File f = ConfigBinder.bind(doc, File.class);
        List<SystemSpec> systems = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (int i = 0; i < f.systems().size(); i++) {
            SystemFile sys = f.systems().get(i);
            String at = "systems[" + i + "]";
            if (!names.add(sys.name())) {
                throw new ConfigException(doc.locate(at + ".name"), at + ".name", sys.name(), "a second system with this name");
            }
            systems.add(new SystemSpec(sys.name(), sys.preset(), sys.set(), sys.model() == Model.compressed,
                    doc.locate(at), sys.networks()));
        }
        for (String b : List.of("original", "optimized")) {
            String sys = b.equals("original") ? f.baselines().original() : f.baselines().optimized();
            if (!names.contains(sys)) {
                throw new ConfigException(doc.locate("baselines." + b), "baselines." + b, sys,
                        "not one of the systems (" + String.join(", ", names) + ")");
            }
        }
        List<NetworkSpec> networks = new ArrayList<>();
        for (int i = 0; i < f.networks().size(); i++) networks.add(network(doc, dir, "networks[" + i + "]"));
        Set<String> networkNames = new LinkedHashSet<>();
        for (NetworkSpec n : networks) networkNames.add(n.network());
        for (int i = 0; i < systems.size(); i++) {
            SystemSpec s = systems.get(i);
            for (int k = 0; k < s.networks().size(); k++) {
                if (!networkNames.contains(s.networks().get(k))) {
                    String at = "systems[" + i + "].networks[" + k + "]";
                    throw new ConfigException(doc.locate(at), at, s.networks().get(k),
                            "not one of the networks (" + String.join(", ", networkNames) + ")");
                }
            }
            if ((s.name().equals(f.baselines().original()) || s.name().equals(f.baselines().optimized()))
                    && !s.networks().isEmpty()) {
                throw new ConfigException(doc.locate("systems[" + i + "].networks"), "systems[" + i + "].networks", null,
                        "a baseline runs on every network");
            }
        }
        return new ComparisonSpec(doc, dir, f.name(), f.description(), f.baselines().original(),
                f.baselines().optimized(), systems, networks);
    }

    /**
     * One network: with {@code compress} (trained and compressed models, optionally an {@code accuracy} run) or with
     * {@code generated} weights and {@code projections}; each form is bound strictly to its own record.
     */
    private static NetworkSpec network(ConfigDocument doc, Path dir, String at) {
        JsonNode node = doc.at(at);
        if (!node.isObject()) throw new ConfigException(doc.locate(at), at, doc.valueText(at), "expected a mapping of keys");
        if (node.has("compress") == node.has("generated")) {
            throw new ConfigException(doc.locate(at), at, null,
                    "give either compress (a compress config: trained and compressed models) or generated (weights)");
        }
        if (node.has("generated")) {
            if (node.has("accuracy")) {
                throw new ConfigException(doc.locate(at + ".accuracy"), at + ".accuracy", null,
                        "accuracy needs a trained model: give compress (generated weights have no accuracy)");
            }
            ConfigDocument filled = doc;
            if (doc.at(at + ".generated").isObject()) {
                for (String key : List.of("seed")) {
                    if (!doc.at(at + ".generated").has(key)) {
                        filled = filled.set(at + ".generated." + key, DEFAULTS.at("generated." + key),
                                DEFAULTS.locate("generated." + key));
                    }
                }
            }
            if (!node.has("projections")) {
                throw new ConfigException(doc.locate(at), at + ".projections", null, "missing required value");
            }
            GeneratedNetwork g = ConfigBinder.bind(filled, at, filled.at(at), GeneratedNetwork.class);
            checkNetwork(doc, at, g.network());
            return new NetworkSpec(g.network(), null, null, g.generated().seed(), g.projections(), g.set(), null, null, at);
        }
        // The optional accuracy section is bound below, on its own; the rest strictly.
        JsonNode rest = ((ObjectNode) node.deepCopy()).without("accuracy");
        if (node.has("projections")) {
            throw new ConfigException(doc.locate(at + ".projections"), at + ".projections", null,
                    "the compress config's steps make the compressed model; projections go with generated weights");
        }
        CompressedNetwork c = ConfigBinder.bind(doc, at, rest, CompressedNetwork.class);
        checkNetwork(doc, at, c.network());
        Path compressFile = dir.resolve(c.compress()).normalize();
        if (!Files.isRegularFile(compressFile)) {
            throw new ConfigException(doc.locate(at + ".compress"), at + ".compress", c.compress(),
                    "no such compress config (" + compressFile + ")");
        }
        CompressSpec compress = CompressSpec.read(compressFile);
        if (!compress.network().equals(c.network())) {
            throw new ConfigException(doc.locate(at + ".compress"), at + ".compress", c.compress(),
                    "compresses " + compress.network() + ", not " + c.network());
        }
        AccuracyOptions accuracy = null;
        JsonNode accuracyNode = null;
        if (node.has("accuracy")) {
            accuracyNode = doc.at(at + ".accuracy");
            if (accuracyNode.has("model")) {
                throw new ConfigException(doc.locate(at + ".accuracy.model"), at + ".accuracy.model", null,
                        "the models come from the compress config; leave model out");
            }
            // Checked here, with the same defaults a design point's accuracy section has.
            ConfigDocument one = ConfigDocument.empty(doc.origin().toString())
                    .set("accuracy", accuracyNode.deepCopy(), doc.locate(at + ".accuracy"));
            ConfigDocument withDefaults = DatasetSpec.withDefaults(
                    AccuracyOptions.defaults().overlay(one), "accuracy" + ".dataset");
            accuracy = ConfigBinder.bind(withDefaults, at + ".accuracy", withDefaults.root().get("accuracy"),
                    AccuracyOptions.class);
        }
        return new NetworkSpec(c.network(), compress, compressFile, 1, List.of(), c.set(), accuracy, accuracyNode, at);
    }

    private static void checkNetwork(ConfigDocument doc, String at, String network) {
        if (NetworkZoo.find(network).isEmpty()) {
            throw new ConfigException(doc.locate(at + ".network"), at + ".network", network,
                    "unknown network; built in: " + String.join(", ", NetworkZoo.names()));
        }
    }
}
