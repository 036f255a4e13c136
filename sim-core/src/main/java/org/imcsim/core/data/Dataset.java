package org.imcsim.core.data;

import org.imcsim.core.network.Shape;

/**
 * Labelled samples: each image is C×H×W floats in row-major order (pixel values scaled to [0, 1]).
 */
public record Dataset(String name, Shape shape, float[][] images, int[] labels, int classes) {
    public Dataset {
        if (images.length != labels.length) {
            throw new IllegalArgumentException(name + ": " + images.length + " images but " + labels.length + " labels");
        }
    }

    public int size() { return images.length; }

    /** The first {@code n} samples (or all, if fewer). */
    public Dataset head(int n) {
        int m = Math.min(n, size());
        return new Dataset(name, shape, java.util.Arrays.copyOf(images, m), java.util.Arrays.copyOf(labels, m), classes);
    }
}
