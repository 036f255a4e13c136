package org.abacim.core.train;

import static org.abacim.core.train.SmallNetwork.blobs;
import static org.abacim.core.train.SmallNetwork.mlp;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.abacim.core.data.Dataset;
import org.abacim.core.network.LayerParams;
import org.abacim.core.network.Network;
import org.abacim.core.network.NetworkBuilder;
import org.junit.jupiter.api.Test;

class TrainerTest {
    @Test
    void trainingLearnsAndLossFalls() {
        List<Trainer.Epoch> epochs = new ArrayList<>();
        Network trained = Trainer.train(Trainer.initialize(mlp(), 1), blobs(600, 1), blobs(300, 2),
                TrainConfig.adam(5, 1, 2), epochs::add);
        assertThat(epochs).hasSize(5);
        assertThat(epochs.get(4).loss()).isLessThan(epochs.get(0).loss());
        assertThat(epochs.get(4).testAccuracy()).isGreaterThan(0.95);
        assertThat(trained.hasParams()).isTrue();
        Network sgd = Trainer.train(Trainer.initialize(mlp(), 1), blobs(600, 1), blobs(300, 2),
                new TrainConfig(5, 32, TrainConfig.Optimizer.SGD, 0.05, 0.9, 1e-4, 1, 1), e -> { });
        assertThat(Trainer.accuracy(new org.abacim.core.exec.FloatEngine(sgd), blobs(300, 2), 1)).isGreaterThan(0.95);
    }

    @Test
    void distillationWithFullWeightFollowsTheTeacherNotTheLabels() {
        // The teacher learned shifted labels (y + 1 mod 3); a student distilled with weight 1 never sees the true
        // labels' pull, so it predicts what the teacher predicts — on every thread count, to the byte.
        Dataset data = blobs(600, 1);
        int[] shifted = new int[data.size()];
        for (int i = 0; i < shifted.length; i++) shifted[i] = (data.labels()[i] + 1) % 3;
        Dataset shiftedData = new Dataset("shifted", data.shape(), data.images(), shifted, 3);
        Network teacher = Trainer.train(Trainer.initialize(mlp(), 1), shiftedData, null, TrainConfig.adam(20, 1, 2), e -> { });
        TrainConfig.Distillation d = new TrainConfig.Distillation(teacher, 1.0, 1);
        TrainConfig base = TrainConfig.adam(5, 4, 1);
        TrainConfig cfg = new TrainConfig(20, 64, TrainConfig.Optimizer.ADAM, 1e-3, 0.9, 0, 4, 1, 0, 0, 1, d);
        assertThat(cfg.with(5, base.learningRate()).distillation()).isSameAs(d);
        Network student = Trainer.train(Trainer.initialize(mlp(), 4), data, null, cfg, e -> { });
        Dataset test = blobs(300, 2);
        int[] studentSays = new org.abacim.core.exec.FloatEngine(student).predict(test.images(), 1);
        int[] teacherSays = new org.abacim.core.exec.FloatEngine(teacher).predict(test.images(), 1);
        int agree = 0;
        for (int i = 0; i < studentSays.length; i++) if (studentSays[i] == teacherSays[i]) agree++;
        assertThat(agree).isGreaterThan(290);
        assertThat(Trainer.accuracy(new org.abacim.core.exec.FloatEngine(student), test, 1)).isLessThan(0.05);
        Network twoThreads = Trainer.train(Trainer.initialize(mlp(), 4), data, null,
                new TrainConfig(20, 64, TrainConfig.Optimizer.ADAM, 1e-3, 0.9, 0, 4, 2, 0, 0, 1, d), e -> { });
        assertThat(((LayerParams.Dense) twoThreads.params("fc1")).weight().data())
                .containsExactly(((LayerParams.Dense) student.params("fc1")).weight().data());
    }

