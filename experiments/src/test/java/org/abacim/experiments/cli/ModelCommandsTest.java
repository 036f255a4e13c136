package org.abacim.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.abacim.core.data.Datasets;
import org.abacim.core.exec.FloatEngine;
import org.abacim.core.network.Network;
import org.abacim.core.tensor.Tensor;
import org.abacim.core.api.NetworkSource;
import org.abacim.core.data.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCommandsTest {
    @TempDir
    Path dir;

    @Test
    void trainEvalInspectAndInferFromTheCommandLine() throws Exception {
        assumeTrue(Datasets.available("mnist"), "MNIST not fetched (scripts/fetch-data mnist)");
        Path model = dir.resolve("lenet5.npz");
        Cli train = Cli.run("train", "--network", "lenet5", "--dataset", "mnist", "--epochs", "2", "--train-samples", "1000",
                "--out", model.toString());
        assertThat(train.code()).as(train.err()).isZero();
        assertThat(train.out()).contains("training lenet5 on mnist: 1000 train", "epoch   2", "saved");
        // 1,000 training digits are a class-stratified draw: two epochs learn all ten digits (66.9 % measured). The
        // first 1,000 of the class-sorted split were all zeros and scored 10 %.
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("test accuracy (\\d+\\.\\d+) %").matcher(train.out());
        assertThat(m.find()).as(train.out()).isTrue();
        assertThat(Double.parseDouble(m.group(1))).isGreaterThan(50);
        Path manifest = dir.resolve("lenet5.json");
        assertThat(Files.readString(manifest)).contains("\"network\" : \"lenet5\"", "\"testAccuracy\"");

        Cli eval = Cli.run("eval", "--model", manifest.toString(), "--dataset", "mnist");
        assertThat(eval.code()).as(eval.err()).isZero();
        assertThat(eval.out()).containsPattern("lenet5 on mnist-test \\(\\d+ samples\\): float32 accuracy \\d+\\.\\d\\d %");

        Cli inspect = Cli.run("inspect", manifest.toString());
        assertThat(inspect.out()).contains("with weights", "conv1", "61706", "416520");

        // infer: two digits as a 2×1×28×28 float32 batch; outputs equal the engine's for that batch, and each
        // sample's own output to float rounding (a batch runs each layer as one product).
        float[] x = new float[2 * 784];
        for (int i = 0; i < x.length; i++) x[i] = (i * 13 % 255) / 255f;
        Path in = dir.resolve("x.npy");
        Files.write(in, Npy.write(new Tensor(new int[] {2, 1, 28, 28}, x)));
        Cli infer = Cli.run("infer", "--model", model.toString(), "--input", in.toString(), "--output", dir.resolve("y.npy").toString());
        assertThat(infer.code()).as(infer.err()).isZero();
        byte[] yBytes = Files.readAllBytes(dir.resolve("y.npy"));
        Tensor y = Npy.read(new ByteArrayInputStream(yBytes), "y", yBytes.length);
        assertThat(y.shape()).containsExactly(2, 10);
        Network net = NetworkSource.model(manifest);
        float[][] batch = {java.util.Arrays.copyOfRange(x, 0, 784), java.util.Arrays.copyOfRange(x, 784, 1568)};
        float[] expected = new FloatEngine(net).forward(batch, 1)[1];
        assertThat(java.util.Arrays.copyOfRange(y.data(), 10, 20)).containsExactly(expected);
        float[] alone = new FloatEngine(net).forward(batch[1]);
        for (int i = 0; i < 10; i++) assertThat(y.data()[10 + i]).isCloseTo(alone[i], org.assertj.core.api.Assertions.within(1e-5f));
    }

    @Test
    void inspectWorksOnNetworksWithoutWeights() {
        Cli inspect = Cli.run("inspect", "resnet18");
        assertThat(inspect.code()).isZero();
        assertThat(inspect.out()).contains("shapes only (no weights)", "add1", "11689512");
    }

    @Test
    void badModelInputsAreOneLineErrors() throws Exception {
        Path model = dir.resolve("m.npz");
        Files.write(model, new byte[] {'P', 'K', 3, 4, 0, 0});
        Files.writeString(dir.resolve("m.json"), "{\"format\": \"abacim-weights/1\", \"network\": \"lenet5\"}");
        Cli corrupt = Cli.run("eval", "--model", dir.resolve("m.json").toString(), "--dataset", "mnist");
        assertThat(corrupt.code()).isEqualTo(2);
        assertThat(corrupt.err()).contains("m.npz: not a .npz (zip) file or truncated").doesNotContain("\tat ");

        org.abacim.mapping.weights.WeightMap.write(org.abacim.core.train.Trainer.initialize(
                org.abacim.core.network.NetworkZoo.lenet5(), 1), "lenet5", dir.resolve("ok.npz"), null);
        Files.write(dir.resolve("wrong.npy"), Npy.write(new Tensor(new int[] {2, 3, 32, 32}, new float[2 * 3 * 1024])));
        Cli shape = Cli.run("infer", "--model", dir.resolve("ok.json").toString(), "--input", dir.resolve("wrong.npy").toString(),
                "--output", dir.resolve("y.npy").toString());
        assertThat(shape.code()).isEqualTo(2);
        assertThat(shape.err()).contains("shape [2, 3, 32, 32] is not a batch of lenet5 inputs of 1×28×28");

        Cli missing = Cli.run("infer", "--model", dir.resolve("ok.json").toString(), "--input", dir.resolve("no.npy").toString(),
                "--output", dir.resolve("y.npy").toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("no.npy: no such file");
    }

    @Test
    void aMissingDataSetSaysHowToFetchIt() {
        String before = System.getProperty("abacim.data");
        System.setProperty("abacim.data", dir.resolve("empty").toString());
        try {
            Cli cli = Cli.run("train", "--network", "lenet5", "--dataset", "fashion-mnist", "--out", dir.resolve("f.npz").toString());
            assertThat(cli.code()).isEqualTo(2);
            assertThat(cli.err()).contains("data set fashion-mnist is not in", "scripts/fetch-data fashion-mnist");
        } finally {
            if (before == null) System.clearProperty("abacim.data");
            else System.setProperty("abacim.data", before);
        }
    }
}
