package org.imcsim.core.train;

/**
 * How to train: epochs, mini-batch size, optimizer (adam or sgd with momentum), learning rate, L2 weight decay,
 * the seed of initialization and shuffling, threads (which do not change the result), and {@code activationBits}:
 * 0 trains in float; k > 0 trains quantization-aware, every weighted layer seeing its input quantized to k bits as
 * the integer engine will ({@link org.imcsim.core.exec.FakeQuantEngine}), and with {@code noiseLsb} > 0 each such
 * layer's output perturbed by the analog error of its conversions: σ = noiseLsb · √⌈rows / noiseRows⌉ in units of
 * (largest weight × input step), one conversion per {@code noiseRows} rows summed (noise-aware training).
 */
public record TrainConfig(int epochs, int batchSize, Optimizer optimizer, double learningRate, double momentum,
                          double weightDecay, long seed, int threads, int activationBits, double noiseLsb,
                          int noiseRows) {
    public enum Optimizer { ADAM, SGD }

    public TrainConfig {
        if (epochs < 1 || batchSize < 1 || !(learningRate > 0) || momentum < 0 || momentum >= 1 || weightDecay < 0
                || threads < 1) {
            throw new IllegalArgumentException("epochs, batch size, learning rate and threads must be positive; "
                    + "momentum in [0, 1); weight decay ≥ 0");
        }
        if (activationBits != 0 && (activationBits < 2 || activationBits > 16)) {
            throw new IllegalArgumentException("activation bits must be 0 (float) or 2 to 16");
        }
        if (noiseLsb < 0 || noiseLsb > 0 && (activationBits == 0 || noiseRows < 1)) {
            throw new IllegalArgumentException("output noise needs quantized activations and rows per conversion ≥ 1");
        }
    }

    /** Float training. */
    public TrainConfig(int epochs, int batchSize, Optimizer optimizer, double learningRate, double momentum,
                       double weightDecay, long seed, int threads) {
        this(epochs, batchSize, optimizer, learningRate, momentum, weightDecay, seed, threads, 0, 0, 1);
    }

    /** Quantization-aware training with {@code activationBits} (0: float) and no output noise. */
    public TrainConfig(int epochs, int batchSize, Optimizer optimizer, double learningRate, double momentum,
                       double weightDecay, long seed, int threads, int activationBits) {
        this(epochs, batchSize, optimizer, learningRate, momentum, weightDecay, seed, threads, activationBits, 0, 1);
    }

    /** The same with another number of epochs and learning rate. */
    public TrainConfig with(int newEpochs, double newLearningRate) {
        return new TrainConfig(newEpochs, batchSize, optimizer, newLearningRate, momentum, weightDecay, seed, threads,
                activationBits, noiseLsb, noiseRows);
    }

    /** Adam, learning rate 1e-3, batch 64: what trains LeNet-5 on these MNIST digits. */
    public static TrainConfig adam(int epochs, long seed, int threads) {
        return new TrainConfig(epochs, 64, Optimizer.ADAM, 1e-3, 0.9, 0, seed, threads);
    }
}
