package org.abacim.core.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import org.abacim.core.io.IoErrors;
import org.abacim.core.network.Shape;
import org.abacim.core.data.Npy;

/**
 * Reads the data sets users bring (see {@link DatasetSpec}): each split into a {@link Dataset} of C×H×W images
 * scaled to [0, 1] and then normalized. Sizes are checked before images are decoded: a split may take at most a
 * quarter of the heap.
 */
final class UserDatasets {
    private UserDatasets() {}

    /** {train (null when the spec has none), test}. */
    static Dataset[] read(DatasetSpec spec, Path baseDir) {
        return read(spec, baseDir, new ArrayList<>());
    }

    /** As {@link #read(DatasetSpec, Path)}, adding to {@code warnings} what looks wrong without being an error. */
    static Dataset[] read(DatasetSpec spec, Path baseDir, List<String> warnings) {
        if (spec instanceof DatasetSpec.Named n) return Datasets.load(n.name());
        if (spec instanceof DatasetSpec.Cifar10Folder c) return cifar10(c, baseDir.resolve(c.folder()));
        if (spec instanceof DatasetSpec.ImageFolder f) {
            return new Dataset[] {f.hasTrain() ? imageFolder(f, "train", baseDir.resolve(f.train())) : null,
                    imageFolder(f, "test", baseDir.resolve(f.test()))};
        }
        DatasetSpec.NumpyArrays a = (DatasetSpec.NumpyArrays) spec;
        Dataset test = numpy(a, "test", a.test(), baseDir, warnings);
        Dataset train = a.hasTrain() ? numpy(a, "train", a.train(), baseDir, warnings) : null;
        if (train != null && !train.shape().equals(test.shape())) {
            throw new DataException(a.train().images() + ": images of " + train.shape() + ", but the test images are "
                    + test.shape());
        }
        return new Dataset[] {train, test};
    }

    // ---- CIFAR-10 ----

