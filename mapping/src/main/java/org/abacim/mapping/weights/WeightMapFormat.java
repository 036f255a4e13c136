package org.abacim.mapping.weights;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import org.abacim.core.api.NetworkFormat;
import org.abacim.core.api.NetworkSource;
import org.abacim.core.config.ConfigException;
import org.abacim.core.config.ConfigReader;
import org.abacim.core.config.SourceLocation;
import org.abacim.core.data.DataException;
import org.abacim.core.network.Network;
import org.abacim.core.network.NetworkException;

/**
 * Weight maps as a network source: a {@code .json} manifest naming its shapes' network and its weights, or the
 * {@code .npz} beside it. Registered in {@code META-INF/services}.
 */
public final class WeightMapFormat implements NetworkFormat {
    @Override
    public List<String> extensions() {
        return List.of(".json", ".npz");
    }

    @Override
    public boolean describesTheFile(RuntimeException e) {
        return e instanceof NetworkException || e instanceof DataException;
    }

    @Override
    public Network read(Path model) {
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
            Network shapes = NetworkSource.resolve(loaded.network(), SourceLocation.of(manifest.toString()),
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
    private static final ThreadLocal<ArrayDeque<Path[]>> READING = ThreadLocal.withInitial(ArrayDeque::new);
    private static final int MAX_CHAIN = 16;

    /** The file's real path when it exists (links and {@code ..} resolved), else its normalized absolute path. */
    private static Path identity(Path file) {
        try {
            return file.toRealPath();
        } catch (IOException | SecurityException e) {
            return file.toAbsolutePath().normalize();
        }
    }
}
