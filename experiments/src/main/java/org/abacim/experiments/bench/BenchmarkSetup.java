package org.abacim.experiments.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.abacim.core.analog.Chip;
import org.abacim.core.analog.Streams;
import org.abacim.core.tech.MvmNumerics;
import org.abacim.experiments.run.DesignRun;

/** What the ResNet-18 benchmarks (CIFAR and ImageNet scale) set up alike: images, ISAAC numerics, a chip, operands. */
final class BenchmarkSetup {
    private BenchmarkSetup() {}

    /** {@code count} random images of {@code values} values each, uniform in [0, 1), from {@code random}. */
    static float[][] randomImages(SplittableRandom random, int count, int values) {
        float[][] images = new float[count][values];
        for (float[] x : images) for (int i = 0; i < x.length; i++) x[i] = (float) random.nextDouble();
        return images;
    }

    /** ISAAC's array numerics for {@code network} with 8-bit weights and inputs and the given extra settings. */
    static MvmNumerics isaac(String network, String... settings) {
        List<String> all = new ArrayList<>(List.of("weights.bits=8", "inputBits=8"));
        all.addAll(List.of(settings));
        return DesignRun.load(null, "isaac", network, all).design().numerics().orElseThrow();
    }

    /** The benchmarks' simulated chip: seed 1, trial 0. */
    static Chip chip() {
        return new Chip(Streams.key(1, 0), false, Double.NaN, false);
    }

    /** Two random square operands and a result, {@code size} × {@code size} each: the machine's sgemm yardstick. */
    static float[][] sgemmOperands(SplittableRandom random, int size) {
        float[] a = new float[size * size];
        float[] b = new float[size * size];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) random.nextDouble();
            b[i] = (float) random.nextDouble();
        }
        return new float[][] {a, b, new float[size * size]};
    }
}
