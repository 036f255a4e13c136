package org.abacim.core.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.abacim.core.io.CacheFolder;
import org.abacim.core.network.Network;

/**
 * The data sets abacim knows by name, found in the cache folder ({@link CacheFolder}) where {@code scripts/fetch-data}
 * puts them.
 */
public final class Datasets {
    public static final List<String> NAMES = List.of("mnist", "fashion-mnist");

    /** Parsed data sets by directory and name: a sweep of accuracy points reads MNIST once, not once a point (~1 s). */
    private static final Map<String, Dataset[]> LOADED = new ConcurrentHashMap<>();

    private Datasets() {}

    /** {train, test} of a named data set, parsed once per process (the arrays are shared: treat them as read-only). */
    public static Dataset[] load(String name) {
        Path dir = directory();
        String key = dir.toAbsolutePath() + "|" + name;
        Dataset[] cached = LOADED.get(key);
        if (cached != null) return cached.clone();
        Dataset[] parsed = parse(name, dir);
        LOADED.putIfAbsent(key, parsed);
        return parsed.clone();
    }

    private static Dataset[] parse(String name, Path dir) {
        return switch (name) {
            case "mnist" -> {
                Path pkg = dir.resolve("mnist/package");
                if (!Files.isDirectory(pkg.resolve("src/digits"))) throw missing(name, pkg);
                yield MnistDigits.read(pkg);
            }
            case "fashion-mnist" -> {
                Path d = dir.resolve("fashion-mnist/usr/share/datasets/fashion-mnist");
                if (!Files.isDirectory(d)) throw missing(name, d);
                yield new Dataset[] {
                        Idx.read("fashion-mnist-train", d.resolve("train-images-idx3-ubyte.gz"),
                                d.resolve("train-labels-idx1-ubyte.gz"), 10),
                        Idx.read("fashion-mnist-test", d.resolve("t10k-images-idx3-ubyte.gz"),
                                d.resolve("t10k-labels-idx1-ubyte.gz"), 10)};
            }
            default -> throw new DataException("unknown data set '" + name + "'; known: " + String.join(", ", NAMES));
        };
    }

    /**
     * {train, test} of a data set given in a config ({@code train} is null when the user's files have no training
     * split); relative paths resolve against {@code baseDir}. Parsed once per process, like the named ones.
     */
    public static Dataset[] load(DatasetSpec spec, Path baseDir) {
        if (spec instanceof DatasetSpec.Named n) return load(n.name());
        Path base = baseDir == null ? Path.of("") : baseDir;
        String key = base.toAbsolutePath() + "|" + spec;
        Dataset[] cached = LOADED.get(key);
        if (cached != null) return cached.clone();
        List<String> warnings = new ArrayList<>();
        Dataset[] parsed = UserDatasets.read(spec, base, warnings);
        for (int i = 0; i < 2; i++) {
            if (parsed[i] != null && parsed[i].size() == 0) {
                throw new DataException(spec.label() + ": the " + (i == 0 ? "train" : "test") + " split holds no "
                        + "samples; expected at least one");
            }
        }
        WARNINGS.putIfAbsent(key, List.copyOf(warnings));
        LOADED.putIfAbsent(key, parsed);
        return parsed.clone();
    }

    /** Warnings about the data set found when it was read (float images that look normalized twice); empty if none. */
    private static final Map<String, List<String>> WARNINGS = new ConcurrentHashMap<>();

    /**
     * What looked wrong, without being an error, when {@link #load(DatasetSpec, Path)} read this data set (it reads
     * it first if it has not yet): one line each, naming the file.
     */
    public static List<String> warnings(DatasetSpec spec, Path baseDir) {
        if (spec instanceof DatasetSpec.Named) return List.of();
        Path base = baseDir == null ? Path.of("") : baseDir;
        String key = base.toAbsolutePath() + "|" + spec;
        if (!LOADED.containsKey(key)) load(spec, baseDir);
        return WARNINGS.getOrDefault(key, List.of());
    }

    /**
     * Refuses a split whose labels a model of {@code outputs} outputs cannot give: the first label outside 0 …
     * outputs − 1, named with the file it came from (the labels file, the CIFAR-10 batch, the image folder) and the
     * sample's index.
     */
    public static void checkLabels(DatasetSpec spec, Dataset split, String splitName, long outputs, String model) {
        int[] labels = split.labels();
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= outputs) {
                throw new DataException(labelSource(spec, splitName) + ": label " + labels[i] + " of sample " + i
                        + " is not one of the " + outputs + " outputs of " + model + "; expected 0 to " + (outputs - 1));
            }
        }
    }

    /** As {@link #checkLabels(DatasetSpec, Dataset, String, long, String)} against a network's outputs. */
    public static void checkLabels(DatasetSpec spec, Dataset split, String splitName, Network net) {
        checkLabels(spec, split, splitName, outputs(net), net.name());
    }

    /** A network's outputs: the values its last layer gives for one input (the classes it can answer). */
    public static long outputs(Network net) {
        return net.nodes().get(net.nodes().size() - 1).outputShape().elements();
    }

    /** Where a split's labels come from, as the user gave it. */
    static String labelSource(DatasetSpec spec, String split) {
        boolean train = split.equals("train");
        if (spec instanceof DatasetSpec.NumpyArrays a) return (train ? a.train() : a.test()).labels();
        if (spec instanceof DatasetSpec.Cifar10Folder c) {
            return train ? c.folder() : Path.of(c.folder()).resolve("test_batch.bin").toString();
        }
        if (spec instanceof DatasetSpec.ImageFolder f) return (train ? f.train() : f.test()) + " (class sub-folders)";
        return spec.label() + " (" + split + " split)";
    }

    public static boolean available(String name) {
        Path dir = directory();
        return switch (name) {
            case "mnist" -> Files.isDirectory(dir.resolve("mnist/package/src/digits"));
            case "fashion-mnist" -> Files.isDirectory(dir.resolve("fashion-mnist/usr/share/datasets/fashion-mnist"));
            default -> false;
        };
    }

    /** The data cache ({@link CacheFolder}). */
    public static Path directory() {
        return CacheFolder.directory();
    }

    private static DataException missing(String name, Path where) {
        return new DataException("data set " + name + " is not in " + where + "; fetch it with: scripts/fetch-data "
                + name + " (or set ABACIM_DATA to where it is)");
    }
}
