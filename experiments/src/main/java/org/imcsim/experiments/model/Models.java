package org.imcsim.experiments.model;

import java.nio.file.Files;
import java.nio.file.Path;
import org.imcsim.core.config.SourceLocation;
import org.imcsim.core.network.Network;
import org.imcsim.core.network.NetworkZoo;
import org.imcsim.experiments.run.DesignPointLoader;
import org.imcsim.mapping.onnx.OnnxImporter;
import org.imcsim.mapping.weights.WeightMap;

/** Models by path (a weight-map manifest or its .npz) or, for shapes only, networks by name. */
public final class Models {
    private Models() {}

    /** A network with its weights from a model file: ONNX, or a weight map (.json manifest or its .npz). */
    public static Network load(Path model) {
        if (model.toString().endsWith(".onnx")) return OnnxImporter.read(model);
        WeightMap.Loaded loaded = WeightMap.read(model);
        Path manifest = model.toString().endsWith(".npz")
                ? Path.of(model.toString().replaceFirst("\\.npz$", ".json")) : model;
        Network shapes = DesignPointLoader.network(loaded.network(), SourceLocation.of(manifest.toString()),
                manifest.toAbsolutePath().getParent());
        Network net = WeightMap.apply(loaded, shapes);
        WeightMap.validate(loaded, net, manifest.toString());
        return net;
    }

    /** A model file if {@code ref} is one, else a built-in network or network file (no weights). */
    public static Network loadOrShapes(String ref) {
        if ((ref.endsWith(".json") || ref.endsWith(".npz") || ref.endsWith(".onnx")) && Files.exists(Path.of(ref))) {
            return load(Path.of(ref));
        }
        if (NetworkZoo.find(ref).isPresent()) return NetworkZoo.find(ref).get();
        return DesignPointLoader.network(ref, SourceLocation.of(ref), null);
    }
}
