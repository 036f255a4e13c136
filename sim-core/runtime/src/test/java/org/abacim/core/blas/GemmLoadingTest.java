package org.abacim.core.blas;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OpenBLAS loads whatever state the thread that first multiplies is in. A full test run once had the teaching
 * server stop a job (an interrupt) while that job's first product unpacked the library: the load failed, and the
 * whole JVM went on with the pure-Java fallback, whose bytes differ (a lab's accuracy moved by five points).
 */
class GemmLoadingTest {
    /** Run in a JVM of its own: interrupts itself, then asks for the kernel and whether the interrupt survived. */
    public static final class InterruptedFirstCaller {
        public static void main(String[] args) {
            Thread.currentThread().interrupt();
            String kernel = Gemm.kernel();
            System.out.println(kernel + " | interrupted=" + Thread.interrupted());
        }
    }

    @Test
    void anInterruptedFirstCallerStillGetsOpenBlasAndKeepsItsInterrupt(@TempDir Path natives) throws Exception {
        Assumptions.assumeTrue(System.getProperty("os.arch").equals("amd64")
                && System.getProperty("os.name").equals("Linux"), "natives are packed for Linux x86-64 only");
        // A fresh native cache: the library is unpacked during the interrupted call, as on a first run.
        Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dorg.bytedeco.javacpp.cachedir=" + natives, "-cp", System.getProperty("java.class.path"),
                InterruptedFirstCaller.class.getName())).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(out).startsWith("OpenBLAS 0.3.").contains("| interrupted=true");
    }
}
