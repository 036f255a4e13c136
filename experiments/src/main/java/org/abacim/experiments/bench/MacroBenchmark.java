package org.abacim.experiments.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.abacim.core.config.ConfigReader;
import org.abacim.core.macro.MacroModel;
import org.abacim.core.macro.MacroResult;
import org.abacim.core.macro.MacroSpec;
import org.abacim.experiments.validate.SiliconSuite;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Time of the macro model: one macro predicted from its bound spec ({@code evaluate}, Wang's C-2C macro), and the
 * whole published-silicon suite read, bound and predicted ({@code suite}, 16 files, 32 operating points), as
 * {@code abacim validate} runs it. Run from the repository root:
 * {@code java -cp experiments/target/abacim.jar org.openjdk.jmh.Main MacroBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MacroBenchmark {
    static final Path SUITE = Path.of("experiments", "validation", "silicon");

    private MacroSpec wang;

    @Setup
    public void setUp() {
        wang = MacroSpec.bind(MacroSpec.withClockSupply(
                ConfigReader.read(SUITE.resolve("wang-vlsi-2022.yaml")).subDocument("macro")));
    }

    @Benchmark
    public MacroResult evaluate() {
        return MacroModel.evaluate(wang);
    }

    @Benchmark
    public List<SiliconSuite.Macro> suite() {
        return SiliconSuite.run(SUITE);
    }
}
