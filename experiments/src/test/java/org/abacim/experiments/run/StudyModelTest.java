package org.abacim.experiments.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import org.abacim.core.data.Dataset;
import org.abacim.core.data.Datasets;
import org.abacim.core.exec.FloatEngine;
import org.abacim.core.network.Network;
import org.abacim.core.train.Trainer;
import org.abacim.core.api.NetworkSource;
import org.junit.jupiter.api.Test;

/** The committed models the studies run on still load and score what their studies say. */
class StudyModelTest {
    @Test
    void resnet20TrainedOnFashionMnistScores93PercentOnAllTenThousandTestImages() {
        assumeTrue(Datasets.available("fashion-mnist"), "Fashion-MNIST not fetched (scripts/fetch-data fashion-mnist)");
        // docs/studies/resnet20-fashion-mnist.md: trained by `abacim train` (6 epochs, cosine schedule, seed 1) to
        // 93.02 % (the manifest's testAccuracy); float rounding of another BLAS kernel may move a few images.
        Network model = NetworkSource.model(Path.of("configs/models/resnet20-fashion-mnist.json"));
        assertThat(model.name()).isEqualTo("resnet20-mnist");
        Dataset test = Datasets.load("fashion-mnist")[1];
        assertThat(test.size()).isEqualTo(10_000);
        double accuracy = Trainer.accuracy(new FloatEngine(model), test, 2);
        assertThat(accuracy).isCloseTo(0.9302, within(0.002));
    }
}
