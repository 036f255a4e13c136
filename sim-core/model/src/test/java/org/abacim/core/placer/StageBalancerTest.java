package org.abacim.core.placer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** Replication in whole rounds, checked against brute force over every copy vector of small random pipelines. */
class StageBalancerTest {

    /** A layer: multiplies, seconds per multiply (layers differ), arrays per copy. */
    record Layer(long mvms, double seconds, long arrays) {}

    /** A pipeline with a budget of array groups of {@code perGroup} arrays (whole groups per layer). */
    record Case(List<Layer> layers, long perGroup, long budget) {
        long cost(int i, long copies) {
            return (layers.get(i).arrays() * copies + perGroup - 1) / perGroup;
        }

        double stage(int i, long copies) {
            return StageBalancer.stageSeconds(layers.get(i).mvms(), layers.get(i).seconds(), copies);
        }
    }

    @Provide
    Arbitrary<Case> pipelines() {
        Arbitrary<Layer> layer = Combinators.combine(
                Arbitraries.longs().between(1, 14),
                // Times like an array's: a few input cycles of slightly different lengths (e.g. conversion-bound).
                Arbitraries.integers().between(90, 260).map(ns -> ns * 1e-9),
                Arbitraries.longs().between(1, 5)).as(Layer::new);
        return Combinators.combine(layer.list().ofMinSize(1).ofMaxSize(3), Arbitraries.longs().between(1, 4),
                Arbitraries.longs().between(0, 40)).as((layers, perGroup, extra) -> {
                    long minimum = 0;
                    for (Layer l : layers) minimum += (l.arrays() + perGroup - 1) / perGroup;
                    return new Case(layers, perGroup, minimum + extra);
                });
    }

    @Property(tries = 400)
    void theSlowestRealStageIsTheBruteForceOptimumAndTheArraysTheFewestForIt(@ForAll("pipelines") Case c) {
        int n = c.layers().size();
        long[] mvms = new long[n];
        double[] seconds = new double[n];
        for (int i = 0; i < n; i++) {
            mvms[i] = c.layers().get(i).mvms();
            seconds[i] = c.layers().get(i).seconds();
        }
        int[] copies = StageBalancer.balance(mvms, seconds, c::cost, c.budget());

        double bestStage = Double.MAX_VALUE;
        long bestCost = Long.MAX_VALUE;
        long[] v = new long[n];
        java.util.Arrays.fill(v, 1);
        while (true) {
            long cost = 0;
            double stage = 0;
            for (int i = 0; i < n; i++) {
                cost += c.cost(i, v[i]);
                stage = Math.max(stage, c.stage(i, v[i]));
            }
            if (cost <= c.budget()) {
                if (stage < bestStage * (1 - 1e-12)) {
                    bestStage = stage;
                    bestCost = cost;
                } else if (stage <= bestStage * (1 + 1e-12)) {
                    bestCost = Math.min(bestCost, cost);
                }
            }
            int k = 0;
            while (k < n && v[k] == mvms[k]) v[k++] = 1;
            if (k == n) break;
            v[k]++;
        }

        long cost = 0;
        double stage = 0;
        for (int i = 0; i < n; i++) {
            assertThat(copies[i]).isBetween(1, (int) mvms[i]);
            cost += c.cost(i, copies[i]);
            stage = Math.max(stage, c.stage(i, copies[i]));
        }
        assertThat(cost).isLessThanOrEqualTo(c.budget());
        assertThat(stage).isCloseTo(bestStage, org.assertj.core.data.Percentage.withPercentage(1e-9));
        assertThat(cost).isEqualTo(bestCost);
    }

    /**
     * The defect this replaces: 784 multiplies on 778 copies took two rounds. A stage time a hair longer or shorter
     * for one layer must not halve the throughput: here the conv layer's multiply is 1 % faster than the classifier's.
     */
    @Test
    void aSlightlyFasterLayerGetsWholeRoundsNotTwoRoundsOnFewerCopies() {
        long[] mvms = {784, 100, 1};
        double[] seconds = {99e-9, 100e-9, 100e-9};
        int[] copies = StageBalancer.balance(mvms, seconds, (i, c) -> c, 2000);
        assertThat(copies).containsExactly(784, 100, 1);
        // With too few arrays for one round, the conv layer takes two rounds on the fewest copies that give two.
        copies = StageBalancer.balance(mvms, seconds, (i, c) -> c, 600);
        assertThat(copies).containsExactly(392, 100, 1);
    }

    @Test
    void oneCopyEachWhenNothingMoreFits() {
        assertThat(StageBalancer.balance(new long[] {10, 10}, new double[] {1, 2}, (i, c) -> 3 * c, 5))
                .containsExactly(1, 1);
    }
}
