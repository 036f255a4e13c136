package org.abacim.core.exec;

import java.util.Arrays;

/**
 * Arrays of activations the batched forward has dropped, by length, for later outputs of the same chunk to be written
 * into: a fresh array costs more than the small layers of a transformer that fill it (its memory is new to the
 * cache). Arrays come back with old contents: only kernels that write every output value take them. One chunk's,
 * on one thread.
 */
final class ArrayPool {
    private int[] lengths = new int[8];
    private float[][][] stacks = new float[8][][];
    private int[] counts = new int[8];
    private int kinds;

    /** An array of {@code length} floats, old contents or zeros. */
    float[] take(int length) {
        for (int k = 0; k < kinds; k++) {
            if (lengths[k] == length && counts[k] > 0) {
                float[] a = stacks[k][--counts[k]];
                stacks[k][counts[k]] = null;
                return a;
            }
        }
        return new float[length];
    }

    /** {@code a}, which nothing reads any more. */
    void give(float[] a) {
        int k = 0;
        while (k < kinds && lengths[k] != a.length) k++;
        if (k == kinds) {
            if (kinds == lengths.length) {
                lengths = Arrays.copyOf(lengths, 2 * kinds);
                stacks = Arrays.copyOf(stacks, 2 * kinds);
                counts = Arrays.copyOf(counts, 2 * kinds);
            }
            lengths[k] = a.length;
            stacks[k] = new float[8][];
            kinds++;
        }
        if (counts[k] == stacks[k].length) stacks[k] = Arrays.copyOf(stacks[k], 2 * counts[k]);
        stacks[k][counts[k]++] = a;
    }
}
