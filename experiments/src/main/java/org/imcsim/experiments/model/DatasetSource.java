package org.imcsim.experiments.model;

import java.nio.file.Files;
import java.nio.file.Path;
import org.imcsim.core.config.ConfigBinder;
import org.imcsim.core.config.ConfigDocument;
import org.imcsim.core.config.ConfigException;
import org.imcsim.core.config.ConfigReader;
import org.imcsim.core.config.SourceLocation;
import org.imcsim.core.data.DataException;
import org.imcsim.core.data.Dataset;
import org.imcsim.core.data.DatasetSpec;
import org.imcsim.core.data.Datasets;

/**
 * The data set a command names ({@code --dataset}): a name IMCSim knows, or a YAML file whose {@code dataset:} key
 * describes the user's files exactly as an {@code accuracy.dataset} does (paths relative to that file).
 */
public final class DatasetSource {
    private DatasetSource() {}

    /** A data set and its splits: {@code train} is null when the user's files hold test images only. */
    public record Loaded(DatasetSpec spec, Dataset train, Dataset test) {
        /** The training split, or a one-line error saying the data set has none. */
        public Dataset trainOrFail(String why) {
            if (train == null) throw new DataException(spec.label() + " has no training split (" + why + ")");
            return train;
        }
    }

    public static Loaded load(String nameOrFile) {
        if (Datasets.NAMES.contains(nameOrFile)) return loaded(new DatasetSpec.Named(nameOrFile), null);
        Path file = Path.of(nameOrFile);
        String lower = nameOrFile.toLowerCase(java.util.Locale.ROOT);
        if (!(lower.endsWith(".yaml") || lower.endsWith(".yml") || lower.endsWith(".json")) || !Files.isRegularFile(file)) {
            throw new ConfigException(SourceLocation.of("--dataset " + nameOrFile), "dataset", nameOrFile,
                    "not a data set name (" + String.join(", ", Datasets.NAMES) + ") nor a YAML file describing one "
                            + "(dataset: { kind: cifar10 | image-folder | numpy, … })");
        }
        ConfigDocument doc = DatasetSpec.withDefaults(ConfigReader.read(file), "dataset");
        if (doc.at("dataset") == null) {
            throw new ConfigException(doc.origin(), "dataset", null, "missing required value");
        }
        DatasetSpec spec = ConfigBinder.bind(doc, "dataset", doc.at("dataset"), DatasetSpec.class);
        try {
            return loaded(spec, ConfigReader.folderOf(file));
        } catch (DataException e) {
            throw new ConfigException(doc.locate("dataset"), "dataset", spec.label(), e.getMessage());
        }
    }

    private static Loaded loaded(DatasetSpec spec, Path baseDir) {
        Dataset[] data = Datasets.load(spec, baseDir);
        return new Loaded(spec, data[0], data[1]);
    }
}
