package org.abacim.core.analog;

import java.util.SplittableRandom;

/**
 * Seeded random streams keyed by what they belong to (seed, trial, layer, array, image…), so that every draw depends
 * on its key alone: results do not depend on thread count or evaluation order, and a change to one layer's
 * settings does not shift another layer's draws.
 */
public final class Streams {
    private Streams() {}

    /** A seed mixed from the keys with SplitMix64's finalizer. */
    public static long key(long seed, long... keys) {
        long h = mix(seed ^ 0x6A09E667F3BCC909L);
        for (long k : keys) h = mix(h ^ mix(k + 0x9E3779B97F4A7C15L));
        return h;
    }

    public static SplittableRandom random(long seed, long... keys) {
        return new SplittableRandom(key(seed, keys));
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
