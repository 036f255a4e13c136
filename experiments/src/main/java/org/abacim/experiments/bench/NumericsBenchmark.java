package org.abacim.experiments.bench;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.CommonOps_FDRM;
import org.abacim.core.analog.ActivityCounter;
import org.abacim.core.analog.Chip;
import org.abacim.core.tech.ArrayGeometry;
import org.abacim.core.tech.MvmNumerics;
import org.abacim.core.tech.ProgrammedLayer;
import org.abacim.core.blas.Gemm;
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
 * The array numerics of one layer on ISAAC's crossbars (128×128, 2-bit cells, 1-bit DACs, offset + unit column) with
 * 8-bit weights and inputs, one thread, all output positions of one image at once:
 * <ul>
 * <li>{@code bitSliced}: the analog path on a chip with log-normal σ = 0.1 (and read noise 0 or 1 %): every input bit ×
 * every weight slice, column sums, ADC, shift-and-add;</li>
 * <li>{@code slicedGemms}: the plain float GEMMs it is made of — one (positions × k)·(k × (slices·n + 1)) product per
 * input bit, on the kernel the engines use (OpenBLAS, one thread) — the goal is within 2× of these (at least half
 * the machine's sgemm rate on the slice products);</li>
 * <li>{@code fastPath}: the exact path (nominal chip, lossless ADC): one double GEMM after int → double;</li>
 * <li>{@code oneGemm}: one double GEMM of the layer's shape — the goal is the fast path within 1.5× of it.</li>
 * </ul>
 * Inputs are ReLU-like: half zeros, the rest skewed to small codes (as LeNet-5's measured activity), seeded.
 * Shapes "positions x k x n": LeNet-5 conv2 (100×150×16), a VGG-8-sized convolution (256×576×64), LeNet-5 fc1.
 *
 * <p>Run: {@code java -cp experiments/target/abacim.jar org.openjdk.jmh.Main NumericsBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class NumericsBenchmark {
    @Param({"100x150x16", "256x576x64", "1x400x120"})
    public String shape;

    /** Relative read noise of the analog chip (0 or 1 %); programming variation is σ = 0.1 either way. */
    @Param({"0", "0.01"})
    public String readNoise;

    private int positions;
    private int k;
    private int n;
    private int[] inputs;
    private ProgrammedLayer analog;
    private ProgrammedLayer exact;
    private double[] out;
    private FMatrixRMaj bitPlane;
    private FMatrixRMaj slicedWeights;
    private FMatrixRMaj slicedOut;
    private Gemm.FloatConstant slicedConstant;
    private int inputBits;
    private DMatrixRMaj x;
    private DMatrixRMaj w;
    private DMatrixRMaj y;

    @Setup
    public void setUp() {
        String[] p = shape.split("x");
        positions = Integer.parseInt(p[0]);
        k = Integer.parseInt(p[1]);
        n = Integer.parseInt(p[2]);
        MvmNumerics noisy = DesignRun.load(null, "isaac", "lenet5", List.of("weights.bits=8",
                "inputBits=8", "device.programming.sigma=0.1", "device.readNoise=" + readNoise)).design().numerics().orElseThrow();
        ArrayGeometry g = DesignRun.load(null, "isaac", "lenet5", List.of("weights.bits=8",
                "inputBits=8")).design().geometry();
        inputBits = g.inputBits();
        SplittableRandom r = new SplittableRandom(1);
        int[] weights = new int[k * n];
        for (int i = 0; i < weights.length; i++) weights[i] = r.nextInt(255) - 127;
        inputs = new int[positions * k];
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = r.nextBoolean() ? 0 : (int) Math.min(255, Math.floor(-40 * Math.log(1 - r.nextDouble())));
        }
        analog = noisy.program(weights, k, n, false, new Chip(7, false, Double.NaN, false));
        exact = noisy.program(weights, k, n, false, Chip.asDesigned());
        out = new double[positions * n];
        int slicedCols = g.cellsPerWeight() * n + 1;
        bitPlane = new FMatrixRMaj(positions, k);
        slicedWeights = new FMatrixRMaj(k, slicedCols);
        slicedOut = new FMatrixRMaj(positions, slicedCols);
        for (int i = 0; i < slicedWeights.data.length; i++) slicedWeights.data[i] = r.nextInt(4);
        slicedConstant = new Gemm.FloatConstant(k, slicedCols, slicedWeights.data);
        x = new DMatrixRMaj(positions, k);
        w = new DMatrixRMaj(k, n);
        y = new DMatrixRMaj(positions, n);
        for (int i = 0; i < w.data.length; i++) w.data[i] = weights[i];
        for (int i = 0; i < x.data.length; i++) x.data[i] = inputs[i];
    }

    @Benchmark
    public double[] bitSliced() {
        analog.multiply(inputs, positions, out, new SplittableRandom(3), null);
        return out;
    }

    @Benchmark
    public FMatrixRMaj slicedGemms() {
        for (int t = 0; t < inputBits; t++) {
            for (int i = 0; i < inputs.length; i++) bitPlane.data[i] = (inputs[i] >> t) & 1;
            Gemm.sgemm(positions, bitPlane.data, slicedConstant, slicedOut.data);
        }
        return slicedOut;
    }

    @Benchmark
    public double[] fastPath() {
        exact.multiply(inputs, positions, out, null, null);
        return out;
    }

    @Benchmark
    public DMatrixRMaj oneGemm() {
        CommonOps_DDRM.mult(x, w, y);
        return y;
    }

    /** The analog path counting activity as well (what trial 0 of a measured run does). */
    @Benchmark
    public double[] bitSlicedCounting() {
        analog.multiply(inputs, positions, out, new SplittableRandom(3), new ActivityCounter());
        return out;
    }
}
