package org.abacim.core.placer;

import java.util.Arrays;

/**
 * Replication that balances a pipeline in whole rounds. A layer of {@code m} multiplies of {@code t} seconds each,
 * given {@code c} copies, takes ⌈m / c⌉ · t: copies work in lock-step rounds, so time is a step function of the
 * copies, not m·t / c. The slowest stage is therefore one of the values q · tᵢ with q = ⌈mᵢ / c⌉ for some layer i
 * and some c — about 2√mᵢ values per layer. The balancer sorts those candidates and bisects for the smallest one
 * whose copies fit the budget; for that stage time each layer takes the fewest copies that meet it, which uses
 * the fewest arrays (and so the least leakage and placement energy) among the fastest placements.
 */
final class StageBalancer {
    private StageBalancer() {}

    /** What replication costs: {@code cost(layer, copies)} in units of the budget, non-decreasing in copies. */
    interface Cost {
        long of(int layer, long copies);
    }

    /** Relative slack when comparing stage times that are products of the same floating-point factors. */
    private static final double SLACK = 1e-12;

    /**
     * Copies per layer (each between 1 and its multiplies) that minimise max ⌈mᵢ / cᵢ⌉ · tᵢ subject to
     * Σ cost(i, cᵢ) ≤ budget, then the cost. When even one copy each exceeds the budget, one copy each.
     */
    static int[] balance(long[] mvms, double[] mvmSeconds, Cost cost, long budget) {
        int n = mvms.length;
        int[] ones = new int[n];
        Arrays.fill(ones, 1);
        double floor = 0;
        for (double t : mvmSeconds) floor = Math.max(floor, t);
        double[] candidates = candidates(mvms, mvmSeconds, floor);
        // The slowest candidate is one copy each; if that does not fit, nothing does.
        if (copiesFor(mvms, mvmSeconds, cost, budget, candidates[candidates.length - 1]) == null) return ones;
        int lo = 0;
        int hi = candidates.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (copiesFor(mvms, mvmSeconds, cost, budget, candidates[mid]) != null) hi = mid;
            else lo = mid + 1;
        }
        return copiesFor(mvms, mvmSeconds, cost, budget, candidates[lo]);
    }

    /** The real stage time of {@code copies} copies of a layer. */
    static double stageSeconds(long mvms, double mvmSeconds, long copies) {
        return ceilDiv(mvms, copies) * mvmSeconds;
    }

    /** Every stage time a layer can have (q · t for each distinct q = ⌈m / c⌉) at or above {@code floor}, sorted. */
    private static double[] candidates(long[] mvms, double[] mvmSeconds, double floor) {
        double[] all = new double[16];
        int count = 0;
        for (int i = 0; i < mvms.length; i++) {
            long m = Math.max(1, mvms[i]);
            long c = 1;
            while (c <= m) {
                long q = ceilDiv(m, c);
                double t = q * mvmSeconds[i];
                if (t >= floor * (1 - SLACK)) {
                    if (count == all.length) all = Arrays.copyOf(all, 2 * count);
                    all[count++] = Math.max(t, floor);
                }
                if (q == 1) break;
                c = ceilDiv(m, q - 1); // the fewest copies that bring the rounds below q
            }
        }
        double[] sorted = Arrays.copyOf(all, count);
        Arrays.sort(sorted);
        int unique = 0;
        for (double t : sorted) if (unique == 0 || t > sorted[unique - 1]) sorted[unique++] = t;
        return Arrays.copyOf(sorted, unique);
    }

    /** The fewest copies per layer whose stages finish within {@code stage}, or null when they exceed the budget. */
    private static int[] copiesFor(long[] mvms, double[] mvmSeconds, Cost cost, long budget, double stage) {
        int[] copies = new int[mvms.length];
        long used = 0;
        for (int i = 0; i < mvms.length; i++) {
            long m = Math.max(1, mvms[i]);
            long rounds = mvmSeconds[i] <= 0 ? m : (long) Math.floor(stage * (1 + SLACK) / mvmSeconds[i]);
            rounds = Math.max(1, Math.min(rounds, m));
            long c = Math.min(ceilDiv(m, rounds), Integer.MAX_VALUE);
            copies[i] = (int) c;
            used += cost.of(i, c);
            if (used > budget) return null;
        }
        return copies;
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
