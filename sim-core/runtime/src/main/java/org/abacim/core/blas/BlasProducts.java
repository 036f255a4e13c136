package org.abacim.core.blas;

import org.abacim.core.tensor.MatrixProducts;

/** The runtime's matrix products for the model's technologies: {@link Gemm}, whose kernels are pinned. */
public final class BlasProducts implements MatrixProducts {

    @Override
    public FloatMatrix floatMatrix(int rows, int cols, float[] values) {
        return new Gemm.FloatConstant(rows, cols, values);
    }

    @Override
    public DoubleMatrix doubleMatrix(int rows, int cols, double[] values) {
        return new Gemm.Constant(rows, cols, values);
    }

    @Override
    public void sgemm(int m, float[] a, FloatMatrix b, float[] c) {
        Gemm.sgemm(m, a, (Gemm.FloatConstant) b, c);
    }

    @Override
    public void sgemmTransA(int m, float[] a, FloatMatrix b, double[] c) {
        Gemm.sgemmTransA(m, a, (Gemm.FloatConstant) b, c);
    }

    @Override
    public void dgemm(int m, double[] a, int aOffset, DoubleMatrix b, double[] c, int cOffset) {
        Gemm.dgemm(m, a, aOffset, (Gemm.Constant) b, c, cOffset);
    }

    @Override
    public void dgemmTransA(int m, double[] a, DoubleMatrix b, double[] c) {
        Gemm.dgemmTransA(m, a, (Gemm.Constant) b, c);
    }
}
