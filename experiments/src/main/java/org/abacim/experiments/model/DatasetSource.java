package org.abacim.experiments.model;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.abacim.core.config.ConfigBinder;
import org.abacim.core.config.ConfigDocument;
import org.abacim.core.config.ConfigException;
import org.abacim.core.config.ConfigReader;
import org.abacim.core.config.SourceLocation;
import org.abacim.core.data.DataException;
import org.abacim.core.data.Dataset;
import org.abacim.core.data.DatasetSpec;
import org.abacim.core.data.Datasets;
import org.abacim.core.network.Network;

/**
 * The data set a command names ({@code --dataset}): a name abacim knows, or a YAML file whose {@code dataset:} key
 * describes the user's files exactly as an {@code accuracy.dataset} does (paths relative to that file).
 */
public final class DatasetSource {
    private DatasetSource() {}

    /**
     * A data set and its splits: {@code train} is null when the user's files hold test images only; {@code warnings}
     * says what looked wrong without being an error (one line each, naming the file).
     */
    public record Loaded(DatasetSpec spec, Dataset train, Dataset test, List<String> warnings) {
        /** The training split, or a one-line error saying the data set has none. */
        public Dataset trainOrFail(String why) {
            if (train == null) throw new DataException(spec.label() + " has no training split (" + why + ")");
            return train;
        }

        /** Refuses a label {@code net} cannot answer, in either split (one line naming the file and sample). */
        public void checkLabels(Network net) {
            if (train != null) Datasets.checkLabels(spec, train, "train", net);
            Datasets.checkLabels(spec, test, "test", net);
        }

        /** Prints the warnings on {@code err}, each as one "abacim: warning: …" line. */
        public void warn(PrintWriter err) {
            for (String w : warnings) err.println("abacim: warning: " + w);
            err.flush();
        }
    }

    /**
     * A name, or a YAML file describing the data set under {@code dataset:} — or, for a design config, under
     * {@code accuracy.dataset:}.
     */
    public static Loaded load(String nameOrFile) {
        if (Datasets.NAMES.contains(nameOrFile)) return loaded(new DatasetSpec.Named(nameOrFile), null);
        Path file;
        try {
            file = Path.of(nameOrFile);
        } catch (InvalidPathException e) {
            file = null;
        }
        String lower = nameOrFile.toLowerCase(Locale.ROOT);
        if (file == null || !(lower.endsWith(".yaml") || lower.endsWith(".yml") || lower.endsWith(".json"))
                || !Files.isRegularFile(file)) {
            throw new ConfigException(SourceLocation.of("--dataset " + nameOrFile), "dataset", nameOrFile,
                    "not a data set name (" + String.join(", ", Datasets.NAMES) + ") nor a YAML file describing one "
                            + "(dataset: { kind: cifar10 | image-folder | numpy, … })");
        }
        ConfigDocument read = ConfigReader.read(file);
        String path = read.at("dataset") == null && read.at("accuracy.dataset") != null ? "accuracy.dataset" : "dataset";
        ConfigDocument doc = DatasetSpec.withDefaults(read, path);
        if (doc.at(path) == null) {
            throw new ConfigException(doc.origin(), "dataset", null, "missing required value (a dataset: key, or "
                    + "accuracy.dataset: in a design config)");
        }
        DatasetSpec spec = ConfigBinder.bind(doc, path, doc.at(path), DatasetSpec.class);
        try {
            return loaded(spec, ConfigReader.folderOf(file));
        } catch (DataException e) {
            throw new ConfigException(doc.locate(path), path, spec.label(), e.getMessage());
        }
    }

    private static Loaded loaded(DatasetSpec spec, Path baseDir) {
        Dataset[] data = Datasets.load(spec, baseDir);
        return new Loaded(spec, data[0], data[1], Datasets.warnings(spec, baseDir));
    }
}