    @Test
    void trainedWeightsAreTheSameBytesWhateverTheThreadCount() {
        Network one = Trainer.train(Trainer.initialize(mlp(), 7), blobs(500, 3), null, TrainConfig.adam(2, 7, 1), e -> { });
        Network two = Trainer.train(Trainer.initialize(mlp(), 7), blobs(500, 3), null, TrainConfig.adam(2, 7, 2), e -> { });
        Network four = Trainer.train(Trainer.initialize(mlp(), 7), blobs(500, 3), null, TrainConfig.adam(2, 7, 4), e -> { });
        for (String layer : List.of("fc1", "fc2")) {
            float[] w1 = ((LayerParams.Dense) one.params(layer)).weight().data();
            assertThat(((LayerParams.Dense) two.params(layer)).weight().data()).containsExactly(w1);
            assertThat(((LayerParams.Dense) four.params(layer)).weight().data()).containsExactly(w1);
        }
    }

    @Test
    void trainingLeavesTheStartingNetworkUntouched() {
        Network start = Trainer.initialize(mlp(), 3);
        float[] before = ((LayerParams.Dense) start.params("fc1")).weight().data().clone();
        Trainer.train(start, blobs(100, 1), null, TrainConfig.adam(1, 3, 1), e -> { });
        assertThat(((LayerParams.Dense) start.params("fc1")).weight().data()).containsExactly(before);
    }

    /** An MLP with batch norm between its layers (a 16-channel 1×1 map). */
    private static Network normed() {
        return new NetworkBuilder("normed").input(8, 1, 1).conv(16, 1, 1, 0).batchNorm().relu().flatten().linear(3)
                .build("normed", "test");
    }

    @Test
    void batchNormTrainsItsScaleShiftAndRunningStatisticsTheSameOnAnyThreadCount() {
        Network one = Trainer.train(Trainer.initialize(normed(), 5), blobs(600, 1), null, TrainConfig.adam(20, 5, 1), e -> { });
        Network two = Trainer.train(Trainer.initialize(normed(), 5), blobs(600, 1), null, TrainConfig.adam(20, 5, 2), e -> { });
        LayerParams.Norm n1 = (LayerParams.Norm) one.params("bn1");
        LayerParams.Norm n2 = (LayerParams.Norm) two.params("bn1");
        for (int k = 0; k < 16; k++) {
            assertThat(n1.gamma().data()[k]).as("γ moved").isNotEqualTo(1f);
            assertThat(n1.variance().data()[k]).as("running variance moved").isNotEqualTo(1f);
        }
        assertThat(n2.gamma().data()).containsExactly(n1.gamma().data());
        assertThat(n2.mean().data()).containsExactly(n1.mean().data());
        assertThat(n2.variance().data()).containsExactly(n1.variance().data());
        // Inference uses the running statistics: the trained network scores the held-out blobs.
        assertThat(Trainer.accuracy(new org.abacim.core.exec.FloatEngine(one), blobs(300, 2), 1)).isGreaterThan(0.95);
    }

    @Test
    void cosineScheduleEndsAtSmallSteps() {
        assertThat(TrainConfig.LearningRateSchedule.COSINE.factor(0, 100)).isEqualTo(1.0);
        assertThat(TrainConfig.LearningRateSchedule.COSINE.factor(50, 100)).isCloseTo(0.5, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(TrainConfig.LearningRateSchedule.COSINE.factor(99, 100)).isLessThan(0.001);
        assertThat(TrainConfig.LearningRateSchedule.CONSTANT.factor(99, 100)).isEqualTo(1.0);
        Network cosine = Trainer.train(Trainer.initialize(mlp(), 2), blobs(600, 1), null,
                TrainConfig.adam(20, 2, 2).with(TrainConfig.LearningRateSchedule.COSINE), e -> { });
        assertThat(Trainer.accuracy(new org.abacim.core.exec.FloatEngine(cosine), blobs(300, 2), 1)).isGreaterThan(0.95);
    }
}
