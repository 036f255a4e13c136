package org.abacim.core.train;

import org.abacim.core.network.Network;

/**
 * How to train: epochs, mini-batch size, optimizer (adam or sgd with momentum), learning rate, L2 weight decay,
 * the seed of initialization and shuffling, threads (which do not change the result), and {@code activationBits}:
 * 0 trains in float; k > 0 trains quantization-aware, every weighted layer seeing its input quantized to k bits as
 * the integer engine will ({@link org.abacim.core.exec.FakeQuantEngine}), and with {@code noiseLsb} > 0 each such
 * layer's output perturbed by the analog error of its conversions: σ = noiseLsb · √⌈rows / noiseRows⌉ in units of
 * (largest weight × input step), one conversion per {@code noiseRows} rows summed (noise-aware training).
 * With a {@code distillation} (null: none) the loss also pulls the outputs towards a teacher network's. The
 * {@code schedule} sets the learning rate step by step: constant, or cosine decay from it to zero over the run.
 */
public record TrainConfig(int epochs, int batchSize, Optimizer optimizer, double learningRate, double momentum,
                          double weightDecay, long seed, int threads, int activationBits, double noiseLsb,
                          int noiseRows, Distillation distillation, LearningRateSchedule schedule) {
    public enum Optimizer { ADAM, SGD }

    /**
     * Learning rate over the run: {@code CONSTANT}, or {@code COSINE}: lr·(1 + cos(π·t/T))/2 at step t of T
     * (Loshchilov and Hutter, SGDR, ICLR 2017, without restarts), which ends training at small steps.
     */
    public enum LearningRateSchedule {
        CONSTANT, COSINE;

        /** The factor on the learning rate at {@code step} (0-based) of {@code steps}. */
        public double factor(long step, long steps) {
            return this == CONSTANT || steps <= 0 ? 1 : 0.5 * (1 + Math.cos(Math.PI * step / steps));
        }
    }

    /**
     * Knowledge distillation (Hinton, Vinyals and Dean, 2015): the loss becomes (1 − weight)·cross-entropy with the
     * label + weight·T²·KL(softmax(teacher/T) ‖ softmax(student/T)), T the {@code temperature}. A compressed
     * network retrained this way learns the dense model's soft outputs (how alike it finds the classes), which
     * carries more than the one label per digit when the training set is small.
     */
    public record Distillation(Network teacher, double weight, double temperature) {
        public Distillation {
            if (teacher == null || !(weight > 0 && weight <= 1) || !(temperature > 0)) {
                throw new IllegalArgumentException("distillation needs a teacher, a weight in (0, 1] and a positive temperature");
            }
        }
    }

    public TrainConfig {
        if (epochs < 1 || batchSize < 1 || !(learningRate > 0) || !Double.isFinite(learningRate) || !(momentum >= 0)
                || momentum >= 1 || !(weightDecay >= 0) || !Double.isFinite(weightDecay) || threads < 1) {
            throw new IllegalArgumentException("epochs, batch size, learning rate and threads must be positive; "
                    + "momentum in [0, 1); weight decay ≥ 0");
        }
        if (activationBits != 0 && (activationBits < 2 || activationBits > 16)) {
            throw new IllegalArgumentException("activation bits must be 0 (float) or 2 to 16");
        }
        if (schedule == null) throw new IllegalArgumentException("a learning-rate schedule is needed");
        if (noiseLsb < 0 || noiseLsb > 0 && (activationBits == 0 || noiseRows < 1)) {
            throw new IllegalArgumentException("output noise needs quantized activations and rows per conversion ≥ 1");
        }
    }

    /** Float training. */
    public TrainConfig(int epochs, int batchSize, Optimizer optimizer, double learningRate, double momentum,
                       double weightDecay, long seed, int threads) {
        this(epochs, batchSize, optimizer, learningRate, momentum, weightDecay, seed, threads, 0, 0, 1, null,
                LearningRateSchedule.CONSTANT);
    }

    /** Quantization-aware training with {@code activationBits} (0: float) and no output noise. */
    public TrainConfig(int epochs, int batchSize, Optimizer optimizer, double learningRate, double momentum,
                       double weightDecay, long seed, int threads, int activationBits) {
        this(epochs, batchSize, optimizer, learningRate, momentum, weightDecay, seed, threads, activationBits, 0, 1, null,
                LearningRateSchedule.CONSTANT);
    }

    /** With a constant learning rate. */
    public TrainConfig(int epochs, int batchSize, Optimizer optimizer, double learningRate, double momentum,
                       double weightDecay, long seed, int threads, int activationBits, double noiseLsb, int noiseRows,
                       Distillation distillation) {
        this(epochs, batchSize, optimizer, learningRate, momentum, weightDecay, seed, threads, activationBits, noiseLsb,
                noiseRows, distillation, LearningRateSchedule.CONSTANT);
    }

    /** The same with another learning-rate schedule. */
    public TrainConfig with(LearningRateSchedule newSchedule) {
        return new TrainConfig(epochs, batchSize, optimizer, learningRate, momentum, weightDecay, seed, threads,
                activationBits, noiseLsb, noiseRows, distillation, newSchedule);
    }

    /** The same with another number of epochs and learning rate. */
    public TrainConfig with(int newEpochs, double newLearningRate) {
        return new TrainConfig(newEpochs, batchSize, optimizer, newLearningRate, momentum, weightDecay, seed, threads,
                activationBits, noiseLsb, noiseRows, distillation, schedule);
    }

    /** Adam, learning rate 1e-3, batch 64: what trains LeNet-5 on these MNIST digits. */
    public static TrainConfig adam(int epochs, long seed, int threads) {
        return new TrainConfig(epochs, 64, Optimizer.ADAM, 1e-3, 0.9, 0, seed, threads);
    }
}
