package org.abacim.experiments.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_FDRM;
import org.abacim.core.exec.FloatEngine;
import org.abacim.core.network.Network;
import org.abacim.core.network.NetworkBuilder;
import org.abacim.core.network.NetworkZoo;
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
 * The float engine's convolution (im2col + GEMM) and fully connected kernels against EJML's dense multiply of the
 * same GEMM shape (out × k times k × positions), one sample, one thread; and LeNet-5 inference per image.
 * Shapes: LeNet-5's second convolution, a VGG-8 convolution, and LeNet-5's first fully connected layer.
 *
 * <p>Run: {@code java -cp experiments/target/abacim.jar org.openjdk.jmh.Main KernelBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class KernelBenchmark {
    /** in channels, size, out channels, kernel: "6x14x16k5" is 6×14×14 input, 16 filters of 5×5 (no padding). */
    @Param({"6x14x16k5", "128x16x256k3", "400x1x120k1"})
    public String shape;

    private FloatEngine layer;
    private float[] input;
    private FMatrixRMaj weights;
    private FMatrixRMaj cols;
    private FMatrixRMaj out;
    private FloatEngine lenet;
    private float[] digit;

    @Setup
    public void setUp() {
        String[] p = shape.split("[xk]");
        int cin = Integer.parseInt(p[0]), size = Integer.parseInt(p[1]), cout = Integer.parseInt(p[2]), k = Integer.parseInt(p[3]);
        NetworkBuilder b = new NetworkBuilder("kernel").input(cin, size, size);
        Network net = size == 1 ? b.flatten().linear(cout).build("fc", "bench")
                : b.conv(cout, k, 1, k == 3 ? 1 : 0).build("conv", "bench");
        layer = new FloatEngine(Trainer.initialize(net, 1));
        SplittableRandom r = new SplittableRandom(2);
        input = new float[cin * size * size];
        for (int i = 0; i < input.length; i++) input[i] = (float) r.nextDouble();
        int positions = size == 1 ? 1 : (k == 3 ? size * size : (size - k + 1) * (size - k + 1));
        int depth = cin * k * k;
        weights = new FMatrixRMaj(cout, depth);
        cols = new FMatrixRMaj(depth, positions);
        out = new FMatrixRMaj(cout, positions);
        for (int i = 0; i < weights.data.length; i++) weights.data[i] = (float) r.nextDouble();
        for (int i = 0; i < cols.data.length; i++) cols.data[i] = (float) r.nextDouble();
        lenet = new FloatEngine(Trainer.initialize(NetworkZoo.lenet5(), 1));
        digit = new float[784];
        for (int i = 0; i < digit.length; i++) digit[i] = (float) r.nextDouble();
    }

    /** abacim's kernel, im2col included. */
    @Benchmark
    public float[] abacimKernel() {
        return layer.forward(input);
    }

    /** EJML's dense float multiply of the same GEMM (im2col not included). */
    @Benchmark
    public FMatrixRMaj ejmlGemm() {
        CommonOps_FDRM.mult(weights, cols, out);
        return out;
    }

    /** One LeNet-5 image, float32 (independent of the shape parameter). */
    @Benchmark
    public float[] lenet5Image() {
        return lenet.forward(digit);
    }
}
