package org.abacim.core.network;

/** A feature-map shape, channels × height × width; a flat vector of n features is n × 1 × 1. */
public record Shape(int channels, int height, int width) {
    public Shape {
        if (channels <= 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException("shape " + channels + "×" + height + "×" + width + " must be positive");
        }
    }

    public static Shape vector(int features) {
        return new Shape(features, 1, 1);
    }

    public long elements() {
        return (long) channels * height * width;
    }

    public boolean isVector() {
        return height == 1 && width == 1;
    }

    @Override
    public String toString() {
        return isVector() ? String.valueOf(channels) : channels + "×" + height + "×" + width;
    }
}
