package org.abacim.core.blas;

import java.util.Arrays;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.CommonOps_FDRM;
import org.abacim.core.io.CacheFolder;
import org.abacim.core.tensor.MatrixProducts;

/**
 * Dense matrix products for every engine: {@code C[m×n] = (add ? C : 0) + op(A)[m×k] · op(B)[k×n]}, row-major, with
 * {@code op} a transpose when asked. They run on OpenBLAS (single-threaded: the engines parallelise over fixed chunks
 * of samples, so results never depend on the thread count) and fall back to EJML where OpenBLAS's native library
 * cannot load, or when the system property {@code abacim.gemm} is {@code ejml}. On this project's machine OpenBLAS
 * is 12–15× faster than EJML on the convolution shapes of ResNet-18 (docs/design/models-and-data.md,
 * "BLAS speed").
 *
 * <p>Operands are copied into per-thread native buffers for each call; a {@link Constant} holds a matrix that does
 * not change (a chip's programmed weights) in native memory once.
 */
public final class Gemm {
    private Gemm() {}

    /**
     * OpenBLAS's kernel family, pinned so that results are the same bytes on every x86-64 CPU that can run it (AVX2
     * and FMA: Intel since Haswell, AMD since Zen). Left alone, OpenBLAS picks kernels by CPU — SkylakeX on an Intel
     * Xeon, Cooperlake on an AMD EPYC of this project's CI — and their summation orders differ in the last bits of
     * every product (docs/design/hostile-input.md, round two). The system property {@code abacim.blas.core} names
     * another family, or {@code native} for OpenBLAS's own choice (faster on AVX-512 machines, not reproducible
     * across CPUs).
     */
    public static final String PINNED_CORE = "Haswell";

    private static final String CORE = System.getProperty("abacim.blas.core", PINNED_CORE);
    private static final boolean OPENBLAS = loadOpenBlas();
    /** Whether the kernel in use computes the pinned family's bytes (a probe product, checked when first asked). */
    private static final class Pinned {
        static final boolean VALUE = OPENBLAS && PINNED_CORE.equals(CORE) && probeMatchesPinnedCore();
    }

    /** Why OpenBLAS is not in use, when it is not (for {@link #kernel()}). */
    private static volatile String notLoaded = "";

    private static boolean loadOpenBlas() {
        if ("ejml".equals(System.getProperty("abacim.gemm"))) {
            notLoaded = "-Dabacim.gemm=ejml";
            return false;
        }
        // JavaCPP unpacks the native library once; by default into abacim's own cache folder, not ~/.javacpp.
        if (System.getProperty("org.bytedeco.javacpp.cachedir") == null) {
            System.setProperty("org.bytedeco.javacpp.cachedir",
                    CacheFolder.directory().resolve("native").toString());
        }
        // Loading unpacks a 37 MB library. It runs on a thread of its own: an interrupt of the thread that first
        // multiplies (a job the teaching server cancels or stops) must not abort it and leave the whole process on
        // the slower fallback with other bytes — which happened in a full test run.
        String[] outcome = Loader.load(CORE);
        notLoaded = outcome[1];
        return outcome[0] != null;
    }

    /**
     * Loads OpenBLAS on a thread of its own and waits for it uninterruptibly. A class apart from {@link Gemm}: the
     * loading thread must not touch Gemm, whose initialization is waiting for it.
     */
    private static final class Loader {
        /** {loaded ? "yes" : null, why not}. */
        static String[] load(String core) {
            String[] outcome = {null, ""};
            Thread loader = new Thread(() -> {
                try {
                    // OpenBLAS reads OPENBLAS_CORETYPE from the process environment once, as it loads: set it first.
                    if (!"native".equals(core)) NativeEnvironment.set("OPENBLAS_CORETYPE", core);
                    openblas_nolapack.blas_set_num_threads(1);
                    outcome[0] = "yes";
                } catch (Throwable notHere) { // no native library for this platform: the pure-Java kernel answers
                    outcome[1] = notHere.toString();
                }
            }, "abacim-openblas-loader");
            loader.setDaemon(true);
            loader.start();
            boolean interrupted = false;
            while (true) {
                try {
                    loader.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) Thread.currentThread().interrupt();
            return outcome;
        }
    }

