package org.abacim.core.tech;

import java.util.SplittableRandom;
import org.abacim.core.analog.ActivityCounter;
import org.abacim.core.tensor.MatrixProducts;

/**
 * The fast path where an array's arithmetic provably collapses to the integer product (nominal or ideal devices, a
 * lossless ADC): one double-precision matrix product of the inputs by the integer weights. Every product and
 * partial sum is an integer below 2^53, so the result is exact (tested equal to the bit-level path). Input activity
 * (zero inputs, non-zero DAC digits) is still counted; conversions are not, as none is simulated.
 */
public final class ExactProduct implements ProgrammedLayer {
    private final MatrixProducts.DoubleMatrix weights;
    private final int rows;
    private final int cols;
    private final int dacBits;
    private final int inputBits;

    public ExactProduct(int[] w, int rows, int cols, ArrayGeometry g) {
        this.rows = rows;
        this.cols = cols;
        double[] values = new double[w.length];
        for (int i = 0; i < w.length; i++) values[i] = w[i];
        this.weights = MatrixProducts.installed().doubleMatrix(rows, cols, values);
        this.dacBits = g.dacBits();
        this.inputBits = g.inputBits();
    }

    @Override
    public void multiply(int[] inputs, int positions, double[] out, SplittableRandom readNoise, ActivityCounter activity) {
        double[] x = new double[positions * rows];
        for (int i = 0; i < x.length; i++) x[i] = inputs[i];
        MatrixProducts.installed().dgemm(positions, x, 0, weights, out, 0);
        if (activity != null) countInputs(inputs, positions, rows, inputBits, dacBits, activity);
    }

    @Override
    public boolean linear() {
        return true;
    }

    @Override
    public void multiplyColumns(float[] columns, int positions, double[] out) {
        double[] x = new double[positions * rows];
        for (int i = 0; i < x.length; i++) x[i] = columns[i];
        MatrixProducts.installed().dgemmTransA(positions, x, weights, out);
    }

    /**
     * Counts what the arrays' inputs were ({@code positions × rows} integers applied {@code dacBits} at a time):
     * zero inputs and non-zero DAC digits, for technologies that simulate no conversion to count them on.
     */
    public static void countInputs(int[] inputs, int positions, int rows, int inputBits, int dacBits,
                                   ActivityCounter a) {
        int inputCycles = (inputBits + dacBits - 1) / dacBits;
        int mask = (1 << dacBits) - 1;
        long bitsMask = inputBits >= 32 ? -1L : (1L << inputBits) - 1;
        for (int i = 0; i < positions * rows; i++) {
            long v = inputs[i] & bitsMask; // two's complement digits of signed inputs, as the DACs see them
            if (v == 0) a.zeroInputs++;
            for (int t = 0; t < inputCycles; t++) if (((v >> (t * dacBits)) & mask) != 0) a.nonZeroDigits++;
        }
        a.inputs += (long) positions * rows;
        a.digits += (long) positions * rows * inputCycles;
    }
}
