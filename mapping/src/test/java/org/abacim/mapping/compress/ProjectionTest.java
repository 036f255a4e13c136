package org.abacim.mapping.compress;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Each projection lands in its set, keeps what it should, and is the closest point (issue #6). */
class ProjectionTest {
    static float[] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] w = new float[n];
        for (int i = 0; i < n; i++) w[i] = (float) r.nextGaussian();
        return w;
    }

    static double distance(float[] a, float[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) d += (a[i] - b[i]) * (a[i] - b[i]);
        return d;
    }

    @Property(tries = 100, seed = "5")
    void darbKeepsTheLargestWeightOfEveryBlockOfItsChannel(@ForAll @IntRange(min = 1, max = 70) int k,
            @ForAll @IntRange(min = 1, max = 20) int out, @ForAll long seed) {
        float[] w = random(k * out, seed);
        Projection.DensityAdaptiveBlocks darb = new Projection.DensityAdaptiveBlocks(0.2);
        int[] sizes = darb.blockSizes(w, k, out);
        float[] z = darb.project(w, k, out);
        for (int o = 0; o < out; o++) {
            for (int r0 = 0; r0 < k; r0 += sizes[o]) {
                int kept = 0;
                float max = 0;
                float keptValue = 0;
                for (int r = r0; r < Math.min(k, r0 + sizes[o]); r++) {
                    max = Math.max(max, Math.abs(w[o * k + r]));
                    if (z[o * k + r] != 0) {
                        kept++;
                        keptValue = z[o * k + r];
                        assertThat(z[o * k + r]).isEqualTo(w[o * k + r]);
                    }
                }
                assertThat(kept).isEqualTo(1);
                assertThat(Math.abs(keptValue)).isEqualTo(max);
            }
        }
    }

    @Property(tries = 100, seed = "6")
    void blockSignLeavesOneSignPerBlockKeepingTheStrongerOne(@ForAll @IntRange(min = 1, max = 40) int k,
            @ForAll @IntRange(min = 1, max = 20) int out, @ForAll @IntRange(min = 1, max = 9) int rows,
            @ForAll @IntRange(min = 1, max = 5) int cols, @ForAll long seed) {
        float[] w = random(k * out, seed);
        Projection.BlockSign p = new Projection.BlockSign(rows, cols);
        float[] z = p.project(w, k, out);
        byte[] signs = p.signs(z, k, out);
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
                int keep = pos >= neg ? 1 : -1;
                for (int o = o0; o < Math.min(out, o0 + cols); o++) {
                    for (int r = r0; r < Math.min(k, r0 + rows); r++) {
                        int i = o * k + r;
                        // Weights of the kept sign stay as they were; the others are 0; the recorded sign is the block's.
                        assertThat(z[i]).isEqualTo(Math.signum(w[i]) == keep ? w[i] : 0f);
                        if (z[i] != 0) assertThat(signs[i]).isEqualTo((byte) keep);
                    }
                }
            }
        }
    }

    @Property(tries = 100, seed = "9")
    void ternaryIsTheClosestPointWithOneFreeScale(@ForAll @IntRange(min = 1, max = 60) int n, @ForAll long seed) {
        float[] w = random(n, seed);
        float[] z = new Projection.Quantize(2).project(w, n, 1);
        float alpha = 0;
        for (float v : z) alpha = Math.max(alpha, Math.abs(v));
        for (float v : z) assertThat(v == 0 || Math.abs(v) == alpha).isTrue();
        double err = distance(w, z);
        // No scale on a fine grid does better with its nearest levels.
        double max = 0;
        for (float v : w) max = Math.max(max, Math.abs(v));
        for (int step = 1; step <= 400; step++) {
            float a = (float) (max * step / 200.0);
            float[] y = new float[n];
            for (int i = 0; i < n; i++) y[i] = Math.max(-1, Math.min(1, Math.round(w[i] / a))) * a;
            assertThat(err).isLessThanOrEqualTo(distance(w, y) + 1e-5);
        }
    }

    @Test
    void darbGivesDenserChannelsSmallerBlocks() {
        // Channel 0 has 8 strong weights of 16, channel 1 two: keeping 10 of 32 overall leaves them 8 and 2, so
        // channel 0 gets blocks of 2 rows (8 weights kept) and channel 1 blocks of 8 rows (2 kept).
        int k = 16;
        float[] w = new float[2 * k];
        for (int r = 0; r < k; r++) {
            w[r] = r % 2 == 0 ? 1f + r : 0.01f * (r + 1);
            w[k + r] = r == 3 || r == 12 ? -5f : 0.001f * (r + 1);
        }
        Projection.DensityAdaptiveBlocks darb = new Projection.DensityAdaptiveBlocks(10 / 32.0);
        assertThat(darb.blockSizes(w, k, 2)).containsExactly(2, 8);
        float[] z = darb.project(w, k, 2);
        long keptFirst = java.util.stream.IntStream.range(0, k).filter(r -> z[r] != 0).count();
        assertThat(keptFirst).isEqualTo(8);
        assertThat(z[k + 3]).isEqualTo(-5f);
        assertThat(z[k + 12]).isEqualTo(-5f);
        assertThat(java.util.stream.IntStream.range(0, k).filter(r -> z[k + r] != 0).count()).isEqualTo(2);
    }

    @Property(tries = 100, seed = "11")
    void compactedBlocksFitTheirBudgetOfArrays(@ForAll @IntRange(min = 1, max = 70) int k,
            @ForAll @IntRange(min = 1, max = 40) int out, @ForAll @IntRange(min = 1, max = 16) int rows,
            @ForAll @IntRange(min = 1, max = 8) int cols, @ForAll long seed) {
        float[] w = random(k * out, seed);
        float[] z = new Projection.CompactBlocks(rows, cols, 0.3).project(w, k, out);
        int blocks = ((k + rows - 1) / rows) * ((out + cols - 1) / cols);
        int budget = (int) Math.max(1, Math.ceil(0.3 * blocks - 1e-9));
        // Kept filters in index order, cols at a time; each tile's used rows, rows at a time, count against the budget.
        int[] kept = java.util.stream.IntStream.range(0, out)
                .filter(o -> java.util.stream.IntStream.range(0, k).anyMatch(r -> z[o * k + r] != 0)).toArray();
        int used = 0;
        for (int t = 0; t * cols < kept.length; t++) {
            java.util.Set<Integer> tileRows = new java.util.HashSet<>();
            for (int c = t * cols; c < Math.min(kept.length, (t + 1) * cols); c++) {
                for (int r = 0; r < k; r++) if (z[kept[c] * k + r] != 0) tileRows.add(r);
            }
            used += (tileRows.size() + rows - 1) / rows;
        }
        assertThat(used).isLessThanOrEqualTo(budget);
        for (int i = 0; i < w.length; i++) if (z[i] != 0) assertThat(z[i]).isEqualTo(w[i]);
    }

    @Test
    void compactedBlocksGatherScatteredRowsAndFiltersThatAlignedBlocksSplit() {
        // 4 scattered filters × 4 scattered rows of a 20 × 12 matrix hold all the energy: one compacted 4 × 4 block
        // keeps every one of those weights; one aligned block cannot.
        int k = 20;
        int out = 12;
        int[] rows = {1, 6, 12, 19};
        int[] filters = {0, 5, 7, 11};
        float[] w = new float[k * out];
        for (int o = 0; o < out; o++) for (int r = 0; r < k; r++) w[o * k + r] = 0.01f;
        for (int o : filters) for (int r : rows) w[o * k + r] = 1 + o + r;
        double keep = 1.0 / 15; // one of 5 × 3 blocks
        float[] compact = new Projection.CompactBlocks(4, 4, keep).project(w, k, out);
        for (int o = 0; o < out; o++) {
            for (int r = 0; r < k; r++) {
                int oo = o;
                int rr = r;
                boolean strong = java.util.Arrays.stream(filters).anyMatch(f -> f == oo)
                        && java.util.Arrays.stream(rows).anyMatch(x -> x == rr);
                assertThat(compact[o * k + r]).isEqualTo(strong ? w[o * k + r] : 0f);
            }
        }
        float[] aligned = new Projection.CrossbarBlocks(4, 4, keep).project(w, k, out);
        assertThat(distance(w, compact)).isLessThan(distance(w, aligned) / 100);
    }

    @Property(tries = 100, seed = "3")
    void crossbarBlocksZeroWholeBlocksAndKeepTheStrongest(@ForAll @IntRange(min = 1, max = 70) int k,
            @ForAll @IntRange(min = 1, max = 40) int out, @ForAll @IntRange(min = 1, max = 16) int rows,
            @ForAll @IntRange(min = 1, max = 8) int cols, @ForAll long seed) {
        float[] w = random(k * out, seed);
        float[] z = new Projection.CrossbarBlocks(rows, cols, 0.3).project(w, k, out);
        int rowBlocks = (k + rows - 1) / rows;
        int colBlocks = (out + cols - 1) / cols;
        int kept = 0;
        double keptEnergy = 0;
        double minKept = Double.MAX_VALUE;
        double maxDropped = 0;
        for (int rb = 0; rb < rowBlocks; rb++) {
            for (int cb = 0; cb < colBlocks; cb++) {
                int nonZero = 0;
                int size = 0;
                double energy = 0;
                for (int o = cb * cols; o < Math.min(out, cb * cols + cols); o++) {
                    for (int r = rb * rows; r < Math.min(k, rb * rows + rows); r++) {
                        size++;
                        energy += w[o * k + r] * w[o * k + r];
                        if (z[o * k + r] != 0) {
                            nonZero++;
                            assertThat(z[o * k + r]).isEqualTo(w[o * k + r]);
                        }
                    }
                }
                assertThat(nonZero).isIn(0, size); // all or nothing per block
                if (nonZero > 0) {
                    kept++;
                    keptEnergy += energy;
                    minKept = Math.min(minKept, energy);
                } else {
                    maxDropped = Math.max(maxDropped, energy);
                }
            }
        }
        assertThat(kept).isEqualTo((int) Math.max(1, Math.ceil(0.3 * rowBlocks * colBlocks - 1e-9)));
        if (kept < rowBlocks * colBlocks) assertThat(minKept).isGreaterThanOrEqualTo(maxDropped);
        assertThat(keptEnergy).isPositive();
    }

    @Property(tries = 100, seed = "4")
    void polarizedFragmentsHaveOneSignAndAreTheClosestSuchPoint(@ForAll @IntRange(min = 1, max = 40) int k,
            @ForAll @IntRange(min = 1, max = 10) int out, @ForAll @IntRange(min = 1, max = 9) int fragment,
            @ForAll long seed) {
        float[] w = random(k * out, seed);
        float[] z = new Projection.Polarize(fragment).project(w, k, out);
        for (int o = 0; o < out; o++) {
            for (int r0 = 0; r0 < k; r0 += fragment) {
                boolean pos = false;
                boolean neg = false;
                for (int r = r0; r < Math.min(k, r0 + fragment); r++) {
                    pos |= z[o * k + r] > 0;
                    neg |= z[o * k + r] < 0;
                }
                assertThat(pos && neg).isFalse();
            }
        }
        // Flipping any fragment's chosen sign gives a point no closer.
        float[] other = w.clone();
        for (int o = 0; o < out; o++) {
            for (int r0 = 0; r0 < k; r0 += fragment) {
                boolean keptPositive = false;
                for (int r = r0; r < Math.min(k, r0 + fragment); r++) keptPositive |= z[o * k + r] > 0;
                for (int r = r0; r < Math.min(k, r0 + fragment); r++) {
                    float v = w[o * k + r];
                    other[o * k + r] = keptPositive ? Math.min(v, 0) : Math.max(v, 0);
                }
            }
        }
        assertThat(distance(w, z)).isLessThanOrEqualTo(distance(w, other) + 1e-9);
    }

    @Test
    void quantizationUsesSymmetricLevelsOfTheLargestMagnitude() {
        float[] w = {0.9f, -0.35f, 0.1f, -0.9f, 0.0f, 0.52f};
        float[] z = new Projection.Quantize(3).project(w, 6, 1); // levels s · {0, ±1, ±2, ±3}, s = 0.9 / 3
        float s = 0.9f / 3;
        assertThat(z).containsExactly(3 * s, -1 * s, 0 * s, -3 * s, 0 * s, 2 * s);
        // Ternary takes the best scale: keeping 0.9, 0.9 and 0.52 at their mean α = 0.7733 beats α = 0.9.
        float[] ternary = new Projection.Quantize(2).project(w, 6, 1);
        float a = Projection.Quantize.ternaryScale(w);
        assertThat(a).isCloseTo(2.32f / 3, org.assertj.core.api.Assertions.within(1e-6f));
        assertThat(ternary).containsExactly(a, 0f, 0f, -a, 0f, a);
    }

    @Test
    void filterAndColumnPruningZeroWholeFiltersAndKernelPositions() {
        // 3 rows (kernel positions) × 2 filters, stored [filter][row].
        float[] w = {1, 2, 3, 0.1f, 0.2f, 0.3f};
        assertThat(new Projection.Filters(0.5).project(w, 3, 2)).containsExactly(1, 2, 3, 0, 0, 0);
        assertThat(new Projection.Columns(0.33).project(w, 3, 2)).containsExactly(0, 0, 3, 0, 0, 0.3f);
        assertThat(new Projection.Irregular(0.5).project(w, 3, 2)).containsExactly(1, 2, 3, 0, 0, 0);
    }

    @Property(tries = 60, seed = "8")
    void patternsKeepFourEntriesFromASmallLibraryAndDropWeakKernels(@ForAll @IntRange(min = 1, max = 6) int cin,
            @ForAll @IntRange(min = 1, max = 8) int out, @ForAll @IntRange(min = 1, max = 6) int library, @ForAll long seed) {
        int area = 9;
        int k = cin * area;
        float[] w = random(k * out, seed);
        float[] z = new Projection.Pattern(4, library, 0.5).project(w, k, out, area);
        java.util.Set<Integer> used = new java.util.HashSet<>();
        int surviving = 0;
        for (int kn = 0; kn < cin * out; kn++) {
            int mask = 0;
            for (int j = 0; j < area; j++) {
                if (z[kn * area + j] != 0) {
                    mask |= 1 << j;
                    assertThat(z[kn * area + j]).isEqualTo(w[kn * area + j]);
                }
            }
            if (mask == 0) continue;
            surviving++;
            assertThat(Integer.bitCount(mask)).isEqualTo(4);
            used.add(mask);
        }
        assertThat(used.size()).isLessThanOrEqualTo(library);
        assertThat(surviving).isEqualTo((int) Math.ceil(0.5 * cin * out - 1e-9));
        // Fully connected layers (kernel area 1) are left alone.
        assertThat(new Projection.Pattern(4, library, 0.5).project(w, k, out, 1)).containsExactly(w);
    }

    @Test
    void unificationGivesEachBlockOneMagnitudeAndDeviceLevelsSnapToStates() {
        // 2 rows × 2 filters, one block: magnitudes 1, 3, 0, 2 → mean of non-zeros 2.
        float[] w = {1, -3, 0, 2};
        assertThat(new Projection.Unify(2, 2).project(w, 2, 2)).containsExactly(2, -2, 0, 2);
        // States at 0, 1, 2.5, 4 (relative): the largest magnitude 4 maps to the top state.
        float[] v = {4, -1.2f, 0.4f, 2.9f};
        assertThat(new Projection.DeviceLevels(java.util.List.of(0.0, 1.0, 2.5, 4.0)).project(v, 4, 1))
                .containsExactly(4, -1, 0, 2.5f);
    }
}
