package org.imcsim.core.tensor;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.CommonOps_FDRM;

/**
 * Dense matrix products for every engine: {@code C[m×n] = (add ? C : 0) + op(A)[m×k] · op(B)[k×n]}, row-major, with
 * {@code op} a transpose when asked. They run on OpenBLAS (single-threaded: the engines parallelise over fixed chunks
 * of samples, so results never depend on the thread count) and fall back to EJML where OpenBLAS's native library
 * cannot load, or when the system property {@code imcsim.gemm} is {@code ejml}. On this project's machine OpenBLAS
 * is 12–15× faster than EJML on the convolution shapes of ResNet-18 (design notes, "Kernels").
 *
 * <p>Operands are copied into per-thread native buffers for each call; a {@link Constant} holds a matrix that does
 * not change (a chip's programmed weights) in native memory once.
 */
public final class Gemm {
    private Gemm() {}

    private static final boolean OPENBLAS = loadOpenBlas();

    private static boolean loadOpenBlas() {
        if ("ejml".equals(System.getProperty("imcsim.gemm"))) return false;
        // JavaCPP unpacks the native library once; by default into IMCSim's own cache folder, not ~/.javacpp.
        if (System.getProperty("org.bytedeco.javacpp.cachedir") == null) {
            System.setProperty("org.bytedeco.javacpp.cachedir",
                    org.imcsim.core.data.Datasets.directory().resolve("native").toString());
        }
        try {
            openblas_nolapack.blas_set_num_threads(1);
            return true;
        } catch (Throwable notHere) { // no native library for this platform: the pure-Java kernel still answers
            return false;
        }
    }

    /** The kernel in use, for reports and benchmarks. */
    public static String kernel() {
        return OPENBLAS ? openblas_nolapack.OPENBLAS_VERSION.trim() + " (one thread per call)" : "EJML (pure Java)";
    }

    /** Native scratch of one thread, grown as needed. */
    private static final class Scratch {
        FloatPointer fa = new FloatPointer(0L), fb = new FloatPointer(0L), fc = new FloatPointer(0L);
        DoublePointer da = new DoublePointer(0L), db = new DoublePointer(0L), dc = new DoublePointer(0L);

        static FloatPointer fit(FloatPointer p, long n) {
            if (p.capacity() >= n) return p;
            p.close();
            return new FloatPointer(Math.max(n, p.capacity() * 3 / 2));
        }

        static DoublePointer fit(DoublePointer p, long n) {
            if (p.capacity() >= n) return p;
            p.close();
            return new DoublePointer(Math.max(n, p.capacity() * 3 / 2));
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOffset,
                             float[] b, int bOffset, float[] c, int cOffset, boolean add) {
        if (m == 0 || n == 0) return;
        int lengthA = m * k, lengthB = k * n, lengthC = m * n;
        if (OPENBLAS) {
            Scratch s = SCRATCH.get();
            s.fa = Scratch.fit(s.fa, lengthA);
            s.fb = Scratch.fit(s.fb, lengthB);
            s.fc = Scratch.fit(s.fc, lengthC);
            s.fa.position(0).put(a, aOffset, lengthA);
            s.fb.position(0).put(b, bOffset, lengthB);
            if (add) s.fc.position(0).put(c, cOffset, lengthC);
            openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor, op(transA), op(transB), m, n, k,
                    1f, s.fa, transA ? m : k, s.fb, transB ? k : n, add ? 1f : 0f, s.fc, n);
            s.fc.position(0).get(c, cOffset, lengthC);
            return;
        }
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
        if (cOffset != 0 || c.length != lengthC) System.arraycopy(mc.data, 0, c, cOffset, lengthC);
    }

