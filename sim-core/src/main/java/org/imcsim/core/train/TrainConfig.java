package org.imcsim.core.train;

/**
 * How to train: epochs, mini-batch size, optimizer (adam or sgd with momentum), learning rate, L2 weight decay,
 * the seed of initialization and shuffling, and threads (which do not change the result).
 */
public record TrainConfig(int epochs, int batchSize, Optimizer optimizer, double learningRate, double momentum,
                          double weightDecay, long seed, int threads) {
    public enum Optimizer { ADAM, SGD }

    public TrainConfig {
        if (epochs < 1 || batchSize < 1 || !(learningRate > 0) || momentum < 0 || momentum >= 1 || weightDecay < 0
                || threads < 1) {
            throw new IllegalArgumentException("epochs, batch size, learning rate and threads must be positive; "
                    + "momentum in [0, 1); weight decay ≥ 0");
        }
    }

    /** Adam, learning rate 1e-3, batch 64: what trains LeNet-5 on these MNIST digits. */
    public static TrainConfig adam(int epochs, long seed, int threads) {
        return new TrainConfig(epochs, 64, Optimizer.ADAM, 1e-3, 0.9, 0, seed, threads);
    }
}
