package org.abacim.core.tech;

import java.util.SplittableRandom;
import org.abacim.core.analog.ActivityCounter;

/** One layer's weights as programmed onto the arrays of one simulated chip, ready to multiply inputs. */
public interface ProgrammedLayer {
    /**
     * Multiplies {@code positions} input vectors ({@code inputs} is [positions × rows], integers in the geometry's
     * input range) by the programmed matrix into {@code out} ([positions × cols]), in units of the exact integer
     * product Σ w·x. {@code readNoise} supplies this read's noise (its draws depend on nothing else);
     * {@code activity}, when not null, counts what the arrays saw.
     */
    void multiply(int[] inputs, int positions, double[] out, SplittableRandom readNoise, ActivityCounter activity);

    /**
     * Whether the layer is a fixed linear map of its inputs (the exact product, or static non-idealities folded into
     * effective weights): then {@link #multiplyColumns} may compute it straight from a convolution's im2col matrix.
     */
    default boolean linear() {
        return false;
    }

    /**
     * For a {@link #linear} layer computed in float: its effective weights, [rows × cols] row-major, in units of the
     * integer weights ({@code out = inputs · weights}); null when the layer computes otherwise (the exact product
     * keeps integer arithmetic).
     */
    default float[] linearWeights() {
        return null;
    }

    /**
     * The layer's static non-idealities (programming variation, faults, drift) folded into effective weights,
     * [rows × cols] row-major in units of the integer weights, ignoring what its converters and reads add; null when
     * the technology cannot say. The statistical accuracy mode multiplies by these and models the rest as a fitted
     * error ({@code org.abacim.core.exec.StatisticalLayer}).
     */
    default float[] foldedWeights() {
        return linearWeights();
    }

    /**
     * For a {@link #linear} layer: {@code out} [positions × cols] from {@code columns} [rows × positions] (integer
     * values held in floats, as im2col lays them out), with nothing counted. Linear layers override it to multiply
     * the columns directly; by default the columns are laid out as input vectors for {@link #multiply}.
     */
    default void multiplyColumns(float[] columns, int positions, double[] out) {
        int rows = columns.length / positions;
        int[] inputs = new int[positions * rows];
        for (int r = 0; r < rows; r++) {
            for (int p = 0; p < positions; p++) inputs[p * rows + r] = (int) columns[r * positions + p];
        }
        multiply(inputs, positions, out, new SplittableRandom(0), null);
    }
}