    private static Dataset[] cifar10(DatasetSpec.Cifar10Folder c, Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new DataException(folder + ": no such folder (expected CIFAR-10's binary version: data_batch_1.bin … "
                    + "data_batch_5.bin and test_batch.bin)");
        }
        Path test = folder.resolve("test_batch.bin");
        if (!Files.isRegularFile(test)) throw new DataException(test + ": no such file (CIFAR-10's test split)");
        List<Path> train = new ArrayList<>();
        for (int b = 1; b <= 5; b++) {
            Path batch = folder.resolve("data_batch_" + b + ".bin");
            if (Files.isRegularFile(batch)) train.add(batch);
        }
        Dataset testSet = normalized(Cifar10.read("cifar10-test", List.of(test)), c.normalize(), test.toString());
        Dataset trainSet = train.isEmpty() ? null
                : normalized(Cifar10.read("cifar10-train", train), c.normalize(), folder.toString());
        return new Dataset[] {trainSet, testSet};
    }

    // ---- Image folders ----

    /** torchvision's ImageFolder's IMG_EXTENSIONS: the files it loads, and so the files this decodes or refuses. */
    private static final List<String> IMAGE_TYPES =
            List.of(".jpg", ".jpeg", ".png", ".ppm", ".bmp", ".pgm", ".tif", ".tiff", ".webp");

    /** Image types torchvision loads that this cannot decode: each such file refused, never skipped. */
    private static String unsupported(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".webp")) return "WebP is not supported; convert it to PNG";
        return null;
    }

    private static Dataset imageFolder(DatasetSpec.ImageFolder f, String split, Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new DataException(folder + ": no such folder (expected one sub-folder per class holding JPEG, PNG, "
                    + "BMP, TIFF or PPM images)");
        }
        List<Path> classes = list(folder).stream().filter(Files::isDirectory).sorted().toList();
        if (classes.isEmpty()) throw new DataException(folder + ": no class sub-folders");
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int c = 0; c < classes.size(); c++) {
            for (Path file : list(classes.get(c)).stream().filter(UserDatasets::isImage).sorted().toList()) {
                String refused = unsupported(file);
                if (refused != null) throw new DataException(file + ": " + refused);
                files.add(file);
                labels.add(c);
            }
        }
        if (files.isEmpty()) {
            throw new DataException(folder + ": no images in its class sub-folders (expected .jpg, .jpeg, .png, .bmp, "
                    + ".tif, .tiff, .ppm or .pgm files)");
        }
        // Decoded on demand: a draw of a few images from a large folder decodes those files only (Dataset).
        String described = folder + ": " + files.size() + " images at 3×" + f.crop() + "×" + f.crop();
        Dataset.Decoder decoder = new Dataset.Decoder() {
            @Override
            public float[] decode(int index) {
                float[] image = UserDatasets.decode(files.get(index), f.resize(), f.crop());
                f.normalize().apply(image, 3, files.get(index).toString());
                return image;
            }

            @Override
            public long bytesPerImage() {
                return 3L * f.crop() * f.crop() * Float.BYTES;
            }

            @Override
            public String describe() {
                return described;
            }
        };
        return new Dataset(split, new Shape(3, f.crop(), f.crop()), new float[files.size()][],
                labels.stream().mapToInt(Integer::intValue).toArray(), classes.size(), decoder);
    }

    private static boolean isImage(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return Files.isRegularFile(p) && IMAGE_TYPES.stream().anyMatch(name::endsWith);
    }

    private static List<Path> list(Path folder) {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.toList();
        } catch (IOException e) {
            throw new DataException(IoErrors.describe(IoErrors.naming(folder, e)));
        }
    }

    /**
     * One image as torchvision's default transforms give it (see {@link ImageDecoding}): decoded, made RGB as PIL's
     * {@code convert('RGB')}, its shorter side resized to {@code resize} (PIL's antialiased bilinear), centre-cropped
     * to {@code crop} × {@code crop}, as 3 planes in [0, 1].
     */
    static float[] decode(Path file, int resize, int crop) {
        return ImageDecoding.decode(file, resize, crop);
    }

    // ---- NumPy arrays ----

    private static Dataset numpy(DatasetSpec.NumpyArrays a, String split, DatasetSpec.Arrays files, Path baseDir,
                                 List<String> warnings) {
        Path imagesFile = baseDir.resolve(files.images());
        Path labelsFile = baseDir.resolve(files.labels());
        Npy.Array images = readNpy(imagesFile);
        Npy.Array labels = readNpy(labelsFile);
        int[] s = images.tensor().shape();
        if (s.length < 2 || s.length > 4) {
            throw new DataException(imagesFile + ": images of shape " + Arrays.toString(s)
                    + "; expected N×C×H×W (layout nchw), N×H×W×C (nhwc), N×H×W, or N×F (vectors, token ids)");
        }
        if (s[0] == 0) {
            throw new DataException(imagesFile + ": images of shape " + Arrays.toString(s)
                    + " hold no samples; expected at least one image");
        }
        for (int k = 1; k < s.length; k++) {
            if (s[k] == 0) {
                throw new DataException(imagesFile + ": images of shape " + Arrays.toString(s) + " have "
                        + "dimension " + k + " of 0; expected images of at least one channel and one pixel");
            }
        }
        int n = s[0];
        // N×F (a vector or a sequence of token ids per sample) is F×1×1.
        int c = s.length == 2 ? s[1] : s.length == 3 ? 1 : a.layout() == DatasetSpec.Layout.NCHW ? s[1] : s[3];
        int h = s.length == 2 ? 1 : s.length == 3 ? s[1] : a.layout() == DatasetSpec.Layout.NCHW ? s[2] : s[1];
        int w = s.length == 2 ? 1 : s.length == 3 ? s[2] : a.layout() == DatasetSpec.Layout.NCHW ? s[3] : s[2];
        int[] ls = labels.tensor().shape();
        if (ls.length != 1 || ls[0] != n) {
            throw new DataException(labelsFile + ": labels of shape " + Arrays.toString(ls) + "; expected one "
                    + "label per image (" + n + ")");
        }
        if (labels.kind() == 'f' || labels.kind() == 'b') {
            throw new DataException(labelsFile + ": labels of dtype " + labels.dtype() + "; expected whole numbers (int64, int32, uint8)");
        }
        int[] lb = new int[n];
        int classes = 0;
        for (int i = 0; i < n; i++) {
            float v = labels.tensor().data()[i];
            if (v < 0 || v >= 1 << 20) {
                throw new DataException(labelsFile + ": label " + (long) v + " of sample " + i + " is not a class "
                        + "number; expected 0 to " + ((1 << 20) - 1));
            }
            lb[i] = (int) v;
            classes = Math.max(classes, lb[i] + 1);
        }
        if (images.kind() == 'f') {
            // A NaN or an infinity would run through every layer and score as a silent wrong answer: refused at the
            // first one, by its index in the file.
            float[] raw = images.tensor().data();
            for (int i = 0; i < raw.length; i++) {
                if (!Float.isFinite(raw[i])) {
                    throw new DataException(imagesFile + ": value " + index(i, s) + " (sample " + i / (raw.length / n)
                            + ") is " + raw[i] + "; expected finite pixel values");
                }
            }
            normalizedTwice(a.normalize(), raw, imagesFile).ifPresent(warnings::add);
        }
        // uint8 images are pixels (1/255); an N×F array holds values or token ids as they are.
        float scale = images.kind() == 'u' && images.width() == 1 && s.length > 2 ? 1f / 255f : 1f;
        float[] data = images.tensor().data();
        int size = c * h * w;
        float[][] out = new float[n][];
        for (int i = 0; i < n; i++) {
            float[] image = new float[size];
            for (int ch = 0; ch < c; ch++) {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        int from = a.layout() == DatasetSpec.Layout.NHWC && s.length == 4
                                ? ((i * h + y) * w + x) * c + ch : i * size + (ch * h + y) * w + x;
                        image[(ch * h + y) * w + x] = data[from] * scale;
                    }
                }
            }
            a.normalize().apply(image, c, imagesFile.toString());
            out[i] = image;
        }
        return new Dataset(split, new Shape(c, h, w), out, lb, classes);
    }

    /** A flat index as the file's own index, [i, j, k, l]. */
    private static String index(int flat, int[] shape) {
        int[] at = new int[shape.length];
        for (int k = shape.length - 1; k >= 0; k--) {
            at[k] = flat % shape[k];
            flat /= shape[k];
        }
        return Arrays.toString(at);
    }

    /**
     * A warning when float images look normalized already (mean within 0.2 of 0 and negative values, which pixels
     * in [0, 1] never have) and a {@code normalize} is given: it is applied to them again, as to any float data.
     */
    static Optional<String> normalizedTwice(DatasetSpec.Normalize normalize, float[] raw, Path file) {
        if (normalize.equals(DatasetSpec.Normalize.IDENTITY) || raw.length == 0) return Optional.empty();
        double sum = 0;
        float min = Float.POSITIVE_INFINITY;
        for (float v : raw) {
            sum += v;
            min = Math.min(min, v);
        }
        double mean = sum / raw.length;
        if (Math.abs(mean) >= 0.2 || min >= 0) return Optional.empty();
        return Optional.of(String.format(Locale.ROOT, "%s: the float images look normalized already (mean "
                + "%.3g, values down to %.3g) and normalize (mean %s, std %s) is applied to them again; leave normalize "
                + "out if they are", file, mean, min, normalize.mean(), normalize.std()));
    }

    private static Npy.Array readNpy(Path file) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            return Npy.readArray(in, file.toString(), Files.size(file));
        } catch (NoSuchFileException e) {
            throw new DataException(file + ": no such file");
        } catch (IOException e) {
            throw new DataException(IoErrors.describe(IoErrors.naming(file, e)));
        }
    }

    // ---- Shared ----

    private static Dataset normalized(Dataset d, DatasetSpec.Normalize normalize, String where) {
        for (float[] image : d.images()) normalize.apply(image, d.shape().channels(), where);
        return d;
    }

    /** Refuses, before allocating, {@code bytes} of decoded images that would take more than a quarter of the heap. */
    static void checkFits(long bytes, String what) {
        long budget = Runtime.getRuntime().maxMemory() / 4;
        if (bytes > budget) {
            throw new DataException(what + " need " + (bytes >> 20) + " MiB, more than a quarter of the "
                    + (Runtime.getRuntime().maxMemory() >> 20) + " MiB this JVM may use (raise it with -Xmx, or give "
                    + "a smaller folder)");
        }
    }

}
