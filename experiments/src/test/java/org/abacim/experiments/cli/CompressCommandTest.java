package org.abacim.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.abacim.core.data.Datasets;
import org.abacim.core.result.Result;
import org.abacim.experiments.run.DesignRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `abacim compress`: ADMM steps on LeNet-5/MNIST, the step table, the weight map, and its hardware credit. */
class CompressCommandTest {
    @TempDir
    Path dir;

    static final String CONFIG = """
            network: lenet5
            dataset: mnist
            training: { epochs: 1, seed: 1 }
            design:
              preset: isaac
              set: ["array.rows=32", "array.cols=32", "array.bitsPerCell=4", "weights.bits=8", "inputBits=8",
                    "array.signEncoding=differential", "simulation.replication=none"]
            steps:
              - name: blocks
                projections: [ { kind: crossbar-block, rows: 32, cols: 16, keep: 0.2 } ]
                admmEpochs: 1
                retrainEpochs: 1
              - name: ternary
                projections: [ { kind: quantize, bits: 2 } ]
                admmEpochs: 0
                retrainEpochs: 0
            out: small.npz
            """;

    @Test
    void stepsShrinkTheArraysAndTheWeightMapCarriesTheCompression() throws Exception {
        assumeTrue(Datasets.available("mnist"), "MNIST not fetched (scripts/fetch-data mnist)");
        Path config = dir.resolve("c.yaml");
        Files.writeString(config, CONFIG);
        Cli cli = Cli.run("compress", config.toString(), "--threads", "2");
        assertThat(cli.code()).as(cli.err()).isZero();
        List<String> csv = Files.readAllLines(dir.resolve("small-steps.csv"));
        assertThat(csv).hasSize(4);
        assertThat(dir.resolve("small-steps.png")).isNotEmptyFile();
        assertThat(Files.readString(dir.resolve("small-steps.svg"))).contains("<svg");
        String[] dense = csv.get(1).split(",");
        String[] blocks = csv.get(2).split(",");
        assertThat(Long.parseLong(dense[4])).isEqualTo(Long.parseLong(dense[5])); // dense: arrays = arrays_dense
        assertThat(Long.parseLong(blocks[4])).isLessThan(Long.parseLong(dense[4]) / 3);
        assertThat(Double.parseDouble(blocks[1])).isGreaterThan(0.7);
        assertThat(csv.get(3)).contains("2-bit");
        JsonNode manifest = new ObjectMapper().readTree(dir.resolve("small.json").toFile());
        assertThat(manifest.at("/provenance/layers/fc1/bits").asInt()).isEqualTo(2);
        assertThat(manifest.at("/provenance/layers/fc1/kept").asLong()).isLessThan(manifest.at("/provenance/layers/fc1/weights").asLong() / 3);
        // The weight map runs as a network: the cost model gives its arrays the same credit.
        Result r = DesignRun.load(null, "isaac", dir.resolve("small.json").toString(), List.of("array.rows=32",
                "array.cols=32", "array.bitsPerCell=4", "weights.bits=8", "inputBits=8", "array.signEncoding=differential",
                "simulation.replication=none")).evaluate(1);
        assertThat(r.compression().arrays()).isEqualTo(Long.parseLong(csv.get(3).split(",")[4]));
        assertThat(r.compression().arraysSaved()).isPositive();
        assertThat(r.layers().get(2).arraysDense()).isGreaterThan(r.layers().get(2).arrays());
    }

    @Test
    void polarizedFragmentsKeepTheirSignThroughRetrainingAndRunOnForms() throws Exception {
        assumeTrue(Datasets.available("mnist"), "MNIST not fetched (scripts/fetch-data mnist)");
        Path config = dir.resolve("p.yaml");
        Files.writeString(config, """
                network: lenet5
                dataset: mnist
                training: { epochs: 1, seed: 1 }
                design: { preset: forms }
                steps:
                  - name: polarize
                    projections: [ { kind: polarize, fragment: 8 } ]
                    admmEpochs: 1
                    retrainEpochs: 1
                  - name: 8-bit
                    projections: [ { kind: quantize, bits: 8 } ]
                    admmEpochs: 0
                    retrainEpochs: 1
                out: polar.npz
                """);
        Path out = dir.resolve("out");
        Cli cli = Cli.run("compress", config.toString(), "--threads", "2", "--out", out.toString());
        assertThat(cli.code()).as(cli.err()).isZero();
        // --out takes the weight map, the step table and the chart; progress names the steps on stderr.
        assertThat(out.resolve("polar-steps.csv")).isNotEmptyFile();
        assertThat(dir.resolve("polar.json")).doesNotExist();
        assertThat(cli.err()).contains("compress p.yaml: 2 steps").contains("compress p.yaml: 2/2 steps (100%), 8-bit");
        // Loading validates every fragment's sign; the FORMS placement checks it again and needs no second array.
        Result r = DesignRun.load(null, "forms", out.resolve("polar.json").toString(), List.of()).evaluate(1);
        assertThat(r.compression().arrays()).isEqualTo(r.compression().arraysDense());
        assertThat(r.inference().fps()).isPositive();
    }

    /** Runs compress on CONFIG with {@code from} replaced by {@code to}: exit 2 and one line naming the file and more. */
    private void oneLineError(String from, String to, String... expected) throws Exception {
        Path config = dir.resolve("c.yaml");
        assertThat(CONFIG).contains(from);
        Files.writeString(config, CONFIG.replace(from, to));
        Cli cli = Cli.run("compress", config.toString());
        assertThat(cli.code()).isEqualTo(2);
        assertThat(cli.err().strip()).contains("c.yaml:").contains(expected);
        assertThat(cli.err().strip().lines()).hasSize(1);
    }

    @Test
    void aBadStepIsAOneLineError() throws Exception {
        oneLineError("kind: quantize, bits: 2", "kind: prune-everything", "steps[1].projections[0].kind = prune-everything",
                "expected one of: block-sign, column, compact-block, crossbar-block, darb, device-levels, filter, "
                        + "irregular, pattern, polarize, purify, quantize, unify");
    }

    @Test
    void aRetrainingLearningRateOutOfRangeIsAOneLineError() throws Exception {
        oneLineError("admmEpochs: 1\n", "admmEpochs: 1\n    retrainLearningRate: 5\n", "steps[0].retrainLearningRate = 5");
    }

    @Test
    void noiseWithoutQuantizedActivationsIsAOneLineError() throws Exception {
        oneLineError("steps:", "optimizer: { noise: { lsb: 0.5, rows: 64 } }\nsteps:", "optimizer.noise.lsb = 0.5",
                "needs optimizer.activationBits");
    }

    @Test
    void aProjectionParameterOutOfRangeOrUnknownIsAOneLineError() throws Exception {
        oneLineError("kind: quantize, bits: 2", "kind: quantize, bits: 1", "steps[1].projections[0].bits = 1",
                "must be between 2 and 16");
        oneLineError("kind: quantize, bits: 2", "kind: quantize, bits: 2, bitz: 2", "steps[1].projections[0].bitz",
                "unknown key; expected one of: bits");
        oneLineError("kind: quantize, bits: 2", "kind: quantize, bitz: 2", "steps[1].projections[0].bits",
                "missing required value");
        oneLineError("kind: quantize, bits: 2", "bits: 2", "steps[1].projections[0].kind", "missing required value");
    }

    @Test
    void aDistillationWeightAboveOneIsAOneLineError() throws Exception {
        oneLineError("steps:", "optimizer: { distill: { weight: 1.5 } }\nsteps:", "optimizer.distill.weight = 1.5");
    }
}
