package org.abacim.mapping.weights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.abacim.core.data.DataException;
import org.abacim.core.io.IoErrors;
import org.abacim.core.io.WholeFiles;
import org.abacim.core.network.BatchNorm;
import org.abacim.core.network.Conv2d;
import org.abacim.core.network.LayerParams;
import org.abacim.core.network.Linear;
import org.abacim.core.network.Network;
import org.abacim.core.network.NetworkException;
import org.abacim.core.tensor.Tensor;

/**
 * A model on disk: weights in {@code NAME.npz} and a manifest {@code NAME.json} saying which network they belong
 * to and which layer and parameter each tensor is. Tensor names default to PyTorch's state_dict names
 * ({@code conv1.weight}, {@code bn1.running_var}); a manifest {@code tensors} map renames them.
 *
 * <pre>
 * { "format": "abacim-weights/1", "network": "lenet5",
 *   "tensors": { "features.0.weight": { "layer": "conv1", "param": "weight" } },
 *   "provenance": { ... } }
 * </pre>
 */
public final class WeightMap {
    public static final String FORMAT = "abacim-weights/1";
    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    /** What a manifest says, with the tensors it points to. */
    public record Loaded(String network, Map<String, Tensor> tensors, Map<String, String[]> names, JsonNode manifest) {}

    private WeightMap() {}

