package org.abacim.experiments.bench;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.abacim.core.analog.Chip;
import org.abacim.core.analog.Streams;
import org.abacim.core.data.Dataset;
import org.abacim.core.data.Datasets;
import org.abacim.core.exec.ArrayEngine;
import org.abacim.core.exec.FloatEngine;
import org.abacim.core.exec.QuantizedEngine;
import org.abacim.core.network.Network;
import org.abacim.core.network.NetworkZoo;
import org.abacim.core.tech.MvmNumerics;
import org.abacim.core.train.TrainConfig;
import org.abacim.core.train.Trainer;
import org.abacim.experiments.run.DesignRun;
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
 * One Monte-Carlo trial of LeNet-5 on MNIST: program a simulated ISAAC chip (8-bit weights and inputs, log-normal
 * σ = 0.1, optionally 1 % read noise) and classify all 1,996 test digits through its arrays, on 1 or 2 threads;
 * plus the same digits through the exact fast path (nominal chip, lossless ADC) for comparison. The network is
 * trained for one epoch in setup (its accuracy does not change the work). Needs {@code scripts/fetch-data mnist}.
 * {@code wireOhms} puts that resistance on every word- and bit-line segment (IR drop, issue #33; 0: none), and
 * {@code samples} scores only the first digits (the IR-drop case is slower).
 *
 * <p>Run: {@code java -cp experiments/target/abacim.jar org.openjdk.jmh.Main MonteCarloBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 3)
@Fork(1)
public class MonteCarloBenchmark {
    @Param({"1", "2"})
    public int threads;

    @Param({"0", "0.01"})
    public String readNoise;

    @Param({"0", "0.1"})
    public String wireOhms;

    @Param({"1996"})
    public int samples;

    private Dataset test;
    private QuantizedEngine quantized;
    private MvmNumerics numerics;
    private int trial;

    @Setup
    public void setUp() {
        Dataset[] data = Datasets.load("mnist");
        test = data[1].sample(Math.min(samples, data[1].size()), 1, Dataset.Purpose.SCORING);
        Network net = Trainer.train(Trainer.initialize(NetworkZoo.lenet5(), 1), data[0], null,
                TrainConfig.adam(1, 1, 2), e -> { });
        quantized = new QuantizedEngine(net, new QuantizedEngine.Scheme(8, 8, true),
                data[0].sample(256, 1, Dataset.Purpose.CALIBRATION).images());
        numerics = DesignRun.load(null, "isaac", "lenet5", List.of("weights.bits=8", "inputBits=8",
                "device.programming.sigma=0.1", "device.readNoise=" + readNoise, "wires.wordLine=" + wireOhms + " Ohm",
                "wires.bitLine=" + wireOhms + " Ohm")).design().numerics().orElseThrow();
    }

    /** A fresh chip each call (programming included), all test digits; returns the number classified right. */
    @Benchmark
    public int trial() {
        int t = trial++;
        ArrayEngine chip = new ArrayEngine(quantized, numerics, new Chip(Streams.key(1, t), false, Double.NaN, false), null);
        return classify(chip, t);
    }

    @Benchmark
    public int exactFastPath() {
        return classify(new ArrayEngine(quantized, numerics, Chip.asDesigned(), null), 0);
    }

    private int classify(ArrayEngine chip, int t) {
        List<Integer> parts = FloatEngine.parallelChunks(test.size(), threads, (from, to) -> {
            int correct = 0;
            for (int i = from; i < to; i++) {
                float[] out = chip.forward(test.images()[i], Streams.random(1, t, i, 1), null);
                if (FloatEngine.argmax(out) == test.labels()[i]) correct++;
            }
            return correct;
        });
        return parts.stream().mapToInt(Integer::intValue).sum();
    }
}
