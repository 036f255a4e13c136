package org.abacim.core.data;

import java.util.ArrayList;
import java.util.List;

/**
 * What a model sees of a split: how many samples, their shape, how many of each label, and per channel the mean,
 * standard deviation and range of the values after preprocessing (scaling and {@code normalize}), with the range
 * before {@code normalize} (recovered exactly as {@code x · std + mean}: normalizing is monotone per channel).
 * Sums are in double, in sample order; the standard deviation is the population one (NumPy's {@code x.std()}).
 */
public record DatasetStats(String split, int samples, int[] shape, int[] labelCounts, List<Channel> channels) {
    /** One channel: after preprocessing (mean, std, min, max) and before normalize (rawMin, rawMax). */
    public record Channel(double mean, double std, double min, double max, double rawMin, double rawMax) {}

    /** The statistics of split {@code split}, {@code d}, whose images were normalized by {@code normalize}. */
    public static DatasetStats of(String split, Dataset d, DatasetSpec.Normalize normalize) {
        float[][] images = d.images();
        int c = d.shape().channels();
        int plane = d.shape().height() * d.shape().width();
        List<Channel> channels = new ArrayList<>();
        for (int ch = 0; ch < c; ch++) {
            double sum = 0;
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (float[] image : images) {
                for (int i = ch * plane; i < (ch + 1) * plane; i++) {
                    sum += image[i];
                    min = Math.min(min, image[i]);
                    max = Math.max(max, image[i]);
                }
            }
            long n = (long) images.length * plane;
            double mean = sum / n;
            double squares = 0;
            for (float[] image : images) {
                for (int i = ch * plane; i < (ch + 1) * plane; i++) squares += (image[i] - mean) * (image[i] - mean);
            }
            double m = normalize.mean().get(normalize.mean().size() == 1 ? 0 : Math.min(ch, normalize.mean().size() - 1));
            double s = normalize.std().get(normalize.std().size() == 1 ? 0 : Math.min(ch, normalize.std().size() - 1));
            // Normalized in float: (x − m) / s; back to the value before it, rounded to float as the data was.
            channels.add(new Channel(mean, Math.sqrt(squares / n), min, max, (float) (min * s + m), (float) (max * s + m)));
        }
        return new DatasetStats(split, d.size(), new int[] {c, d.shape().height(), d.shape().width()},
                d.classCounts(), List.copyOf(channels));
    }
}
