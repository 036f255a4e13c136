package org.abacim.experiments.bench;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.abacim.core.result.Result;
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
 * Time of one analytical design point: placing a network on ISAAC and costing it ({@code evaluate}), and the same
 * with the preset read, merged and bound as a sweep point would be ({@code loadAndEvaluate}). The analytical model
 * has no randomness; results are returned so the JIT cannot drop the work.
 *
 * <p>Run: {@code java -cp experiments/target/abacim.jar org.openjdk.jmh.Main DesignPointBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DesignPointBenchmark {
    @Param({"vgg16", "resnet18"})
    public String network;

    private DesignRun point;

    @Setup
    public void setUp() {
        point = DesignRun.load(null, "isaac", network, List.of());
    }

    @Benchmark
    public Result evaluate() {
        return point.evaluate();
    }

    @Benchmark
    public Result loadAndEvaluate() {
        return DesignRun.load(null, "isaac", network, List.of()).evaluate();
    }
}
