package org.abacim.core.data;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.abacim.core.analog.Streams;
import org.abacim.core.network.Shape;

/**
 * Labelled samples: each image is C×H×W floats in row-major order (pixel values scaled to [0, 1]).
 *
 * <p>A data set read from image files decodes on demand ({@code decoder} not null): its labels are known from the
 * folders, a {@link #sample} decodes only the images it draws — the same images, in the same order, as a draw from
 * the fully decoded set — and {@link #images()} decodes the rest first. An accuracy run of 1,000 images from an
 * ImageNet-style folder of 50,000 therefore decodes 1,000 files and holds 1,000 images.
 */
public record Dataset(String name, Shape shape, float[][] images, int[] labels, int classes, Decoder decoder) {
    /** Decodes one image of a data set that decodes on demand. */
    public interface Decoder {
        /** Image {@code index}, decoded and normalized as the data set's images are. */
        float[] decode(int index);

        /** Bytes one decoded image takes (the size check before decoding many). */
        long bytesPerImage();

        /** What is decoded, for the error when too many would not fit ("val/: 50000 images at 3×224×224"). */
        String describe();
    }

    /** A data set whose images are all in memory. */
    public Dataset(String name, Shape shape, float[][] images, int[] labels, int classes) {
        this(name, shape, images, labels, classes, null);
    }
    /** Keys of the sample streams, so that a draw never shares its stream with another use of the same seed. */
    public enum Purpose {
        /** Images an accuracy run scores. */
        SCORING,
        /** Images that set activation ranges (integer engine, ADC calibration). */
        CALIBRATION,
        /** Images quantization-aware training calibrates its input quantizers on. */
        TRAINING_CALIBRATION,
        /** A training subset. */
        TRAINING
    }

    public Dataset {
        if (images.length != labels.length) {
            throw new IllegalArgumentException(name + ": " + images.length + " images but " + labels.length + " labels");
        }
    }

    public int size() { return images.length; }

    /** Every image: when the data set decodes on demand, the ones not decoded yet are decoded first. */
    @Override
    public float[][] images() {
        if (decoder == null) return images;
        synchronized (images) {
            long missing = Arrays.stream(images).filter(Objects::isNull).count();
            if (missing > 0) {
                UserDatasets.checkFits(missing * decoder.bytesPerImage(), decoder.describe());
                // Each image its own file: decoded in parallel, each into its own place (any order, same images).
                IntStream.range(0, images.length).parallel().filter(i -> images[i] == null)
                        .forEach(i -> images[i] = decoder.decode(i));
            }
        }
        return images;
    }

    /** Image {@code i}, decoded now when the data set decodes on demand and it has not been yet. */
    private float[] image(int i) {
        if (decoder == null) return images[i];
        synchronized (images) {
            if (images[i] != null) return images[i];
        }
        float[] decoded = decoder.decode(i); // outside the lock: draws decode in parallel
        synchronized (images) {
            if (images[i] == null) images[i] = decoded;
            return images[i];
        }
    }

    /**
     * A seeded, class-stratified draw of {@code n} samples (all of them when {@code n} is the size or more). Each
     * class gets its share of {@code n} in proportion to its frequency (largest remainders, ties to the lower class),
     * drawn without replacement by a stream keyed by {@code seed}, the purpose and the class; the draw is then put in
     * a seeded order, so that any prefix of it is itself close to stratified. Files sorted by class (the MNIST
     * package) therefore never give a sample of the first classes only.
     */
    public Dataset sample(int n, long seed, Purpose purpose) {
        if (n < 0) throw new IllegalArgumentException("a sample of " + n + " images");
        if (n >= size()) return this;
        int k = Math.max(classes, Arrays.stream(labels).max().orElse(-1) + 1);
        int[][] byClass = new int[k][];
        int[] counts = new int[k];
        for (int label : labels) counts[label]++;
        for (int c = 0; c < k; c++) byClass[c] = new int[counts[c]];
        int[] fill = new int[k];
        for (int i = 0; i < labels.length; i++) byClass[labels[i]][fill[labels[i]]++] = i;
        int[] share = shares(counts, n);
        int[] picked = new int[n];
        int next = 0;
        for (int c = 0; c < k; c++) {
            int[] members = byClass[c].clone();
            SplittableRandom r = Streams.random(seed, purpose.ordinal(), c);
            // Partial Fisher-Yates: the first share[c] entries become a uniform draw without replacement.
            for (int i = 0; i < share[c]; i++) {
                int j = i + r.nextInt(members.length - i);
                int t = members[i];
                members[i] = members[j];
                members[j] = t;
            }
            System.arraycopy(members, 0, picked, next, share[c]);
            next += share[c];
        }
        SplittableRandom order = Streams.random(seed, purpose.ordinal(), -1);
        for (int i = n - 1; i > 0; i--) {
            int j = order.nextInt(i + 1);
            int t = picked[i];
            picked[i] = picked[j];
            picked[j] = t;
        }
        float[][] im = new float[n][];
        int[] lb = new int[n];
        if (decoder != null) {
            UserDatasets.checkFits((long) n * decoder.bytesPerImage(), decoder.describe() + ", a draw of " + n + ",");
            IntStream.range(0, n).parallel().forEach(i -> im[i] = image(picked[i]));
        }
        for (int i = 0; i < n; i++) {
            im[i] = image(picked[i]);
            lb[i] = labels[picked[i]];
        }
        return new Dataset(name, shape, im, lb, classes);
    }

    /** Images per class, indexed by label. */
    public int[] classCounts() {
        int[] counts = new int[Math.max(classes, Arrays.stream(labels).max().orElse(-1) + 1)];
        for (int label : labels) counts[label]++;
        return counts;
    }

    /** Each class's share of {@code n} draws, in proportion to {@code counts} (largest remainder). */
    static int[] shares(int[] counts, int n) {
        long total = 0;
        for (int c : counts) total += c;
        int[] share = new int[counts.length];
        double[] remainder = new double[counts.length];
        int given = 0;
        for (int c = 0; c < counts.length; c++) {
            double exact = (double) counts[c] * n / total;
            share[c] = (int) Math.floor(exact);
            remainder[c] = exact - share[c];
            given += share[c];
        }
        while (given < n) {
            int best = -1;
            for (int c = 0; c < counts.length; c++) {
                if (share[c] < counts[c] && (best < 0 || remainder[c] > remainder[best])) best = c;
            }
            share[best]++;
            remainder[best] = -1;
            given++;
        }
        return share;
    }
}
