package org.abacim.experiments.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.abacim.core.config.ConfigDocument;
import org.abacim.core.config.ConfigException;
import org.abacim.core.config.Overrides;
import org.abacim.core.config.SourceLocation;
import org.abacim.core.data.Datasets;
import org.abacim.core.network.NetworkZoo;
import org.abacim.core.api.Catalog;
import org.abacim.experiments.compress.CompressSpec;
import org.abacim.experiments.run.DesignRun;

/**
 * What a request to the teaching server may name: in serve mode a preset is a built-in preset's name, a network a
 * built-in network's name or the plain file name of an upload, a data set a built-in one (mnist, fashion-mnist: the
 * server locates its files), a model {@code train} or an upload's plain file name. Every design point and
 * compression config the server builds goes through here first, so no other value reaches the loaders that would
 * open it as a path.
 *
 * <p>Anything else — an absolute path, {@code ../}, a sub-folder, a file of the working directory, a symbolic link
 * that leaves the upload folder — is refused before any file is looked at, with one line that depends only on the
 * value's kind and the value as given: the same whether such a file exists or not, and never any of its content.
 */
final class Inputs {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** What a plain file name may be (the same rule the upload folder's names follow). */
    static final String PLAIN = "[A-Za-z0-9][A-Za-z0-9._ -]{0,200}";

    private final Path uploads;

    Inputs(Path uploads) {
        this.uploads = uploads.toAbsolutePath().normalize();
    }

    static boolean plain(String name) {
        return name != null && name.matches(PLAIN) && !name.contains("..");
    }

    private static ConfigException refused(String key, String value, String allowed) {
        // The value is not repeated: the line is the same for every value refused, a file that exists or not.
        return new ConfigException(SourceLocation.of("request"), key, null,
                "the teaching server takes " + allowed + " (no file paths)");
    }

    private static String networks() {
        return "a built-in network (" + String.join(", ", NetworkZoo.names())
                + ") or the plain file name of a model uploaded to it";
    }

    /**
     * The upload {@code name} (already a plain name), when it is a regular file inside the upload folder — a symbolic
     * link is followed only if it stays inside — or null.
     */
    private Path upload(String name) {
        Path file = uploads.resolve(name);
        try {
            if (!Files.isRegularFile(file)) return null;
            Path real = file.toRealPath();
            return real.startsWith(uploads.toRealPath()) && Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS) ? real : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** A network value: a built-in name, or an upload (a weight map's manifest must name a built-in network or upload). */
    String network(String key, String value) {
        if (value != null && NetworkZoo.find(value).isPresent()) return value;
        if (!plain(value) || upload(value) == null) throw refused(key, value, networks());
        String lower = value.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".json") || lower.endsWith(".npz")) manifest(key, value);
        return value;
    }

    /** A model value: {@code train}, or an uploaded model file. */
    String model(String key, String value) {
        if ("train".equals(value)) return value;
        if (!plain(value) || upload(value) == null) {
            throw refused(key, value, "'train' or the plain file name of a model uploaded to it");
        }
        return network(key, value);
    }

    /**
     * The files an uploaded weight map's manifest names (its network and its weights) follow the same rule: a manifest
     * naming {@code /etc/…} is refused before the loader would open it.
     */
    private void manifest(String key, String value) {
        Path manifest = upload(value.replaceFirst("(?i)\\.npz$", ".json"));
        if (manifest == null) throw refused(key, value, networks());
        JsonNode m;
        try {
            m = JSON.readTree(Files.readString(manifest));
        } catch (IOException | RuntimeException e) {
            return; // not JSON: the loader refuses it, naming the upload
        }
        JsonNode network = m.path("network");
        if (network.isTextual() && NetworkZoo.find(network.asText()).isEmpty()
                && (!plain(network.asText()) || upload(network.asText()) == null)) {
            throw refused(key, value, networks() + ", whose manifest names the same");
        }
        JsonNode weights = m.path("weights");
        if (weights.isTextual() && (!plain(weights.asText()) || upload(weights.asText()) == null)) {
            throw refused(key, value, "a weight map whose weights are an upload's plain file name");
        }
    }

    static String preset(String value) {
        if (value == null || !Catalog.presetNames().contains(value)) {
            throw refused("preset", value, "a built-in preset (" + String.join(", ", Catalog.presetNames()) + ")");
        }
        return value;
    }

    private static void dataset(String key, JsonNode node) {
        if (node == null || node.isMissingNode()) return;
        if (!node.isTextual() || !Datasets.NAMES.contains(node.asText())) {
            throw refused(key, node.isTextual() ? node.asText() : node.toString(),
                    "a built-in data set (" + String.join(", ", Datasets.NAMES) + ")");
        }
    }

    /**
     * A design point from the request's preset, network and sets, as {@code abacim run --preset --network --set}
     * builds it, every file reference checked: the network, {@code accuracy.model}, {@code accuracy.dataset}.
     * Relative files resolve in the upload folder.
     */
    DesignRun designPoint(String preset, String network, List<String> sets) {
        if (preset == null || network == null) {
            throw ConfigException.inSource(SourceLocation.of("request"), "give preset=NAME and network=NAME (see /api/catalog)");
        }
        ConfigDocument doc = Catalog.loadPreset(preset(preset), SourceLocation.of("preset " + preset), null);
        doc = doc.with("network", network(network), SourceLocation.of("network " + network));
        doc = Overrides.apply(doc, sets);
        JsonNode root = doc.root();
        if (root.has("preset") && !root.get("preset").asText("").equals(preset)) preset(root.get("preset").asText(null));
        network("network", root.path("network").asText(null));
        JsonNode accuracy = root.path("accuracy");
        if (accuracy.has("model")) model("accuracy.model", accuracy.get("model").isTextual() ? accuracy.get("model").asText() : accuracy.get("model").toString());
        dataset("accuracy.dataset", accuracy.get("dataset"));
        return DesignRun.resolve(doc, uploads, uploads);
    }

    private String network(String value) {
        return network("network", value);
    }

    /** A compression config sent by a page: its network, data set, model, design and output name checked. */
    CompressSpec compressSpec(String text) {
        CompressSpec spec = CompressSpec.read("compression config", text, uploads);
        network("network", spec.network());
        dataset("dataset", spec.doc().at("dataset"));
        model("model", spec.model());
        if (spec.out() == null || !spec.out().getParent().equals(uploads)) {
            throw refused("out", spec.doc().at("out").asText(), "an output's plain file name (it writes none)");
        }
        return spec;
    }

    /** The design a compression config's steps are judged on, its preset, network and sets checked like a request's. */
    DesignRun compressDesign(CompressSpec spec) {
        return designPoint(spec.preset(), spec.network(), spec.designSets());
    }
}
