package org.abacim.core.exec;

/**
 * Per-thread temporary matrices (im2col windows, product outputs) reused from one layer and chunk to the next.
 * Allocating them afresh made each a multi-megabyte "humongous" object for the collector: in training ResNet-20
 * the collector ran about once per chunk and the kernel time was half the run.
 */
final class Workspace {
    /** The slots callers use; a slot's contents are valid until the next {@link #floats} of that slot. */
    static final int WINDOWS = 0, PRODUCT = 1, GRADIENT = 2, WINDOW_GRADIENT = 3, GATES = 4;

    private static final ThreadLocal<Workspace> LOCAL = ThreadLocal.withInitial(Workspace::new);

    private final float[][] slots = new float[5][];
    private double[] doubles;

    private Workspace() {}

    /** This thread's array for {@code slot}, at least {@code size} long (contents unspecified). */
    static float[] floats(int slot, int size) {
        float[][] s = LOCAL.get().slots;
        if (s[slot] == null || s[slot].length < size) s[slot] = new float[size];
        return s[slot];
    }

    /** This thread's array of doubles, at least {@code size} long (contents unspecified; one slot). */
    static double[] doubles(int size) {
        Workspace w = LOCAL.get();
        if (w.doubles == null || w.doubles.length < size) w.doubles = new double[size];
        return w.doubles;
    }
}