    /** Reads a model given its manifest ({@code .json}) or its weights ({@code .npz}, manifest beside it). */
    public static Loaded read(Path path) {
        String file = path.toString();
        Path manifestPath = file.endsWith(".npz") ? Path.of(file.substring(0, file.length() - 4) + ".json") : path;
        if (!Files.isRegularFile(manifestPath)) throw new DataException(manifestPath + ": no such model manifest");
        JsonNode manifest;
        try {
            manifest = JSON.readTree(Files.readString(manifestPath, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new DataException(manifestPath + ": not a JSON model manifest: "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
        if (!manifest.path("format").asText().equals(FORMAT)) {
            throw new DataException(manifestPath + ": format must be \"" + FORMAT + "\"");
        }
        if (!manifest.path("network").isTextual()) {
            throw new DataException(manifestPath + ": \"network\" must name the network (built-in name or file)");
        }
        Map<String, Tensor> tensors = Npz.read(weightsFile(manifestPath, manifest));
        Map<String, String[]> names = new LinkedHashMap<>();
        JsonNode map = manifest.path("tensors");
        for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            names.put(e.getKey(), new String[] {e.getValue().path("layer").asText(), e.getValue().path("param").asText()});
        }
        return new Loaded(manifest.get("network").asText(), tensors, names, manifest);
    }

    /**
     * The weights file a manifest names ({@code weights}, default NAME.npz beside it), which must stay in the
     * manifest's folder: a name with {@code ..}, an absolute path, a symbolic link resolving elsewhere or the manifest
     * itself is refused, not followed.
     */
    static Path weightsFile(Path manifestPath, JsonNode manifest) {
        String defaultName = manifestPath.getFileName().toString().replaceFirst("\\.json$", "") + ".npz";
        JsonNode given = manifest.path("weights");
        if (!given.isMissingNode() && !given.isTextual()) {
            throw new DataException(manifestPath + ": \"weights\" = " + given + ": expected the name of a .npz file "
                    + "in the manifest's folder");
        }
        String name = given.isMissingNode() ? defaultName : given.asText();
        Path relative;
        try {
            relative = Path.of(name);
        } catch (InvalidPathException e) {
            throw new DataException(manifestPath + ": \"weights\" = \"" + name.replace("\0", "\\0")
                    + "\": not a valid file name (" + e.getReason() + ")");
        }
        String expected = "expected a .npz file in the manifest's folder (a plain name such as "
                + defaultName + ")";
        if (name.isBlank() || relative.isAbsolute() || relative.getRoot() != null
                || StreamSupport.stream(relative.spliterator(), false)
                        .anyMatch(p -> p.toString().equals(".."))) {
            throw new DataException(manifestPath + ": \"weights\" = \"" + name + "\" leaves the manifest's folder; "
                    + expected);
        }
        Path file = manifestPath.resolveSibling(relative);
        if (Files.exists(file)) {
            try {
                Path folder = manifestPath.toAbsolutePath().getParent().toRealPath();
                Path real = file.toRealPath();
                if (real.equals(manifestPath.toRealPath())) {
                    throw new DataException(manifestPath + ": \"weights\" = \"" + name + "\" names the manifest "
                            + "itself; " + expected);
                }
                if (!real.startsWith(folder)) {
                    throw new DataException(manifestPath + ": \"weights\" = \"" + name + "\" is a link to " + real
                            + ", outside the manifest's folder; " + expected);
                }
            } catch (IOException e) {
                throw new DataException(manifestPath + ": \"weights\" = \"" + name + "\": cannot resolve: "
                        + IoErrors.reason(e));
            }
        }
        return file;
    }

    /** The network with the loaded parameters attached; every weighted layer must find its tensors. */
    public static Network apply(Loaded loaded, Network shapes) {
        Map<String, Tensor> byKey = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> t : loaded.tensors().entrySet()) {
            String[] target = loaded.names().get(t.getKey());
            byKey.put(target == null ? t.getKey() : target[0] + "." + target[1], t.getValue());
        }
        Map<String, LayerParams> params = new LinkedHashMap<>();
        JsonNode shared = loaded.manifest().path("shared");
        for (Network.Node n : shapes.nodes()) {
            String l = n.name();
            String owner = shared.path(l).asText(null);
            if (owner != null && params.get(owner) instanceof LayerParams.Dense d) {
                Tensor ownBias = byKey.get(l + ".bias");
                params.put(l, ownBias == null ? d : new LayerParams.Dense(d.weight(), ownBias));
                continue;
            }
            if (n.layer() instanceof Conv2d || n.layer() instanceof Linear) {
                Tensor w = need(byKey, l, "weight");
                int[] expected = n.layer() instanceof Conv2d c
                        ? new int[] {c.outChannels(), c.inChannels() / c.groups(), c.kernelH(), c.kernelW()}
                        : new int[] {((Linear) n.layer()).outFeatures(), ((Linear) n.layer()).inFeatures()};
                if (w.size() == Tensor.size(expected) && w.rank() != expected.length) w = w.reshape(expected);
                params.put(l, new LayerParams.Dense(w, byKey.get(l + ".bias")));
            } else if (n.layer() instanceof BatchNorm) {
                float eps = (float) loaded.manifest().path("eps").path(l).asDouble(1e-5);
                params.put(l, new LayerParams.Norm(need(byKey, l, "weight"), need(byKey, l, "bias"),
                        need(byKey, l, "running_mean"), need(byKey, l, "running_var"), eps));
            }
        }
        return shapes.withParams(params);
    }

    /** Rows of a weighted layer's array matrix (k = C_in/groups · K_h · K_w, or in-features). */
    static int matrixRows(Network net, String layer) {
        var l = net.node(layer).layer();
        return l instanceof Conv2d c ? c.matrixRows() : ((Linear) l).inFeatures();
    }

    /** Per output column and fragment of rows: the sign (+1, −1; +1 for an all-zero fragment). */
    static Tensor signs(float[] w, int k, int fragment) {
        int out = w.length / k;
        int fragments = (k + fragment - 1) / fragment;
        float[] s = new float[out * fragments];
        for (int o = 0; o < out; o++) {
            for (int f = 0; f < fragments; f++) {
                float sign = 1;
                for (int r = f * fragment; r < Math.min(k, (f + 1) * fragment); r++) {
                    if (w[o * k + r] != 0) {
                        sign = Math.signum(w[o * k + r]);
                        break;
                    }
                }
                s[o * fragments + f] = sign;
            }
        }
        return new Tensor(new int[] {out, fragments}, s);
    }

    /**
     * Checks a compressed model's weights against its manifest's {@code compression} section: pruned positions
     * (mask 0) hold 0; quantized weights are integers times the scale within the bits' range; every polarized
     * fragment holds one sign, the recorded one. A model without the section passes.
     */
    public static void validate(Loaded loaded, Network net, String where) {
        JsonNode section = loaded.manifest().path("compression");
        for (Iterator<Map.Entry<String, JsonNode>> it = section.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String layer = e.getKey();
            if (net.nodes().stream().noneMatch(n -> n.name().equals(layer))
                    || !(net.params(layer) instanceof LayerParams.Dense d)) {
                throw new DataException(where + ": compression names layer " + layer + ", which has no weights");
            }
            float[] w = d.weight().data();
            JsonNode c = e.getValue();
            if (c.has("pruning")) {
                Tensor mask = loaded.tensors().get(c.path("pruning").path("mask").asText());
                if (mask == null || mask.size() != w.length) {
                    throw new DataException(where + ": layer " + layer + ": the mask tensor is missing or not "
                            + w.length + " values");
                }
                for (int i = 0; i < w.length; i++) {
                    if (mask.data()[i] == 0 && w[i] != 0) {
                        throw new DataException(where + ": layer " + layer + ": weight " + i + " is " + w[i]
                                + " but the mask prunes it");
                    }
                }
            }
            if (c.has("quantization")) {
                int bits = c.path("quantization").path("bits").asInt();
                double scale = c.path("quantization").path("scale").asDouble();
                long max = (1L << (bits - 1)) - 1;
                for (int i = 0; i < w.length; i++) {
                    double level = scale == 0 ? 0 : w[i] / scale;
                    if (Math.abs(level - Math.rint(level)) > 1e-3 || Math.abs(Math.rint(level)) > max) {
                        throw new DataException(where + ": layer " + layer + ": weight " + i + " = " + w[i]
                                + " is not one of the " + bits + "-bit levels of step " + scale);
                    }
                }
            }
            if (c.has("polarization")) {
                int fragment = c.path("polarization").path("fragment").asInt();
                int k = matrixRows(net, layer);
                Tensor recorded = loaded.tensors().get(c.path("polarization").path("signs").asText());
                if (recorded == null || recorded.size() != (long) (w.length / k) * ((k + fragment - 1) / fragment)) {
                    throw new DataException(where + ": layer " + layer + ": the signs tensor is missing or the wrong size");
                }
                for (int o = 0; o < w.length / k; o++) {
                    for (int f = 0; f * fragment < k; f++) {
                        float sign = recorded.data()[o * ((k + fragment - 1) / fragment) + f];
                        for (int r = f * fragment; r < Math.min(k, (f + 1) * fragment); r++) {
                            float v = w[o * k + r];
                            if (v != 0 && Math.signum(v) != sign) {
                                throw new DataException(where + ": layer " + layer + ": fragment " + f + " of column "
                                        + o + " mixes signs (row " + r + " is " + v + ")");
                            }
                        }
                    }
                }
            }
        }
    }

    private static Tensor need(Map<String, Tensor> byKey, String layer, String param) {
        Tensor t = byKey.get(layer + "." + param);
        if (t == null) {
            throw new NetworkException("the weights have no tensor for layer " + layer + " (" + param
                    + "); name it " + layer + "." + param + " or map it in the manifest's \"tensors\"");
        }
        return t;
    }

    /** Writes {@code NAME.npz} and {@code NAME.json} for a network with parameters; returns the manifest path. */
    public static Path write(Network net, String networkRef, Path npz, ObjectNode provenance) {
        return write(net, networkRef, npz, provenance, Map.of());
    }

    /**
     * As {@link #write(Network, String, Path, ObjectNode)}, for a compressed model: the manifest gains a
     * {@code compression} section per layer (quantization bits, scale and levels; pruning kind and its mask, stored
     * as tensor {@code LAYER.mask}; polarization fragment size and the fragments' signs as {@code LAYER.signs}),
     * which {@link #validate} checks against the weights when the model is read back.
     */
    public static Path write(Network net, String networkRef, Path npz, ObjectNode provenance,
                             Map<String, LayerCompression> compression) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        ObjectNode section = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, LayerCompression> e : compression.entrySet()) {
            String layer = e.getKey();
            LayerCompression c = e.getValue();
            ObjectNode l = section.putObject(layer);
            l.put("source", c.source());
            if (c.quantized()) {
                ObjectNode q = l.putObject("quantization");
                q.put("bits", c.bits());
                q.put("scale", c.scale());
                q.put("levels", 2 * ((1 << (c.bits() - 1)) - 1) + 1);
            }
            if (c.mask() != null) {
                ObjectNode p = l.putObject("pruning");
                p.put("kind", c.pruning());
                p.put("mask", layer + ".mask");
                tensors.put(layer + ".mask", new Tensor(new int[] {c.mask().length}, c.mask()));
            }
            if (c.fragment() > 0) {
                ObjectNode p = l.putObject("polarization");
                p.put("fragment", c.fragment());
                p.put("signs", layer + ".signs");
                float[] w = ((LayerParams.Dense) net.params(layer)).weight().data();
                tensors.put(layer + ".signs", signs(w, matrixRows(net, layer), c.fragment()));
            }
        }
        ObjectNode names = JsonNodeFactory.instance.objectNode();
        // Layers on another layer's weights (an unrolled RNN's steps) are listed, not stored again: read back, they
        // share their owner's tensors, and the chip still holds the matrix once.
        Map<String, String> shared = net.sharedWeights();
        for (Network.Node n : net.nodes()) {
            if (shared.containsKey(n.name())) {
                // Its own bias, when it is not the owner's tensor, is stored.
                LayerParams.Dense own = (LayerParams.Dense) net.params(n.name());
                LayerParams.Dense owner = (LayerParams.Dense) net.params(shared.get(n.name()));
                if (own.bias() != null && own.bias() != owner.bias()) put(tensors, names, n.name(), "bias", own.bias());
                continue;
            }
            LayerParams p = net.params(n.name());
            if (p instanceof LayerParams.Dense d) {
                put(tensors, names, n.name(), "weight", d.weight());
                if (d.bias() != null) put(tensors, names, n.name(), "bias", d.bias());
            } else if (p instanceof LayerParams.Norm m) {
                put(tensors, names, n.name(), "weight", m.gamma());
                put(tensors, names, n.name(), "bias", m.beta());
                put(tensors, names, n.name(), "running_mean", m.mean());
                put(tensors, names, n.name(), "running_var", m.variance());
            }
        }
        try {
            Files.createDirectories(npz.toAbsolutePath().getParent());
            Npz.write(npz, tensors);
            ObjectNode manifest = JsonNodeFactory.instance.objectNode();
            manifest.put("format", FORMAT);
            manifest.put("network", networkRef);
            manifest.put("weights", npz.getFileName().toString());
            manifest.set("tensors", names);
            if (provenance != null) manifest.set("provenance", provenance);
            if (!compression.isEmpty()) manifest.set("compression", section);
            if (!shared.isEmpty()) {
                ObjectNode sharing = manifest.putObject("shared");
                shared.forEach(sharing::put);
            }
            Path manifestPath = Path.of(npz.toString().replaceFirst("\\.npz$", "") + ".json");
            // The manifest last, whole (temporary file + rename): a manifest never names weights not fully written.
            WholeFiles.write(manifestPath,
                    (JSON.writeValueAsString(manifest) + "\n").getBytes(StandardCharsets.UTF_8));
            return manifestPath;
        } catch (IOException e) {
            throw new DataException(npz + ": cannot write: " + IoErrors.reason(e));
        }
    }

    private static void put(Map<String, Tensor> tensors, ObjectNode names, String layer, String param, Tensor t) {
        tensors.put(layer + "." + param, t);
        ObjectNode entry = names.putObject(layer + "." + param);
        entry.put("layer", layer);
        entry.put("param", param);
    }
}
