package org.abacim.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.abacim.core.data.Dataset;
import org.abacim.core.data.Datasets;
import org.abacim.core.data.Npy;
import org.abacim.core.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `abacim run` scoring a data set the user brings: the same digits as NumPy arrays score as MNIST does. */
class UserDatasetRunTest {
    @TempDir
    Path dir;

    /** A .npy of int64 labels, as {@code np.save(f, y)} writes PyTorch's label tensors. */
    private static byte[] int64Npy(int[] labels) {
        String header = "{'descr': '<i8', 'fortran_order': False, 'shape': (" + labels.length + ",), }";
        header = header + " ".repeat((64 - (10 + header.length() + 1) % 64) % 64) + "\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        out.writeBytes(ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) header.length()).array());
        out.writeBytes(header.getBytes(StandardCharsets.ISO_8859_1));
        ByteBuffer values = ByteBuffer.allocate(8 * labels.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int label : labels) values.putLong(label);
        out.writeBytes(values.array());
        return out.toByteArray();
    }

    private void export(Dataset d, String prefix) throws Exception {
        float[] flat = new float[d.size() * d.images()[0].length];
        for (int i = 0; i < d.size(); i++) System.arraycopy(d.images()[i], 0, flat, i * d.images()[0].length, d.images()[i].length);
        Files.write(dir.resolve(prefix + "-x.npy"), Npy.write(new Tensor(
                new int[] {d.size(), d.shape().channels(), d.shape().height(), d.shape().width()}, flat)));
        Files.write(dir.resolve(prefix + "-y.npy"), int64Npy(d.labels()));
    }

    /** 400 training and 200 test digits (seeded draws) as arrays/{train,test}-{x,y}.npy. */
    private void exportDigitSample() throws Exception {
        assumeTrue(Datasets.available("mnist"), "MNIST not fetched (scripts/fetch-data mnist)");
        Dataset[] mnist = Datasets.load("mnist");
        Files.createDirectories(dir.resolve("arrays"));
        export(mnist[0].sample(400, 1, Dataset.Purpose.TRAINING), "arrays/train");
        export(mnist[1].sample(200, 1, Dataset.Purpose.SCORING), "arrays/test");
    }

    /** AccuracyRunTest's LeNet-5 run, two trials, with the data set to fill in. */
    private static final String CONFIG = AccuracyRunTest.CONFIG.replace("dataset: mnist", "dataset: DATASET")
            .replace("trials: 3", "trials: 2");

    @Test
    void mnistExportedAsNumpyArraysScoresExactlyAsMnist() throws Exception {
        assumeTrue(Datasets.available("mnist"), "MNIST not fetched (scripts/fetch-data mnist)");
        Dataset[] mnist = Datasets.load("mnist");
        export(mnist[0], "train");
        export(mnist[1], "test");
        Path named = dir.resolve("named.yaml");
        Files.writeString(named, CONFIG.replace("DATASET", "mnist"));
        Path numpy = dir.resolve("numpy.yaml");
        Files.writeString(numpy, CONFIG.replace("DATASET", "{ kind: numpy, test: { images: test-x.npy, labels: test-y.npy }, "
                + "train: { images: train-x.npy, labels: train-y.npy } }"));
        Cli a = Cli.run("run", named.toString(), "--format", "json");
        Cli b = Cli.run("run", numpy.toString(), "--format", "json");
        assertThat(a.code()).as(a.err()).isZero();
        assertThat(b.code()).as(b.err()).isZero();
        ObjectNode accA = (ObjectNode) new ObjectMapper().readTree(a.out()).get("accuracy");
        ObjectNode accB = (ObjectNode) new ObjectMapper().readTree(b.out()).get("accuracy");
        assertThat(accB.get("dataset").asText()).isEqualTo("numpy:test-x.npy");
        // Same images, same labels, same draws, the same trained model: every figure equal.
        accA.remove("dataset");
        accB.remove("dataset");
        assertThat(accB).isEqualTo(accA);
        assertThat(accA.get("reference").asDouble()).isGreaterThan(0.85);
    }

