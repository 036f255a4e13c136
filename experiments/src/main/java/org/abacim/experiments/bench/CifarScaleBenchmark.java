package org.abacim.experiments.bench;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_FDRM;
import org.abacim.core.analog.Chip;
import org.abacim.core.analog.Streams;
import org.abacim.core.exec.ArrayEngine;
import org.abacim.core.exec.FloatEngine;
import org.abacim.core.exec.QuantizedEngine;
import org.abacim.core.network.Network;
import org.abacim.core.network.NetworkZoo;
import org.abacim.core.tech.MvmNumerics;
import org.abacim.core.blas.Gemm;
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

/**
 * CIFAR scale, every path side by side in one run: ResNet-18 (CIFAR form, 0.56 GMAC) on 32 images of 3×32×32 on
 * 2 threads — the float forward; one Monte-Carlo trial on a simulated ISAAC chip (8-bit weights and inputs,
 * log-normal σ = 0.1) with ideal converters, its static non-idealities folded into effective weights; and the
 * same chip as designed with a lossless ADC (the exact integer path); and the same varied chip bit-serial, every input
 * bit of every weight slice converted by an 8-bit ADC (2-bit cells, 1-bit DACs). Next to them, the machine's matrix rate: a
 * 1024³ single-precision product on the kernel abacim uses (OpenBLAS, one thread) and on EJML (the pure-Java
 * alternative). Weights are random (the work does not depend on them); images are random in [0, 1).
 *
 * <p>Images/s = 32 / score (s/op); GFLOP/s of a product = 2.147 / score (s/op).
 * Run: {@code java -cp experiments/target/abacim.jar org.openjdk.jmh.Main CifarScaleBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CifarScaleBenchmark {
    static final int IMAGES = 32;
    static final int THREADS = 2;
    static final int SIZE = 1024;

    private float[][] images;
    private FloatEngine floatEngine;
    private ArrayEngine foldedChip;
    private ArrayEngine exactChip;
    private ArrayEngine bitSerialChip;
    private float[] a, b, c;
    private FMatrixRMaj ma, mb, mc;

    @Setup(Level.Trial)
    public void setUp() {
        Network net = Trainer.initialize(NetworkZoo.find("resnet18-cifar").orElseThrow(), 1);
        SplittableRandom r = new SplittableRandom(2);
        images = BenchmarkSetup.randomImages(r, IMAGES, 3 * 32 * 32);
        floatEngine = new FloatEngine(net);
        QuantizedEngine quantized = new QuantizedEngine(net, new QuantizedEngine.Scheme(8, 8, true),
                Arrays.copyOf(images, 4));
        MvmNumerics folded = BenchmarkSetup.isaac("resnet18-cifar", "device.programming.sigma=0.1", "adc.range=ideal");
        MvmNumerics lossless = BenchmarkSetup.isaac("resnet18-cifar");
        MvmNumerics bitSerial = BenchmarkSetup.isaac("resnet18-cifar", "adc.bits=8", "device.programming.sigma=0.1");
        bitSerialChip = new ArrayEngine(quantized, bitSerial, BenchmarkSetup.chip(), null);
        foldedChip = new ArrayEngine(quantized, folded, BenchmarkSetup.chip(), null);
        exactChip = new ArrayEngine(quantized, lossless, Chip.asDesigned(), null);
        float[][] operands = BenchmarkSetup.sgemmOperands(r, SIZE);
        a = operands[0];
        b = operands[1];
        c = operands[2];
        ma = FMatrixRMaj.wrap(SIZE, SIZE, a);
        mb = FMatrixRMaj.wrap(SIZE, SIZE, b);
        mc = new FMatrixRMaj(SIZE, SIZE);
    }

    @Benchmark
    public float[][] resnet18Float() {
        return floatEngine.forward(images, THREADS);
    }

    @Benchmark
    public int resnet18FoldedTrial() {
        return classify(foldedChip);
    }

    /**
     * Every input bit × weight slice through an 8-bit ADC, as CrossSim's bit-sliced setting
     * (docs/design/models-and-data.md).
     */
    @Benchmark
    public int resnet18BitSerialTrial() {
        return classify(bitSerialChip);
    }

    @Benchmark
    public int resnet18ExactChip() {
        return classify(exactChip);
    }

    @Benchmark
    public float[] sgemmOpenBlas() {
        Gemm.sgemm(false, false, SIZE, SIZE, SIZE, a, 0, b, 0, c, 0, false);
        return c;
    }

    @Benchmark
    public FMatrixRMaj sgemmEjml() {
        CommonOps_FDRM.mult(ma, mb, mc);
        return mc;
    }

    private int classify(ArrayEngine chip) {
        List<Integer> parts = FloatEngine.parallelChunks(IMAGES, THREADS, (from, to) -> {
            int sum = 0;
            for (float[] out : chip.forward(images, from, to, i -> Streams.random(1, 0, i, 1))) sum += FloatEngine.argmax(out);
            return sum;
        });
        return parts.stream().mapToInt(Integer::intValue).sum();
    }
}
