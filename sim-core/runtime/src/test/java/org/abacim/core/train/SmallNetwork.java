package org.abacim.core.train;

import java.util.SplittableRandom;
import org.abacim.core.data.Dataset;
import org.abacim.core.network.Network;
import org.abacim.core.network.NetworkBuilder;
import org.abacim.core.network.Shape;

/** The small learnable task the training tests share: an 8-16-3 MLP and its data, generated, no files needed. */
final class SmallNetwork {
    private SmallNetwork() {}

    /** Three Gaussian blobs in 8 dimensions, one per class. */
    static Dataset blobs(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] x = new float[n][8];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 3;
            for (int k = 0; k < 8; k++) x[i][k] = (float) (r.nextGaussian() * 0.5 + (k % 3 == y[i] ? 2 : 0));
        }
        return new Dataset("blobs", Shape.vector(8), x, y, 3);
    }

    /** 8 inputs, 16 hidden units with ReLU, 3 classes; its dense layers are fc1 and fc2. */
    static Network mlp() {
        return new NetworkBuilder("mlp").input(8, 1, 1).flatten().linear(16).relu().linear(3).build("mlp", "test");
    }
}
