package org.abacim.core.data;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.abacim.core.config.Check;
import org.abacim.core.config.ConfigDocument;
import org.abacim.core.config.ConfigException;
import org.abacim.core.config.ConfigPath;
import org.abacim.core.config.Key;
import org.abacim.core.config.KeyCatalog;
import org.abacim.core.config.Keyed;

/**
 * Where a data set comes from: a name abacim fetches ({@code mnist}, {@code fashion-mnist}), or the user's own files —
 * CIFAR-10's binary distribution folder, an ImageNet-style folder of class sub-folders, or NumPy arrays. Paths are
 * relative to the config file. Every kind may normalize each channel, {@code (x − mean) / std}, after pixels are
 * scaled to [0, 1].
 *
 * <pre>
 * dataset: mnist
 * dataset: { kind: cifar10, folder: cifar-10-batches-bin, normalize: { mean: [0.4914, 0.4822, 0.4465], std: [0.247, 0.243, 0.261] } }
 * dataset: { kind: image-folder, test: imagenet/val, train: imagenet/train, resize: 256, crop: 224 }
 * dataset: { kind: numpy, test: { images: x_test.npy, labels: y_test.npy } }
 * </pre>
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "kind",
        defaultImpl = DatasetSpec.Named.class)
@JsonSubTypes({
        @JsonSubTypes.Type(value = DatasetSpec.Cifar10Folder.class, name = "cifar10"),
        @JsonSubTypes.Type(value = DatasetSpec.ImageFolder.class, name = "image-folder"),
        @JsonSubTypes.Type(value = DatasetSpec.NumpyArrays.class, name = "numpy")})
public sealed interface DatasetSpec {
    /** How results, messages and model-cache keys name the data set: the name, or the kind and the path as given. */
    String label();

    /** A short name for file names: the data set's name, or its kind. */
    default String fileLabel() {
        return this instanceof Named n ? n.name() : label().substring(0, label().indexOf(':'));
    }

    /** The per-channel normalization (identity by default). */
    Normalize normalize();

    /** A data set abacim knows by name. */
    record Named(@Key(doc = "a data set abacim fetches") String name) implements DatasetSpec {
        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        public Named {
            Check.that(Datasets.NAMES.contains(name), "", name, "unknown data set; known: " + String.join(", ",
                    Datasets.NAMES) + ", or a mapping with kind: cifar10, image-folder or numpy");
        }

        public String label() { return name; }

        public Normalize normalize() { return Normalize.IDENTITY; }
    }

    /** CIFAR-10's binary version: {@code data_batch_1.bin} … {@code data_batch_5.bin} and {@code test_batch.bin}. */
    record Cifar10Folder(
            @Key(doc = "CIFAR-10's binary folder (data_batch_1.bin … test_batch.bin), relative to the config")
            String folder,
            @Key(doc = "per-channel (x − mean) / std after pixels are scaled to [0, 1]", defaultValue = "{ mean: [0.0], std: [1.0] }")
            Normalize normalize) implements DatasetSpec {
        public Cifar10Folder {
            Check.present("folder", folder);
            Check.present("normalize", normalize);
        }

        public String label() { return "cifar10:" + folder; }
    }

    /**
     * Folders of class sub-folders holding JPEG or PNG images (classes are the sub-folders' names in sorted order,
     * as torchvision's ImageFolder numbers them). Each image is resized so that its shorter side is {@code resize}
     * pixels (bilinear), centre-cropped to {@code crop} × {@code crop}, and made RGB.
     */
    record ImageFolder(
            @Key(doc = "folder of class sub-folders whose images are scored") String test,
            @Key(doc = "folder of class sub-folders for training and calibration, or none", defaultValue = "none")
            String train,
            @Key(doc = "the shorter side is resized to this (bilinear)", unit = "pixels", defaultValue = "256") int resize,
            @Key(doc = "then centre-cropped to crop × crop", unit = "pixels", defaultValue = "224") int crop,
            @Key(doc = "per-channel (x − mean) / std after pixels are scaled to [0, 1]", defaultValue = "{ mean: [0.0], std: [1.0] }")
            Normalize normalize) implements DatasetSpec {
        public ImageFolder {
            Check.present("test", test);
            Check.present("train", train);
            Check.between("resize", resize, 1, 4096);
            Check.between("crop", crop, 1, 4096);
            Check.that(crop <= resize, "crop", crop, "must not exceed resize (" + resize + ")");
            Check.present("normalize", normalize);
        }

        public String label() { return "image-folder:" + test; }

        /** Whether a training split was given ({@code train: none} by default). */
        public boolean hasTrain() { return !train.equals(NONE); }
    }

    /**
     * Images and labels as NumPy arrays: images N×C×H×W ({@code layout: nchw}, PyTorch's) or N×H×W×C
     * ({@code nhwc}), or N×H×W for one channel; labels N whole numbers from 0. Unsigned 8-bit images are scaled by
     * 1/255, others are taken as they are.
     */
    record NumpyArrays(
            @Key(doc = "the test split's arrays") Arrays test,
            @Key(doc = "the training split's arrays, or none", defaultValue = "{ images: none, labels: none }")
            Arrays train,
            @Key(doc = "nchw (PyTorch's) or nhwc; N×H×W is one channel", defaultValue = "nchw") Layout layout,
            @Key(doc = "per-channel (x − mean) / std after pixels are scaled to [0, 1]", defaultValue = "{ mean: [0.0], std: [1.0] }")
            Normalize normalize) implements DatasetSpec {
        public NumpyArrays {
            Check.present("test", test);
            Check.present("train", train);
            Check.present("layout", layout);
            Check.present("normalize", normalize);
        }

        public String label() { return "numpy:" + test.images(); }

        public boolean hasTrain() { return !train.images().equals(NONE); }
    }

    /** One split as two arrays. */
    record Arrays(
            @Key(doc = ".npy of images (unsigned 8-bit scaled by 1/255, others as they are)") String images,
            @Key(doc = ".npy of labels: whole numbers from 0") String labels) {
        public Arrays {
            Check.present("images", images);
            Check.present("labels", labels);
        }
    }

    enum Layout implements Keyed {
        NCHW("nchw"), NHWC("nhwc");

        private final String key;

        Layout(String key) { this.key = key; }

        @JsonValue
        public String key() { return key; }

        @JsonCreator
        public static Layout parse(String text) {
            return Keyed.parse(Layout.class, text);
        }
    }

    /**
     * {@code (x − mean[c]) / std[c]} per channel; one value applies to every channel, written as a list of one or as
     * a plain number ({@code normalize: { mean: 0.5, std: 0.5 }}).
     */
    record Normalize(
            @Key(doc = "mean subtracted per channel", type = "a number, or a list of one per channel")
            @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
            List<Double> mean,
            @Key(doc = "standard deviation divided by, per channel", type = "a number, or a list of one per channel")
            @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
            List<Double> std) {
        public static final Normalize IDENTITY = new Normalize(List.of(0.0), List.of(1.0));

        public Normalize {
            Check.present("mean", mean);
            Check.present("std", std);
            Check.that(!mean.isEmpty() && !std.isEmpty(), "mean", mean, "give one value, or one per channel");
            for (double s : std) Check.that(s > 0 && Double.isFinite(s), "std", s, "must be positive");
            for (double m : mean) Check.that(Double.isFinite(m), "mean", m, "must be a finite number");
            mean = List.copyOf(mean);
            std = List.copyOf(std);
        }

        /** Normalizes {@code image} (C planes of {@code plane} values) in place. */
        void apply(float[] image, int channels, String where) {
            if ((mean.size() != 1 && mean.size() != channels) || (std.size() != 1 && std.size() != channels)) {
                throw new DataException(where + ": normalize gives " + mean.size() + " means and " + std.size()
                        + " standard deviations for images of " + channels + " channels");
            }
            if (equals(IDENTITY)) return;
            int plane = image.length / channels;
            for (int c = 0; c < channels; c++) {
                float m = (float) (double) mean.get(mean.size() == 1 ? 0 : c);
                float s = (float) (double) std.get(std.size() == 1 ? 0 : c);
                for (int i = c * plane; i < (c + 1) * plane; i++) image[i] = (image[i] - m) / s;
            }
        }
    }

    /** The value of an optional split that was not given. */
    String NONE = "none";

    /**
     * The document with the defaults of the data set at {@code path} filled in (each kind has its own), so that
     * binding it is strict: every key is known, checked, and located where it was written.
     */
    static ConfigDocument withDefaults(ConfigDocument doc, String path) {
        JsonNode node = doc.at(path);
        if (node == null || !node.isObject()) return doc;
        String kindPath = ConfigPath.child(path, "kind");
        if (!node.path("kind").isTextual()) {
            throw new ConfigException(doc.locate(kindPath), kindPath, doc.valueText(kindPath),
                    "a data set given as a mapping needs its kind: cifar10, image-folder or numpy");
        }
        Class<?> kind = switch (node.get("kind").asText()) {
            case "cifar10" -> Cifar10Folder.class;
            case "image-folder" -> ImageFolder.class;
            case "numpy" -> NumpyArrays.class;
            default -> throw new ConfigException(doc.locate(kindPath), kindPath,
                    node.get("kind").asText(), "unknown kind of data set; expected cifar10, image-folder or numpy");
        };
        // The defaults are those declared on the kind's record, located there for messages and abacim keys.
        return doc.withDefaultsAt(path, KeyCatalog.defaults(kind), key -> KeyCatalog.where(kind, key));
    }
}
