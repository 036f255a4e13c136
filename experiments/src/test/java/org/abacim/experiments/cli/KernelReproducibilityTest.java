package org.abacim.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.abacim.core.data.Datasets;
import org.abacim.core.blas.Gemm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training and Monte-Carlo scoring through OpenBLAS give the same bytes whichever kernels the CPU would have OpenBLAS pick. Another CPU is
 * played by the environment variable OpenBLAS reads as it loads (OPENBLAS_CORETYPE): SkylakeX is what an Intel Xeon
 * gets, Sandybridge what a CPU without FMA gets. abacim pins the Haswell family, so the trained weights are equal;
 * with the pin switched off ({@code -Dabacim.blas.core=native}) the same two runs differ, which shows the variable
 * does change the kernels and that the pin is what makes the bytes equal.
 */
class KernelReproducibilityTest {
    @TempDir Path dir;

    private byte[] train(String coreType, String name, String... jvmOptions) throws Exception {
        Path out = dir.resolve(name + ".npz");
        run(coreType, List.of("train", "--network", "lenet5", "--dataset", "mnist", "--epochs", "1",
                "--train-samples", "500", "--threads", "2", "--out", out.toString()), jvmOptions);
        return Files.readAllBytes(out);
    }

    /** The CLI's output of {@code args} under OpenBLAS kernels {@code coreType}, after checking the kernels it took. */
    private String run(String coreType, List<String> args, String... jvmOptions) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(CliProcess.command(args, dir.resolve("cache"), jvmOptions))
                .redirectErrorStream(true);
        builder.environment().put("OPENBLAS_CORETYPE", coreType);
        builder.environment().put("OPENBLAS_VERBOSE", "2"); // OpenBLAS prints the kernels it took
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(10, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        String expectedCore = jvmOptions.length == 0 ? Gemm.PINNED_CORE : coreType;
        assertThat(output).as("OpenBLAS's kernels").contains("Core: " + expectedCore);
        // The JSON document alone (stderr's progress lines, merged in, carry timings).
        String text = "\n" + output;
        int open = text.indexOf("\n{\n");
        int close = text.lastIndexOf("\n}");
        return open < 0 || close < open ? output : text.substring(open + 1, close + 2);
    }

    @Test
    void trainingGivesTheSameBytesUnderTwoKernelFamiliesAndDifferentOnesUnpinned() throws Exception {
        assumeTrue(Datasets.available("mnist"), "MNIST not fetched (scripts/fetch-data mnist)");
        assumeTrue(Gemm.reproducible(), "OpenBLAS's pinned kernels do not run here: " + Gemm.kernel());
        byte[] skylake = train("SkylakeX", "skylake");
        byte[] sandy = train("Sandybridge", "sandy");
        assertThat(skylake).as("trained weights under SkylakeX and Sandybridge environments").isEqualTo(sandy);

        byte[] skylakeNative = train("SkylakeX", "skylake-native", "-Dabacim.blas.core=native");
        byte[] sandyNative = train("Sandybridge", "sandy-native", "-Dabacim.blas.core=native");
        assertThat(skylakeNative).as("unpinned kernels differ in the last bits").isNotEqualTo(sandyNative);
    }

    /**
     * Monte-Carlo chips (programming variation, read noise and ADC quantization, all seeded) scored under the two
     * kernel families: the JSON, accuracy of every chip included, is the same text. The model is trained once, here.
     */
    @Test
    void monteCarloScoringGivesTheSameBytesUnderTwoKernelFamilies() throws Exception {
        assumeTrue(Datasets.available("mnist"), "MNIST not fetched (scripts/fetch-data mnist)");
        assumeTrue(Gemm.reproducible(), "OpenBLAS's pinned kernels do not run here: " + Gemm.kernel());
        Path model = dir.resolve("model.npz");
        Files.write(model, train("Haswell", "model"));
        List<String> score = List.of("run", "--preset", "isaac", "--network", "lenet5",
                "--set", "weights.bits=8", "--set", "inputBits=8", "--set", "adc.bits=6",
                "--set", "device.programming.sigma=0.1", "--set", "accuracy.dataset=mnist",
                "--set", "accuracy.model=" + model, "--set", "accuracy.samples=60", "--set", "accuracy.trials=2",
                "--format", "json");
        String skylake = run("SkylakeX", score);
        String sandy = run("Sandybridge", score);
        assertThat(skylake).as("the run's JSON").startsWith("{").contains("\"accuracy\"").contains("\"trials\"");
        assertThat(skylake).as("Monte-Carlo results under SkylakeX and Sandybridge environments").isEqualTo(sandy);
    }
}
