package org.abacim.core.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.abacim.core.config.ConfigBinder;
import org.abacim.core.config.ConfigDocument;
import org.abacim.core.config.ConfigException;
import org.abacim.core.config.ConfigReader;
import org.abacim.core.config.InvalidValueException;
import org.abacim.core.config.Overrides;
import org.abacim.core.config.SourceLocation;
import org.abacim.core.cost.AttentionOptions;
import org.abacim.core.cost.SimulationOptions;
import org.abacim.core.network.Network;
import org.abacim.core.network.NetworkZoo;
import org.abacim.core.tech.Design;
import org.abacim.core.tech.DesignInfo;
import org.abacim.core.tech.Technology;

/**
 * Assembles a design point: the preset (named by {@code --preset} or the config's {@code preset:} key), the user's
 * config laid over it, {@code --network} and {@code --set} laid over that; then splits the merged tree into the
 * design's identity, the run options, the network and the technology's own parameters, and binds each strictly.
 * The {@code accuracy:} and {@code inputFormat:} sections say how to simulate the network's arithmetic: they are
 * the runtime's to bind (the CLI does), so here they are kept in the config and left out of the technology's keys.
 */
public final class DesignPointLoader {
    /** Keys that are not the technology's: the design's identity, the network, and how to run it. */
    public static final Set<String> RUN_KEYS =
            Set.of("preset", "network", "simulation", "attention", "technology", "name", "description", "source",
                    "accuracy", "inputFormat");

    private DesignPointLoader() {}

    public static DesignPoint load(Path configFile, String preset, String network, List<String> sets) {
        Merged merged = merge(configFile, preset, network, sets);
        return resolve(merged.document(), merged.networkBase(), merged.configDir());
    }

    /** A design's config as merged — preset, then file, then {@code --network}, then {@code --set} — before binding. */
    public record Merged(ConfigDocument document, Path networkBase, Path configDir) {}

    /** The merge {@link #load} binds, for reading a design's keys and where each value came from. */
    public static Merged merge(Path configFile, String preset, String network, List<String> sets) {
        ConfigDocument user = configFile == null ? ConfigDocument.empty("(command line)") : ConfigReader.read(configFile);
        Path baseDir = configFile == null ? null : ConfigReader.folderOf(configFile);
        String presetName = preset;
        SourceLocation presetWhere = SourceLocation.of("--preset " + preset);
        if (presetName == null && user.root().has("preset")) {
            JsonNode node = user.root().get("preset");
            if (!node.isTextual()) {
                throw new ConfigException(user.locate("preset"), "preset", user.valueText("preset"),
                        "expected a preset name or a path to a preset file");
            }
            presetName = node.asText();
            presetWhere = user.locate("preset");
        }
        ConfigDocument doc = user;
        if (presetName != null) {
            doc = Catalog.loadPreset(presetName, presetWhere, baseDir).overlay(user);
        } else if (!user.root().has("technology")) {
            throw ConfigException.inSource(user.origin(), "no preset and no technology: start from a preset "
                    + "(--preset NAME or preset: in the config; built in: " + String.join(", ", Catalog.presetNames())
                    + ") or give a complete design");
        }
        Path networkBase = baseDir;
        if (network != null) {
            doc = doc.with("network", network, SourceLocation.of("--network " + network));
            networkBase = null;
        }
        doc = Overrides.apply(doc, sets);
        return new Merged(doc, networkBase, baseDir);
    }

    /** Binds a merged config to a design point; {@code baseDir} resolves a relative network file path. */
    public static DesignPoint resolve(ConfigDocument doc, Path baseDir) {
        return resolve(doc, baseDir, baseDir);
    }

    /** As {@link #resolve(ConfigDocument, Path)}; {@code configDir} resolves the other files the config names. */
    public static DesignPoint resolve(ConfigDocument doc, Path baseDir, Path configDir) {
        ObjectNode root = doc.root();
        Identity identity = identify(doc);
        if (!root.has("simulation")) {
            throw new ConfigException(doc.locate("simulation"), "simulation", null, "missing required value");
        }
        SimulationOptions options = ConfigBinder.bind(doc, "simulation", root.get("simulation"), SimulationOptions.class);
        // Checked now, so a bad value is refused before any work; bound again where the design point is costed.
        AttentionOptions.of(doc);
        if (!root.has("network") || !root.get("network").isTextual()) {
            throw new ConfigException(root.has("network") ? doc.locate("network") : doc.origin(), "network",
                    doc.valueText("network"),
                    "name a network (--network NAME or network: in the config; built in: "
                            + String.join(", ", NetworkZoo.names()) + "), an ONNX model or a NeuroSim .csv file");
        }
        Network network = NetworkSource.resolve(root.get("network").asText(), doc.locate("network"), baseDir);
        return new DesignPoint(doc, configure(doc, identity), network, options, configDir);
    }

    /**
     * The design alone — the hardware a merged config describes, without a network or run options (a preset, a
     * technology's tests).
     */
    public static Design design(ConfigDocument doc) {
        return configure(doc, identify(doc));
    }

    /** The design's identity and the technology it names. */
    private record Identity(DesignInfo info, Technology technology) {}

    private static Identity identify(ConfigDocument doc) {
        ObjectNode root = doc.root();
        ObjectNode infoNode = JsonNodeFactory.instance.objectNode();
        for (String key : List.of("technology", "name", "description", "source")) {
            if (root.has(key)) infoNode.set(key, root.get(key));
        }
        DesignInfo info = ConfigBinder.bind(doc, "", infoNode, DesignInfo.class);
        Technology technology = Catalog.technology(info.technology()).orElseThrow(() -> new ConfigException(
                doc.locate("technology"), "technology", info.technology(), "unknown technology; known: "
                + String.join(", ", Catalog.technologies().stream().map(Technology::id).toList())));
        return new Identity(info, technology);
    }

    private static Design configure(ConfigDocument doc, Identity identity) {
        try {
            return identity.technology().configure(identity.info(), doc.without(RUN_KEYS));
        } catch (InvalidValueException e) {
            // A technology's check of one key against the others: blame the key where it was written.
            throw new ConfigException(doc.locate(e.field()), e.field(), doc.valueText(e.field()), e.problem());
        } catch (IllegalArgumentException | ArithmeticException e) {
            // Values that each pass their own check but together make no design (a sum that overflows, a geometry
            // that does not fit): the user's values, so one line, not a stack trace.
            throw ConfigException.inSource(doc.origin(), "these values make no design: " + e.getMessage());
        }
    }
}