    /** {@code C[m×n] = A[m×k] · B}, double precision, with {@code B} a constant held once. */
    public static void dgemm(int m, double[] a, int aOffset, Constant b, double[] c, int cOffset) {
        int k = b.rows, n = b.cols;
        if (m == 0 || n == 0) return;
        int lengthA = m * k, lengthC = m * n;
        if (b.nativeCopy != null) {
            Scratch s = SCRATCH.get();
            s.da = Scratch.fit(s.da, lengthA);
            s.dc = Scratch.fit(s.dc, lengthC);
            s.da.position(0).put(a, aOffset, lengthA);
            openblas_nolapack.cblas_dgemm(openblas_nolapack.CblasRowMajor, openblas_nolapack.CblasNoTrans,
                    openblas_nolapack.CblasNoTrans, m, n, k, 1.0, s.da, k, b.nativeCopy, n, 0.0, s.dc, n);
            s.dc.position(0).get(c, cOffset, lengthC);
            return;
        }
        DMatrixRMaj ma = aOffset == 0 && a.length == lengthA ? DMatrixRMaj.wrap(m, k, a)
                : DMatrixRMaj.wrap(m, k, java.util.Arrays.copyOfRange(a, aOffset, aOffset + lengthA));
        DMatrixRMaj mc = new DMatrixRMaj(m, n);
        CommonOps_DDRM.mult(ma, DMatrixRMaj.wrap(k, n, b.values), mc);
        System.arraycopy(mc.data, 0, c, cOffset, lengthC);
    }

    /** {@code C[rows × n] = A · B[cols × n]}, double precision, with {@code A} a constant held once. */
    public static void dgemm(Constant a, double[] b, int bOffset, int n, double[] c, int cOffset) {
        int m = a.rows, k = a.cols;
        if (m == 0 || n == 0) return;
        int lengthB = k * n, lengthC = m * n;
        if (a.nativeCopy != null) {
            Scratch s = SCRATCH.get();
            s.db = Scratch.fit(s.db, lengthB);
            s.dc = Scratch.fit(s.dc, lengthC);
            s.db.position(0).put(b, bOffset, lengthB);
            openblas_nolapack.cblas_dgemm(openblas_nolapack.CblasRowMajor, openblas_nolapack.CblasNoTrans,
                    openblas_nolapack.CblasNoTrans, m, n, k, 1.0, a.nativeCopy, k, s.db, n, 0.0, s.dc, n);
            s.dc.position(0).get(c, cOffset, lengthC);
            return;
        }
        DMatrixRMaj mb = bOffset == 0 && b.length == lengthB ? DMatrixRMaj.wrap(k, n, b)
                : DMatrixRMaj.wrap(k, n, java.util.Arrays.copyOfRange(b, bOffset, bOffset + lengthB));
        DMatrixRMaj mc = new DMatrixRMaj(m, n);
        CommonOps_DDRM.mult(DMatrixRMaj.wrap(m, k, a.values), mb, mc);
        System.arraycopy(mc.data, 0, c, cOffset, lengthC);
    }

    /** {@code C[m×n] = Aᵀ · B} with {@code A} stored [k × m] (an im2col matrix) and {@code B} a constant. */
    public static void dgemmTransA(int m, double[] a, Constant b, double[] c) {
        int k = b.rows, n = b.cols;
        if (m == 0 || n == 0) return;
        int lengthA = m * k, lengthC = m * n;
        if (b.nativeCopy != null) {
            Scratch s = SCRATCH.get();
            s.da = Scratch.fit(s.da, lengthA);
            s.dc = Scratch.fit(s.dc, lengthC);
            s.da.position(0).put(a, 0, lengthA);
            openblas_nolapack.cblas_dgemm(openblas_nolapack.CblasRowMajor, openblas_nolapack.CblasTrans,
                    openblas_nolapack.CblasNoTrans, m, n, k, 1.0, s.da, m, b.nativeCopy, n, 0.0, s.dc, n);
            s.dc.position(0).get(c, 0, lengthC);
            return;
        }
        DMatrixRMaj mc = new DMatrixRMaj(m, n);
        CommonOps_DDRM.multTransA(DMatrixRMaj.wrap(k, m, a), DMatrixRMaj.wrap(k, n, b.values), mc);
        System.arraycopy(mc.data, 0, c, 0, lengthC);
    }

