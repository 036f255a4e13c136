package org.abacim.reram;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.abacim.core.data.Dataset;
import org.abacim.core.data.Datasets;
import org.abacim.core.network.Network;
import org.abacim.core.network.NetworkZoo;
import org.abacim.core.train.TrainConfig;
import org.abacim.core.train.Trainer;

/**
 * The model the Monte-Carlo tests of this module score: LeNet-5 trained one epoch on 3,000 MNIST digits (seed 1),
 * trained once per test JVM and shared (training is seeded, so every test sees the same weights it would train).
 * Tests that need it are skipped when MNIST has not been fetched.
 */
final class TrainedLeNet5 {
    private static Dataset[] data;
    private static Network net;

    private TrainedLeNet5() {}

    /** MNIST's training and test splits (skips the calling test when it is not fetched). */
    static synchronized Dataset[] data() {
        assumeTrue(Datasets.available("mnist"), "MNIST not fetched (scripts/fetch-data mnist)");
        if (data == null) data = Datasets.load("mnist");
        return data;
    }

    /** The trained model (skips the calling test when MNIST is not fetched). */
    static synchronized Network net() {
        Dataset[] d = data();
        if (net == null) {
            net = Trainer.train(Trainer.initialize(NetworkZoo.lenet5(), 1), d[0].sample(3000, 1, Dataset.Purpose.TRAINING),
                    null, TrainConfig.adam(1, 1, 2), e -> { });
        }
        return net;
    }
}
