package org.abacim.reram;

import java.util.SplittableRandom;
import org.abacim.core.analog.ActivityCounter;
import org.abacim.core.tech.ArrayGeometry;
import org.abacim.core.tech.ExactProduct;
import org.abacim.core.tech.ProgrammedLayer;
import org.abacim.core.tensor.MatrixProducts;

/**
 * A simulated chip's layer whose non-idealities are all static (programming variation, stuck-at cells, drift) read
 * through ideal converters: linear in its inputs, so every input cycle, cell slice, flipped column, unit column and
 * fragment sign folds into one effective weight per row and output ({@link AnalogCrossbar#effectiveWeights}), and
 * a Monte-Carlo trial is one single-precision product per layer (float32, as the analog path's column sums; the
 * variation it models is many orders above that rounding). Input activity is counted as on the exact path.
 */
final class FoldedCrossbar implements ProgrammedLayer {
    private final MatrixProducts.FloatMatrix weights;
    private final int rows;
    private final int inputBits;
    private final int dacBits;

    FoldedCrossbar(AnalogCrossbar chip, int rows, int cols, ArrayGeometry g) {
        double[] effective = chip.effectiveWeights();
        float[] single = new float[effective.length];
        for (int i = 0; i < single.length; i++) single[i] = (float) effective[i];
        this.weights = MatrixProducts.installed().floatMatrix(rows, cols, single);
        this.rows = rows;
        this.inputBits = g.inputBits();
        this.dacBits = g.dacBits();
    }

    @Override
    public void multiply(int[] inputs, int positions, double[] out, SplittableRandom readNoise, ActivityCounter activity) {
        // The inputs as [rows × positions] columns, the layout the product takes.
        float[] columns = new float[positions * rows];
        for (int p = 0; p < positions; p++) {
            for (int r = 0; r < rows; r++) columns[r * positions + p] = inputs[p * rows + r];
        }
        multiplyColumns(columns, positions, out);
        if (activity != null) ExactProduct.countInputs(inputs, positions, rows, inputBits, dacBits, activity);
    }

    @Override
    public boolean linear() {
        return true;
    }

    @Override
    public float[] linearWeights() {
        return weights.values();
    }

    @Override
    public void multiplyColumns(float[] columns, int positions, double[] out) {
        MatrixProducts.installed().sgemmTransA(positions, columns, weights, out);
    }
}
