package org.abacim.experiments.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;
import org.abacim.core.result.Result;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Balanced replication in whole rounds makes throughput a continuous function of the timing parameters. The copy
 * vectors that fit a budget do not depend on the times, and the slowest stage is the smallest over them of
 * max ⌈m/c⌉·t: so making every multiply at most (1 + δ) slower makes the pipeline at most (1 + δ) slower. Before,
 * ISAAC × LeNet-5 gave 312,500 fps at 1.28 GS/s ADCs and 625,000 fps at 1.3 GS/s (778 copies for 784 multiplies).
 */
class ReplicationContinuityTest {

    @ParameterizedTest
    @ValueSource(strings = {"lenet5", "resnet18", "vgg16"})
    void aFasterAdcSpeedsThePipelineUpByNoMoreThanItsOwnRatio(String network) {
        double previousFps = 0;
        double previousRate = 0;
        for (int step = 0; step <= 16; step++) {
            double rate = 1.20 + 0.01 * step;
            String set = String.format(Locale.ROOT, "adc.sampleRate=%.2f GHz", rate);
            Result r = DesignRun.load(null, "isaac", network, List.of(set)).evaluate();
            double fps = r.inference().fps();
            if (step > 0) {
                assertThat(fps / previousFps).as("%s at %s", network, set)
                        .isBetween(1 - 1e-9, rate / previousRate + 1e-9);
            }
            previousFps = fps;
            previousRate = rate;
        }
    }
}
