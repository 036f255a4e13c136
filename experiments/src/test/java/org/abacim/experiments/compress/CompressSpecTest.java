package org.abacim.experiments.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.abacim.core.config.ConfigException;
import org.abacim.core.train.TrainConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a compress config leaves out comes from the defaults document; stepDefaults fill every step. */
class CompressSpecTest {
    @TempDir
    Path dir;

    private CompressSpec read(String extra) throws Exception {
        Path f = dir.resolve("c.yaml");
        Files.writeString(f, """
                network: lenet5
                dataset: mnist
                design: { preset: isaac }
                %s
                steps:
                  - name: own
                    projections: [ { kind: irregular, keep: 0.5 } ]
                    rho: 0.01
                    admmEpochs: 7
                  - name: defaulted
                    projections: [ { kind: quantize, bits: 4 } ]
                out: c.npz
                """.formatted(extra));
        return CompressSpec.read(f);
    }

    @Test
    void leftOutValuesComeFromTheDefaultsAndStepDefaults() throws Exception {
        CompressSpec s = read("");
        assertThat(s.model()).isEqualTo("train");
        assertThat(s.trainEpochs()).isEqualTo(10);
        assertThat(s.learningRate()).isEqualTo(0.001);
        assertThat(s.batchSize()).isEqualTo(64);
        assertThat(s.activationBits()).isZero();
        assertThat(s.trainSamples()).as("every training sample").isZero();
        assertThat(s.trainConfig(1, null).distillation()).isNull();
        assertThat(s.steps().get(0).rho()).isEqualTo(0.01);
        assertThat(s.steps().get(0).admmEpochs()).isEqualTo(7);
        assertThat(s.steps().get(0).retrainEpochs()).isEqualTo(3);
        assertThat(s.steps().get(1).rho()).isEqualTo(0.001);
        assertThat(s.steps().get(1).admmEpochs()).isEqualTo(3);
        assertThat(s.steps().get(1).retrainLearningRate()).isNaN();
    }

    @Test
    void aConfigCanSetStepDefaultsAndDistillationTakesTheDefaultTemperature() throws Exception {
        CompressSpec s = read("stepDefaults: { retrainEpochs: 9 }\noptimizer: { distill: { weight: 0.7 } }");
        assertThat(s.steps()).allSatisfy(step -> assertThat(step.retrainEpochs()).isEqualTo(9));
        assertThat(s.steps().get(1).rho()).isEqualTo(0.001);
        var teacher = org.abacim.core.network.NetworkZoo.lenet5();
        TrainConfig.Distillation d = s.trainConfig(1, teacher).distillation();
        assertThat(d.weight()).isEqualTo(0.7);
        assertThat(d.temperature()).isEqualTo(4);
        assertThat(d.teacher()).isSameAs(teacher);
    }

    @Test
    void oneBitActivationsAreRefusedWithTheirLine() {
        assertThatThrownBy(() -> read("optimizer: { activationBits: 1 }"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("c.yaml:4")
                .hasMessageContaining("optimizer.activationBits = 1")
                .hasMessageContaining("expected 0 (float training) or 2 to 16 bits");
    }

    @Test
    void aTrainingDrawIsANonNegativeCount() throws Exception {
        assertThat(read("optimizer: { trainSamples: 20000 }").trainSamples()).isEqualTo(20000);
        assertThatThrownBy(() -> read("optimizer: { trainSamples: -5 }"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("c.yaml:4")
                .hasMessageContaining("optimizer.trainSamples = -5");
    }
}
