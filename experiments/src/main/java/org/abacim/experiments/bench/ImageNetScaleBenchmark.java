package org.abacim.experiments.bench;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.abacim.core.analog.Streams;
import org.abacim.core.blas.Gemm;
import org.abacim.core.exec.ArrayEngine;
import org.abacim.core.exec.FloatEngine;
import org.abacim.core.exec.QuantizedEngine;
import org.abacim.core.network.Network;
import org.abacim.core.network.NetworkZoo;
import org.abacim.core.tech.MvmNumerics;
import org.abacim.core.train.Trainer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * ImageNet scale (issue #33 item 5): ResNet-18 on 3×224×224 (1.8 GMAC), one simulated ISAAC chip (8-bit weights in
 * 2-bit cells, 8-bit inputs through 1-bit DACs, 8-bit ADCs, log-normal σ = 0.1), in one run:
 * <ul>
 *   <li>{@code program}: programming the chip (every layer's cells drawn), apart from scoring;
 *   <li>{@code bitSerialTrial}: {@value #IMAGES} images on {@value #THREADS} threads through the bit-serial path;
 *   <li>{@code statisticalTrial}: the same images and chip in the statistical mode (calibrated per layer on
 *       {@value #CALIBRATION} image beforehand, not timed);
 *   <li>{@code floatForward}: the float forward of the same images, and {@code sgemm}: the machine's 1024³ rate.
 * </ul>
 * Weights are random (He initialization; the work does not depend on them beyond activation sparsity); images are
 * random in [0, 1). Report ratios from one run: bit-serial ÷ statistical, and either against sgemm.
 * Run: {@code java -cp experiments/target/abacim.jar org.openjdk.jmh.Main ImageNetScaleBenchmark -f1 -wi 1 -i 3}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(1)
public class ImageNetScaleBenchmark {
    static final int IMAGES = 2;
    static final int THREADS = 2;
    static final int SIZE = 1024;
    static final int CALIBRATION = 1;

    private float[][] images;
    private FloatEngine floatEngine;
    private QuantizedEngine quantized;
    private MvmNumerics bitSerial;
    private ArrayEngine bitSerialChip;
    private ArrayEngine statisticalChip;
    private float[] a, b, c;
    private final ForkJoinPool pool = new ForkJoinPool(THREADS);

    @Setup(Level.Trial)
    public void setUp() {
        Network net = Trainer.initialize(NetworkZoo.find("resnet18").orElseThrow(), 1);
        SplittableRandom r = new SplittableRandom(2);
        images = BenchmarkSetup.randomImages(r, IMAGES + CALIBRATION, 3 * 224 * 224);
        floatEngine = new FloatEngine(net);
        quantized = new QuantizedEngine(net, new QuantizedEngine.Scheme(8, 8, true), Arrays.copyOf(images, 2));
        bitSerial = BenchmarkSetup.isaac("resnet18", "adc.bits=8", "device.programming.sigma=0.1");
        bitSerialChip = program();
        statisticalChip = bitSerialChip.statistical(Arrays.copyOfRange(images, IMAGES, IMAGES + CALIBRATION), THREADS);
        images = Arrays.copyOf(images, IMAGES);
        float[][] operands = BenchmarkSetup.sgemmOperands(r, SIZE);
        a = operands[0];
        b = operands[1];
        c = operands[2];
    }

    /** Programming the chip on one thread (as before #33). */
    @Benchmark
    public ArrayEngine program() {
        return new ArrayEngine(quantized, bitSerial, BenchmarkSetup.chip(), null);
    }

    /** Programming the same chip, its layers on {@value #THREADS} threads (what a Monte-Carlo run now does). */
    @Benchmark
    public ArrayEngine programOnThreads() {
        return new ArrayEngine(quantized, bitSerial, BenchmarkSetup.chip(), null, THREADS);
    }

    @Benchmark
    public int bitSerialTrial() {
        return classify(bitSerialChip);
    }

    @Benchmark
    public int statisticalTrial() {
        return classify(statisticalChip);
    }

    @Benchmark
    public int floatForward() {
        return pool.submit(() -> IntStream.range(0, IMAGES).parallel()
                .map(i -> FloatEngine.argmax(floatEngine.forward(new float[][] {images[i]}, 1)[0])).sum()).join();
    }

    @Benchmark
    public float[] sgemm() {
        Gemm.sgemm(false, false, SIZE, SIZE, SIZE, a, 0, b, 0, c, 0, false);
        return c;
    }

    private int classify(ArrayEngine chip) {
        // One image per thread (FloatEngine's chunks of 16 would put both images on one thread).
        return pool.submit(() -> IntStream.range(0, IMAGES).parallel()
                .map(i -> FloatEngine.argmax(chip.forward(images[i], Streams.random(1, 0, i, 1), null))).sum()).join();
    }
}