    /**
     * A product whose bytes differ between OpenBLAS's kernel families (m, n odd; k past one block), hashed. Its value
     * under the pinned family was recorded on the machine that pinned it; a CPU that cannot run that family (no
     * AVX2) falls back to another, and this says so.
     */
    static long probe() {
        int m = 37, n = 29, k = 700;
        float[] a = new float[m * k];
        float[] b = new float[k * n];
        for (int i = 0; i < a.length; i++) a[i] = (float) Math.sin(i * 0.37);
        for (int i = 0; i < b.length; i++) b[i] = (float) Math.cos(i * 0.11);
        float[] c = new float[m * n];
        floats(false, false, m, n, k, a, 0, null, b, 0, null, c, 0, false);
        long hash = 1;
        for (float v : c) hash = hash * 31 + Float.floatToRawIntBits(v);
        return hash;
    }

    /** {@link #probe()} under OpenBLAS 0.3.31's Haswell kernels. */
    static final long PINNED_PROBE = 8826892347453387205L;

    private static boolean probeMatchesPinnedCore() {
        try {
            return probe() == PINNED_PROBE;
        } catch (Throwable failed) {
            return false;
        }
    }

    /** The kernel in use, for reports and benchmarks. */
    public static String kernel() {
        if (!OPENBLAS) return "EJML (pure Java; OpenBLAS not loaded: " + notLoaded + ")";
        String version = openblas_nolapack.OPENBLAS_VERSION.trim();
        if (Pinned.VALUE) return version + " (" + PINNED_CORE + " kernels, pinned; one thread per call)";
        return version + " (" + ("native".equals(CORE) ? "kernels chosen by CPU" : CORE + " asked, not taken by this CPU")
                + ": results may differ in the last bits on other CPUs; one thread per call)";
    }

    /** Whether products are the pinned kernel family's bytes, the same on every CPU that runs it. */
    public static boolean reproducible() {
        return Pinned.VALUE;
    }

    /** Native scratch of one thread (A, B and C of each precision), grown as needed. */
    private static final class Scratch {
        final FloatPointer[] floats = {new FloatPointer(0L), new FloatPointer(0L), new FloatPointer(0L)};
        final DoublePointer[] doubles = {new DoublePointer(0L), new DoublePointer(0L), new DoublePointer(0L)};

        FloatPointer floats(int slot, long n) {
            if (floats[slot].capacity() < n) {
                floats[slot].close();
                floats[slot] = new FloatPointer(Math.max(n, floats[slot].capacity() * 3 / 2));
            }
            return floats[slot].position(0);
        }

        DoublePointer doubles(int slot, long n) {
            if (doubles[slot].capacity() < n) {
                doubles[slot].close();
                doubles[slot] = new DoublePointer(Math.max(n, doubles[slot].capacity() * 3 / 2));
            }
            return doubles[slot].position(0);
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);
    private static final int A = 0, B = 1, C = 2;

    /** {@code C[m×n] = (add ? C : 0) + op(A) · op(B)}, single precision, all operands arrays from their offsets. */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOffset,
                             float[] b, int bOffset, float[] c, int cOffset, boolean add) {
        floats(transA, transB, m, n, k, a, aOffset, null, b, bOffset, null, c, cOffset, add);
    }

    /** {@code C[m×n] = A[m×k] · B} in single precision, with {@code B} a constant held once. */
    public static void sgemm(int m, float[] a, FloatConstant b, float[] c) {
        floats(false, false, m, b.cols, b.rows, a, 0, null, b.values, 0, b.nativeCopy, c, 0, false);
    }

    /**
     * {@code C[m×n] = A · B[k×n]} in single precision, {@code A} the {@code m × k} rows of a constant from its element
     * {@code aOffset} (one group's filters of a layer's weights).
     */
    public static void sgemm(FloatConstant a, int aOffset, int m, int k, float[] b, int n, float[] c) {
        sgemm(a, aOffset, m, k, b, 0, n, c, 0);
    }

