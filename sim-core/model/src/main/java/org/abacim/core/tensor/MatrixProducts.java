package org.abacim.core.tensor;

import java.util.ServiceLoader;

/**
 * The matrix products a technology's numerics may ask for, supplied by the runtime module through
 * {@link ServiceLoader}: the hardware model names them without carrying a native library, so a technology's cost
 * side and a library user that only costs designs need no BLAS. Simulating accuracy puts the runtime on the class
 * path, and with it the one implementation (pinned OpenBLAS kernels, EJML where they cannot load).
 */
public interface MatrixProducts {

    /** A single-precision matrix held once for many products, row-major {@code rows × cols}. */
    interface FloatMatrix {
        float[] values();
    }

    /** A double-precision matrix held once for many products, row-major {@code rows × cols}. */
    interface DoubleMatrix {
        int rows();

        int cols();
    }

    FloatMatrix floatMatrix(int rows, int cols, float[] values);

    DoubleMatrix doubleMatrix(int rows, int cols, double[] values);

    /** {@code C[m×n] = A[m×k] · B}, single precision. */
    void sgemm(int m, float[] a, FloatMatrix b, float[] c);

    /** {@code C[m×n] = Aᵀ · B} with {@code A} stored {@code [k × m]}, single precision, C widened to double. */
    void sgemmTransA(int m, float[] a, FloatMatrix b, double[] c);

    /** {@code C[m×n] = A[m×k] · B}, double precision, A and C from their offsets. */
    void dgemm(int m, double[] a, int aOffset, DoubleMatrix b, double[] c, int cOffset);

    /** {@code C[m×n] = Aᵀ · B} with {@code A} stored {@code [k × m]}, double precision. */
    void dgemmTransA(int m, double[] a, DoubleMatrix b, double[] c);

    /** The implementation on the class path; a clear error when only the model is. */
    static MatrixProducts installed() {
        return InstalledProducts.INSTANCE;
    }
}
