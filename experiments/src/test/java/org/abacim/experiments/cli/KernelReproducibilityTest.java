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
 * Training through OpenBLAS gives the same bytes whichever kernels the CPU would have OpenBLAS pick. Another CPU is
 * played by the environment variable OpenBLAS reads as it loads (OPENBLAS_CORETYPE): SkylakeX is what an Intel Xeon
 * gets, Sandybridge what a CPU without FMA gets. abacim pins the Haswell family, so the trained weights are equal;
 * with the pin switched off ({@code -Dabacim.blas.core=native}) the same two runs differ, which shows the variable
 * does change the kernels and that the pin is what makes the bytes equal.
 */
class KernelReproducibilityTest {
    @TempDir Path dir;

    private byte[] train(String coreType, String name, String... jvmOptions) throws Exception {
        Path out = dir.resolve(name + ".npz");
        List<String> args = List.of("train", "--network", "lenet5", "--dataset", "mnist", "--epochs", "1",
                "--train-samples", "500", "--threads", "2", "--out", out.toString());
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
        return Files.readAllBytes(out);
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
}