    /** As above, {@code B} and {@code C} from their offsets. */
    public static void sgemm(FloatConstant a, int aOffset, int m, int k, float[] b, int bOffset, int n, float[] c,
                             int cOffset) {
        if ((long) aOffset + (long) m * k > a.values.length) {
            throw new IllegalArgumentException(m + " × " + k + " rows from " + aOffset + " of a " + a.rows + " × " + a.cols + " constant");
        }
        floats(false, false, m, n, k, a.values, aOffset, a.nativeCopy == null ? null : a.nativeCopy.getPointer(aOffset),
                b, bOffset, null, c, cOffset, false);
    }

    /** {@code C[m×n] = Aᵀ · B} in single precision, {@code A} stored [k × m], {@code B} a constant; C widened to double. */
    public static void sgemmTransA(int m, float[] a, FloatConstant b, double[] c) {
        float[] product = new float[m * b.cols];
        floats(true, false, m, b.cols, b.rows, a, 0, null, b.values, 0, b.nativeCopy, product, 0, false);
        for (int i = 0; i < product.length; i++) c[i] = product[i];
    }

    /** {@code C[m×n] = A[m×k] · B}, double precision, with {@code B} a constant held once. */
    public static void dgemm(int m, double[] a, int aOffset, Constant b, double[] c, int cOffset) {
        doubles(false, m, b.cols, b.rows, a, aOffset, null, b.values, 0, b.nativeCopy, c, cOffset);
    }

    /** {@code C[rows × n] = A · B[cols × n]}, double precision, with {@code A} a constant held once. */
    public static void dgemm(Constant a, double[] b, int bOffset, int n, double[] c, int cOffset) {
        doubles(false, a.rows, n, a.cols, a.values, 0, a.nativeCopy, b, bOffset, null, c, cOffset);
    }

    /** {@code C[m×n] = Aᵀ · B} with {@code A} stored [k × m] (an im2col matrix) and {@code B} a constant. */
    public static void dgemmTransA(int m, double[] a, Constant b, double[] c) {
        doubles(true, m, b.cols, b.rows, a, 0, null, b.values, 0, b.nativeCopy, c, 0);
    }

    /** The single-precision core: operands staged into native scratch unless already native (a constant). */
    private static void floats(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOffset,
                               FloatPointer aNative, float[] b, int bOffset, FloatPointer bNative, float[] c,
                               int cOffset, boolean add) {
        if (m == 0 || n == 0) return;
        int lengthA = m * k, lengthB = k * n, lengthC = m * n;
        if (!OPENBLAS) {
            FMatrixRMaj ma = transA ? fView(k, m, a, aOffset) : fView(m, k, a, aOffset);
            FMatrixRMaj mb = transB ? fView(n, k, b, bOffset) : fView(k, n, b, bOffset);
            FMatrixRMaj mc = fView(m, n, c, cOffset);
            if (transA && transB) throw new IllegalArgumentException("both operands transposed");
            if (add) {
                if (transA) CommonOps_FDRM.multAddTransA(ma, mb, mc);
                else if (transB) CommonOps_FDRM.multAddTransB(ma, mb, mc);
                else CommonOps_FDRM.multAdd(ma, mb, mc);
            } else {
                if (transA) CommonOps_FDRM.multTransA(ma, mb, mc);
                else if (transB) CommonOps_FDRM.multTransB(ma, mb, mc);
                else CommonOps_FDRM.mult(ma, mb, mc);
            }
            if (mc.data != c) System.arraycopy(mc.data, 0, c, cOffset, lengthC);
            return;
        }
        Scratch s = SCRATCH.get();
        FloatPointer pa = aNative != null ? aNative : s.floats(A, lengthA).put(a, aOffset, lengthA);
        FloatPointer pb = bNative != null ? bNative : s.floats(B, lengthB).put(b, bOffset, lengthB);
        FloatPointer pc = s.floats(C, lengthC);
        if (add) pc.put(c, cOffset, lengthC);
        openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor, op(transA), op(transB), m, n, k,
                1f, pa.position(0), transA ? m : k, pb.position(0), transB ? k : n, add ? 1f : 0f, pc.position(0), n);
        pc.get(c, cOffset, lengthC);
    }

