package org.abacim.mapping.compress;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;
import org.abacim.core.config.Check;

/**
 * A Euclidean projection onto one constraint set of a layer's weights, seen as the array matrix: {@code k} rows
 * (input channels × kernel area, what the array's rows take) by {@code out} columns (output channels). The weights
 * are stored [out][k] (PyTorch's layout), so element (row r, column o) is {@code w[o·k + r]}. Each projection
 * returns the closest point of its set (ties broken by index, so results are deterministic).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "kind")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Projection.Irregular.class, name = "irregular"),
        @JsonSubTypes.Type(value = Projection.Filters.class, name = "filter"),
        @JsonSubTypes.Type(value = Projection.Columns.class, name = "column"),
        @JsonSubTypes.Type(value = Projection.CrossbarBlocks.class, name = "crossbar-block"),
        @JsonSubTypes.Type(value = Projection.CompactBlocks.class, name = "compact-block"),
        @JsonSubTypes.Type(value = Projection.DensityAdaptiveBlocks.class, name = "darb"),
        @JsonSubTypes.Type(value = Projection.Pattern.class, name = "pattern"),
        @JsonSubTypes.Type(value = Projection.Unify.class, name = "unify"),
        @JsonSubTypes.Type(value = Projection.Quantize.class, name = "quantize"),
        @JsonSubTypes.Type(value = Projection.DeviceLevels.class, name = "device-levels"),
        @JsonSubTypes.Type(value = Projection.Polarize.class, name = "polarize"),
        @JsonSubTypes.Type(value = Projection.BlockSign.class, name = "block-sign"),
        @JsonSubTypes.Type(value = Projection.Purify.class, name = "purify")})
public sealed interface Projection {
    float[] project(float[] w, int k, int out);

    /** The same, knowing the kernel area (K_h·K_w; 1 for fully connected layers) for kernel-level patterns. */
    default float[] project(float[] w, int k, int out, int kernelArea) {
        return project(w, k, out);
    }

    /** A short label for tables: "crossbar-block 32×16 keep 10 %". */
    String label();

    /** Whether the set is a sparsity pattern (its zeros become a mask for retraining). */
    default boolean prunes() { return true; }

    /**
     * For sign constraints (polarization), the sign each weight of a projected matrix {@code p} must keep while
     * retraining (+1, −1, or 0 for a group with no weight left); null for projections without one.
     */
    default byte[] signs(float[] p, int k, int out) { return null; }

    /** Keep the {@code keep} fraction of weights with the largest magnitudes. */
    record Irregular(double keep) implements Projection {
        public Irregular {
            Check.between("keep", keep, 1e-6, 1);
        }

        public float[] project(float[] w, int k, int out) {
            return keepGroups(w, w.length, keep, g -> new int[] {g});
        }

        public String label() { return "irregular, keep " + percent(keep); }
    }

    /** Keep the {@code keep} fraction of output channels (whole filters) with the largest L2 norms. */
    record Filters(double keep) implements Projection {
        public Filters {
            Check.between("keep", keep, 1e-6, 1);
        }

        public float[] project(float[] w, int k, int out) {
            return keepGroups(w, out, keep, o -> IntStream.range(o * k, o * k + k).toArray());
        }

        public String label() { return "filters, keep " + percent(keep); }
    }

    /** Keep the {@code keep} fraction of array rows (the same kernel position in every filter). */
    record Columns(double keep) implements Projection {
        public Columns {
            Check.between("keep", keep, 1e-6, 1);
        }

        public float[] project(float[] w, int k, int out) {
            return keepGroups(w, k, keep, r -> IntStream.range(0, out).map(o -> o * k + r).toArray());
        }

        public String label() { return "columns (shapes), keep " + percent(keep); }
    }

    /** Keep the {@code keep} fraction of blocks of {@code rows} × {@code cols} weights (one array's worth). */
    record CrossbarBlocks(int rows, int cols, double keep) implements Projection {
        public CrossbarBlocks {
            Check.between("rows", rows, 1, 65_536);
            Check.between("cols", cols, 1, 65_536);
            Check.between("keep", keep, 1e-6, 1);
        }

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

    /**
     * Crossbar blocks of the compacted matrix (the ISLPED 2019 / ASP-DAC 2020 idea that filter and column pruning pay
     * off on crossbars once the survivors are packed): the layer may use ⌈keep · blocks⌉ arrays' worth of
     * {@code rows} × {@code cols} weights, but a block's rows and columns need not be neighbours. The kept filters,
     * taken in index order, form column tiles of {@code cols}; each tile keeps its own rows, a whole number of
     * {@code rows} at a time. This is exactly the placer's "rows packed per column tile" layout, which then needs
     * one array per block (per sign), paying a row index instead of the rows' alignment.
     *
     * <p>Choosing the structure nearest in L2 is combinatorial; this takes, for every number of column tiles T, the
     * T·cols filters of largest energy, gives each tile one row group, and hands the remaining groups one at a time
     * to the tile whose next {@code rows} rows (its strongest left) hold most energy — optimal for those filters,
     * because a tile's row groups are sorted — then keeps the T that retains most energy.
     */
    record CompactBlocks(int rows, int cols, double keep) implements Projection {
        public CompactBlocks {
            Check.between("rows", rows, 1, 65_536);
            Check.between("cols", cols, 1, 65_536);
            Check.between("keep", keep, 1e-6, 1);
        }

        public float[] project(float[] w, int k, int out) {
            int blocks = ((k + rows - 1) / rows) * ((out + cols - 1) / cols);
            int budget = (int) Math.min(blocks, Math.max(1, Math.ceil(keep * blocks - 1e-9)));
            double[] filterEnergy = new double[out];
            for (int o = 0; o < out; o++) for (int r = 0; r < k; r++) filterEnergy[o] += (double) w[o * k + r] * w[o * k + r];
            Integer[] byEnergy = new Integer[out];
            for (int o = 0; o < out; o++) byEnergy[o] = o;
            Arrays.sort(byEnergy, Comparator.<Integer>comparingDouble(o -> -filterEnergy[o]).thenComparingInt(o -> o));
            int[][] bestRows = null;
            int[] bestFilters = null;
            double bestEnergy = -1;
            int maxTiles = Math.min(budget, (out + cols - 1) / cols);
            for (int tiles = 1; tiles <= maxTiles; tiles++) {
                int[] filters = Arrays.stream(byEnergy, 0, Math.min(out, tiles * cols)).mapToInt(Integer::intValue).sorted().toArray();
                int[][] kept = new int[tiles][];
                double energy = tileRows(w, k, filters, tiles, budget, kept);
                if (energy > bestEnergy) {
                    bestEnergy = energy;
                    bestRows = kept;
                    bestFilters = filters;
                }
            }
            float[] z = new float[w.length];
            for (int t = 0; t < bestRows.length; t++) {
                for (int c = t * cols; c < Math.min(bestFilters.length, (t + 1) * cols); c++) {
                    int o = bestFilters[c];
                    for (int r : bestRows[t]) z[o * k + r] = w[o * k + r];
                }
            }
            return z;
        }

        /** Fills {@code kept[t]} with tile t's rows under a budget of row groups; returns the energy kept. */
        private double tileRows(float[] w, int k, int[] filters, int tiles, int budget, int[][] kept) {
            int[][] order = new int[tiles][];
            double[][] groupEnergy = new double[tiles][];
            for (int t = 0; t < tiles; t++) {
                double[] rowEnergy = new double[k];
                for (int c = t * cols; c < Math.min(filters.length, (t + 1) * cols); c++) {
                    int o = filters[c];
                    for (int r = 0; r < k; r++) rowEnergy[r] += (double) w[o * k + r] * w[o * k + r];
                }
                Integer[] rs = new Integer[k];
                for (int r = 0; r < k; r++) rs[r] = r;
                Arrays.sort(rs, Comparator.<Integer>comparingDouble(r -> -rowEnergy[r]).thenComparingInt(r -> r));
                order[t] = Arrays.stream(rs).mapToInt(Integer::intValue).toArray();
                groupEnergy[t] = new double[(k + rows - 1) / rows];
                for (int j = 0; j < k; j++) groupEnergy[t][j / rows] += rowEnergy[order[t][j]];
            }
            int[] groups = new int[tiles];
            Arrays.fill(groups, 1);
            double energy = 0;
            for (int t = 0; t < tiles; t++) energy += groupEnergy[t][0];
            for (int left = budget - tiles; left > 0; left--) {
                int best = -1;
                for (int t = 0; t < tiles; t++) {
                    if (groups[t] < groupEnergy[t].length
                            && (best < 0 || groupEnergy[t][groups[t]] > groupEnergy[best][groups[best]])) best = t;
                }
                if (best < 0) break;
                energy += groupEnergy[best][groups[best]];
                groups[best]++;
            }
            for (int t = 0; t < tiles; t++) kept[t] = Arrays.copyOf(order[t], Math.min(k, groups[t] * rows));
            return energy;
        }

        public String label() { return "compacted crossbar-block " + rows + "×" + cols + ", keep " + percent(keep); }
    }

    /**
     * DARB's density-adaptive regular blocks (Ren et al., AAAI 2020): each output channel (a column of the array
     * matrix, a row of PyTorch's weight matrix) is cut into blocks of consecutive inputs and keeps exactly the
     * largest-magnitude weight of each block; a channel's block size is set by how dense it would stay under
     * irregular pruning to the same {@code keep} (the weights above the layer's global magnitude threshold), so
     * sensitive channels keep more weights. Every kept weight then needs only ⌈log2 block⌉ index bits.
     */
    record DensityAdaptiveBlocks(double keep) implements Projection {
        public DensityAdaptiveBlocks {
            Check.between("keep", keep, 1e-6, 1);
        }

        public float[] project(float[] w, int k, int out) {
            int[] sizes = blockSizes(w, k, out);
            float[] z = new float[w.length];
            for (int o = 0; o < out; o++) {
                for (int r0 = 0; r0 < k; r0 += sizes[o]) {
                    int best = -1;
                    for (int r = r0; r < Math.min(k, r0 + sizes[o]); r++) {
                        if (w[o * k + r] != 0 && (best < 0 || Math.abs(w[o * k + r]) > Math.abs(w[o * k + best]))) best = r;
                    }
                    if (best >= 0) z[o * k + best] = w[o * k + best];
                }
            }
            return z;
        }

        /** Each channel's block size: round(k / weights it keeps under irregular pruning), at least 1, at most k. */
        public int[] blockSizes(float[] w, int k, int out) {
            float[] magnitudes = new float[w.length];
            for (int i = 0; i < w.length; i++) magnitudes[i] = Math.abs(w[i]);
            Arrays.sort(magnitudes);
            int kept = (int) Math.min(w.length, Math.max(1, Math.ceil(keep * w.length - 1e-9)));
            float threshold = magnitudes[w.length - kept];
            int[] sizes = new int[out];
            for (int o = 0; o < out; o++) {
                int n = 0;
                for (int r = 0; r < k; r++) if (threshold > 0 ? Math.abs(w[o * k + r]) >= threshold : w[o * k + r] != 0) n++;
                sizes[o] = n == 0 ? k : (int) Math.max(1, Math.min(k, Math.round((double) k / n)));
            }
            return sizes;
        }

        public String label() { return "density-adaptive blocks, keep " + percent(keep); }
    }

    /**
     * Symmetric uniform quantization to {@code bits} bits, the scale from the largest magnitude; 2 bits (ternary)
     * is the exact projection onto {−α, 0, α} with the best α: for the k largest magnitudes kept, α is their mean and
     * the error Σw² − kα², so k maximizes (Σ of the top k)² / k.
     */
    record Quantize(int bits) implements Projection {
        public Quantize {
            Check.between("bits", bits, 2, 16);
        }

        public float[] project(float[] w, int k, int out) {
            if (bits == 2) return snap(w, ternaryScale(w));
            float max = 0;
            for (float v : w) max = Math.max(max, Math.abs(v));
            return snap(w, max / ((1 << (bits - 1)) - 1));
        }

        /** The α of the closest ternary point; weights above α/2 in magnitude then round to ±α (ties kept). */
        static float ternaryScale(float[] w) {
            float[] m = new float[w.length];
            for (int i = 0; i < w.length; i++) m[i] = Math.abs(w[i]);
            Arrays.sort(m);
            double sum = 0;
            double best = 0;
            double alpha = 0;
            for (int kept = 1; kept <= m.length; kept++) {
                sum += m[m.length - kept];
                if (sum * sum / kept > best) {
                    best = sum * sum / kept;
                    alpha = sum / kept;
                }
            }
            return (float) alpha;
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
        public Polarize {
            Check.between("fragment", fragment, 1, 65_536);
        }

        public float[] project(float[] w, int k, int out) {
            return new BlockSign(fragment, 1).project(w, k, out); // a fragment is a block of one column
        }

        public byte[] signs(float[] p, int k, int out) { return groupSigns(p, k, out, fragment, 1); }

        public String label() { return "polarized fragments of " + fragment + " rows"; }
    }

    /**
     * One sign per crossbar block of {@code rows} × {@code cols} weights — the sign whose weights carry more energy,
     * the other's set to 0 — so a block kept on differential arrays needs only its positive or its negative array.
     */
    record BlockSign(int rows, int cols) implements Projection {
        public BlockSign {
            Check.between("rows", rows, 1, 65_536);
            Check.between("cols", cols, 1, 65_536);
        }

        public float[] project(float[] w, int k, int out) {
            float[] z = w.clone();
            for (int r0 = 0; r0 < k; r0 += rows) {
                for (int o0 = 0; o0 < out; o0 += cols) {
                    double pos = 0;
                    double neg = 0;
                    for (int o = o0; o < Math.min(out, o0 + cols); o++) {
                        for (int r = r0; r < Math.min(k, r0 + rows); r++) {
                            float v = w[o * k + r];
                            if (v > 0) pos += v * v; else neg += v * v;
                        }
                    }
                    for (int o = o0; o < Math.min(out, o0 + cols); o++) {
                        for (int r = r0; r < Math.min(k, r0 + rows); r++) {
                            float v = z[o * k + r];
                            if (pos >= neg ? v < 0 : v > 0) z[o * k + r] = 0;
                        }
                    }
                }
            }
            return z;
        }

        public byte[] signs(float[] p, int k, int out) { return groupSigns(p, k, out, rows, cols); }

        public String label() { return "one sign per " + rows + "×" + cols + " block"; }
    }

    /** Per weight, the sign of the non-zero weights of its group of {@code rows} × {@code cols} (0 if none). */
    private static byte[] groupSigns(float[] p, int k, int out, int rows, int cols) {
        byte[] sign = new byte[p.length];
        for (int r0 = 0; r0 < k; r0 += rows) {
            for (int o0 = 0; o0 < out; o0 += cols) {
                byte s = 0;
                for (int o = o0; o < Math.min(out, o0 + cols) && s == 0; o++) {
                    for (int r = r0; r < Math.min(k, r0 + rows) && s == 0; r++) s = (byte) Math.signum(p[o * k + r]);
                }
                for (int o = o0; o < Math.min(out, o0 + cols); o++) {
                    for (int r = r0; r < Math.min(k, r0 + rows); r++) sign[o * k + r] = s;
                }
            }
        }
        return sign;
    }

    /**
     * Weight unification: within each block of {@code rows} × {@code cols} weights, every non-zero weight takes the
     * block's mean magnitude, keeping its sign (the closest such point for a fixed support), so a block needs one
     * conductance level per sign.
     */
    record Unify(int rows, int cols) implements Projection {
        public Unify {
            Check.between("rows", rows, 1, 65_536);
            Check.between("cols", cols, 1, 65_536);
        }

        public float[] project(float[] w, int k, int out) {
            float[] z = w.clone();
            for (int r0 = 0; r0 < k; r0 += rows) {
                for (int o0 = 0; o0 < out; o0 += cols) {
                    double sum = 0;
                    int n = 0;
                    for (int o = o0; o < Math.min(out, o0 + cols); o++) {
                        for (int r = r0; r < Math.min(k, r0 + rows); r++) {
                            if (w[o * k + r] != 0) {
                                sum += Math.abs(w[o * k + r]);
                                n++;
                            }
                        }
                    }
                    if (n == 0) continue;
                    float magnitude = (float) (sum / n);
                    for (int o = o0; o < Math.min(out, o0 + cols); o++) {
                        for (int r = r0; r < Math.min(k, r0 + rows); r++) {
                            float v = w[o * k + r];
                            if (v != 0) z[o * k + r] = Math.copySign(magnitude, v);
                        }
                    }
                }
            }
            return z;
        }

        public String label() { return "weight unification in " + rows + "×" + cols + " blocks"; }

        public boolean prunes() { return false; }
    }

    /**
     * Quantization to a device's states: magnitudes snap to the nearest of {@code levels} (relative conductance
     * state means, in increasing order, the first 0), scaled so the top state meets the layer's largest magnitude;
     * signs are kept (separate positive and negative arrays).
     */
    record DeviceLevels(List<Double> levels) implements Projection {
        public DeviceLevels {
            Check.that(levels != null && levels.size() >= 2, "levels", levels, "give at least 2 levels");
            for (int i = 0; i < levels.size(); i++) {
                double v = levels.get(i);
                Check.that(i == 0 ? v == 0 : v > levels.get(i - 1) && v <= 1e12, "levels[" + i + "]", v,
                        "levels must start at 0 and increase");
            }
            levels = List.copyOf(levels);
        }

        public float[] project(float[] w, int k, int out) {
            float max = 0;
            for (float v : w) max = Math.max(max, Math.abs(v));
            double top = levels.get(levels.size() - 1);
            float[] z = new float[w.length];
            if (max == 0 || top == 0) return z;
            for (int i = 0; i < w.length; i++) {
                double m = Math.abs(w[i]) / max * top;
                double best = levels.get(0);
                for (double l : levels) if (Math.abs(l - m) < Math.abs(best - m)) best = l;
                z[i] = (float) Math.copySign(best / top * max, w[i]);
            }
            return z;
        }

        public String label() { return levels.size() + " device-state levels"; }

        public boolean prunes() { return false; }
    }

    /**
     * PatDNN's pattern pruning with connectivity pruning, for convolutions: every kernel keeps {@code entries} of its
     * K_h·K_w weights in one of a library of {@code library} patterns — the most frequent top-{@code entries} masks
     * among the layer's kernels (ties by mask) — the one that keeps the most energy; then only the {@code keepKernels}
     * fraction of kernels with the most retained energy survive. Fully connected layers are left as they are.
     */
    record Pattern(int entries, int library, double keepKernels) implements Projection {
        public Pattern {
            Check.between("entries", entries, 1, 63);
            Check.between("library", library, 1, 1024);
            Check.between("keepKernels", keepKernels, 1e-6, 1);
        }

        public float[] project(float[] w, int k, int out) { return w.clone(); }

        public float[] project(float[] w, int k, int out, int area) {
            if (area <= 1 || area > 63 || entries >= area) return w.clone();
            int kernels = w.length / area;
            long[] masks = new long[kernels];
            Map<Long, Integer> counts = new HashMap<>();
            for (int kn = 0; kn < kernels; kn++) {
                masks[kn] = topMask(w, kn * area, area, entries);
                counts.merge(masks[kn], 1, Integer::sum);
            }
            List<Long> lib = counts.entrySet().stream()
                    .sorted(Map.Entry.<Long, Integer>comparingByValue().reversed()
                            .thenComparing(Map.Entry.comparingByKey()))
                    .limit(library).map(Map.Entry::getKey).toList();
            float[] z = new float[w.length];
            double[] kept = new double[kernels];
            long[] chosen = new long[kernels];
            for (int kn = 0; kn < kernels; kn++) {
                double best = -1;
                for (long m : lib) {
                    double e = 0;
                    for (int j = 0; j < area; j++) if ((m >> j & 1) != 0) e += (double) w[kn * area + j] * w[kn * area + j];
                    if (e > best) {
                        best = e;
                        chosen[kn] = m;
                    }
                }
                kept[kn] = best;
            }
            Integer[] order = new Integer[kernels];
            for (int kn = 0; kn < kernels; kn++) order[kn] = kn;
            Arrays.sort(order, Comparator.<Integer>comparingDouble(kn -> -kept[kn]).thenComparingInt(kn -> kn));
            int survive = (int) Math.min(kernels, Math.max(1, Math.ceil(keepKernels * kernels - 1e-9)));
            for (int s = 0; s < survive; s++) {
                int kn = order[s];
                for (int j = 0; j < area; j++) if ((chosen[kn] >> j & 1) != 0) z[kn * area + j] = w[kn * area + j];
            }
            return z;
        }

        private static long topMask(float[] w, int from, int area, int entries) {
            Integer[] idx = new Integer[area];
            for (int j = 0; j < area; j++) idx[j] = j;
            Arrays.sort(idx, Comparator.<Integer>comparingDouble(j -> -Math.abs(w[from + j])).thenComparingInt(j -> j));
            long m = 0;
            for (int j = 0; j < entries; j++) m |= 1L << idx[j];
            return m;
        }

        public String label() {
            return "pattern " + entries + " of each kernel, " + library + " patterns, kernels kept " + percent(keepKernels);
        }
    }

    /**
     * Network purification and unused path removal ({@link Purification}): per layer it changes nothing; the step
     * applies it to the whole network at its hard projection. Use it with no ADMM epochs.
     */
    record Purify(double threshold) implements Projection {
        public Purify {
            Check.between("threshold", threshold, 0, 1);
        }

        public float[] project(float[] w, int k, int out) { return w; }

        public String label() { return "purification + unused path removal (threshold " + threshold + ")"; }
    }

    private static String percent(double f) {
        return String.format(Locale.ROOT, "%.3g %%", 100 * f);
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
