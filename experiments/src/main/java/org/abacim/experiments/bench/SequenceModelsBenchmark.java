package org.abacim.experiments.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.abacim.core.exec.FloatEngine;
import org.abacim.core.network.Network;
import org.abacim.core.result.Result;
import org.abacim.experiments.run.DesignRun;
import org.abacim.mapping.onnx.OnnxImporter;
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
 * Transformers and recurrent networks as users bring them (ONNX): the float forward of 256 random 1×28×28 images on
 * 2 threads ({@code floatForward}; images/s = 256 / score), and one analytical design point on ISAAC — placement and
 * costs of the imported network ({@code designPoint}). The models are the sequence fixtures
 * ({@code scripts/make-sequence-fixtures}: a timm-style ViT, dim 32, 2 blocks, 17 tokens; a GRU and an LSTM of 32
 * units over 28 rows); {@code scripts/benchmark-sequence-vs-pytorch} runs PyTorch on the same architectures and
 * prints the ratio. Run from the repository's root:
 * {@code java -cp experiments/target/abacim.jar org.openjdk.jmh.Main SequenceModelsBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SequenceModelsBenchmark {
    static final int IMAGES = 256;
    static final int THREADS = 2;
    static final String FIXTURES = "mapping/src/test/resources/onnx/sequence/";

    @Param({"vit_timm-opset17", "gru-opset13", "lstm-opset13"})
    public String model;

    private FloatEngine engine;
    private float[][] images;
    private DesignRun point;

    @Setup
    public void setUp() {
        Path file = Path.of(FIXTURES + model + ".onnx");
        Network net = OnnxImporter.read(file);
        engine = new FloatEngine(net);
        int per = (int) net.inputShape().elements();
        SplittableRandom r = new SplittableRandom(1);
        images = new float[IMAGES][per];
        for (float[] image : images) for (int k = 0; k < per; k++) image[k] = (float) r.nextGaussian();
        point = DesignRun.load(null, "isaac", file.toString(), List.of());
    }

    @Benchmark
    public float[][] floatForward() {
        return engine.forward(images, THREADS);
    }

    @Benchmark
    public Result designPoint() {
        return point.evaluate();
    }
}