    /** The double-precision core ({@code C = op(A) · B}): as {@link #floats}, without accumulation. */
    private static void doubles(boolean transA, int m, int n, int k, double[] a, int aOffset, DoublePointer aNative,
                                double[] b, int bOffset, DoublePointer bNative, double[] c, int cOffset) {
        if (m == 0 || n == 0) return;
        int lengthA = m * k, lengthB = k * n, lengthC = m * n;
        if (!OPENBLAS) {
            DMatrixRMaj ma = transA ? dView(k, m, a, aOffset) : dView(m, k, a, aOffset);
            DMatrixRMaj mc = new DMatrixRMaj(m, n);
            if (transA) CommonOps_DDRM.multTransA(ma, dView(k, n, b, bOffset), mc);
            else CommonOps_DDRM.mult(ma, dView(k, n, b, bOffset), mc);
            System.arraycopy(mc.data, 0, c, cOffset, lengthC);
            return;
        }
        Scratch s = SCRATCH.get();
        DoublePointer pa = aNative != null ? aNative : s.doubles(A, lengthA).put(a, aOffset, lengthA);
        DoublePointer pb = bNative != null ? bNative : s.doubles(B, lengthB).put(b, bOffset, lengthB);
        DoublePointer pc = s.doubles(C, lengthC);
        openblas_nolapack.cblas_dgemm(openblas_nolapack.CblasRowMajor, op(transA), openblas_nolapack.CblasNoTrans,
                m, n, k, 1.0, pa.position(0), transA ? m : k, pb.position(0), n, 0.0, pc.position(0), n);
        pc.get(c, cOffset, lengthC);
    }

    /**
     * A {@code rows × cols} float matrix that never changes, in native memory when OpenBLAS runs the products. Closing
     * frees that memory at once (otherwise the collector does, eventually).
     */
    public static final class FloatConstant implements MatrixProducts.FloatMatrix, AutoCloseable {
        final int rows, cols;
        final float[] values;
        final FloatPointer nativeCopy;

        public FloatConstant(int rows, int cols, float[] values) {
            checkShape(rows, cols, values.length);
            this.rows = rows;
            this.cols = cols;
            this.values = values; // kept: the fallback multiplies it, and the sparse analog path reads its rows
            this.nativeCopy = OPENBLAS ? new FloatPointer(values) : null;
        }

        /** The values, row-major (not to be changed). */
        @Override
        public float[] values() { return values; }

        @Override
        public void close() {
            if (nativeCopy != null) nativeCopy.close();
        }
    }

    /** A {@code rows × cols} double matrix that never changes, in native memory when OpenBLAS runs the products. */
    public static final class Constant implements MatrixProducts.DoubleMatrix {
        final int rows, cols;
        final double[] values;
        final DoublePointer nativeCopy;

        public Constant(int rows, int cols, double[] values) {
            checkShape(rows, cols, values.length);
            this.rows = rows;
            this.cols = cols;
            this.values = OPENBLAS ? null : values;
            this.nativeCopy = OPENBLAS ? new DoublePointer(values) : null;
        }

        @Override
        public int rows() { return rows; }

        @Override
        public int cols() { return cols; }
    }

    private static void checkShape(int rows, int cols, int values) {
        if ((long) rows * cols != values) throw new IllegalArgumentException(rows + " × " + cols + " matrix from " + values + " values");
    }

    private static int op(boolean transpose) {
        return transpose ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
    }

    private static FMatrixRMaj fView(int rows, int cols, float[] data, int offset) {
        int length = rows * cols;
        return offset == 0 && data.length == length ? FMatrixRMaj.wrap(rows, cols, data)
                : FMatrixRMaj.wrap(rows, cols, Arrays.copyOfRange(data, offset, offset + length));
    }

    private static DMatrixRMaj dView(int rows, int cols, double[] data, int offset) {
        int length = rows * cols;
        return offset == 0 && data.length == length ? DMatrixRMaj.wrap(rows, cols, data)
                : DMatrixRMaj.wrap(rows, cols, Arrays.copyOfRange(data, offset, offset + length));
    }
}
