package org.imcsim.experiments.compare;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.imcsim.core.accuracy.AccuracyOptions;
import org.imcsim.core.config.ConfigBinder;
import org.imcsim.core.config.ConfigDocument;
import org.imcsim.core.config.ConfigException;
import org.imcsim.core.config.ConfigReader;
import org.imcsim.core.config.SourceLocation;
import org.imcsim.core.network.NetworkZoo;
import org.imcsim.experiments.compress.CompressSpec;
import org.imcsim.experiments.config.TypedReader;
import org.imcsim.mapping.compress.Projection;

/**
 * A comparison experiment ({@code imcsim run COMPARISON.yaml}): systems (a preset, overrides, and whether it runs
 * the dense or the compressed model) against networks (a model trained and compressed by the project, or generated
 * weights with a compression structure applied), each system's metrics with ratios against two baseline systems.
 *
 * <pre>
 * name: forms-vs-isaac
 * baselines: { original: isaac-original, optimized: isaac-optimized }
 * systems:
 *   - { name: isaac-original, preset: isaac, model: dense }
 *   - { name: isaac-optimized, preset: isaac, set: ["weightBits=8"], model: compressed }
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
     * A network: {@code compress} names an {@code imcsim compress} config whose model and steps make the dense and
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
        return read(ConfigReader.read(file), file.toAbsolutePath().getParent());
    }

    public static ComparisonSpec read(ConfigDocument doc, Path dir) {
        TypedReader r = new TypedReader(doc);
        r.onlyKeys("", Set.of("name", "description", "baselines", "systems", "networks"));
        String name = r.text("name");
        String description = r.has("description") ? r.text("description") : "";
        r.onlyKeys("baselines", Set.of("original", "optimized"));
        String original = r.text("baselines.original");
        String optimized = r.text("baselines.optimized");
        List<SystemSpec> systems = new ArrayList<>();
        Set<String> names = new HashSet<>();
        JsonNode sl = r.list("systems");
        for (int i = 0; i < sl.size(); i++) {
            String at = "systems[" + i + "]";
            r.onlyKeys(at, Set.of("name", "preset", "set", "model", "networks"));
            String sys = r.text(at + ".name");
            if (!names.add(sys)) throw new ConfigException(doc.locate(at + ".name"), at + ".name", sys, "a second system with this name");
            String model = r.text(at + ".model");
            if (!model.equals("dense") && !model.equals("compressed")) {
                throw new ConfigException(doc.locate(at + ".model"), at + ".model", model, "expected dense or compressed");
            }
            systems.add(new SystemSpec(sys, r.text(at + ".preset"), r.texts(at + ".set"), model.equals("compressed"),
                    doc.locate(at), r.texts(at + ".networks")));
        }
        for (String b : List.of("original", "optimized")) {
            String sys = r.text("baselines." + b);
            if (!names.contains(sys)) {
                throw new ConfigException(doc.locate("baselines." + b), "baselines." + b, sys,
                        "not one of the systems (" + String.join(", ", names) + ")");
            }
        }
        List<NetworkSpec> networks = new ArrayList<>();
        JsonNode nl = r.list("networks");
        for (int i = 0; i < nl.size(); i++) networks.add(network(r, dir, "networks[" + i + "]"));
        if (systems.isEmpty() || networks.isEmpty()) {
            throw ConfigException.inSource(doc.origin(), "give at least one system and one network");
        }
        Set<String> networkNames = new java.util.LinkedHashSet<>();
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
            if ((s.name().equals(original) || s.name().equals(optimized)) && !s.networks().isEmpty()) {
                throw new ConfigException(doc.locate("systems[" + i + "].networks"), "systems[" + i + "].networks", null,
                        "a baseline runs on every network");
            }
        }
        return new ComparisonSpec(doc, dir, name, description, original, optimized, systems, networks);
    }

    private static NetworkSpec network(TypedReader r, Path dir, String at) {
        ConfigDocument doc = r.doc();
        r.onlyKeys(at, Set.of("network", "compress", "generated", "projections", "set", "accuracy"));
        String network = r.text(at + ".network");
        if (NetworkZoo.find(network).isEmpty()) {
            throw new ConfigException(doc.locate(at + ".network"), at + ".network", network,
                    "unknown network; built in: " + String.join(", ", NetworkZoo.names()));
        }
        CompressSpec compress = null;
        Path compressFile = null;
        long seed = 1;
        List<Projection> projections = new ArrayList<>();
        if (r.has(at + ".compress") == r.has(at + ".generated")) {
            throw new ConfigException(doc.locate(at), at, null,
                    "give either compress (a compress config: trained and compressed models) or generated (weights)");
        }
        if (r.has(at + ".compress")) {
            compressFile = dir.resolve(r.text(at + ".compress")).normalize();
            if (!Files.isRegularFile(compressFile)) {
                throw new ConfigException(doc.locate(at + ".compress"), at + ".compress", r.text(at + ".compress"),
                        "no such compress config (" + compressFile + ")");
            }
            compress = CompressSpec.read(compressFile);
            if (!compress.network().equals(network)) {
                throw new ConfigException(doc.locate(at + ".compress"), at + ".compress", r.text(at + ".compress"),
                        "compresses " + compress.network() + ", not " + network);
            }
            if (r.has(at + ".projections")) {
                throw new ConfigException(doc.locate(at + ".projections"), at + ".projections", null,
                        "the compress config's steps make the compressed model; projections go with generated weights");
            }
        } else {
            r.onlyKeys(at + ".generated", Set.of("seed"));
            seed = r.has(at + ".generated.seed") ? r.integer(at + ".generated.seed", 0, Integer.MAX_VALUE) : 1;
            JsonNode pl = r.list(at + ".projections");
            for (int j = 0; j < pl.size(); j++) projections.add(CompressSpec.projection(r, at + ".projections[" + j + "]"));
        }
        AccuracyOptions accuracy = null;
        JsonNode accuracyNode = null;
        if (r.has(at + ".accuracy")) {
            if (compress == null) {
                throw new ConfigException(doc.locate(at + ".accuracy"), at + ".accuracy", null,
                        "accuracy needs a trained model: give compress (generated weights have no accuracy)");
            }
            accuracyNode = doc.at(at + ".accuracy");
            if (accuracyNode.has("model")) {
                throw new ConfigException(doc.locate(at + ".accuracy.model"), at + ".accuracy.model", null,
                        "the models come from the compress config; leave model out");
            }
            // Checked here, with the same defaults a design point's accuracy section has.
            ConfigDocument one = ConfigDocument.empty(doc.origin().toString())
                    .set("accuracy", accuracyNode.deepCopy(), doc.locate(at + ".accuracy"));
            ConfigDocument withDefaults = AccuracyOptions.defaults().overlay(one);
            accuracy = ConfigBinder.bind(withDefaults, at + ".accuracy", withDefaults.root().get("accuracy"),
                    AccuracyOptions.class);
        }
        return new NetworkSpec(network, compress, compressFile, seed, projections, r.texts(at + ".set"), accuracy,
                accuracyNode, at);
    }
}
