package org.abacim.core.blas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The products every engine runs on, against their definition, with offsets, transposes and accumulation. */
class GemmTest {
    /** The kernel the build ships must be the one that loads here (CI runs on Linux x86-64). */
    @Test
    void openBlasLoadsOnThisPlatform() {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getProperty("os.arch").equals("amd64")
                && System.getProperty("os.name").equals("Linux"), "natives are packed for Linux x86-64 only");
        assertThat(Gemm.kernel()).startsWith("OpenBLAS 0.3.");
    }

    /**
     * On a CPU with AVX2 and FMA, whatever OPENBLAS_CORETYPE the environment holds, the pinned Haswell kernels run:
     * the probe product has the bytes recorded for them.
     */
    @Test
    void theHaswellKernelsArePinnedWhereTheCpuRunsThem() throws Exception {
        java.nio.file.Path cpuinfo = java.nio.file.Path.of("/proc/cpuinfo");
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getProperty("os.arch").equals("amd64")
                && java.nio.file.Files.isReadable(cpuinfo), "Linux x86-64 only");
        String flags = java.nio.file.Files.readAllLines(cpuinfo).stream().filter(l -> l.startsWith("flags"))
                .findFirst().orElse("");
        org.junit.jupiter.api.Assumptions.assumeTrue(flags.contains(" avx2") && flags.contains(" fma"),
                "this CPU cannot run the Haswell kernels");
        assertThat(Gemm.reproducible()).as(Gemm.kernel()).isTrue();
        assertThat(Gemm.probe()).isEqualTo(Gemm.PINNED_PROBE);
        assertThat(Gemm.kernel()).contains("Haswell kernels, pinned");
    }

    @ParameterizedTest(name = "{0}×{1}×{2} transA={3} transB={4} add={5}")
    @CsvSource({"7, 5, 3, false, false, false", "7, 5, 3, true, false, true", "7, 5, 3, false, true, true",
            "1, 33, 64, false, false, true", "64, 1, 9, true, false, false", "17, 129, 65, false, true, false"})
    void floatProductsMatchTheirDefinition(int m, int n, int k, boolean transA, boolean transB, boolean add) {
        SplittableRandom r = new SplittableRandom(m * 1000L + n * 10L + k);
        int offA = 3, offB = 5, offC = 2;
        float[] a = random(r, offA + m * k + 4);
        float[] b = random(r, offB + k * n + 1);
        float[] c = random(r, offC + m * n + 3);
        float[] before = c.clone();
        Gemm.sgemm(transA, transB, m, n, k, a, offA, b, offB, c, offC, add);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = add ? before[offC + i * n + j] : 0;
                for (int l = 0; l < k; l++) {
                    double x = transA ? a[offA + l * m + i] : a[offA + i * k + l];
                    double y = transB ? b[offB + j * k + l] : b[offB + l * n + j];
                    s += x * y;
                }
                assertThat((double) c[offC + i * n + j]).isCloseTo(s, within(1e-4 * Math.max(1, k)));
            }
        }
        // Nothing outside C's window moves.
        for (int i = 0; i < offC; i++) assertThat(c[i]).isEqualTo(before[i]);
        for (int i = offC + m * n; i < c.length; i++) assertThat(c[i]).isEqualTo(before[i]);
    }

    /** Integer operands with sums below 2^53 come out exact, whichever side the constant is on. */
    @Test
    void doubleProductsOfIntegersAreExact() {
        SplittableRandom r = new SplittableRandom(5);
        int m = 13, k = 300, n = 21;
        double[] a = new double[m * k];
        double[] b = new double[k * n];
        for (int i = 0; i < a.length; i++) a[i] = r.nextInt(65536) - 32768;
        for (int i = 0; i < b.length; i++) b[i] = r.nextInt(65536);
        double[] right = new double[m * n + 2];
        Gemm.dgemm(m, a, 0, new Gemm.Constant(k, n, b), right, 2);
        double[] left = new double[m * n];
        Gemm.dgemm(new Gemm.Constant(m, k, a), b, 0, n, left, 0);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                long s = 0;
                for (int l = 0; l < k; l++) s += (long) a[i * k + l] * (long) b[l * n + j];
                assertThat((long) right[2 + i * n + j]).isEqualTo(s);
                assertThat((long) left[i * n + j]).isEqualTo(s);
            }
        }
    }

    private static float[] random(SplittableRandom r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (r.nextDouble() * 2 - 1);
        return v;
    }
}
