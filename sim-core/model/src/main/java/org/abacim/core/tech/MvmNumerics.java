package org.abacim.core.tech;

import java.util.Optional;
import org.abacim.core.analog.Chip;
import org.abacim.core.units.Time;

/**
 * The functional side of an array: how a matrix-vector product on integer weights and integer inputs comes out of
 * the hardware's arithmetic (cell slicing, sign encoding, bit-serial inputs, column sums, ADC, shift-and-add) and
 * its devices' non-idealities. With an ideal device and a lossless ADC the result must equal the exact integer
 * product; the technology contract test checks that.
 */
public interface MvmNumerics {
    /**
     * y[c] = Σ_r w[r·cols + c] · x[r] as the nominal hardware computes it, for a weight matrix of {@code rows × cols}
     * signed integers that fit the geometry's weight bits, and inputs that fit its input bits (unsigned when
     * {@code signedInputs} is false). The matrix may be larger than one array: it is tiled as the mapper tiles it.
     */
    long[] multiply(int[] weights, int rows, int cols, int[] inputs, boolean signedInputs);

    /**
     * The same hardware storing weights of {@code bits} (fewer than the design's) in as few cells as they need: the
     * placer's credit for a layer quantized narrower than the design. The default stores them as they come.
     */
    default MvmNumerics forWeightBits(int bits) { return this; }

    /** Whether this configuration provably computes the exact integer product (ideal cells, lossless ADC). */
    boolean exact();

    /**
     * How inputs are applied, for counting zero-skipping cycles on real data: rows converted together (a FORMS
     * fragment, or a whole array), rows per array, input bits and bits per input cycle. Empty when the hardware
     * does not apply inputs bit-serially by rows.
     */
    default Optional<CycleShape> cycleShape() { return Optional.empty(); }

    /**
     * The time the devices' programmed values were verified (drift's t0), when this technology models how its arrays
     * age after programming ({@link Chip#timeS}); empty when chips compute the same at every time.
     */
    default Optional<Time> driftReference() { return Optional.empty(); }

    /**
     * Why the arrays cannot be read at {@code time} after programming (measured device states that stop before
     * it), or null when they can.
     */
    default String refusesTime(Time time) { return null; }

    /** See {@link #cycleShape()}. */
    record CycleShape(int groupRows, int arrayRows, int inputBits, int dacBits) {}

    /**
     * Programs a {@code rows × cols} integer weight matrix onto the arrays of {@code chip}: device variation, faults
     * and drift are drawn from the chip's stream. The default has no device model: every chip computes like
     * {@link #multiply}.
     */
    default ProgrammedLayer program(int[] weights, int rows, int cols, boolean signedInputs, Chip chip) {
        return (inputs, positions, out, readNoise, activity) -> {
            int[] x = new int[rows];
            for (int p = 0; p < positions; p++) {
                System.arraycopy(inputs, p * rows, x, 0, rows);
                long[] y = multiply(weights, rows, cols, x, signedInputs);
                for (int c = 0; c < cols; c++) out[p * cols + c] = y[c];
            }
        };
    }
}
