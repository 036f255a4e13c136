package org.abacim.experiments.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.abacim.core.data.Dataset;
import org.abacim.core.network.Network;
import org.abacim.core.network.NetworkZoo;
import org.abacim.core.network.Shape;
import org.abacim.core.train.TrainConfig;
import org.abacim.core.train.Trainer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One training epoch of LeNet-5 (Adam, batch 64) over 1,024 generated 28×28 digits, on 1 or 2 threads; the
 * trained network is returned. Seconds per MNIST epoch ≈ this × 8,004 / 1,024.
 *
 * <p>Run: {@code java -cp experiments/target/abacim.jar org.openjdk.jmh.Main TrainingBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TrainingBenchmark {
    @Param({"1", "2"})
    public int threads;

    private Network start;
    private Dataset data;

    @Setup
    public void setUp() {
        start = Trainer.initialize(NetworkZoo.lenet5(), 1);
        SplittableRandom r = new SplittableRandom(5);
        float[][] x = new float[1024][784];
        int[] y = new int[1024];
        for (int i = 0; i < x.length; i++) {
            y[i] = i % 10;
            for (int k = 0; k < 784; k++) x[i][k] = (float) r.nextDouble() * (k % 10 == y[i] ? 1 : 0.3f);
        }
        data = new Dataset("generated", new Shape(1, 28, 28), x, y, 10);
    }

    @Benchmark
    public Network epoch() {
        return Trainer.train(start, data, null, TrainConfig.adam(1, 1, threads), e -> { });
    }
}