    @Test
    void aDataSetWhoseImagesTheNetworkCannotTakeIsOneLineAtItsKey() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("cifar"));
        Files.write(folder.resolve("test_batch.bin"), new byte[200 * 3073]);
        Path file = dir.resolve("c.yaml");
        Files.writeString(file, CONFIG.replace("DATASET", "{ kind: cifar10, folder: cifar }"));
        Cli cli = Cli.run("run", file.toString());
        assertThat(cli.code()).isEqualTo(2);
        assertThat(cli.err()).contains("c.yaml:8:12 accuracy.dataset = cifar10:cifar: its images are 3×32×32, but lenet5 takes 1×28×28");
        Files.writeString(file, CONFIG.replace("DATASET", "{ kind: cifar10, folder: cifar }").replace("network: lenet5", "network: vgg8"));
        Cli noTrain = Cli.run("run", file.toString());
        assertThat(noTrain.code()).isEqualTo(2);
        assertThat(noTrain.err()).contains("has no training split to train on");
    }

    @Test
    void trainAndEvalTakeADataSetFile() throws Exception {
        exportDigitSample();
        Path data = dir.resolve("digits.yaml");
        Files.writeString(data, """
                dataset:
                  kind: numpy
                  test: { images: arrays/test-x.npy, labels: arrays/test-y.npy }
                  train: { images: arrays/train-x.npy, labels: arrays/train-y.npy }
                """);
        Path model = dir.resolve("m.npz");
        Cli train = Cli.run("train", "--network", "lenet5", "--dataset", data.toString(), "--epochs", "1",
                "--threads", "2", "--out", model.toString());
        assertThat(train.code()).as(train.err()).isZero();
        assertThat(train.out()).contains("training lenet5 on numpy:arrays/test-x.npy: 400 train / 200 test samples");
        Cli eval = Cli.run("eval", "--model", dir.resolve("m.json").toString(), "--dataset", data.toString());
        assertThat(eval.code()).as(eval.err()).isZero();
        assertThat(eval.out()).contains("(200 samples)");

        Cli unknown = Cli.run("eval", "--model", dir.resolve("m.json").toString(), "--dataset", "cifar");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err().strip()).startsWith("abacim: --dataset cifar dataset = cifar: not a data set name");
        Files.writeString(data, "dataset: { kind: numpy, test: { images: arrays/test-x.npy } }\n");
        Cli incomplete = Cli.run("eval", "--model", dir.resolve("m.json").toString(), "--dataset", data.toString());
        assertThat(incomplete.code()).isEqualTo(2);
        assertThat(incomplete.err()).contains("digits.yaml:1:31 dataset.test.labels: missing required value");
    }

    @Test
    void compressTakesTheUsersArrays() throws Exception {
        exportDigitSample();
        Path config = dir.resolve("compress.yaml");
        Files.writeString(config, """
                network: lenet5
                dataset:
                  kind: numpy
                  test: { images: arrays/test-x.npy, labels: arrays/test-y.npy }
                  train: { images: arrays/train-x.npy, labels: arrays/train-y.npy }
                training: { epochs: 2, seed: 1 }
                design: { preset: isaac, set: ["weights.bits=8"] }
                steps:
                  - name: 6-bit
                    projections: [ { kind: quantize, bits: 6 } ]
                    admmEpochs: 0
                    retrainEpochs: 1
                out: out/c.npz
                """);
        Cli cli = Cli.run("compress", config.toString(), "--no-cache");
        assertThat(cli.code()).as(cli.err()).isZero();
        assertThat(cli.out()).contains("6-bit", "wrote");
        String manifest = Files.readString(dir.resolve("out/c.json"));
        assertThat(manifest).contains("\"dataset\" : \"numpy:arrays/test-x.npy\"");
        Files.writeString(config, Files.readString(config).replace("kind: numpy", "kind: numbers"));
        Cli bad = Cli.run("compress", config.toString(), "--no-cache");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("compress.yaml:3:9 dataset.kind = numbers: unknown kind of data set");
    }
}
