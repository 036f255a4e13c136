package org.imcsim.experiments.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Locale;
import org.imcsim.core.config.ConfigException;
import org.imcsim.core.config.ConfigReader;
import org.imcsim.core.config.SourceLocation;
import org.imcsim.core.data.DataException;
import org.imcsim.core.network.Network;
import org.imcsim.core.network.NetworkException;
import org.imcsim.core.network.NetworkZoo;
import org.imcsim.core.network.NeuroSimCsv;
import org.imcsim.mapping.onnx.OnnxImporter;
import org.imcsim.mapping.weights.WeightMap;

/**
 * The one place a network comes from: a built-in name, a NeuroSim network file (shapes), an ONNX model or a weight
 * map (shapes and weights). Configs, commands, comparisons and accuracy runs all ask here.
 */
public final class NetworkSource {
    private NetworkSource() {}

    /** A built-in network by name, an ONNX model (its shapes and weights), or a NeuroSim network file. */
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
            String lower = file.toString().toLowerCase(Locale.ROOT);
            if (lower.endsWith(".onnx")) {
                try {
                    return OnnxImporter.read(file);
                } catch (NetworkException | DataException e) {
                    throw new ConfigException(where, "network", nameOrPath, e.getMessage());
                }
            }
            if (lower.endsWith(".json") || lower.endsWith(".npz")) {
                try {
                    return model(file);
                } catch (NetworkException | DataException e) {
                    throw new ConfigException(where, "network", nameOrPath, e.getMessage());
                }
            }
            if (!lower.endsWith(".csv")) {
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

    /** A network with its weights from a model file: ONNX, or a weight map (.json manifest or its .npz). */
    public static Network model(Path model) {
        if (model.toString().endsWith(".onnx")) return OnnxImporter.read(model);
        Path manifest = model.toString().endsWith(".npz")
                ? Path.of(model.toString().replaceFirst("\\.npz$", ".json")) : model;
        // A manifest's network may be another manifest (its shapes): a chain that comes back to a manifest already
        // being read (A names A, or A → B → A) is refused at once, naming the cycle, and chains are kept short.
        ArrayDeque<Path[]> chain = READING.get();
        Path key = identity(manifest);
        for (Path[] open : chain) {
            if (open[0].equals(key)) {
                StringBuilder cycle = new StringBuilder();
                for (Iterator<Path[]> it = chain.descendingIterator(); it.hasNext(); ) {
                    Path[] p = it.next();
                    if (cycle.length() > 0 || p[0].equals(key)) cycle.append(p[1]).append(" → ");
                }
                throw new ConfigException(SourceLocation.of(chain.peek()[1].toString()), "network", manifest.toString(),
                        (chain.peek()[0].equals(key) ? "the manifest names itself" : "a cycle of manifests") + " (" + cycle
                        + manifest + "); expected a built-in network, an ONNX model, a NeuroSim .csv or a manifest "
                        + "that does not lead back here");
            }
        }
        if (chain.size() >= MAX_CHAIN) {
            throw new ConfigException(SourceLocation.of(chain.peek()[1].toString()), "network", manifest.toString(),
                    "a chain of more than " + MAX_CHAIN + " manifests, each naming the next; expected at most " + MAX_CHAIN);
        }
        chain.push(new Path[] {key, manifest});
        try {
            WeightMap.Loaded loaded = WeightMap.read(model);
            Network shapes = resolve(loaded.network(), SourceLocation.of(manifest.toString()),
                    ConfigReader.folderOf(manifest));
            Network net = WeightMap.apply(loaded, shapes);
            WeightMap.validate(loaded, net, manifest.toString());
            return net;
        } finally {
            chain.pop();
            if (chain.isEmpty()) READING.remove();
        }
    }

    /** Manifests a thread is reading, innermost first: {identity, path as given}. */
    private static final ThreadLocal<ArrayDeque<Path[]>> READING =
            ThreadLocal.withInitial(ArrayDeque::new);
    private static final int MAX_CHAIN = 16;

    /** The file's real path when it exists (links and {@code ..} resolved), else its normalized absolute path. */
    private static Path identity(Path file) {
        try {
            return file.toRealPath();
        } catch (IOException | SecurityException e) {
            return file.toAbsolutePath().normalize();
        }
    }

    /** A model file if {@code ref} is one, else a built-in network or network file (no weights). */
    public static Network modelOrShapes(String ref) {
        if ((ref.endsWith(".json") || ref.endsWith(".npz") || ref.endsWith(".onnx")) && Files.exists(Path.of(ref))) {
            return model(Path.of(ref));
        }
        return resolve(ref, SourceLocation.of(ref), null);
    }
}
