package org.abacim.core.api;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import org.abacim.core.config.ConfigException;
import org.abacim.core.config.SourceLocation;
import org.abacim.core.network.Network;
import org.abacim.core.network.NetworkException;
import org.abacim.core.network.NetworkZoo;
import org.abacim.core.network.NeuroSimCsv;

/**
 * The one place a network comes from: a built-in name, a NeuroSim network file (shapes), or a model file with
 * weights in a format found on the class path ({@link NetworkFormat}: ONNX models and weight maps when the mapping
 * module is there). Configs, commands, comparisons and accuracy runs all ask here.
 */
public final class NetworkSource {
    private NetworkSource() {}

    /** Model formats by file ending, found once. */
    private static final Map<String, NetworkFormat> FORMATS = discover();

    private static Map<String, NetworkFormat> discover() {
        Map<String, NetworkFormat> byEnding = new HashMap<>();
        for (NetworkFormat f : ServiceLoader.load(NetworkFormat.class, NetworkSource.class.getClassLoader())) {
            for (String ending : f.extensions()) {
                NetworkFormat other = byEnding.put(ending, f);
                if (other != null) {
                    throw new IllegalStateException("two network formats read " + ending + ": "
                            + other.getClass().getName() + " and " + f.getClass().getName());
                }
            }
        }
        return Map.copyOf(byEnding);
    }

    /** The endings model files may have: those abacim reads when the mapping module is on the class path. */
    private static final List<String> MODEL_ENDINGS = List.of(".onnx", ".json", ".npz");

    /** A built-in network by name, a model file (its shapes and weights), or a NeuroSim network file. */
    public static Network resolve(String nameOrPath, SourceLocation where, Path baseDir) {
        var builtIn = NetworkZoo.find(nameOrPath);
        if (builtIn.isPresent()) return builtIn.get();
        Path file;
        try {
            file = baseDir == null ? Path.of(nameOrPath) : baseDir.resolve(nameOrPath);
        } catch (InvalidPathException e) {
            throw new ConfigException(where, "network", nameOrPath, "not a network name or a file path (" + e.getReason() + ")");
        }
        if (Files.isRegularFile(file)) {
            String ending = ending(file);
            if (MODEL_ENDINGS.contains(ending)) {
                NetworkFormat format = format(ending).orElseThrow(() -> new ConfigException(where, "network", nameOrPath,
                        "reading " + ending + " models needs the mapping module (org.abacim:mapping) on the class path"));
                try {
                    return format.read(file);
                } catch (ConfigException e) {
                    throw e;
                } catch (RuntimeException e) {
                    if (!format.describesTheFile(e)) throw e;
                    throw new ConfigException(where, "network", nameOrPath, e.getMessage());
                }
            }
            if (!ending.equals(".csv")) {
                throw new ConfigException(where, "network", nameOrPath,
                        "unsupported network file; expected an ONNX model (.onnx), a weight map (.json/.npz) or a NeuroSim NetWork_*.csv");
            }
            try {
                return NeuroSimCsv.read(file);
            } catch (NetworkException e) {
                throw ConfigException.inSource(SourceLocation.of(file.toString()), e.getMessage());
            }
        }
        throw new ConfigException(where, "network", nameOrPath, "unknown network; built in: "
                + String.join(", ", NetworkZoo.names()) + " (or a path to an ONNX model or a NeuroSim .csv file)");
    }

    /**
     * A network with its weights from a model file: ONNX, or a weight map (a .json manifest or its .npz; any other
     * ending is read as a manifest). The format's own exceptions pass through.
     */
    public static Network model(Path model) {
        String ending = ending(model);
        String asked = ending.equals(".onnx") ? ".onnx" : FORMATS.containsKey(ending) ? ending : ".json";
        return format(asked).orElseThrow(() -> new IllegalStateException("reading " + model + " needs the mapping "
                + "module (org.abacim:mapping) on the class path")).read(model);
    }

    /** A model file if {@code ref} is one, else a built-in network or network file (no weights). */
    public static Network modelOrShapes(String ref) {
        if ((ref.endsWith(".json") || ref.endsWith(".npz") || ref.endsWith(".onnx")) && Files.exists(Path.of(ref))) {
            return model(Path.of(ref));
        }
        return resolve(ref, SourceLocation.of(ref), null);
    }

    private static Optional<NetworkFormat> format(String ending) {
        return Optional.ofNullable(FORMATS.get(ending));
    }

    private static String ending(Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot);
    }
}
