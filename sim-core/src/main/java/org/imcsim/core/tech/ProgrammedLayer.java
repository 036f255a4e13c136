package org.imcsim.core.tech;

import java.util.SplittableRandom;
import org.imcsim.core.analog.ActivityCounter;

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
     * For a {@link #linear} layer: {@code out} [positions × cols] from {@code columns} [rows × positions] (integer
     * values held in floats, as im2col lays them out), with nothing counted.
     */
    default void multiplyColumns(float[] columns, int positions, double[] out) {
        throw new UnsupportedOperationException("not a linear layer");
    }
}
