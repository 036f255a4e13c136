package org.imcsim.mapping.compress;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * A Euclidean projection onto one constraint set of a layer's weights, seen as the array matrix: {@code k} rows
 * (input channels × kernel area, what the array's rows take) by {@code out} columns (output channels). The weights
 * are stored [out][k] (PyTorch's layout), so element (row r, column o) is {@code w[o·k + r]}. Each projection
 * returns the closest point of its set (ties broken by index, so results are deterministic).
 */
public sealed interface Projection {
    float[] project(float[] w, int k, int out);

    /** A short label for tables: "crossbar-block 32×16 keep 10 %". */
    String label();

    /** Whether the set is a sparsity pattern (its zeros become a mask for retraining). */
    default boolean prunes() { return true; }

    /** Keep the {@code keep} fraction of weights with the largest magnitudes. */
    record Irregular(double keep) implements Projection {
        public float[] project(float[] w, int k, int out) {
            return keepGroups(w, w.length, keep, g -> new int[] {g});
        }

        public String label() { return "irregular, keep " + percent(keep); }
    }

    /** Keep the {@code keep} fraction of output channels (whole filters) with the largest L2 norms. */
    record Filters(double keep) implements Projection {
        public float[] project(float[] w, int k, int out) {
            return keepGroups(w, out, keep, o -> IntStream.range(o * k, o * k + k).toArray());
        }

        public String label() { return "filters, keep " + percent(keep); }
    }

    /** Keep the {@code keep} fraction of array rows (the same kernel position in every filter). */
    record Columns(double keep) implements Projection {
        public float[] project(float[] w, int k, int out) {
            return keepGroups(w, k, keep, r -> IntStream.range(0, out).map(o -> o * k + r).toArray());
        }

        public String label() { return "columns (shapes), keep " + percent(keep); }
    }

    /** Keep the {@code keep} fraction of blocks of {@code rows} × {@code cols} weights (one array's worth). */
    record CrossbarBlocks(int rows, int cols, double keep) implements Projection {
        public float[] project(float[] w, int k, int out) {
            int rowBlocks = (k + rows - 1) / rows;
            int colBlocks = (out + cols - 1) / cols;
            return keepGroups(w, rowBlocks * colBlocks, keep, b -> {
                int r0 = (b / colBlocks) * rows;
                int o0 = (b % colBlocks) * cols;
                return IntStream.range(o0, Math.min(out, o0 + cols)).flatMap(o ->
                        IntStream.range(r0, Math.min(k, r0 + rows)).map(r -> o * k + r)).toArray();
            }); 
        }

        public String label() { return "crossbar-block " + rows + "×" + cols + ", keep " + percent(keep); }
    }

    /** Symmetric uniform quantization to {@code bits} bits (2 bits: ternary), the scale from the largest magnitude. */
    record Quantize(int bits) implements Projection {
        public float[] project(float[] w, int k, int out) {
            float max = 0;
            for (float v : w) max = Math.max(max, Math.abs(v));
            return snap(w, max / ((1 << (bits - 1)) - 1));
        }

        /** Rounds to the levels of {@code scale} (kept across retraining). */
        public float[] snap(float[] w, float scale) {
            int levels = (1 << (bits - 1)) - 1;
            float[] z = new float[w.length];
            if (scale == 0) return z;
            for (int i = 0; i < w.length; i++) {
                z[i] = Math.max(-levels, Math.min(levels, Math.round(w[i] / scale))) * scale;
            }
            return z;
        }

        public String label() { return bits == 2 ? "ternary" : bits + "-bit quantization"; }

        public boolean prunes() { return false; }
    }

    /**
     * FORMS's polarization: every fragment of {@code fragment} rows of a column has one sign — the sign whose
     * weights carry more energy — and the other sign's weights become 0 (the closest such point).
     */
    record Polarize(int fragment) implements Projection {
        public float[] project(float[] w, int k, int out) {
            float[] z = w.clone();
            for (int o = 0; o < out; o++) {
                for (int r0 = 0; r0 < k; r0 += fragment) {
                    double pos = 0;
                    double neg = 0;
                    int r1 = Math.min(k, r0 + fragment);
                    for (int r = r0; r < r1; r++) {
                        float v = w[o * k + r];
                        if (v > 0) pos += v * v; else neg += v * v;
                    }
                    for (int r = r0; r < r1; r++) {
                        float v = z[o * k + r];
                        if (pos >= neg ? v < 0 : v > 0) z[o * k + r] = 0;
                    }
                }
            }
            return z;
        }

        public String label() { return "polarized fragments of " + fragment + " rows"; }
    }

    /**
     * Network purification and unused path removal ({@link Purification}): per layer it changes nothing; the step
     * applies it to the whole network at its hard projection. Use it with no ADMM epochs.
     */
    record Purify(double threshold) implements Projection {
        public float[] project(float[] w, int k, int out) { return w; }

        public String label() { return "purification + unused path removal (threshold " + threshold + ")"; }
    }

    private static String percent(double f) {
        return String.format(java.util.Locale.ROOT, "%.3g %%", 100 * f);
    }

    interface Members { int[] of(int group); }

    /** Keeps the ⌈keep·groups⌉ groups with the largest sums of squares; zeroes the rest. */
    private static float[] keepGroups(float[] w, int groups, double keep, Members members) {
        double[] energy = new double[groups];
        int[][] index = new int[groups][];
        for (int g = 0; g < groups; g++) {
            index[g] = members.of(g);
            for (int i : index[g]) energy[g] += (double) w[i] * w[i];
        }
        int kept = (int) Math.min(groups, Math.max(1, Math.ceil(keep * groups - 1e-9)));
        Integer[] order = new Integer[groups];
        for (int g = 0; g < groups; g++) order[g] = g;
        Arrays.sort(order, Comparator.<Integer>comparingDouble(g -> -energy[g]).thenComparingInt(g -> g));
        float[] z = new float[w.length];
        for (int j = 0; j < kept; j++) for (int i : index[order[j]]) z[i] = w[i];
        return z;
    }
}