    /** {@code C[m×n] = Aᵀ · B} in single precision, {@code A} stored [k × m], {@code B} a constant; C widened to double. */
    public static void sgemmTransA(int m, float[] a, FloatConstant b, double[] c) {
        int k = b.rows, n = b.cols;
        if (m == 0 || n == 0) return;
        int lengthA = m * k, lengthC = m * n;
        float[] product = new float[lengthC];
        if (b.nativeCopy != null) {
            Scratch s = SCRATCH.get();
            s.fa = Scratch.fit(s.fa, lengthA);
            s.fc = Scratch.fit(s.fc, lengthC);
            s.fa.position(0).put(a, 0, lengthA);
            openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor, openblas_nolapack.CblasTrans,
                    openblas_nolapack.CblasNoTrans, m, n, k, 1f, s.fa, m, b.nativeCopy, n, 0f, s.fc, n);
            s.fc.position(0).get(product, 0, lengthC);
        } else {
            FMatrixRMaj mc = FMatrixRMaj.wrap(m, n, product);
            CommonOps_FDRM.multTransA(fView(k, m, a, 0), FMatrixRMaj.wrap(k, n, b.values), mc);
        }
        for (int i = 0; i < lengthC; i++) c[i] = product[i];
    }

    /** {@code C[m×n] = A[m×k] · B} in single precision, with {@code B} a constant held once. */
    public static void sgemm(int m, float[] a, FloatConstant b, float[] c) {
        int k = b.rows, n = b.cols;
        if (m == 0 || n == 0) return;
        int lengthA = m * k, lengthC = m * n;
        if (b.nativeCopy != null) {
            Scratch s = SCRATCH.get();
            s.fa = Scratch.fit(s.fa, lengthA);
            s.fc = Scratch.fit(s.fc, lengthC);
            s.fa.position(0).put(a, 0, lengthA);
            openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor, openblas_nolapack.CblasNoTrans,
                    openblas_nolapack.CblasNoTrans, m, n, k, 1f, s.fa, k, b.nativeCopy, n, 0f, s.fc, n);
            s.fc.position(0).get(c, 0, lengthC);
            return;
        }
        FMatrixRMaj mc = new FMatrixRMaj(m, n);
        CommonOps_FDRM.mult(fView(m, k, a, 0), FMatrixRMaj.wrap(k, n, b.values), mc);
        System.arraycopy(mc.data, 0, c, 0, lengthC);
    }

    /** A {@code rows × cols} float matrix that never changes, in native memory when OpenBLAS runs the products. */
    public static final class FloatConstant {
        final int rows, cols;
        final float[] values;
        final FloatPointer nativeCopy;

        public FloatConstant(int rows, int cols, float[] values) {
            if ((long) rows * cols != values.length) {
                throw new IllegalArgumentException(rows + " × " + cols + " matrix from " + values.length + " values");
            }
            this.rows = rows;
            this.cols = cols;
            this.values = values; // kept: the sparse path reads rows of it
            this.nativeCopy = OPENBLAS ? new FloatPointer(values) : null;
        }

        /** The values, row-major (not to be changed). */
        public float[] values() { return values; }
    }

    /** A {@code rows × cols} double matrix that never changes, in native memory when OpenBLAS runs the products. */
    public static final class Constant {
        final int rows, cols;
        final double[] values;
        final DoublePointer nativeCopy;

        public Constant(int rows, int cols, double[] values) {
            if ((long) rows * cols != values.length) {
                throw new IllegalArgumentException(rows + " × " + cols + " matrix from " + values.length + " values");
            }
            this.rows = rows;
            this.cols = cols;
            this.values = OPENBLAS ? null : values;
            this.nativeCopy = OPENBLAS ? new DoublePointer(values) : null;
        }

        public int rows() { return rows; }

        public int cols() { return cols; }
    }

    private static int op(boolean transpose) {
        return transpose ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
    }

    private static FMatrixRMaj fView(int rows, int cols, float[] data, int offset) {
        int length = rows * cols;
        return offset == 0 && data.length == length ? FMatrixRMaj.wrap(rows, cols, data)
                : FMatrixRMaj.wrap(rows, cols, java.util.Arrays.copyOfRange(data, offset, offset + length));
    }
}
