package org.abacim.experiments.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.abacim.experiments.sweep.SweepProgress;
import org.abacim.experiments.sweep.SweepRunner;
import org.abacim.experiments.sweep.SweepSpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A whole sweep of {@code points} seeded random ISAAC variants on VGG-16, written to files as the CLI does, on
 * {@code threads} worker threads. Points per second = points ÷ the time per operation.
 *
 * <p>Run: {@code java -cp experiments/target/abacim.jar org.openjdk.jmh.Main SweepBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SweepBenchmark {
    @Param({"1", "2"})
    public int threads;

    @Param({"500"})
    public int points;

    private SweepSpec spec;
    private Path dir;
    private int run;

    @Setup
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("abacim-sweep-bench");
        Path file = dir.resolve("sweep.yaml");
        Files.writeString(file, """
                name: bench
                base: { preset: isaac, network: vgg16 }
                random:
                  samples: %d
                  seed: 2016
                  axes:
                    array.rows: { choices: [64, 128, 256, 512] }
                    array.cols: { choices: [64, 128, 256, 512] }
                    array.bitsPerCell: { min: 1, max: 4 }
                    array.readCycle: { min: 20 ns, max: 200 ns, scale: log }
                    adc.sampleRate: { min: 0.5 GHz, max: 2.5 GHz }
                    organization.imasPerTile: { min: 4, max: 16 }
                """.formatted(points));
        spec = SweepSpec.read(file);
    }

    @Benchmark
    public SweepRunner.Summary sweep() {
        SweepProgress quiet = new SweepProgress.Lines(new PrintWriter(Writer.nullWriter()));
        return new SweepRunner(spec).run(dir.resolve("run" + run++), threads, false, quiet);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
